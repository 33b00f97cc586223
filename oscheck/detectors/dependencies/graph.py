"""From parsed files to components: pair manifests with lock files, mark direct
dependencies, propagate scopes along the graph, and merge duplicates by purl.

* A lock file covers the manifests of its ecosystem in its folder and below (workspaces):
  the lock gives versions and edges, the manifest says which packages are direct and
  whether they are dev dependencies when the lock does not.
* A scope the lock states (npm ``dev``, Poetry groups, Pipfile sections) is kept; other
  packages get the strongest scope of a path from a direct dependency: runtime, then
  optional, then dev. A package nothing reaches is counted as runtime (it ships unless
  something says otherwise).
* A manifest without a lock gives its entries as they are; only exact pins have versions.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, Source
from oscheck.detectors.dependencies.purls import purl_for
from oscheck.model import Component, DependencyScope, Location
from oscheck.sources import redact_text, redact_url

_RANK = {DependencyScope.RUNTIME.value: 0, DependencyScope.OPTIONAL.value: 1, DependencyScope.DEV.value: 2}

# Which manifests a lock file format speaks for (requirements files and poms have no lock).
_COVERS: dict[str, frozenset[str]] = {
    "uv.lock": frozenset({"pyproject.toml", "setup.cfg"}),
    "poetry.lock": frozenset({"pyproject.toml"}),
    "Pipfile.lock": frozenset({"Pipfile"}),
    "package-lock.json": frozenset({"package.json"}),
    "npm-shrinkwrap.json": frozenset({"package.json"}),
    "yarn.lock": frozenset({"package.json"}),
    "pnpm-lock.yaml": frozenset({"package.json"}),
    "Cargo.lock": frozenset({"Cargo.toml"}),
    "go.mod": frozenset(),
}


@dataclass
class _Project:
    lock: ParsedFile | None
    manifests: list[ParsedFile]


def _ancestors(path: str) -> list[str]:
    folder = posixpath.dirname(path)
    out = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        out.append(folder)
    return out


def _group(files: Iterable[ParsedFile]) -> list[_Project]:
    files = sorted(files, key=lambda f: f.path)
    locks = [f for f in files if f.is_lock]
    by_folder: dict[str, list[ParsedFile]] = defaultdict(list)
    for lock in locks:
        by_folder[posixpath.dirname(lock.path)].append(lock)
    projects = {lock.path: _Project(lock, []) for lock in locks}
    for f in files:
        if f.is_lock:
            continue
        owner = None
        for folder in _ancestors(f.path):
            owner = next((lk for lk in by_folder.get(folder, []) if f.format in _COVERS.get(lk.format, ())), None)
            if owner is not None:
                break
        if owner is None:
            projects[f.path] = _Project(None, [f])
        else:
            projects[owner.path].manifests.append(f)
    return [projects[k] for k in sorted(projects)]


def _manifest_scopes(manifests: list[ParsedFile]) -> dict[str, tuple[str, PackageEntry]]:
    """name -> (strongest scope, entry) over the project's manifests."""
    out: dict[str, tuple[str, PackageEntry]] = {}
    for m in manifests:
        for e in m.entries:
            scope = e.scope or DependencyScope.RUNTIME.value
            seen = out.get(e.name)
            if seen is None or _RANK[scope] < _RANK[seen[0]]:
                out[e.name] = (scope, e)
    return out


def _lock_roots(lock: ParsedFile, manifests: list[ParsedFile]) -> dict[str, str]:
    """key -> scope of the project's direct dependencies among the lock's entries."""
    wanted = _manifest_scopes(manifests)
    roots: dict[str, str] = {}
    if lock.states_direct:
        for e in lock.entries:
            if e.direct:
                scope = e.scope or (wanted[e.name][0] if e.name in wanted else DependencyScope.RUNTIME.value)
                roots[e.key] = scope
        return roots
    if wanted:
        by_name: dict[str, list[PackageEntry]] = defaultdict(list)
        for e in lock.entries:
            by_name[e.name].append(e)
        for name, (scope, m) in wanted.items():
            candidates = by_name.get(name, [])
            exact = [e for e in candidates if m.requirement and f"{name}@{m.requirement}" in e.descriptors]
            for e in exact or candidates:
                if e.key not in roots or _RANK[scope] < _RANK[roots[e.key]]:
                    roots[e.key] = scope
        return roots
    # A lock file alone: the packages nothing else depends on are the direct ones.
    targets = {t for e in lock.entries for t in e.depends_on}
    return {e.key: e.scope or DependencyScope.RUNTIME.value for e in lock.entries if e.key not in targets}


