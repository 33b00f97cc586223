"""The dependency detector: manifests and lock files -> components with licenses.

1. find manifests in the inventory (not under node_modules, test fixtures or vendored
   folders), follow ``-r`` includes of requirements files;
2. parse each (cached by content hash and file name; a malformed file gives a
   ``ManifestProblem`` with its line and whatever could be read);
3. build the graph (``graph.py``), add what an installed environment says
   (``--python-env``), and resolve licenses (``resolve.py``).

Options (``ScanOptions.detector_options``): ``python_env`` (a path), ``offline`` (bool;
``OSCHECK_OFFLINE=1`` also turns it on).
"""

from __future__ import annotations

import dataclasses
import posixpath
import time
from pathlib import Path
from typing import ClassVar

from oscheck.detectors.dependencies.entries import (
    PARSE_FORMAT,
    ManifestProblem,
    PackageEntry,
    PackageManifest,
    ParsedFile,
    ParseFailure,
    ParseProblem,
)
from oscheck.detectors.dependencies.graph import build_components, entry_purl
from oscheck.detectors.dependencies.license_names import LicenseNames, load_license_names
from oscheck.detectors.dependencies.parsers import ManifestType, manifest_type, requirements_type
from oscheck.detectors.dependencies.python_env import PythonEnvironment, apply_environment
from oscheck.detectors.dependencies.registries import RegistryResolver, offline_from_env
from oscheck.detectors.dependencies.resolve import resolve_licenses
from oscheck.detectors.interface import DetectContext, Detector
from oscheck.model import FileKind, FileOrigin, FileRecord, Location, Observation


