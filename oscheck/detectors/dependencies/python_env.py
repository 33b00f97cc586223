"""An installed Python environment (``--python-env PATH``) as a source of versions, edges and licenses.

Like pip-licenses, oscheck reads each installed distribution's ``*.dist-info/METADATA``
(or ``*.egg-info/PKG-INFO``): ``License-Expression`` (PEP 639), ``License`` and the
``License ::`` classifiers, plus ``Requires-Dist`` for the graph. Nothing is imported or
run; the environment is read as files.

What it adds to the manifests:

* a dependency declared as a range (``requests>=2.31``) gets the installed version;
* for dependencies declared without a lock file, the installed dependency closure
  (``Requires-Dist`` with markers evaluated for that environment) becomes the transitive
  part of the graph, as ``pip install`` resolved it;
* licenses, for every installed name and version that matches a component.
"""

from __future__ import annotations

import email.parser
import email.policy
import posixpath
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName, default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from oscheck.detectors.dependencies.purls import purl_for, pypi_name
from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.model import Component, DependencyScope, Location

_LOCKS = {"uv.lock", "poetry.lock", "Pipfile.lock"}
_RANK = {DependencyScope.RUNTIME: 0, DependencyScope.OPTIONAL: 1, DependencyScope.DEV: 2}


@dataclass(frozen=True)
class Distribution:
    name: str  # PEP 503 normalised
    version: str
    license_expression: str | None
    license: str | None
    classifiers: tuple[str, ...]
    requires: tuple[str, ...]
    metadata_path: str

    def facts(self) -> dict[str, Any]:
        """The same fields a PyPI answer gives, so one function maps both."""
        return {
            "license_expression": self.license_expression,
            "license": self.license,
            "classifiers": [c for c in self.classifiers if c.startswith("License ::")],
        }


class PythonEnvironment:
    """The distributions installed in a virtual environment or a site-packages folder."""

    def __init__(self, root: Path, site_dirs: list[Path], python_version: str | None) -> None:
        self.root = root
        self.site_dirs = site_dirs
        self.python_version = python_version
        self.distributions: dict[str, Distribution] = {}
        for site in site_dirs:
            for meta in sorted([*site.glob("*.dist-info/METADATA"), *site.glob("*.egg-info/PKG-INFO")]):
                dist = _read_metadata(meta)
                if dist is not None:
                    self.distributions.setdefault(dist.name, dist)

    @classmethod
    def open(cls, path: Path) -> PythonEnvironment:
        """A venv root (``lib/pythonX.Y/site-packages``), or a site-packages folder itself."""
        root = path.expanduser()
        if not root.is_dir():
            raise InputError(_("--python-env {path}: not a folder", path=path))
        candidates = [root] if any(root.glob("*.dist-info")) else []
        candidates += sorted(p for p in root.glob("lib*/python*/site-packages") if p.is_dir())
        candidates += [p for p in (root / "Lib" / "site-packages",) if p.is_dir()]
        if not candidates:
            raise InputError(
                _(
                    "--python-env {path}: no site-packages folder with installed packages; give a virtual environment's folder",
                    path=path,
                )
            )
        version = _python_version(root, candidates)
        return cls(root, candidates, version)

    def get(self, name: str) -> Distribution | None:
        return self.distributions.get(pypi_name(name))

    def marker_environment(self, extra: str = "") -> dict[str, str]:
        env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
        if self.python_version:
            env["python_full_version"] = self.python_version
            env["python_version"] = ".".join(self.python_version.split(".")[:2])
        env["extra"] = extra
        return env

    def requirements_of(self, dist: Distribution, extras: Iterable[str] = ()) -> list[tuple[str, frozenset[str]]]:
        """(name, extras) of the distributions ``dist`` needs in this environment."""
        out: list[tuple[str, frozenset[str]]] = []
        for raw in dist.requires:
            try:
                req = Requirement(raw)
            except InvalidRequirement:
                continue
            if req.marker is not None and not _marker_true(req.marker, self, ("", *extras)):
                continue
            out.append((pypi_name(req.name), frozenset(req.extras)))
        return out


def _marker_true(marker: Marker, env: PythonEnvironment, extras: Iterable[str]) -> bool:
    for extra in extras:
        try:
            if marker.evaluate(env.marker_environment(extra)):
                return True
        except (UndefinedComparison, UndefinedEnvironmentName, InvalidMarker):
            return False
    return False


