"""Proprietary hosted AI API use, told apart from self-hosted endpoints.

Two stages:

1. **Per file** (cached by content hash): Python with ``ast``, JavaScript/TypeScript, Java
   and Go with tree-sitter, manifests and configuration files each give raw uses — which
   SDK, where, and how its endpoint is written — plus environment values and evidence of
   self-hosted servers. Files that do not parse fall back to a token scan.
2. **Per project**: endpoints written as environment variables are resolved against the
   values the repository itself sets (``.env``, compose, Kubernetes, Dockerfiles, code),
   then the SDK's own default; the host is classified (declared in ``allowed_endpoints``,
   local, a catalogue API, unknown); tests with mocks and first-party modules that shadow
   an SDK name are recognised. Each use becomes one :class:`AIApiUse` with its
   classification and the evidence chain import -> client -> endpoint.
"""

from __future__ import annotations

import enum
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from oscheck.detectors.ai_api.catalogue import Catalogue, load_catalogue
from oscheck.detectors.ai_api.common import scrub
from oscheck.detectors.ai_api.config_scan import is_config, scan_config
from oscheck.detectors.ai_api.endpoints import HostKind, classify_host
from oscheck.detectors.ai_api.js_scan import JsScanner, dialect_of
from oscheck.detectors.ai_api.jvm_go_scan import JvmGoScanner
from oscheck.detectors.ai_api.manifests import manifest_kind, manifest_use, normalize_pypi, scan_manifest
from oscheck.detectors.ai_api.python_scan import PythonScanner
from oscheck.detectors.ai_api.records import EnvSet, FileResult, RawUse, Step
from oscheck.detectors.interface import DetectContext, Detector
from oscheck.detectors.notebook import code_cells
from oscheck.model import Component, FileOrigin, FileRecord, Location, Observation

__all__ = [
    "AIApiDetector",
    "AIApiParseFallback",
    "AIApiUse",
    "Classification",
    "EvidenceStep",
    "LocalInference",
    "scan_file",
]

SCANNER_VERSION = "1"


class Classification(enum.Enum):
    """What a use of an AI API means for the no-external-API rule."""

    EXTERNAL = "external"  # a hosted proprietary API: a breach in the use track
    LOCAL = "local"  # an OpenAI-compatible client pointed at the grantee's own server
    REVIEW = "review"  # the endpoint cannot be determined statically
    TEST_ONLY = "test-only"  # inside tests that replace the network with mocks


_RANK = {Classification.LOCAL: 0, Classification.TEST_ONLY: 0, Classification.REVIEW: 1, Classification.EXTERNAL: 2}


@dataclass(frozen=True)
class EvidenceStep:
    """One link of the chain import -> client -> endpoint, with its place."""

    step: str  # import, client, call, model, endpoint, env, dependency, key
    path: str | None
    line: int | None
    detail: str


@dataclass(frozen=True, kw_only=True)
class AIApiUse(Observation):
    """One use of a (possibly) proprietary AI API, classified."""

    kind: ClassVar[str] = "ai-api-use"
    provider: str | None  # catalogue id (openai, anthropic, ...); None: not determinable
    provider_name: str
    classification: Classification
    reason: str  # a code from REASONS
    via: str  # sdk, router, module-call, import, http/url, config, key, manifest
    symbol: str
    language: str
    endpoint: str | None = None  # the resolved endpoint (never a key)
    endpoint_source: str | None = None  # argument, constant, env-file, sdk-default, ...
    chain: tuple[EvidenceStep, ...] = ()
    parse: str = "ast"
    secret: str | None = None  # keys only: redacted
    open_weights_served: bool = False
    model: str | None = None
    key: str = ""  # stable identity within the file (for fingerprints)


@dataclass(frozen=True, kw_only=True)
class LocalInference(Observation):
    """Evidence of self-hosted inference: a vLLM image, an Ollama client, a local key value."""

    kind: ClassVar[str] = "local-inference"
    what: str
    name: str


@dataclass(frozen=True, kw_only=True)
class AIApiParseFallback(Observation):
    """A file that did not parse; its uses come from the token scan."""

    kind: ClassVar[str] = "ai-api-parse-fallback"
    language: str
    error: str