class DependencyDetector(Detector):
    """Declared and locked dependencies of every ecosystem oscheck reads."""

    id: ClassVar[str] = "dependencies"
    group: ClassVar[str] = "dependencies"

    @property
    def namespace(self) -> str:
        return f"dependencies-parse:{PARSE_FORMAT}"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        started = time.monotonic()
        found = self._manifests(ctx)
        parsed, hits = self._parse(ctx, found)
        out: list[Observation] = []
        names = self._names(ctx)
        for pf in parsed:
            out.append(
                PackageManifest(
                    detector=self.id,
                    location=Location(pf.path, pf.project.line if pf.project else None),
                    format=pf.format,
                    ecosystem=pf.ecosystem,
                    is_lock=pf.is_lock,
                    name=pf.project.name if pf.project else None,
                    version=pf.project.version if pf.project else None,
                    license=pf.project.license if pf.project else None,
                    spdx=names.to_spdx(pf.project.license).spdx if pf.project else None,
                    packages=len(pf.entries),
                )
            )
            for problem in pf.problems:
                out.append(
                    ManifestProblem(
                        detector=self.id,
                        location=Location(pf.path, problem.line),
                        format=pf.format,
                        problem=problem.message,
                    )
                )
        components = build_components(parsed)
        env_path = ctx.options.get("python_env")
        env = PythonEnvironment.open(Path(env_path)) if env_path else None
        if env is not None:
            components = apply_environment(components, env)
        offline = bool(ctx.options.get("offline")) or offline_from_env()
        registry = RegistryResolver(ctx.cache, offline=offline)
        components, unresolved = resolve_licenses(components, names, registry, env)
        out.extend(components)
        out.extend(unresolved)
        ctx.stats["dependencies"] = {
            "manifests": len(parsed),
            "parse_cache_hits": hits,
            "components": len(components),
            "unresolved_licenses": len(unresolved),
            "offline": offline,
            "registry": dict(registry.stats),
            "seconds": round(time.monotonic() - started, 3),
        }
        return out

    def _names(self, ctx: DetectContext) -> LicenseNames:
        if ctx.policy_dir is None:
            return LicenseNames({}, {}, frozenset())
        return load_license_names(ctx.policy_dir)

    def _manifests(self, ctx: DetectContext) -> list[tuple[FileRecord, ManifestType]]:
        """Manifest files of the inventory, plus requirements files they include."""
        found: dict[str, tuple[FileRecord, ManifestType]] = {}
        for record in ctx.inventory.scannable():
            if record.kind is not FileKind.TEXT or record.origin is FileOrigin.VENDORED:
                continue
            mt = manifest_type(record.path)
            if mt is not None:
                found[record.path] = (record, mt)
        return [found[p] for p in sorted(found)]

    def _parse(self, ctx: DetectContext, files: list[tuple[FileRecord, ManifestType]]) -> tuple[list[ParsedFile], int]:
        """Parse every file (cache first); follow requirements ``-r`` includes inside the tree."""
        keys = {r.path: f"{r.sha256}:{posixpath.basename(r.path)}" for r, _ in files}
        cached = ctx.cache.get_many(self.namespace, keys.values())
        hits = 0
        parsed: dict[str, ParsedFile] = {}
        fresh: dict[str, object] = {}
        queue = list(files)
        while queue:
            record, mt = queue.pop(0)
            if record.path in parsed:
                continue
            key = f"{record.sha256}:{posixpath.basename(record.path)}"
            hit = cached.get(key)
            if isinstance(hit, dict):
                try:
                    pf = ParsedFile.from_json(record.path, hit)
                    hits += 1
                except (KeyError, TypeError, ValueError):
                    pf = self._parse_one(ctx, record, mt)
                    fresh[key] = pf.to_json()
            else:
                pf = self._parse_one(ctx, record, mt)
                fresh[key] = pf.to_json()
            parsed[record.path] = pf
            for include in pf.includes:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(record.path), include))
                included = ctx.inventory.get(target)
                if included is not None and included.is_scannable and target not in parsed:
                    queue.append((included, requirements_type()))
                    cached.update(
                        ctx.cache.get_many(self.namespace, [f"{included.sha256}:{posixpath.basename(target)}"])
                    )
        ctx.cache.put_many(self.namespace, fresh)
        return [parsed[p] for p in sorted(parsed)], hits

    def _parse_one(self, ctx: DetectContext, record: FileRecord, mt: ManifestType) -> ParsedFile:
        text = ctx.inventory.read(record).decode("utf-8", errors="replace")
        try:
            return _bounded(_nameable(mt.parse(record.path, text)))
        except ParseFailure as exc:
            return ParsedFile(
                path=record.path,
                format=mt.format,
                ecosystem=mt.ecosystem,
                is_lock=False,
                problems=(ParseProblem(exc.message, exc.line),),
            )
        except RecursionError:
            return ParsedFile(
                path=record.path,
                format=mt.format,
                ecosystem=mt.ecosystem,
                is_lock=False,
                problems=(ParseProblem("nested too deeply to read", None),),
            )


def _nameable(pf: ParsedFile) -> ParsedFile:
    """Drop entries no package URL can name (``"" = "1"`` in Cargo.toml), each as a problem."""
    kept: list[PackageEntry] = []
    problems = list(pf.problems)
    for e in pf.entries:
        try:
            entry_purl(e)
        except ValueError as exc:
            problems.append(ParseProblem(f"package {e.name!r} cannot be listed: {exc}", e.line))
            continue
        kept.append(e)
    if len(kept) == len(pf.entries):
        return pf
    return dataclasses.replace(pf, entries=tuple(kept), problems=tuple(problems))


MAX_PROBLEMS_PER_FILE = 20


def _bounded(pf: ParsedFile) -> ParsedFile:
    """At most 20 problems a file: a 500,000-line file of garbage is one broken file, not 500,000 findings."""
    if len(pf.problems) <= MAX_PROBLEMS_PER_FILE:
        return pf
    rest = len(pf.problems) - MAX_PROBLEMS_PER_FILE
    more = ParseProblem(f"... and {rest:,} more lines that are not what the format allows", None)
    return dataclasses.replace(pf, problems=(*pf.problems[:MAX_PROBLEMS_PER_FILE], more))
