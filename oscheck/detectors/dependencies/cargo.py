"""Rust: Cargo.toml (manifest, workspace) and Cargo.lock (versions 1 to 4).

Cargo.lock pins every crate with its registry checksum (SHA-256 of the ``.crate`` file)
and lists each crate's dependencies. Packages without a ``source`` are the workspace's
own crates: their dependencies are the direct ones. Whether a direct dependency is a
dev or build dependency is only in Cargo.toml; the graph step takes it from there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, ParseProblem, ProjectInfo, Source
from oscheck.detectors.dependencies.textutil import Lines, as_dict, as_list, as_str, load_toml
from oscheck.model import DependencyScope

RUNTIME = DependencyScope.RUNTIME.value
DEV = DependencyScope.DEV.value
OPTIONAL = DependencyScope.OPTIONAL.value
_TABLES = (("dependencies", RUNTIME), ("build-dependencies", DEV), ("dev-dependencies", DEV))


def parse_cargo_toml(path: str, text: str) -> ParsedFile:
    data = load_toml(text)
    lines = Lines(text)
    entries: dict[str, PackageEntry] = {}

    def tables() -> Iterator[tuple[str, str, dict[str, Any]]]:
        for table, scope in _TABLES:
            yield table, scope, as_dict(data.get(table))
        for target, body in as_dict(data.get("target")).items():
            for table, scope in _TABLES:
                yield f"target.{target}.{table}", scope, as_dict(as_dict(body).get(table))
        yield "workspace.dependencies", RUNTIME, as_dict(as_dict(data.get("workspace")).get("dependencies"))

    for section, scope, deps in tables():
        start = lines.find(rf"^\s*\[{re.escape(section.split('.')[0])}") or 1
        for key, spec in deps.items():
            table = as_dict(spec)
            name = as_str(table.get("package")) or key  # renamed: foo = { package = "bar" }
            requirement = spec if isinstance(spec, str) else as_str(table.get("version"))
            source = Source.REGISTRY
            if "git" in table:
                source = Source.GIT
            elif "path" in table:
                source = Source.PATH
            entry_scope = OPTIONAL if table.get("optional") is True and scope == RUNTIME else scope
            rank = {RUNTIME: 0, OPTIONAL: 1, DEV: 2}
            seen = entries.get(name)
            if seen is not None and rank[seen.scope or RUNTIME] <= rank[entry_scope]:
                continue
            version = requirement[1:].strip() if requirement and requirement.startswith("=") else None
            entries[name] = PackageEntry(
                key=name,
                ecosystem="cargo",
                name=name,
                version=version,
                requirement=requirement,
                scope=entry_scope,
                direct=True,
                line=lines.find_key(key, start),
                source=source.value,
                download_url=as_str(table.get("git")),
            )
    package = as_dict(data.get("package"))
    project_name = as_str(package.get("name"))
    info = (
        ProjectInfo(
            project_name, as_str(package.get("version")), as_str(package.get("license")), lines.find_key("name")
        )
        if project_name
        else None
    )
    return ParsedFile(
        path=path, format="Cargo.toml", ecosystem="cargo", is_lock=False, entries=tuple(entries.values()), project=info
    )


def parse_cargo_lock(path: str, text: str) -> ParsedFile:
    data = load_toml(text)
    lines = Lines(text)
    headers: list[int] = []
    line = lines.find(r"^\[\[package\]\]")
    while line is not None:
        headers.append(line)
        line = lines.find(r"^\[\[package\]\]", line + 1)
    packages = [as_dict(p) for p in as_list(data.get("package"))]
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in packages:
        by_name[str(p.get("name"))].append(f"{p.get('name')}@{p.get('version')}")

    def resolve(dep: str) -> list[str]:
        parts = dep.split()
        if len(parts) >= 2:
            key = f"{parts[0]}@{parts[1]}"
            return [key] if key in by_name.get(parts[0], []) else []
        return by_name.get(parts[0], []) if parts else []

    problems: list[ParseProblem] = []
    entries: list[PackageEntry] = []
    direct: set[str] = set()
    # Cargo.lock v1 kept checksums in [metadata] "checksum name version (source)" keys.
    old_sums = {
        " ".join(k.split()[1:3]): v
        for k, v in as_dict(data.get("metadata")).items()
        if k.startswith("checksum ") and isinstance(v, str)
    }
    for i, p in enumerate(packages):
        line = headers[i] if i < len(headers) else None
        name, version = as_str(p.get("name")), as_str(p.get("version"))
        if not name or not version:
            problems.append(ParseProblem("a [[package]] without name or version", line))
            continue
        deps = sorted({k for d in as_list(p.get("dependencies")) if isinstance(d, str) for k in resolve(d)})
        source = as_str(p.get("source"))
        if source is None:  # a workspace member: first-party
            direct.update(deps)
            continue
        checksum = as_str(p.get("checksum")) or old_sums.get(f"{name} {version}")
        origin = Source.GIT if source.startswith("git+") else Source.REGISTRY
        entries.append(
            PackageEntry(
                key=f"{name}@{version}",
                ecosystem="cargo",
                name=name,
                version=version,
                line=line,
                hashes=(("SHA-256", checksum.lower()),)
                if checksum and re.fullmatch(r"[0-9a-fA-F]{64}", checksum)
                else (),
                depends_on=tuple(deps),
                source=origin.value,
                download_url=source.removeprefix("git+") if origin is Source.GIT else None,
            )
        )
    final = tuple(PackageEntry(**{**e.__dict__, "direct": e.key in direct}) for e in entries)
    return ParsedFile(
        path=path,
        format="Cargo.lock",
        ecosystem="cargo",
        is_lock=True,
        entries=final,
        problems=tuple(problems),
        states_direct=True,
    )