def _python_version(root: Path, sites: list[Path]) -> str | None:
    cfg = root / "pyvenv.cfg"
    if cfg.is_file():
        for line in cfg.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() in ("version_info", "version") and re.match(r"^\d+\.\d+", value.strip()):
                return value.strip()
    for site in sites:
        m = re.search(r"python(\d+\.\d+)", site.as_posix())
        if m:
            return m.group(1)
    return None


def _read_metadata(path: Path) -> Distribution | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # Only the headers: the body is the long description.
    msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(data)
    name, version = msg.get("Name"), msg.get("Version")
    if not name or not version:
        return None
    return Distribution(
        name=pypi_name(str(name)),
        version=str(version).strip(),
        license_expression=_header(msg.get("License-Expression")),
        license=_header(msg.get("License")),
        classifiers=tuple(str(c).strip() for c in msg.get_all("Classifier") or []),
        requires=tuple(str(r).strip() for r in msg.get_all("Requires-Dist") or []),
        metadata_path=path.as_posix(),
    )


def _header(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text if text and text.upper() != "UNKNOWN" else None


def _satisfies(requirement: str | None, name: str, version: str) -> bool:
    if not requirement:
        return True
    try:
        spec = Requirement(name + requirement).specifier
        return spec.contains(Version(version), prereleases=True)
    except (InvalidRequirement, InvalidVersion):
        return False


def _extras(requirement: str | None) -> frozenset[str]:
    m = re.match(r"^\[([^\]]*)\]", requirement or "")
    return frozenset(e.strip() for e in m.group(1).split(",") if e.strip()) if m else frozenset()


def apply_environment(components: list[Component], env: PythonEnvironment) -> list[Component]:
    """Pin unversioned Python components to what is installed, and add the installed closure
    of dependencies that came without a lock file."""
    out: dict[str, Component] = {}
    roots: list[tuple[Component, frozenset[str]]] = []
    for c in components:
        if c.ecosystem != "pypi":
            out[c.purl] = c
            continue
        dist = env.get(c.name)
        from_lock = posixpath.basename(c.manifest or "") in _LOCKS
        if dist is not None and c.version is None and _satisfies(c.requirement, c.name, dist.version):
            c = replace(c, version=dist.version, purl=purl_for("pypi", c.name, dist.version))
        out[c.purl] = out.get(c.purl, c)
        if dist is not None and c.version == dist.version and not from_lock:
            roots.append((c, _extras(c.requirement)))
    # Walk Requires-Dist from the lock-less roots, strongest scope first.
    edges: dict[str, set[str]] = {}
    best: dict[str, DependencyScope] = {}
    queue: deque[tuple[str, frozenset[str], DependencyScope]] = deque()
    for c, extras in sorted(roots, key=lambda r: _RANK[r[0].scope]):
        queue.append((c.name, extras, c.scope))
    seen: set[tuple[str, frozenset[str]]] = set()
    while queue:
        name, extras, scope = queue.popleft()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        dist = env.get(name)
        if dist is None:
            continue
        parent = purl_for("pypi", dist.name, dist.version)
        for child_name, child_extras in env.requirements_of(dist, extras):
            child = env.get(child_name)
            if child is None:
                continue
            child_purl = purl_for("pypi", child.name, child.version)
            edges.setdefault(parent, set()).add(child_purl)
            if child_purl not in best or _RANK[scope] < _RANK[best[child_purl]]:
                best[child_purl] = scope
            queue.append((child.name, child_extras, scope))
    for purl, scope in best.items():
        if purl in out:
            continue
        dist = next(d for d in env.distributions.values() if purl_for("pypi", d.name, d.version) == purl)
        out[purl] = Component(
            detector="dependencies",
            location=Location(),
            ecosystem="pypi",
            name=dist.name,
            version=dist.version,
            purl=purl,
            scope=scope,
            direct=False,
            manifest=None,
        )
    for parent, children in edges.items():
        if parent in out:
            c = out[parent]
            out[parent] = replace(c, depends_on=tuple(sorted(set(c.depends_on) | (children - {parent}))))
    return sorted(out.values(), key=lambda c: c.purl)