# Why a use got its classification. The policy translates these.
REASONS = (
    "catalogue-host",
    "sdk-default",
    "hosted-sdk",
    "key-committed",
    "declared-endpoint",
    "local-endpoint",
    "local-route",
    "proxy-for-hosted-sdk",
    "unknown-host",
    "unresolved-endpoint",
    "env-not-set",
    "opaque-arguments",
    "unknown-model",
    "no-code-use",
    "tests-with-mocks",
    "routed-to-hosted",
    "declared-sdk-used",
)

_PY = (".py", ".pyw")
_JS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_TEST_DIRS = re.compile(r"(^|/)(tests?|__tests__|__mocks__|spec|testing|test_utils|fixtures)(/|$)")
_TEST_FILES = re.compile(
    r"(^|/)(test_[^/]*\.py|[^/]*_test\.(py|go)|conftest\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?|[^/]*Test\.java)$"
)


def is_test_path(path: str) -> bool:
    return bool(_TEST_DIRS.search(path) or _TEST_FILES.search(path))


def file_kind(path: str) -> str | None:
    """Which scanner reads ``path`` (also part of the cache key)."""
    low = path.lower()
    mk = manifest_kind(path)
    if mk is not None:
        return f"manifest:{mk}"
    if low.endswith(_PY):
        return "python"
    if low.endswith(_JS) and not low.endswith(".d.ts"):
        return f"js:{dialect_of(path)}"
    if low.endswith(".java"):
        return "java"
    if low.endswith(".go"):
        return "go"
    if low.endswith(".ipynb"):
        return "notebook"
    if is_config(path):
        return "config:json" if low.endswith(".json") else "config"
    return None


class _Scanners:
    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.python = PythonScanner(cat)
        self.js = JsScanner(cat)
        self.jvm_go = JvmGoScanner(cat)


def scan_file(kind: str, data: bytes, scanners: _Scanners) -> FileResult:
    """The per-file answer for content ``data`` read by scanner ``kind``."""
    cat = scanners.cat
    if kind.startswith("manifest:"):
        return scan_manifest(kind.split(":", 1)[1], data.decode("utf-8", "replace"), cat)
    if kind == "config" or (kind == "config:json" and cat.may_be_relevant(data)):
        return scan_config(data.decode("utf-8", "replace"), cat)
    if not cat.may_be_relevant(data):
        return FileResult(language=kind.split(":")[0], parse="skip")
    if kind == "python":
        return scanners.python.scan(data)
    if kind.startswith("js:"):
        return scanners.js.scan(data, kind.split(":", 1)[1])
    if kind in ("java", "go"):
        return scanners.jvm_go.scan(data, kind)
    if kind == "notebook":
        return _notebook(data, scanners)
    return FileResult(language=kind, parse="skip")


def _notebook(data: bytes, scanners: _Scanners) -> FileResult:
    """Code cells joined (magics commented out); line numbers count within that code."""
    cells = code_cells(data)
    if cells is None:
        from oscheck.detectors.ai_api.tokens import token_scan

        result = token_scan(data.decode("utf-8", "replace"), scanners.cat, "python")
        result.parse_error = "not a valid notebook"
        return result
    code = [("# " + ln) if ln.lstrip().startswith(("!", "%")) else ln for text in cells for ln in text.splitlines()]
    result = scanners.python.scan("\n".join(code).encode())
    result.language = "notebook"
    return result


@dataclass
class _FileUses:
    record: FileRecord
    kind: str
    result: FileResult


