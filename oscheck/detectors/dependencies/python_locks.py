"""Python lock files: poetry.lock, uv.lock, Pipfile.lock.

Lock files pin every package that gets installed, transitive ones included; poetry.lock
and uv.lock also give the edges (``[package.dependencies]``, ``dependencies = [...]``).
The hash kept for a package is its source distribution's SHA-256: a lock lists one hash
per wheel and platform, and only the sdist is "the package" on every platform.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, ParseProblem, Source
from oscheck.detectors.dependencies.purls import pypi_name
from oscheck.detectors.dependencies.python_manifests import DEV, OPTIONAL, RUNTIME, exact_version
from oscheck.detectors.dependencies.textutil import Lines, as_dict, as_list, as_str, load_json, load_toml

_SHA256 = re.compile(r"^sha256:([0-9a-fA-F]{64})$")


def _sha256(value: Any) -> tuple[tuple[str, str], ...]:
    m = _SHA256.match(value) if isinstance(value, str) else None
    return (("SHA-256", m.group(1).lower()),) if m else ()


def _package_lines(lines: Lines) -> list[int]:
    """Lines of every ``[[package]]`` header, in order (entries are matched by position)."""
    out: list[int] = []
    line = lines.find(r"^\[\[package\]\]")
    while line is not None:
        out.append(line)
        line = lines.find(r"^\[\[package\]\]", line + 1)
    return out


def _key(name: str, version: str | None) -> str:
    return f"{name}=={version}" if version else name


class _ByName:
    """Resolves a dependency name (and optional version) to the keys of locked packages."""

    def __init__(self, packages: list[tuple[str, str | None]]) -> None:
        self._keys: dict[str, list[str]] = defaultdict(list)
        for name, version in packages:
            self._keys[name].append(_key(name, version))

    def resolve(self, name: str, version: str | None = None) -> list[str]:
        keys = self._keys.get(pypi_name(name), [])
        if version is not None:
            exact = _key(pypi_name(name), version)
            return [exact] if exact in keys else keys
        return keys


# ---------------------------------------------------------------- poetry.lock


def parse_poetry_lock(path: str, text: str) -> ParsedFile:
    data = load_toml(text)
    lines = Lines(text)
    headers = _package_lines(lines)
    packages = [as_dict(p) for p in as_list(data.get("package"))]
    names = _ByName([(pypi_name(str(p.get("name", ""))), as_str(p.get("version"))) for p in packages])
    entries: list[PackageEntry] = []
    problems: list[ParseProblem] = []
    for i, p in enumerate(packages):
        line = headers[i] if i < len(headers) else None
        name = as_str(p.get("name"))
        version = as_str(p.get("version"))
        if not name or not version:
            problems.append(ParseProblem("a [[package]] without name or version", line))
            continue
        name = pypi_name(name)
        groups = [g for g in as_list(p.get("groups")) if isinstance(g, str)]
        category = as_str(p.get("category"))  # Poetry 1.x
        if groups:
            scope = RUNTIME if "main" in groups else DEV
        elif category:
            scope = RUNTIME if category == "main" else DEV
        else:
            scope = None
        if p.get("optional") is True and scope == RUNTIME:
            scope = OPTIONAL
        deps: list[str] = []
        for dep_name in as_dict(p.get("dependencies")):
            deps.extend(names.resolve(dep_name))
        source = as_dict(p.get("source"))
        kind = as_str(source.get("type"))
        origin = {"git": Source.GIT, "url": Source.URL, "file": Source.PATH, "directory": Source.PATH}.get(
            kind or "", Source.REGISTRY
        )
        sdist = [f for f in as_list(p.get("files")) if str(as_dict(f).get("file", "")).endswith((".tar.gz", ".zip"))]
        entries.append(
            PackageEntry(
                key=_key(name, version),
                ecosystem="pypi",
                name=name,
                version=version,
                scope=scope,
                line=line,
                hashes=_sha256(as_dict(sdist[0]).get("hash")) if sdist else (),
                depends_on=tuple(sorted(set(deps))),
                source=origin.value,
                download_url=as_str(source.get("url")) if origin is not Source.REGISTRY else None,
            )
        )
    return ParsedFile(
        path=path,
        format="poetry.lock",
        ecosystem="pypi",
        is_lock=True,
        entries=tuple(entries),
        problems=tuple(problems),
    )


# ---------------------------------------------------------------- uv.lock

# uv sources of packages that are the project's own code (workspace members).
_UV_FIRST_PARTY = {"editable", "virtual", "workspace"}


def parse_uv_lock(path: str, text: str) -> ParsedFile:
    data = load_toml(text)
    lines = Lines(text)
    headers = _package_lines(lines)
    packages = [as_dict(p) for p in as_list(data.get("package"))]
    names = _ByName([(pypi_name(str(p.get("name", ""))), as_str(p.get("version"))) for p in packages])
    extras: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for p in packages:
        if isinstance(p.get("name"), str):
            extras[_key(pypi_name(p["name"]), as_str(p.get("version")))] = {
                k: [as_dict(d) for d in as_list(v)] for k, v in as_dict(p.get("optional-dependencies")).items()
            }

    def targets(dep: dict[str, Any]) -> list[str]:
        # "requests[socks]" pulls in requests' optional dependencies for that extra. Each
        # (package, extra) is expanded once: extras that name the next package twice, or
        # each other, made the recursive walk exponential (a 5 KB uv.lock: 58 s, 1.1 GB).
        out: list[str] = []
        seen: set[tuple[str, str]] = set()
        todo = [dep]
        while todo:
            d = todo.pop()
            name = as_str(d.get("name"))
            if not name:
                continue
            keys = names.resolve(name, as_str(d.get("version")))
            out.extend(keys)
            for extra in as_list(d.get("extra")):
                for key in keys:
                    if (key, str(extra)) not in seen:
                        seen.add((key, str(extra)))
                        todo.extend(extras.get(key, {}).get(str(extra), []))
        return out

    entries: list[PackageEntry] = []
    problems: list[ParseProblem] = []
    direct: dict[str, str] = {}  # key -> scope, from the project's own packages
    for i, p in enumerate(packages):
        line = headers[i] if i < len(headers) else None
        name = as_str(p.get("name"))
        if not name:
            problems.append(ParseProblem("a [[package]] without a name", line))
            continue
        source = as_dict(p.get("source"))
        kind = next(iter(source), "registry")
        deps = [k for d in as_list(p.get("dependencies")) for k in targets(as_dict(d))]
        if kind in _UV_FIRST_PARTY:
            for k in deps:
                direct.setdefault(k, RUNTIME)
            for group in as_dict(p.get("optional-dependencies")).values():
                for d in as_list(group):
                    for k in targets(as_dict(d)):
                        direct.setdefault(k, OPTIONAL)
            for group in as_dict(p.get("dev-dependencies")).values():
                for d in as_list(group):
                    for k in targets(as_dict(d)):
                        direct.setdefault(k, DEV)
            continue
        version = as_str(p.get("version"))
        origin = {"git": Source.GIT, "url": Source.URL, "path": Source.PATH, "directory": Source.PATH}.get(
            kind, Source.REGISTRY
        )
        entries.append(
            PackageEntry(
                key=_key(pypi_name(name), version),
                ecosystem="pypi",
                name=pypi_name(name),
                version=version,
                line=line,
                hashes=_sha256(as_dict(p.get("sdist")).get("hash")),
                depends_on=tuple(sorted(set(deps))),
                source=origin.value,
                download_url=as_str(source.get(kind)) if origin is not Source.REGISTRY else None,
            )
        )
    # Scopes of transitive packages are left to the graph step (propagated from these).
    final: list[PackageEntry] = []
    for e in entries:
        scope = direct.get(e.key)
        final.append(PackageEntry(**{**e.__dict__, "direct": scope is not None, "scope": scope}))
    return ParsedFile(
        path=path,
        format="uv.lock",
        ecosystem="pypi",
        is_lock=True,
        entries=tuple(final),
        problems=tuple(problems),
        states_direct=True,
    )


# ---------------------------------------------------------------- Pipfile.lock


def parse_pipfile_lock(path: str, text: str) -> ParsedFile:
    data = load_json(text)
    if not isinstance(data, dict):
        return ParsedFile(
            path=path,
            format="Pipfile.lock",
            ecosystem="pypi",
            is_lock=True,
            problems=(ParseProblem("Pipfile.lock is not a JSON object", 1),),
        )
    lines = Lines(text)
    found: dict[str, PackageEntry] = {}
    for section, scope in (("default", RUNTIME), ("develop", DEV)):
        start = lines.find_key(section) or 1
        for raw_name, spec in as_dict(data.get(section)).items():
            spec = as_dict(spec)
            name = pypi_name(raw_name)
            version = exact_version(as_str(spec.get("version")) or "")
            source = Source.REGISTRY
            if "git" in spec:
                source = Source.GIT
            elif "path" in spec or "file" in spec:
                source = Source.PATH if "path" in spec else Source.URL
            key = _key(name, version)
            if key in found:  # in default and develop: the runtime entry stays
                continue
            found[key] = PackageEntry(
                key=key,
                ecosystem="pypi",
                name=name,
                version=version,
                scope=scope,
                line=lines.find_key(raw_name, start),
                source=source.value,
                download_url=as_str(spec.get("git")) or as_str(spec.get("file")),
            )
    return ParsedFile(path=path, format="Pipfile.lock", ecosystem="pypi", is_lock=True, entries=tuple(found.values()))