def _propagate(entries: list[PackageEntry], roots: dict[str, str]) -> dict[str, str]:
    by_key = {e.key: e for e in entries}
    best: dict[str, str] = {}
    for scope in sorted(set(roots.values()), key=_RANK.__getitem__):
        queue = deque(k for k, s in roots.items() if s == scope)
        while queue:
            key = queue.popleft()
            if key in best or key not in by_key:
                continue
            best[key] = scope
            queue.extend(by_key[key].depends_on)
    return best


def _url(url: str | None) -> str | None:
    """A URL from a manifest without any credentials in it (they must never reach an SBOM)."""
    return redact_url(url) if url else None


def entry_purl(e: PackageEntry) -> str:
    if e.source == Source.GIT.value:
        return purl_for(e.ecosystem, e.name, e.version, vcs_url=_url(e.download_url))
    if e.source == Source.URL.value:
        return purl_for(e.ecosystem, e.name, e.version, download_url=_url(e.download_url))
    return purl_for(e.ecosystem, e.name, e.version)


def _first_party(e: PackageEntry) -> bool:
    """A path dependency is the project's own code (a folder of the repository), not a component."""
    return e.source == Source.PATH.value


def _component(
    e: PackageEntry, path: str, scope: str, direct: bool, purls: dict[str, str], manifest_entry: PackageEntry | None
) -> Component:
    requirement = e.requirement or (manifest_entry.requirement if manifest_entry else None)
    requirement = redact_text(requirement) if requirement else None
    return Component(
        detector="dependencies",
        location=Location(path, e.line),
        ecosystem=e.ecosystem,
        name=e.name,
        version=e.version,
        purl=purls[e.key],
        scope=DependencyScope(scope),
        direct=direct,
        license_declared=e.license,
        download_url=_url(e.download_url),
        hashes=e.hashes,
        depends_on=tuple(sorted({purls[d] for d in e.depends_on if d in purls and purls[d] != purls[e.key]})),
        manifest=path,
        requirement=requirement,
    )


def build_components(files: Iterable[ParsedFile]) -> list[Component]:
    """Every dependency of every project in ``files``, one component per purl."""
    found: list[Component] = []
    for project in _group(files):
        if project.lock is not None:
            lock = project.lock
            entries = list(lock.entries)
            entries = [e for e in entries if not _first_party(e)]
            purls = {e.key: entry_purl(e) for e in entries}
            roots = _lock_roots(lock, project.manifests)
            reached = _propagate(entries, roots)
            wanted = _manifest_scopes(project.manifests)
            for e in entries:
                # reached[] holds a root's own scope, or a stronger one reached through another root.
                scope = e.scope or reached.get(e.key) or DependencyScope.RUNTIME.value
                manifest_entry = wanted.get(e.name, (None, None))[1] if e.key in roots else None
                found.append(_component(e, lock.path, scope, e.key in roots, purls, manifest_entry))
            # A manifest dependency the lock does not have (a stale lock) still counts.
            locked = {e.name for e in entries}
            for m in project.manifests:
                for e in m.entries:
                    if e.name not in locked and not _first_party(e):
                        purls_m = {e.key: entry_purl(e)}
                        found.append(_component(e, m.path, e.scope or "runtime", True, purls_m, None))
        else:
            for m in project.manifests:
                kept = [e for e in m.entries if not _first_party(e)]
                purls = {e.key: entry_purl(e) for e in kept}
                for e in kept:
                    scope = e.scope or DependencyScope.RUNTIME.value
                    found.append(_component(e, m.path, scope, e.direct is not False, purls, None))
    return merge_by_purl(found)


def merge_by_purl(components: Iterable[Component]) -> list[Component]:
    """One component per purl: the strongest scope, direct if direct anywhere, edges united.

    The first occurrence (in path order) keeps its location and manifest.
    """
    merged: dict[str, Component] = {}
    for c in components:
        seen = merged.get(c.purl)
        if seen is None:
            merged[c.purl] = c
            continue
        scope = seen.scope if _RANK[seen.scope.value] <= _RANK[c.scope.value] else c.scope
        merged[c.purl] = Component(
            detector=seen.detector,
            location=seen.location,
            ecosystem=seen.ecosystem,
            name=seen.name,
            version=seen.version,
            purl=seen.purl,
            scope=scope,
            direct=seen.direct or c.direct,
            license_declared=seen.license_declared or c.license_declared,
            download_url=seen.download_url or c.download_url,
            hashes=seen.hashes or c.hashes,
            depends_on=tuple(sorted(set(seen.depends_on) | set(c.depends_on))),
            manifest=seen.manifest,
            requirement=seen.requirement or c.requirement,
        )
    return sorted(merged.values(), key=lambda c: c.purl)
