"""The ``models`` detector: declared models, models the code loads, and their weight files.

For each model (declared in ``.oscheck.yml`` or ``--model``, or found in the code):

* a Hub id is read through :class:`~oscheck.sources.hf_hub.HubClient` (metadata pinned to
  the commit it returns, card/config/license files, the ``base_model`` lineage);
* a local folder inside the repository is read from the inventory (``config.json``, the
  model card's YAML front matter through ``huggingface_hub.ModelCard``, ``LICENSE``,
  ``adapter_config.json``, weight files);
* an Ollama name is recorded as it is (the Ollama library is not the Hub).

Every weight file of the repository (and, with ``--download-weights``, of declared Hub
models) is inspected statically (:mod:`.weights`). Facts only: the open-weight verdict and
the judgement of pickle globals are the policy's (``policy/models.py``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, ClassVar

from oscheck.config import ModelDecl
from oscheck.detectors.interface import DetectContext, Detector
from oscheck.detectors.models.references import Reference, find_references
from oscheck.detectors.models.weights import (
    INSPECTED_FORMATS,
    LFS_POINTER_PREFIX,
    WeightFile,
    inspect_weights,
    weight_format,
)
from oscheck.model import (
    AIModel,
    DatasetRef,
    FileOrigin,
    FileRecord,
    Location,
    ModelFile,
    ModelLineage,
    Observation,
    SkipReason,
)
from oscheck.sources.hf_hub import (
    LICENSE_FILE,
    Ancestor,
    HubClient,
    HubModel,
    ModelUnavailable,
    card_data_of,
    is_hub_id,
)

MAX_HUB_LOOKUPS = 50  # undeclared ids looked up on the Hub in one scan
MAX_LOCAL_WEIGHT_BYTES = 64 << 30  # an oversized weight file of a work tree is streamed up to this


@dataclass(frozen=True, kw_only=True)
class ModelReference(Observation):
    """A place in the code or configuration that loads a model."""

    kind: ClassVar[str] = "model-reference"
    id: str
    source: str  # hub | local | ollama
    framework: str
    raw: str


@dataclass(frozen=True, kw_only=True)
class ModelProblem(Observation):
    """A model that could not be inspected (not found, gated files, Hub unreachable, ...)."""

    kind: ClassVar[str] = "model-problem"
    model: str
    reason: str  # a ModelUnavailable reason, or local-not-found
    declared: bool
    message: str


@dataclass(frozen=True, kw_only=True)
class ReferenceSearch(Observation):
    """The code was searched for model references (so "declared but never used" can be judged)."""

    kind: ClassVar[str] = "model-reference-search"
    files: int


@dataclass(frozen=True)
class ModelsOptions:
    """``ctx.options["models"]``: what the CLI (``scan --model``, ``oscheck model``) asks for."""

    extra: tuple[ModelDecl, ...] = ()  # --model
    download_weights: bool = False
    references: bool = True  # search the code (off for `oscheck model`)
    hub: bool = True  # look models up on the Hub
    strict: bool = False  # raise ModelUnavailable instead of recording a problem (`oscheck model`)
    target_is_model: bool = False  # locations of weight files are relative to the model

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> ModelsOptions:
        value = options.get("models")
        return value if isinstance(value, ModelsOptions) else cls()


@dataclass
class _Entry:
    """A model being assembled from its declaration and its references."""

    id: str
    source: str
    declared: bool = False
    revision: str | None = None
    refs: list[ModelReference] = field(default_factory=list)


class ModelsDetector(Detector):
    id: ClassVar[str] = "models"
    group: ClassVar[str] = "models"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        opts = ModelsOptions.of(ctx.options)
        out: list[Observation] = []
        declared = [*ctx.declaration.models, *opts.extra]
        local_roots = [_norm(d.path) for d in declared if d.path is not None]
        entries: dict[str, _Entry] = {}
        for decl in declared:
            if decl.path is not None:
                key = _norm(decl.path)
                entries.setdefault(key, _Entry(key, "local", declared=True))
            elif decl.id and (decl.id.startswith("ollama:") or ":" in decl.id):
                name = decl.id.removeprefix("ollama:")
                entries.setdefault(name.lower(), _Entry(name, "ollama", declared=True))
            elif decl.id:
                e = entries.setdefault(decl.id.lower(), _Entry(decl.id, "hub", declared=True))
                e.revision = e.revision or decl.revision

        datasets: dict[str, DatasetRef] = {}
        for d in ctx.declaration.datasets:
            datasets[d.id.lower()] = DatasetRef(
                detector=self.id, id=d.id, revision=d.revision, license=d.license, declared=True
            )

        if opts.references:
            searched = 0
            for record in ctx.inventory.scannable():
                if not _searchable(record, ctx, local_roots):
                    continue
                searched += 1
                text = ctx.inventory.read_text(record)
                for ref in find_references(record.path, text):
                    self._add_reference(ctx, record, ref, entries, datasets, out)
            out.append(ReferenceSearch(detector=self.id, files=searched))

        weights = self._repo_weights(ctx, opts, local_roots)
        out.extend(weights)

        client = HubClient(ctx.cache.cache_dir / "hub-models") if opts.hub else None
        lookups = 0
        unreachable = False
        for entry in entries.values():
            if entry.source == "hub":
                if client is None or unreachable or (not entry.declared and lookups >= MAX_HUB_LOOKUPS):
                    out.append(self._unverified(entry, "hub-disabled" if client is None else "unreachable"))
                    continue
                lookups += 0 if entry.declared else 1
                try:
                    model, ancestors = self._hub(client, entry)
                except ModelUnavailable as exc:
                    if opts.strict:
                        raise
                    unreachable = exc.reason == "unreachable"
                    out.append(_problem(self.id, entry, exc.reason, exc.message))
                    out.append(self._unverified(entry, exc.reason))
                    continue
                out.append(self._hub_model(entry, model, ancestors, ctx))
                for ds in model.datasets:
                    datasets.setdefault(ds.lower(), DatasetRef(detector=self.id, id=ds))
                if opts.download_weights:
                    out.extend(self._hub_weights(client, model, opts))
            elif entry.source == "local":
                found = self._local(ctx, entry, weights, client, opts)
                out.extend(found)
            else:
                out.append(self._ollama(entry))
        out.extend(datasets.values())
        ctx.stats["models"] = {"hub_requests": client.requests if client else 0}
        return out

    # -- references ----------------------------------------------------------------
    def _add_reference(
        self,
        ctx: DetectContext,
        record: FileRecord,
        ref: Reference,
        entries: dict[str, _Entry],
        datasets: dict[str, DatasetRef],
        out: list[Observation],
    ) -> None:
        location = Location(record.path, ref.line)
        if ref.dataset:
            datasets.setdefault(ref.id.lower(), DatasetRef(detector=self.id, location=location, id=ref.id))
            return
        ident, source = ref.id, ref.source
        if source == "local":
            resolved = _resolve_local(ctx, record.path, ref.id)
            if resolved is None:
                return  # a path outside the repository (downloaded at run time): nothing to inspect here
            ident = resolved
            # a file inside a declared folder belongs to that folder's model
            for key, e in entries.items():
                if e.source == "local" and (ident == key or ident.startswith(key + "/")):
                    ident = key
                    break
        key = ident.lower() if source != "local" else ident
        obs = ModelReference(
            detector=self.id, location=location, id=ident, source=source, framework=ref.framework, raw=ref.raw
        )
        out.append(obs)
        entries.setdefault(key, _Entry(ident, source)).refs.append(obs)

    # -- the Hub -------------------------------------------------------------------
    def _hub(self, client: HubClient, entry: _Entry) -> tuple[HubModel, list[Ancestor]]:
        model = client.model(entry.id, entry.revision)
        try:
            ancestors = client.lineage(model)
        except ModelUnavailable:
            ancestors = []
        return model, ancestors

    def _hub_model(self, entry: _Entry, model: HubModel, ancestors: list[Ancestor], ctx: DetectContext) -> AIModel:
        card = dict(model.card_data)
        config = _json(model.texts.get("config.json"))
        files = tuple(ModelFile(f.path, f.size, f.sha256, weight_format(f.path)) for f in model.files)
        license_file = next((p for p in sorted(model.texts) if "/" not in p and LICENSE_FILE.match(p)), None)
        flagged = _flagged(model.security)
        return AIModel(
            detector=self.id,
            location=entry.refs[0].location if entry.refs else Location(),
            id=model.id,
            source="hub",
            revision=model.sha,
            purl=hub_purl(model.id, model.sha, model.endpoint),
            declared=entry.declared,
            used_at=tuple(r.location for r in entry.refs),
            license_tag=_license_tag(model.license_tags),
            license_name=_str(card.get("license_name")),
            license_link=_str(card.get("license_link")),
            gated=model.gated,
            private=model.private,
            disabled=model.disabled,
            supplier=model.author,
            task=model.pipeline_tag or _str(card.get("pipeline_tag")),
            library=model.library_name or _str(card.get("library_name")),
            architecture=_architecture(config),
            model_type=_str(config.get("model_type")) if config else None,
            datasets=model.datasets,
            weights=tuple(f for f in files if f.format is not None),
            files=files,
            lineage=tuple(_lineage(a) for a in ancestors),
            card=_considerations(model.texts.get("README.md", ""), card, model.unreadable),
            files_complete=model.files_complete,
            license_file_title=_title(model.texts.get(license_file, "")) if license_file else None,
            flagged_files=flagged,
            frameworks=tuple(sorted({r.framework for r in entry.refs})),
            url=model.url,
        )

    def _hub_weights(self, client: HubClient, model: HubModel, opts: ModelsOptions) -> list[Observation]:
        out: list[Observation] = []
        for f in model.files:
            fmt = weight_format(f.path)
            if fmt not in INSPECTED_FORMATS:
                continue
            where = f.path if opts.target_is_model else f"hf://{model.id}/{f.path}"
            try:
                local = client.download(model, f.path)
            except Exception as exc:
                out.append(
                    WeightFile(
                        detector=self.id,
                        location=Location(where),
                        format=fmt or "unknown",
                        size=f.size or 0,
                        sha256=f.sha256,
                        inspected=False,
                        not_inspected_reason=f"download failed ({type(exc).__name__})",
                        model=model.id,
                    )
                )
                continue
            with local.open("rb") as fh:
                out.append(_weight_file(self.id, where, fh, local.stat().st_size, f.sha256, model.id))
        return out

    def _unverified(self, entry: _Entry, reason: str) -> AIModel:
        """A model that could not be read: still an SBOM entry, with what the code says."""
        return AIModel(
            detector=self.id,
            location=entry.refs[0].location if entry.refs else Location(),
            id=entry.id,
            source="hub",
            revision=entry.revision,
            purl=hub_purl(entry.id, entry.revision, None) if is_hub_id(entry.id) else None,
            declared=entry.declared,
            used_at=tuple(r.location for r in entry.refs),
            files_complete=False,
            frameworks=tuple(sorted({r.framework for r in entry.refs})),
            card={"unverified": reason},
        )

    def _ollama(self, entry: _Entry) -> AIModel:
        return AIModel(
            detector=self.id,
            location=entry.refs[0].location if entry.refs else Location(),
            id=entry.id,
            source="ollama",
            declared=entry.declared,
            used_at=tuple(r.location for r in entry.refs),
            files_complete=False,
            frameworks=("ollama",),
        )

    # -- local folders and files -----------------------------------------------------
    def _repo_weights(self, ctx: DetectContext, opts: ModelsOptions, roots: list[str]) -> list[WeightFile]:
        out: list[WeightFile] = []
        for record in ctx.inventory.files:
            fmt = weight_format(record.path)
            if fmt is None or fmt.endswith("-index") or not ctx.selected(record):
                continue
            owner = next((r for r in roots if r == "." or record.path == r or record.path.startswith(r + "/")), None)
            out.append(_repo_weight(self.id, ctx, record, fmt, owner))
        return out

    def _local(
        self,
        ctx: DetectContext,
        entry: _Entry,
        weights: list[WeightFile],
        client: HubClient | None,
        opts: ModelsOptions,
    ) -> list[Observation]:
        root = entry.id
        inv = ctx.inventory
        prefix = "" if root == "." else root + "/"
        files = [f for f in inv.files if f.path == root or f.path.startswith(prefix)]
        if not files:
            message = f"{root}: no such file or folder in the repository"
            if opts.strict:
                raise ModelUnavailable(root, "local-not-found", message)
            return [_problem(self.id, entry, "local-not-found", message)]

        def text(name: str) -> str:
            rec = inv.get(prefix + name)
            if rec is None or rec.skipped is not None:
                return ""
            return inv.read_text(rec)

        readme = text("README.md")
        card = card_data_of(readme)
        config = _json(text("config.json"))
        adapter = _json(text("adapter_config.json"))
        license_rec = next(
            (f for f in files if f.path[len(prefix) :].count("/") == 0 and LICENSE_FILE.match(f.path[len(prefix) :])),
            None,
        )
        mine = [w for w in weights if w.location.path in {f.path for f in files}]
        tag = _license_tag(_card_licenses(card))
        if tag is None:
            # GGUF files carry their own license key
            tag = next(
                (
                    str(w.details.get("metadata", {}).get("general.license"))
                    for w in mine
                    if w.details.get("metadata", {}).get("general.license")
                ),
                None,
            )
        bases = _local_bases(card, config, adapter, root)
        ancestors: list[Ancestor] = []
        if client is not None and bases:
            pseudo = HubModel(
                id=root,
                requested_revision=None,
                sha=None,
                endpoint=client.endpoint,
                card_data={"base_model": [b for b, _r in bases], "base_model_relation": bases[0][1]},
            )
            try:
                ancestors = client.lineage(pseudo)
            except ModelUnavailable:
                ancestors = []
        lineage = tuple(_lineage(a) for a in ancestors) or tuple(
            ModelLineage(id=b, relation=r, child=root, problem="not-looked-up") for b, r in bases
        )
        model_files = tuple(ModelFile(f.path, f.size, f.sha256, weight_format(f.path)) for f in files)
        return [
            AIModel(
                detector=self.id,
                location=Location(root if root != "." else None),
                id=root,
                source="local",
                declared=entry.declared,
                used_at=tuple(r.location for r in entry.refs),
                license_tag=tag,
                license_name=_str(card.get("license_name")),
                license_link=_str(card.get("license_link")),
                supplier=None,
                task=_str(card.get("pipeline_tag")),
                library=_str(card.get("library_name")),
                architecture=_architecture(config),
                model_type=_str(config.get("model_type")) if config else None,
                datasets=tuple(_card_list(card.get("datasets"))),
                weights=tuple(f for f in model_files if f.format is not None),
                files=model_files,
                lineage=lineage,
                card=_considerations(readme, card, {}),
                license_file_title=_title(inv.read_text(license_rec))
                if license_rec and license_rec.skipped is None
                else None,
                frameworks=tuple(sorted({r.framework for r in entry.refs})),
            )
        ]


# --- helpers -----------------------------------------------------------------------------


def hub_purl(model_id: str, sha: str | None, endpoint: str | None) -> str:
    """``pkg:huggingface/<org>/<name>@<sha>`` (purl spec; the endpoint as repository_url if not the Hub)."""
    from packageurl import PackageURL

    namespace, _sep, name = model_id.rpartition("/")
    qualifiers = {}
    if endpoint and endpoint.rstrip("/") != "https://huggingface.co":
        qualifiers["repository_url"] = endpoint.rstrip("/")
    return str(
        PackageURL(type="huggingface", namespace=namespace or None, name=name, version=sha, qualifiers=qualifiers)
    )


def _problem(detector: str, entry: _Entry, reason: str, message: str) -> ModelProblem:
    return ModelProblem(
        detector=detector,
        location=entry.refs[0].location if entry.refs else Location(),
        model=entry.id,
        reason=reason,
        declared=entry.declared,
        message=message,
    )


def _norm(path: str) -> str:
    p = PurePosixPath(path.replace("\\", "/"))
    parts = [x for x in p.parts if x not in (".", "")]
    return "/".join(parts) or "."


def _searchable(record: FileRecord, ctx: DetectContext, local_roots: list[str]) -> bool:
    if not ctx.selected(record) or record.origin is not FileOrigin.FIRST_PARTY:
        return False
    if record.path in (".oscheck.yml", ".oscheck.yaml"):
        return False  # the declaration is not a use
    return not any(r != "." and record.path.startswith(r + "/") for r in local_roots)


def _resolve_local(ctx: DetectContext, referrer: str, value: str) -> str | None:
    """A path written in code, as a repository path (tried from the root and from the file's folder)."""
    if value.startswith(("/", "~")):
        return None
    here = str(PurePosixPath(referrer).parent)
    inv = ctx.inventory
    for base in ("", "" if here == "." else here):
        candidate = _norm(f"{base}/{value}" if base else value)
        if candidate.startswith(".."):
            continue
        if inv.get(candidate) is not None:
            return candidate
        prefix = candidate + "/"
        if any(f.path.startswith(prefix) for f in inv.files):
            return candidate
    return None


def _repo_weight(detector: str, ctx: DetectContext, record: FileRecord, fmt: str, owner: str | None) -> WeightFile:
    base: dict[str, Any] = {
        "detector": detector,
        "location": Location(record.path),
        "format": fmt,
        "size": record.size,
        "sha256": record.sha256,
        "model": owner,
    }
    if fmt not in INSPECTED_FORMATS:
        return WeightFile(**base, inspected=False, not_inspected_reason="format-not-inspected")
    if record.skipped is None:
        data = ctx.inventory.read(record)
        if data.startswith(LFS_POINTER_PREFIX):
            return WeightFile(**base, inspected=False, not_inspected_reason="lfs-pointer")
        inspection = inspect_weights(record.path, io.BytesIO(data), len(data))
        return _from_inspection(base, inspection)
    root = ctx.inventory.tree.local_root
    if record.skipped is SkipReason.OVERSIZED and root is not None and record.size <= MAX_LOCAL_WEIGHT_BYTES:
        stream = _open_in_tree(root, record.path)
        if stream is not None:
            with stream:
                return _from_inspection(base, inspect_weights(record.path, stream, record.size))
    return WeightFile(**base, inspected=False, not_inspected_reason=record.skipped.value)


def _open_in_tree(root: Path, rel: str) -> IO[bytes] | None:
    """An oversized weight file of a work tree, opened as the tree reads files (no symlinks, no FIFOs).

    Weight files are gigabytes; the inventory does not read them whole, but a header, a zip
    directory or a pickle at the start can be read from a stream.
    """
    full = os.path.join(root, rel)
    real_root = os.path.realpath(root)
    if not os.path.realpath(full).startswith(real_root + os.sep):
        return None
    try:
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def _weight_file(detector: str, where: str, stream: IO[bytes], size: int, sha256: str | None, model: str) -> WeightFile:
    base: dict[str, Any] = {
        "detector": detector,
        "location": Location(where),
        "format": weight_format(where) or "unknown",
        "size": size,
        "sha256": sha256,
        "model": model,
    }
    return _from_inspection(base, inspect_weights(where, stream, size))


def _from_inspection(base: dict[str, Any], inspection: Any) -> WeightFile:
    fields = {**base, "format": inspection.format}
    return WeightFile(
        **fields,
        globals=inspection.globals,
        pickles=tuple(inspection.pickles),
        problems=tuple(inspection.problems),
        details=dict(inspection.details),
    )


def _lineage(a: Ancestor) -> ModelLineage:
    m = a.model
    return ModelLineage(
        id=m.id if m else a.id,
        revision=m.sha if m else None,
        relation=a.relation,
        depth=a.depth,
        license_tag=_license_tag(m.license_tags) if m else None,
        license_name=_str(m.card_data.get("license_name")) if m else None,
        child=a.child,
        gated=m.gated if m else None,
        problem="cycle" if a.cycle else a.problem,
    )


def _license_tag(tags: Iterable[str]) -> str | None:
    values = [t for t in tags if t]
    if not values:
        return None
    return values[0] if len(values) == 1 else " OR ".join(values)


def _card_licenses(card: Mapping[str, Any]) -> list[str]:
    return _card_list(card.get("license"))


def _card_list(value: Any) -> list[str]:
    if isinstance(value, str) and value:
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return []


def _local_bases(
    card: Mapping[str, Any], config: Mapping[str, Any], adapter: Mapping[str, Any], root: str
) -> list[tuple[str, str]]:
    """Base models of a local folder: the card's ``base_model``, a PEFT adapter's base, ``_name_or_path``."""
    relation = _str(card.get("base_model_relation"))
    out: dict[str, str] = {}
    for b in _card_list(card.get("base_model")):
        out[b] = relation or ("adapter" if adapter else "finetune")
    base = adapter.get("base_model_name_or_path") if adapter else None
    if isinstance(base, str) and is_hub_id(base) and "/" in base:
        out.setdefault(base, "adapter")
    name = config.get("_name_or_path") if config else None
    if isinstance(name, str) and is_hub_id(name) and "/" in name and not root.endswith(name.rsplit("/", 1)[-1]):
        out.setdefault(name, relation or "finetune")
    return list(out.items())


def _json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _architecture(config: Mapping[str, Any]) -> str | None:
    archs = config.get("architectures") if config else None
    return str(archs[0]) if isinstance(archs, list) and archs else None


def _title(text: str) -> str | None:
    for line in text.splitlines():
        stripped = line.strip().strip("#").strip()
        if stripped:
            return stripped[:200]
    return None


def _flagged(security: Mapping[str, Any] | None) -> tuple[str, ...]:
    if not security:
        return ()
    issues = security.get("filesWithIssues") or []
    out = []
    for item in issues if isinstance(issues, list) else []:
        if isinstance(item, dict) and item.get("path"):
            out.append(str(item["path"]))
        elif isinstance(item, str):
            out.append(item)
    return tuple(out)


# Model card sections (the Hub's template headings) -> CycloneDX considerations fields.
_SECTIONS = {
    "useCases": re.compile(r"^(intended uses?|uses|direct use|downstream use|use cases?)\b", re.IGNORECASE),
    "technicalLimitations": re.compile(
        r"^(limitations?|bias, risks,? and limitations|out-of-scope use)\b", re.IGNORECASE
    ),
    "ethicalConsiderations": re.compile(r"^(ethical considerations?|ethics|risks?|bias)\b", re.IGNORECASE),
}


def _considerations(readme: str, card: Mapping[str, Any], unreadable: Mapping[str, str]) -> dict[str, Any]:
    """Model card facts for the ML-BOM: languages, considerations from the card's sections."""
    out: dict[str, Any] = {}
    if card.get("language"):
        out["languages"] = _card_list(card.get("language"))
    body = readme
    if body.startswith("---"):
        end = body.find("\n---", 3)
        body = body[end + 4 :] if end >= 0 else ""
    current: str | None = None
    collected: dict[str, list[str]] = {}
    for line in body.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            current = next((k for k, p in _SECTIONS.items() if p.match(heading)), None)
            continue
        if current and line.strip():
            collected.setdefault(current, []).append(line.strip())
    for key, lines in collected.items():
        out[key] = [" ".join(lines)[:1000]]  # CycloneDX considerations are lists of strings
    if unreadable:
        out["unreadable_files"] = dict(unreadable)
    if readme:
        out["card_sha256"] = hashlib.sha256(readme.encode("utf-8", "surrogateescape")).hexdigest()
    return out