@dataclass
class _EnvIndex:
    values: dict[str, list[tuple[str, str, int | None]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, path: str, sets: Iterable[EnvSet]) -> None:
        for s in sets:
            self.values[s.name].append((s.value, path, s.line))


class AIApiDetector(Detector):
    """Finds every proprietary AI API use and classifies it (see the module docstring)."""

    id: ClassVar[str] = "ai-api"
    group: ClassVar[str] = "ai-api"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        cat = load_catalogue(ctx.policy_dir)
        scanners = _Scanners(cat)
        namespace = f"ai-api/{SCANNER_VERSION}/{cat.digest}"
        todo: list[tuple[FileRecord, str]] = []
        for record in ctx.inventory.scannable():
            # Vendored code is someone else's library (an SDK's own sources name its host);
            # generated files (bundles) are scanned: they ship what the project runs.
            if not record.is_scannable or not ctx.selected(record) or record.origin is FileOrigin.VENDORED:
                continue
            kind = file_kind(record.path)
            if kind is not None:
                todo.append((record, kind))
        keys = {r.path: f"{r.sha256}:{k}" for r, k in todo}
        cached = ctx.cache.get_many(namespace, keys.values())
        fresh: dict[str, Any] = {}
        files: list[_FileUses] = []
        components = _component_manifests(ctx)
        for record, kind in todo:
            if kind.startswith("manifest:") and record.path in components:
                continue
            key = keys[record.path]
            if key in cached:
                result = FileResult.from_json(cached[key])
            else:
                try:
                    data = ctx.inventory.read(record)
                except OSError:
                    continue
                result = scan_file(kind, data, scanners)
                fresh[key] = (
                    result.to_json() if result.parse != "skip" else {"language": result.language, "parse": "skip"}
                )
            files.append(_FileUses(record, kind, result))
        ctx.cache.put_many(namespace, fresh)
        ctx.stats["ai-api"] = {
            "files": len(todo),
            "parsed": sum(1 for f in files if f.result.parse not in ("skip",)),
            "cache_hits": len(todo) - len(fresh),
        }
        return _Project(ctx, cat, files, components).observations()


def _component_manifests(ctx: DetectContext) -> dict[str, list[Component]]:
    """Manifests the dependency detector already read (its components are used instead)."""
    out: dict[str, list[Component]] = defaultdict(list)
    for c in ctx.prior(Component):
        # Only the manifests this detector would read itself (lock files repeat them).
        if c.manifest and c.direct and manifest_kind(c.manifest) is not None:
            out[c.manifest].append(c)
    return out


_ECOSYSTEMS = {"pypi": "pypi", "npm": "npm", "golang": "go", "go": "go", "maven": "maven"}


class _Project:
    """The project-level resolution of every file's raw uses."""

    def __init__(
        self, ctx: DetectContext, cat: Catalogue, files: list[_FileUses], components: dict[str, list[Component]]
    ) -> None:
        self.ctx = ctx
        self.cat = cat
        self.files = files
        self.components = components
        self.allowed = tuple(ctx.declaration.allowed_endpoints)
        self.env = _EnvIndex()
        for f in files:
            self.env.add(f.record.path, f.result.env)
        paths = {r.path for r in ctx.inventory.files}
        self.paths = paths

    def observations(self) -> list[Observation]:
        out: list[Observation] = []
        code: list[tuple[RawUse, AIApiUse]] = []
        manifests: list[tuple[str, RawUse, str]] = []
        for f in self.files:
            path = f.record.path
            if f.result.parse_error and f.result.uses:
                out.append(
                    AIApiParseFallback(
                        detector=AIApiDetector.id,
                        location=Location(path),
                        language=f.result.language,
                        error=f.result.parse_error,
                    )
                )
            for hint in f.result.local:
                out.append(
                    LocalInference(
                        detector=AIApiDetector.id, location=Location(path, hint.line), what=hint.what, name=hint.name
                    )
                )
            for raw in f.result.uses:
                if raw.via == "manifest":
                    manifests.append((path, raw, f.result.parse))
                elif not (f.kind in ("python", "notebook") and raw.module and self._shadowed(path, raw.module)):
                    code.append((raw, self._classify(f, raw)))
        for path, comps in self.components.items():
            for c in comps:
                spec = self.cat.packages.get((_ECOSYSTEMS.get(c.ecosystem, c.ecosystem), _pkg_key(c.ecosystem, c.name)))
                if spec is not None:
                    manifests.append((path, manifest_use(spec, c.name, c.location.line, path), "component"))
        uses = [use for _raw, use in code]
        uses += [self._manifest(path, raw, parse, code) for path, raw, parse in manifests]
        counts: dict[tuple[str | None, str], int] = defaultdict(int)
        for use in map(self._scrubbed, uses):
            endpoint = "" if use.via == "manifest" else (use.endpoint or "")  # a manifest's "endpoint" is a place
            base = f"{use.via}|{use.provider}|{use.symbol}|{use.classification.value}|{endpoint}"
            counts[(use.location.path, base)] += 1
            n = counts[(use.location.path, base)]
            out.append(replace(use, key=base if n == 1 else f"{base}#{n}"))
        return out

    # -- helpers -------------------------------------------------------------------------
    def _shadowed(self, path: str, module: str) -> bool:
        """A first-party module of the same name is what ``import module`` loads."""
        root = module.split(".")[0]
        here = posixpath.dirname(path)
        for base in {"", "src", here}:
            prefix = f"{base}/" if base else ""
            if f"{prefix}{root}.py" in self.paths or f"{prefix}{root}/__init__.py" in self.paths:
                return True
        return False

    def _provider_name(self, provider: str | None) -> str:
        if provider is None:
            return "unknown"
        p = self.cat.providers.get(provider)
        return p.name if p is not None else provider

    def _steps(self, path: str, raw: RawUse) -> list[EvidenceStep]:
        return [EvidenceStep(s.step, path, s.line, s.detail) for s in raw.chain]

    def _scrubbed(self, use: AIApiUse) -> AIApiUse:
        """Source snippets and URLs may hold keys or passwords: mask them before they leave."""
        return replace(
            use,
            endpoint=scrub(use.endpoint, self.cat) if use.endpoint else use.endpoint,
            chain=tuple(replace(s, detail=scrub(s.detail, self.cat)) for s in use.chain),
        )

    def _classify(self, f: _FileUses, raw: RawUse) -> AIApiUse:
        path = f.record.path
        steps = self._steps(path, raw)
        provider = raw.provider
        endpoint: str | None = None
        source: str | None = None
        if raw.via == "key":
            cls, reason = Classification.EXTERNAL, "key-committed"
        elif raw.via in ("url", "config"):
            verdict = classify_host(raw.chain[-1].detail if raw.chain else raw.symbol, self.cat, self.allowed)
            endpoint, source = (raw.chain[-1].detail if raw.chain else raw.symbol), "literal"
            if verdict.kind is HostKind.DECLARED:
                cls, reason = Classification.LOCAL, "declared-endpoint"
            else:
                cls, reason = Classification.EXTERNAL, "catalogue-host"
        else:
            candidates = self._candidates(raw, steps)
            cls, reason = Classification.LOCAL, "local-endpoint"
            if not candidates:
                if raw.mode == "hosted":
                    cls, reason = Classification.EXTERNAL, "hosted-sdk"
                elif raw.via == "router" and raw.provider is None:
                    cls, reason = Classification.REVIEW, "unknown-model"
                else:
                    cls, reason = Classification.REVIEW, self._why_unresolved(raw)
            worst = -1
            for value, how in candidates:
                c, r, p = self._one(raw, value)
                if _RANK[c] > worst:
                    worst, cls, reason, endpoint, source = _RANK[c], c, r, value, how
                    provider = p or provider
        if source == "sdk-default" and reason == "catalogue-host":
            reason = "sdk-default"
        if raw.via == "router" and reason == "hosted-sdk":
            reason = "routed-to-hosted"
        if is_test_path(path) and f.result.mocked:
            cls, reason = Classification.TEST_ONLY, "tests-with-mocks"
        known = self.cat.providers.get(provider or "")
        return AIApiUse(
            detector=AIApiDetector.id,
            location=Location(path, raw.line),
            provider=provider,
            provider_name=self._provider_name(provider),
            classification=cls,
            reason=reason,
            via=raw.via,
            symbol=raw.symbol,
            language=f.result.language,
            endpoint=endpoint,
            endpoint_source=source,
            chain=tuple(steps),
            parse=f.result.parse,
            secret=raw.secret,
            open_weights_served=bool(known and known.open_weights_served),
            model=raw.model,
        )

    def _why_unresolved(self, raw: RawUse) -> str:
        if raw.opaque_kwargs:
            return "opaque-arguments"
        if raw.endpoint is not None and raw.endpoint.kind == "env":
            return "env-not-set"
        return "unresolved-endpoint"

    def _candidates(self, raw: RawUse, steps: list[EvidenceStep]) -> list[tuple[str, str]]:
        """Endpoint values in the SDK's order: argument, environment, default."""
        ep = raw.endpoint
        if ep is not None:
            if ep.kind == "literal" and ep.value is not None:
                return [(ep.value, ep.via)]
            if ep.kind == "env" and ep.env:
                found = self._env_values(ep.env, steps)
                if found:
                    return found
                return [(ep.value, "env-default")] if ep.value else []
            return []
        if raw.opaque_kwargs and raw.mode == "compatible":
            return []
        for var in raw.endpoint_env:
            found = self._env_values(var, steps)
            if found:
                return found
        return [(raw.default, "sdk-default")] if raw.default else []

    def _env_values(self, var: str, steps: list[EvidenceStep]) -> list[tuple[str, str]]:
        out = []
        for value, path, line in self.env.values.get(var, ()):
            steps.append(EvidenceStep("env", path, line, f"{var}={value}"))  # scrubbed on the way out
            out.append((value, f"env-file {path}"))
        return out

    def _one(self, raw: RawUse, value: str) -> tuple[Classification, str, str | None]:
        verdict = classify_host(value, self.cat, self.allowed)
        if verdict.kind is HostKind.API:
            return Classification.EXTERNAL, "catalogue-host", verdict.provider
        if verdict.kind in (HostKind.DECLARED, HostKind.LOCAL):
            if raw.mode == "hosted":
                return Classification.REVIEW, "proxy-for-hosted-sdk", None
            reason = "declared-endpoint" if verdict.kind is HostKind.DECLARED else "local-endpoint"
            if raw.via == "router" and raw.default == value:
                reason = "local-route"
            return Classification.LOCAL, reason, None
        if raw.mode == "hosted":
            return Classification.EXTERNAL, "hosted-sdk", None
        if verdict.kind is HostKind.PUBLIC:
            return Classification.REVIEW, "unknown-host", None
        return Classification.REVIEW, "unresolved-endpoint", None

    def _manifest(self, path: str, raw: RawUse, parse: str, code: list[tuple[RawUse, AIApiUse]]) -> AIApiUse:
        """A hosted-only SDK declared is a use; a compatible one is what its code uses are."""
        steps = self._steps(path, raw)
        endpoint: str | None = None
        if raw.mode == "hosted":
            cls, reason = Classification.EXTERNAL, "hosted-sdk"
        else:
            router = raw.module == "router"
            linked = [u for r, u in code if not router and _same_package(raw.module or "", r.module or "")]
            linked = linked or [
                u
                for r, u in code
                if (router and r.via == "router")
                or (not router and r.provider == raw.provider and r.mode == "compatible")
            ]
            if linked:
                top = max(linked, key=lambda u: _RANK[u.classification])
                cls, reason = top.classification, "declared-sdk-used"
                endpoint = str(top.location)
                steps.append(EvidenceStep("use", top.location.path, top.location.line, top.symbol))
            else:
                cls, reason = Classification.REVIEW, "no-code-use"
        return AIApiUse(
            detector=AIApiDetector.id,
            location=Location(path, raw.line),
            provider=raw.provider,
            provider_name=self._provider_name(raw.provider),
            classification=cls,
            reason=reason,
            via="manifest",
            symbol=raw.symbol,
            language="manifest",
            endpoint=endpoint,
            endpoint_source="code-use" if endpoint else None,
            chain=tuple(steps),
            parse=parse,
        )


def _same_package(declared: str, imported: str) -> bool:
    """Whether code importing ``imported`` uses the declared distribution ``declared``."""
    if not declared or not imported:
        return False
    if "/" in declared and "." in declared.split("/")[0]:  # a Go module path
        return imported == declared or imported.startswith(declared + "/")
    return normalize_pypi(imported.split(".")[0]) == normalize_pypi(declared) or imported == declared


def _pkg_key(ecosystem: str, name: str) -> str:
    return normalize_pypi(name) if ecosystem == "pypi" else name.lower()


__all__ += ["REASONS", "Step", "file_kind", "is_test_path"]
