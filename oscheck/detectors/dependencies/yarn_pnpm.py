"""yarn.lock (classic v1 and Berry v2+) and pnpm-lock.yaml (lockfile versions 5, 6 and 9).

Neither yarn lock says which packages are dev dependencies; the graph step takes that
from package.json and propagates it. Berry and pnpm name the project's own direct
dependencies (the ``@workspace:`` entry, ``importers``); classic yarn does not, so
package.json's ``name@range`` is matched against the lock's descriptors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, ParseFailure, ParseProblem, Source
from oscheck.detectors.dependencies.npm import DEV, OPTIONAL, RUNTIME, integrity_hashes
from oscheck.detectors.dependencies.textutil import Lines, as_dict, as_str, load_yaml


def split_descriptor(descriptor: str) -> tuple[str, str]:
    """``@scope/name@^1.0`` -> (``@scope/name``, ``^1.0``); the first ``@`` of a scope is not the separator."""
    at = descriptor.find("@", 1)
    return (descriptor, "") if at < 0 else (descriptor[:at], descriptor[at + 1 :])


# ---------------------------------------------------------------- yarn.lock (classic v1)

_V1_FIELD = re.compile(r'^\s+("?)([^"\s]+)\1\s+"?([^"]*)"?\s*$')


def _unquote(s: str) -> str:
    s = s.strip()
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


def parse_yarn_lock(path: str, text: str) -> ParsedFile:
    if re.search(r"^__metadata:", text, re.MULTILINE):
        return _parse_yarn_berry(path, text)
    blocks: list[tuple[int, list[str], dict[str, str], dict[str, dict[str, str]]]] = []
    problems: list[ParseProblem] = []
    current: tuple[int, list[str], dict[str, str], dict[str, dict[str, str]]] | None = None
    table: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if indent == 0:
            if not raw.rstrip().endswith(":"):
                problems.append(ParseProblem(f"not a yarn.lock entry header: '{raw.strip()[:80]}'", number))
                current = None
                continue
            descriptors = [_unquote(d) for d in raw.rstrip()[:-1].split(",")]
            current = (number, descriptors, {}, {})
            blocks.append(current)
            table = None
        elif current is None:
            continue
        elif indent == 2:
            stripped = raw.strip()
            if stripped.endswith(":"):
                table = stripped[:-1]
                current[3][table] = {}
                continue
            table = None
            key, _, value = stripped.partition(" ")
            current[2][key] = _unquote(value)
        elif indent >= 4 and table is not None:
            key, _, value = raw.strip().partition(" ")
            current[3][table][_unquote(key)] = _unquote(value)
    by_descriptor: dict[str, str] = {}
    for _number, descriptors, fields, _tables in blocks:
        name = split_descriptor(descriptors[0])[0]
        key = f"{name}@{fields.get('version', '')}"
        for d in descriptors:
            by_descriptor[d] = key
    merged: dict[str, PackageEntry] = {}
    for number, descriptors, fields, tables in blocks:
        name = split_descriptor(descriptors[0])[0]
        version = fields.get("version")
        if not version:
            problems.append(ParseProblem(f"'{descriptors[0]}' has no version", number))
            continue
        key = f"{name}@{version}"
        deps = {
            by_descriptor[f"{n}@{r}"]
            for t in ("dependencies", "optionalDependencies")
            for n, r in tables.get(t, {}).items()
            if f"{n}@{r}" in by_descriptor
        }
        resolved = fields.get("resolved")
        seen = merged.get(key)
        merged[key] = PackageEntry(
            key=key,
            ecosystem="npm",
            name=name,
            version=version,
            line=seen.line if seen else number,
            hashes=integrity_hashes(fields.get("integrity")),
            depends_on=tuple(sorted(deps | set(seen.depends_on if seen else ()))),
            source=_yarn_source(resolved).value,
            download_url=resolved.split("#", 1)[0] if resolved else None,
            descriptors=tuple(sorted(set(descriptors) | set(seen.descriptors if seen else ()))),
        )
    return ParsedFile(
        path=path,
        format="yarn.lock",
        ecosystem="npm",
        is_lock=True,
        entries=tuple(merged.values()),
        problems=tuple(problems),
    )


def _yarn_source(resolved: str | None) -> Source:
    if not resolved or resolved.startswith(("https://registry.", "http://registry.")) or "/-/" in resolved:
        return Source.REGISTRY
    if resolved.startswith(("git", "ssh:")) or ".git#" in resolved:
        return Source.GIT
    if resolved.startswith(("file:", "link:")):
        return Source.PATH
    return Source.URL


# ---------------------------------------------------------------- yarn.lock (Berry)

_PROTOCOL_SOURCE = {
    "npm": Source.REGISTRY,
    "patch": Source.REGISTRY,  # a registry package with a local patch applied
    "git": Source.GIT,
    "git+https": Source.GIT,
    "git+ssh": Source.GIT,
    "github": Source.GIT,
    "https": Source.URL,
    "http": Source.URL,
    "file": Source.PATH,
    "link": Source.PATH,
    "portal": Source.PATH,
}


def _parse_yarn_berry(path: str, text: str) -> ParsedFile:
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise ParseFailure("yarn.lock is not a mapping", 1)
    lines = Lines(text)
    by_descriptor: dict[str, str] = {}
    workspace_deps: list[str] = []
    blocks: list[tuple[str, list[str], dict[str, Any]]] = []
    for header, raw in data.items():
        if header == "__metadata" or not isinstance(raw, dict):
            continue
        descriptors = [d.strip() for d in str(header).split(",")]
        resolution = as_str(raw.get("resolution")) or descriptors[0]
        name, ref = split_descriptor(resolution)
        protocol = ref.split(":", 1)[0] if ":" in ref else "npm"
        if protocol == "workspace":
            # The project (or a workspace member): its dependencies are the direct ones.
            for n, r in as_dict(raw.get("dependencies")).items():
                workspace_deps.append(f"{n}@{r}")
            continue
        key = f"{name}@{raw.get('version')}"
        for d in descriptors:
            by_descriptor[d] = key
        blocks.append((str(header), descriptors, raw))
    entries: dict[str, PackageEntry] = {}
    for header, descriptors, raw in blocks:
        resolution = as_str(raw.get("resolution")) or descriptors[0]
        name, ref = split_descriptor(resolution)
        protocol = ref.split(":", 1)[0] if ":" in ref else "npm"
        version = str(raw.get("version")) if raw.get("version") is not None else None
        key = f"{name}@{version}"
        deps = {
            by_descriptor[f"{n}@{r}"]
            for n, r in as_dict(raw.get("dependencies")).items()
            if f"{n}@{r}" in by_descriptor
        }
        source = _PROTOCOL_SOURCE.get(protocol, Source.URL)
        line = lines.find(rf'^"?{re.escape(header.split(",")[0])}')
        seen = entries.get(key)
        entries[key] = PackageEntry(
            key=key,
            ecosystem="npm",
            name=name,
            version=version,
            line=seen.line if seen else line,
            depends_on=tuple(sorted(deps | set(seen.depends_on if seen else ()))),
            source=source.value,
            download_url=ref if source is not Source.REGISTRY else None,
            direct=False,
            descriptors=tuple(sorted(set(descriptors) | set(seen.descriptors if seen else ()))),
        )
    direct = {by_descriptor[d] for d in workspace_deps if d in by_descriptor}
    final = tuple(PackageEntry(**{**e.__dict__, "direct": e.key in direct}) for e in entries.values())
    return ParsedFile(path=path, format="yarn.lock", ecosystem="npm", is_lock=True, entries=final, states_direct=True)


# ---------------------------------------------------------------- pnpm-lock.yaml


def _without_peers(value: str) -> str:
    """``1.0.0(react@18)(x@1)`` -> ``1.0.0``: from the first "(" when the value ends with ")".

    (The regex ``\\(.*\\)$`` did this in O(n**2) on a value of many "(" and no ")".)
    """
    if value.endswith(")") and "(" in value:
        return value[: value.index("(")]
    return value


def _pnpm_key(raw: str, version_5: bool) -> tuple[str, str] | None:
    """A packages/snapshots key as (name, version): ``name@1.0.0(peer@2)``, ``/name@1.0.0``, ``/name/1.0.0``."""
    key = _without_peers(raw.strip())
    key = key.lstrip("/")
    if version_5 and "/" in key:
        # v5: "/@scope/name/1.0.0_peer@1", "/name/1.0.0", "registry.npmjs.org/name/1.0.0"
        segments = key.split("/")
        version = segments[-1].split("_", 1)[0]
        if re.match(r"^\d", version):
            head = segments[:-1]
            if head and "." in head[0] and not head[0].startswith("@"):
                head = head[1:]  # a registry host
            return "/".join(head), version
    name, version = split_descriptor(key)
    if not version:
        return None
    return name, version


def parse_pnpm_lock(path: str, text: str) -> ParsedFile:
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise ParseFailure("pnpm-lock.yaml is not a mapping", 1)
    lines = Lines(text)
    lock_version = str(data.get("lockfileVersion", ""))
    version_5 = lock_version.startswith("5")
    packages = as_dict(data.get("packages"))
    snapshots = as_dict(data.get("snapshots")) or packages  # v9 splits graph (snapshots) from metadata
    problems: list[ParseProblem] = []

    def ref_key(name: str, ref: Any) -> str | None:
        """A dependency reference (``1.0.0(peer@2)``, ``/other/1.0.0``, ``link:../x``) as an entry key."""
        value = str(ref)
        if value.startswith(("link:", "file:", "workspace:")):
            return None
        value = _without_peers(value).split("_", 1)[0] if version_5 else _without_peers(value)
        if value.startswith("/") or "@" in value.lstrip("@"):
            parsed = _pnpm_key(value, version_5)
            return f"{parsed[0]}@{parsed[1]}" if parsed else None
        return f"{name}@{value}"

    infos: dict[str, dict[str, Any]] = {}
    edges: dict[str, set[str]] = defaultdict(set)
    for raw_key, raw in packages.items():
        parsed = _pnpm_key(str(raw_key), version_5)
        if parsed is None:
            problems.append(
                ParseProblem(f"cannot read the package key '{raw_key}'", lines.find(re.escape(str(raw_key))))
            )
            continue
        infos.setdefault(f"{parsed[0]}@{parsed[1]}", {"raw": str(raw_key), **as_dict(raw)})
    for raw_key, raw in snapshots.items():
        parsed = _pnpm_key(str(raw_key), version_5)
        if parsed is None:
            continue
        key = f"{parsed[0]}@{parsed[1]}"
        for table in ("dependencies", "optionalDependencies"):
            for n, ref in as_dict(as_dict(raw).get(table)).items():
                target = ref_key(n, ref)
                if target is not None:
                    edges[key].add(target)

    importers = as_dict(data.get("importers"))
    if not importers:  # v5/v6 single project: the tables sit at the top level
        importers = {".": {t: data.get(t) for t in ("dependencies", "devDependencies", "optionalDependencies")}}
    direct: dict[str, str] = {}
    for importer in importers.values():
        for table, scope in (("dependencies", RUNTIME), ("optionalDependencies", OPTIONAL), ("devDependencies", DEV)):
            for n, ref in as_dict(as_dict(importer).get(table)).items():
                version = as_dict(ref).get("version") if isinstance(ref, dict) else ref
                target = ref_key(n, version)
                if target is not None:
                    direct.setdefault(target, scope)

    entries: list[PackageEntry] = []
    for key, info in infos.items():
        name, _, version = key.rpartition("@")
        resolution = as_dict(info.get("resolution"))
        tarball = as_str(resolution.get("tarball"))
        repo = as_str(resolution.get("repo"))
        source = Source.GIT if repo or resolution.get("type") == "git" else Source.URL if tarball else Source.REGISTRY
        if resolution.get("type") == "directory":
            source = Source.PATH
        stated: str | None = None
        if info.get("dev") is True:  # v5/v6 mark dev packages
            stated = DEV
        elif info.get("dev") is False:
            stated = OPTIONAL if info.get("optional") is True else RUNTIME
        entries.append(
            PackageEntry(
                key=key,
                ecosystem="npm",
                name=name,
                version=version,
                scope=direct.get(key, stated),
                direct=key in direct,
                line=lines.find(rf"^\s+['\"]?/?{re.escape(info['raw'])}['\"]?:"),
                hashes=integrity_hashes(resolution.get("integrity")),
                depends_on=tuple(sorted(edges.get(key, set()) & set(infos))),
                source=source.value,
                download_url=repo or tarball,
            )
        )
    return ParsedFile(
        path=path,
        format="pnpm-lock.yaml",
        ecosystem="npm",
        is_lock=True,
        entries=tuple(entries),
        problems=tuple(problems),
        states_direct=True,
    )
