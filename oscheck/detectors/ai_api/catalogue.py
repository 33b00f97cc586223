"""``policies/ai-apis.yaml`` read into typed, frozen views the scanners use.

The detectors know nothing about any provider: every import name, class, host, key
prefix and environment variable comes from the catalogue, so a verification body can
add a provider by editing YAML. The catalogue's digest is part of the cache namespace,
so an edited catalogue never returns stale per-file answers.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from oscheck.errors import PolicyError
from oscheck.i18n import _

CATALOGUE_FILE = "ai-apis.yaml"
MODES = ("compatible", "hosted", "router", "local")


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    hosts: tuple[str, ...]
    key_env: tuple[str, ...] = ()
    open_weights_served: bool = False


@dataclass(frozen=True)
class ClientSpec:
    """A callable that creates a client or calls the API (see the YAML's header)."""

    symbol: str
    provider: str | None
    mode: str
    endpoint_args: tuple[str, ...] = ()
    url_args: tuple[str, ...] = ()
    endpoint_env: tuple[str, ...] = ()
    default: str | None = None
    model_arg: str | None = None
    provider_arg: str | None = None
    instance: bool = False  # a ready-made provider instance (Vercel's `openai`)


@dataclass(frozen=True)
class ModuleSpec:
    module: str
    provider: str
    mode: str


@dataclass(frozen=True)
class FactorySpec:
    symbol: str
    arg: int
    keyword: str
    values: tuple[str, ...]
    provider: str
    endpoint_args: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class PackageSpec:
    ecosystem: str
    name: str
    provider: str | None
    mode: str


@dataclass(frozen=True)
class KeyPattern:
    prefix: str
    provider: str
    min: int


@dataclass(frozen=True)
class LanguageSpec:
    """The per-language part of the catalogue (Python and JavaScript share this shape)."""

    modules: tuple[ModuleSpec, ...] = ()
    clients: Mapping[str, ClientSpec] = field(default_factory=dict)
    factories: tuple[FactorySpec, ...] = ()
    module_endpoint_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    mock_modules: tuple[str, ...] = ()
    mock_calls: tuple[str, ...] = ()
    http_modules: tuple[str, ...] = ()
    http_calls: tuple[str, ...] = ()

    def module_for(self, dotted: str) -> ModuleSpec | None:
        """The longest catalogue module that ``dotted`` is, or is inside of."""
        by_name = self._by_module
        parts = dotted.split(".")
        for i in range(len(parts), 0, -1):
            hit = by_name.get(".".join(parts[:i]))
            if hit is not None:
                return hit
        return by_name.get(dotted)

    @cached_property
    def _by_module(self) -> dict[str, ModuleSpec]:
        return {m.module: m for m in self.modules}


@dataclass(frozen=True)
class Catalogue:
    digest: str
    providers: Mapping[str, Provider]
    python: LanguageSpec
    javascript: LanguageSpec
    java_packages: tuple[ModuleSpec, ...]
    java_endpoint_methods: tuple[str, ...]
    go_packages: tuple[ModuleSpec, ...]
    go_endpoint_calls: tuple[str, ...]
    jvm_go_defaults: Mapping[str, str]
    packages: Mapping[tuple[str, str], PackageSpec]  # (ecosystem, lower-case name)
    key_patterns: tuple[KeyPattern, ...]
    key_placeholders: tuple[str, ...]
    litellm_prefixes: Mapping[str, str]
    model_names: tuple[tuple[re.Pattern[str], str], ...]
    local_pypi: frozenset[str]
    local_npm: frozenset[str]
    local_python_modules: tuple[str, ...]
    local_images: tuple[str, ...]
    local_ports: frozenset[int]
    local_env: frozenset[str]
    local_key_values: frozenset[str]
    local_host_names: frozenset[str]
    local_host_suffixes: tuple[str, ...]
    endpoint_env_suffixes: tuple[str, ...]

    # -- derived lookups -------------------------------------------------------------
    @cached_property
    def _exact_hosts(self) -> dict[str, str]:
        return {h: p.id for p in self.providers.values() for h in p.hosts if "*" not in h}

    @cached_property
    def _wild_hosts(self) -> list[tuple[re.Pattern[str], str]]:
        out = []
        for p in self.providers.values():
            for h in p.hosts:
                if "*" in h:
                    rx = re.escape(h).replace(r"\*\.", r"(?:[a-z0-9-]+\.)+").replace(r"\*", r"[a-z0-9-]+")
                    out.append((re.compile(rx + r"\Z"), p.id))
        return out

    def provider_of_host(self, host: str) -> str | None:
        """The provider whose API answers at ``host`` (lower case, no port), if any."""
        host = host.lower().rstrip(".")
        hit = self._exact_hosts.get(host)
        if hit is not None:
            return hit
        for rx, pid in self._wild_hosts:
            if rx.match(host):
                return pid
        return None

    @cached_property
    def host_regex(self) -> re.Pattern[str]:
        """The literal core of every catalogue host (the longest part without a ``*``).

        Only literals, so ``re`` stays fast; :meth:`find_hosts` widens each hit to the
        whole host name and checks it against the catalogue.
        """
        parts = {max(h.split("*"), key=len).strip(".") for p in self.providers.values() for h in p.hosts}
        # Case-sensitive on purpose: URLs are written in lower case, and IGNORECASE makes
        # this search several times slower on every file.
        return re.compile(_trie_regex(sorted(parts)).pattern.decode())

    def find_hosts(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, host, provider) of every catalogue API host named in ``text``."""
        out = []
        for m in self.host_regex.finditer(text):
            start, end = m.start(), m.end()
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
                start -= 1
            while end < len(text) and (text[end].isalnum() or text[end] in ".-"):
                end += 1
            host = text[start:end].strip(".-").lower()
            provider = self.provider_of_host(host)
            if provider is not None:
                out.append((start, host, provider))
        return out

    @cached_property
    def key_regex(self) -> re.Pattern[str]:
        """Keys by prefix; the left boundary is checked by :meth:`find_keys` (cheaper)."""
        alts = [
            re.escape(k.prefix) + r"[A-Za-z0-9_-]{" + str(k.min) + r",}"
            for k in sorted(self.key_patterns, key=lambda k: -len(k.prefix))
        ]
        return re.compile("|".join(alts))

    def key_provider(self, token: str) -> KeyPattern | None:
        for k in sorted(self.key_patterns, key=lambda k: -len(k.prefix)):
            if token.startswith(k.prefix) and len(token) - len(k.prefix) >= k.min:
                return k
        return None

    @cached_property
    def key_env_vars(self) -> dict[str, str]:
        return {v: p.id for p in self.providers.values() for v in p.key_env}

    @cached_property
    def _trigger_words(self) -> set[str]:
        words: set[str] = set()
        for spec in (self.python, self.javascript):
            for m in spec.modules:
                words.add(m.module)
            for c in spec.clients.values():
                # Any import of the client spells every part of its module's path.
                words.add(c.symbol.rsplit(".", 1)[0])
            for f in spec.factories:
                words.update(f.values)
        for m in (*self.java_packages, *self.go_packages):
            words.add(m.module)
        for p in self.providers.values():
            words.update(p.hosts)
        for k in self.key_patterns:
            words.add(k.prefix)
        words.update(self.local_python_modules)
        words.update(i.split("/")[-1] for i in self.local_images)
        words.update(self.local_npm)
        words.discard("")
        return words

    @cached_property
    def _anchors(self) -> tuple[frozenset[bytes], tuple[bytes, ...]]:
        """Each trigger word's most distinctive identifier token, and words that have none.

        A file is tokenised once (lower case, split at anything that is not a letter or a
        digit) and the token set is intersected with the anchors: one pass in C instead
        of one substring search per word, which is what keeps unrelated files cheap.
        """
        anchors: set[bytes] = set()
        slow: set[bytes] = set()
        for word in self._trigger_words:
            tokens = [t for t in re.split(r"[^a-z0-9]+", word.lower()) if t and t not in _GENERIC_TOKENS]
            if tokens:
                anchors.add(max(tokens, key=len).encode())
            else:
                slow.add(word.encode())
        # A key's prefix may be glued to the key (AIzaSy…): those are searched as bytes.
        for k in self.key_patterns:
            if k.prefix[-1].isalnum():
                slow.add(k.prefix.encode())
        return frozenset(anchors), tuple(sorted(slow))

    def may_be_relevant(self, data: bytes) -> bool:
        """False when ``data`` cannot contain any use (a cheap pre-filter, no false negatives
        for the words of the catalogue)."""
        anchors, slow = self._anchors
        if not anchors.isdisjoint(_tokens(data)):
            return True
        return any(w in data for w in slow)

    @cached_property
    def _literal_anchors(self) -> tuple[frozenset[bytes], tuple[bytes, ...]]:
        """Anchors of hosts and key prefixes only (what matters in string literals)."""
        anchors: set[bytes] = set()
        slow: set[bytes] = set()
        words = {h for p in self.providers.values() for h in p.hosts} | {k.prefix for k in self.key_patterns}
        for word in words:
            tokens = [t for t in re.split(r"[^a-z0-9]+", word.lower()) if t and t not in _GENERIC_TOKENS]
            if tokens:
                anchors.add(max(tokens, key=len).encode())
            else:
                slow.add(word.encode())
        for k in self.key_patterns:
            if k.prefix[-1].isalnum():
                slow.add(k.prefix.encode())
        return frozenset(anchors), tuple(sorted(slow))

    def may_name_hosts_or_keys(self, data: bytes) -> bool:
        """False when no string in ``data`` can name a catalogue host or hold a key."""
        anchors, slow = self._literal_anchors
        if not anchors.isdisjoint(_tokens(data)):
            return True
        return any(w in data for w in slow)

    @cached_property
    def python_prefixes(self) -> frozenset[str]:
        """Every dotted prefix of a Python name the scanners care about (``google``,
        ``google.genai``, ``google.genai.Client``, ...): an import of anything else
        cannot lead to a use."""
        spec = self.python
        names = [m.module for m in spec.modules] + [c.symbol for c in spec.clients.values()]
        names += [f.symbol for f in spec.factories] + list(self.local_python_modules)
        out: set[str] = set()
        for n in names:
            parts = n.split(".")
            out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        return frozenset(out)

    def python_import_matters(self, module: str, names: Sequence[str] = ()) -> bool:
        """Whether ``import module`` (or ``from module import names``) can lead to a use."""
        if self.python.module_for(module) is not None or any(
            module == m or module.startswith(m + ".") for m in self.local_python_modules
        ):
            return True
        if not names:
            return module in self.python_prefixes
        root = module.split(".")[0]
        return any(
            f"{module}.{n}" in self.python_prefixes
            or (n == "*" and module in self.python_prefixes)
            or root in self._client_roots.get(n, ())
            for n in names
        )

    @cached_property
    def _client_roots(self) -> dict[str, set[str]]:
        """Client class name -> first components of the modules it lives in (a class may be
        imported from deeper inside its package: ``langchain_community.chat_models.openai``)."""
        out: dict[str, set[str]] = {}
        for c in self.python.clients.values():
            out.setdefault(c.symbol.rsplit(".", 1)[-1], set()).add(c.symbol.split(".")[0])
        return out

    def model_provider(self, model: str) -> str | None:
        for rx, pid in self.model_names:
            if rx.search(model):
                return pid
        return None


# Lower-case letters and digits stay; everything else separates tokens.
_TOKEN_TABLE = bytes(
    (c + 32) if 65 <= c <= 90 else (c if (48 <= c <= 57 or 97 <= c <= 122) else 32) for c in range(256)
)
# Tokens too common to say anything on their own (a host's "api", a module's "sdk").
_GENERIC_TOKENS = frozenset(
    [
        "api",
        "com",
        "ai",
        "co",
        "cn",
        "kr",
        "v1",
        "v2",
        "sdk",
        "client",
        "runtime",
        "inference",
        "agent",
        "agents",
        "cloud",
        "www",
        "io",
        "net",
        "org",
        "models",
        "model",
        "services",
        "service",
        "stream",
        "apigw",
        "openai-compatible",
        "compatible",
        "provider",
        "js",
        "java",
        "go",
        "rest",
        "hub",
        "index",
        "llms",
        "llm",
        "embeddings",
        "chat",
        "core",
        "intl",
        "fips",
        "us",
        "east",
        "github",
        "golang",
        "dev",
        "software",
        "amazon",
        "aws",
        "springframework",
        "theokanning",
        "langchain4j",
        "tmc",
        "x",
        "text",
        "generation",
        "wanted",
        "community",
        "chat",
    ]
)


_last_tokens: tuple[int, bytes, list[bytes]] = (0, b"", [])


def _tokens(data: bytes) -> list[bytes]:
    """The identifier tokens of ``data`` (lower case); the last file's are kept, since both
    pre-filters ask about the same file one after the other."""
    global _last_tokens
    if _last_tokens[1] is data:
        return _last_tokens[2]
    tokens = data.translate(_TOKEN_TABLE).split()
    _last_tokens = (id(data), data, tokens)
    return tokens


def _trie_regex(words: Sequence[str]) -> re.Pattern[bytes]:
    """One regex that matches any of ``words``, factored as a trie (fast in ``re``)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        alts = []
        end = False
        for ch in sorted(node):
            if ch == "":
                end = True
                continue
            alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return re.compile(build(trie).encode())


# -- loading ---------------------------------------------------------------------------


def shipped_policy_dir() -> Path:
    """``$OSCHECK_POLICIES``, else the ``policies/`` folder next to the package."""
    env = os.environ.get("OSCHECK_POLICIES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[3]
    for candidate in (here / "oscheck" / "policies", here / "policies"):
        if (candidate / CATALOGUE_FILE).is_file():
            return candidate
    return here / "policies"


_loaded: dict[tuple[str, int, int], Catalogue] = {}


def load_catalogue(policies: Path | None = None) -> Catalogue:
    """The catalogue of ``policies`` (the shipped folder when ``None``), parsed once."""
    path = (policies or shipped_policy_dir()) / CATALOGUE_FILE
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key in _loaded:
            return _loaded[key]
        raw = path.read_bytes()
    except OSError:
        raise PolicyError(_("{path}: policy file not found", path=path)) from None
    try:
        data = yaml.safe_load(raw)
        cat = _build(data, hashlib.sha256(raw).hexdigest()[:12])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise PolicyError(_("{where}: invalid YAML in a policy file", where=where)) from None
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise PolicyError(_("{path}: unexpected content ({problem})", path=path, problem=exc)) from None
    _loaded[key] = cat
    return cat


def _t(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _mode(value: Any) -> str:
    mode = str(value or "hosted")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def _client(row: Mapping[str, Any]) -> ClientSpec:
    return ClientSpec(
        symbol=str(row["symbol"]),
        provider=row.get("provider"),
        mode=_mode(row.get("mode")),
        endpoint_args=_t(row.get("endpoint_args")),
        url_args=_t(row.get("url_args")),
        endpoint_env=_t(row.get("endpoint_env")),
        default=row.get("default"),
        model_arg=row.get("model_arg"),
        provider_arg=row.get("provider_arg"),
        instance=bool(row.get("instance", False)),
    )


def _modules(rows: Any, key: str = "module") -> tuple[ModuleSpec, ...]:
    return tuple(ModuleSpec(str(r[key]), str(r["provider"]), _mode(r.get("mode"))) for r in rows or ())


def _language(raw: Mapping[str, Any]) -> LanguageSpec:
    return LanguageSpec(
        modules=_modules(raw.get("modules")),
        clients={c.symbol: c for c in (_client(r) for r in raw.get("clients") or ())},
        factories=tuple(
            FactorySpec(
                symbol=str(r["symbol"]),
                arg=int(r.get("arg", 0)),
                keyword=str(r.get("keyword", "")),
                values=_t(r.get("values")),
                provider=str(r["provider"]),
                endpoint_args=_t(r.get("endpoint_args")),
                default=r.get("default"),
            )
            for r in raw.get("factories") or ()
        ),
        module_endpoint_attributes={str(k): _t(v) for k, v in (raw.get("module_endpoint_attributes") or {}).items()},
        mock_modules=_t(raw.get("mock_modules")),
        mock_calls=_t(raw.get("mock_calls")),
        http_modules=_t(raw.get("http_modules")),
        http_calls=_t(raw.get("http_calls")),
    )


def _build(data: Mapping[str, Any], digest: str) -> Catalogue:
    providers = {
        pid: Provider(
            id=pid,
            name=str(row.get("name", pid)),
            hosts=tuple(h.lower() for h in _t(row.get("hosts"))),
            key_env=_t(row.get("key_env")),
            open_weights_served=bool(row.get("open_weights_served", False)),
        )
        for pid, row in (data.get("providers") or {}).items()
    }
    packages: dict[tuple[str, str], PackageSpec] = {}
    for eco, rows in (data.get("packages") or {}).items():
        for r in rows or ():
            spec = PackageSpec(str(eco), str(r["name"]), r.get("provider"), _mode(r.get("mode")))
            packages[(spec.ecosystem, spec.name.lower())] = spec
    local = data.get("local_servers") or {}
    hosts = data.get("local_hosts") or {}
    java = data.get("java") or {}
    go = data.get("go") or {}
    cat = Catalogue(
        digest=digest,
        providers=providers,
        python=_language(data.get("python") or {}),
        javascript=_language(data.get("javascript") or {}),
        java_packages=_modules(java.get("packages"), "prefix"),
        java_endpoint_methods=_t(java.get("endpoint_methods")),
        go_packages=_modules(go.get("packages"), "prefix"),
        go_endpoint_calls=_t(go.get("endpoint_calls")),
        jvm_go_defaults={**(java.get("defaults") or {}), **(go.get("defaults") or {})},
        packages=packages,
        key_patterns=tuple(
            KeyPattern(str(r["prefix"]), str(r["provider"]), int(r.get("min", 20)))
            for r in data.get("key_patterns") or ()
        ),
        key_placeholders=tuple(s.lower() for s in _t(data.get("key_placeholders"))),
        litellm_prefixes={str(k): str(v) for k, v in (data.get("litellm_prefixes") or {}).items()},
        model_names=tuple((re.compile(str(r["pattern"])), str(r["provider"])) for r in data.get("model_names") or ()),
        local_pypi=frozenset(s.lower() for s in _t(local.get("pypi"))),
        local_npm=frozenset(_t(local.get("npm"))),
        local_python_modules=_t(local.get("python_modules")),
        local_images=_t(local.get("images")),
        local_ports=frozenset(int(p) for p in local.get("ports") or ()),
        local_env=frozenset(_t(local.get("env"))),
        local_key_values=frozenset(s.lower() for s in _t(local.get("key_values"))),
        local_host_names=frozenset(s.lower() for s in _t(hosts.get("names"))),
        local_host_suffixes=tuple(s.lower() for s in _t(hosts.get("suffixes"))),
        endpoint_env_suffixes=_t(data.get("endpoint_env_suffixes")),
    )
    unknown = {
        p
        for p in [
            *(c.provider for s in (cat.python, cat.javascript) for c in s.clients.values()),
            *(m.provider for s in (cat.python, cat.javascript) for m in s.modules),
            *(p.provider for p in cat.packages.values()),
            *(k.provider for k in cat.key_patterns),
        ]
        if p is not None and p not in providers
    }
    unknown |= {v for v in cat.litellm_prefixes.values() if v != "local" and v not in providers}
    if unknown:
        raise ValueError("unknown provider ids: " + ", ".join(sorted(unknown)))
    return cat
