"""License and copyright detection with scancode-toolkit, cached by content.

Per file, the same answers as ``scancode -l -c``: the same API functions with the CLI's
defaults, then the CLI's reference following ("see LICENSE" -> the LICENSE file's
license). What is new is around it:

* results are cached by content (SHA-256 plus the file's base name, which scancode reads),
  so an unchanged file is never scanned twice, in this repository or any other;
* identical files within a scan are scanned once;
* the index is loaded only when something is not cached, once, before the worker
  processes are forked (they share it copy-on-write);
* the largest files go first, so one slow file does not become the tail of the scan;
* a file that exceeds the time limit becomes an observation (and a finding), not a hang.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import multiprocessing
import posixpath
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from oscheck.detectors.interface import DetectContext, Detector
from oscheck.i18n import N_
from oscheck.model import FileOrigin, FileRecord, Location, Observation

log = logging.getLogger(__name__)

# Bump when the shape of cached values changes.
_CACHE_FORMAT = 1
TIMEOUT = 120.0


@dataclass(frozen=True)
class LicenseMatch:
    """One matched rule inside a detection (what scancode calls a match)."""

    expression: str  # scancode license keys
    spdx: str | None
    start_line: int
    end_line: int
    score: float
    matched_length: int
    match_coverage: float
    matcher: str
    rule: str
    from_file: str | None = None


@dataclass(frozen=True)
class LicenseDetectionRecord:
    """A group of matches that scancode concluded to one license expression."""

    expression: str | None
    spdx: str | None
    start_line: int
    end_line: int
    matches: tuple[LicenseMatch, ...]
    identifier: str


@dataclass(frozen=True, kw_only=True)
class FileLicense(Observation):
    """The licenses detected in one file (only files where something was detected)."""

    kind: ClassVar[str] = "file-license"
    expression: str | None  # scancode keys, e.g. "apache-2.0 AND mit"
    spdx: str | None  # the same as an SPDX expression (LicenseRef-scancode-… where no SPDX id)
    detections: tuple[LicenseDetectionRecord, ...]
    percentage_of_license_text: float
    origin: FileOrigin
    sha256: str


@dataclass(frozen=True, kw_only=True)
class CopyrightNotice(Observation):
    kind: ClassVar[str] = "copyright"
    statement: str
    holders: tuple[str, ...] = ()
    origin: FileOrigin = FileOrigin.FIRST_PARTY


@dataclass(frozen=True, kw_only=True)
class DetectionProblem(Observation):
    """A file a detector could not finish (time limit, parser crash)."""

    kind: ClassVar[str] = "detection-problem"
    problem: str
    seconds: float | None = None


def scancode_version() -> str:
    return importlib.metadata.version("scancode-toolkit")


def content_key(record: FileRecord) -> str:
    """What scancode's answer depends on: the bytes, the base name, a ``locale`` folder."""
    base = record.path.rsplit("/", 1)[-1]
    return f"{record.sha256}/{'L' if 'locale' in record.path else '-'}/{base}"


class ScancodeDetector(Detector):
    id: ClassVar[str] = "scancode"
    group: ClassVar[str] = "licenses"

    def namespace(self) -> str:
        from oscheck.detectors.scancode_accel import ACCEL_VERSION

        return f"scancode/{scancode_version()}/min0-nounknown-lc/{ACCEL_VERSION}/{_CACHE_FORMAT}"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        files = [f for f in ctx.inventory.scannable() if ctx.selected(f)]
        keys = {f.path: content_key(f) for f in files}
        namespace = self.namespace()
        started = time.monotonic()
        results = ctx.cache.get_many(namespace, keys.values())
        hits = len(results)
        missing: dict[str, FileRecord] = {}
        for f in files:
            if keys[f.path] not in results:
                missing.setdefault(keys[f.path], f)
        ctx.progress.start(N_("licenses"), len(files))
        ctx.progress.advance("licenses", sum(1 for f in files if keys[f.path] in results))
        if missing:
            fresh = self._scan(ctx, missing, keys, files)
            ctx.cache.put_many(namespace, {k: v for k, v in fresh.items() if "error" not in v})
            results.update(fresh)
        by_key_files = [(f, results[keys[f.path]]) for f in files if keys[f.path] in results]
        followed = self._follow_references(ctx, by_key_files, keys, results)
        ctx.progress.finish("licenses")
        ctx.stats.update(
            scancode_files=len(files),
            scancode_cache_hits=hits,
            scancode_scanned=len(missing),
            scancode_seconds=round(time.monotonic() - started, 3),
        )
        return _observations(by_key_files, followed)

    # -- scanning -----------------------------------------------------------------------

    def _scan(
        self,
        ctx: DetectContext,
        missing: dict[str, FileRecord],
        keys: dict[str, str],
        files: list[FileRecord],
    ) -> dict[str, dict[str, Any]]:
        from oscheck.detectors import scancode_worker as worker

        # Largest first: the slowest files start early instead of ending the scan alone.
        ordered = sorted(missing.items(), key=lambda kv: kv[1].size, reverse=True)
        copies: dict[str, int] = {}
        for f in files:
            copies[keys[f.path]] = copies.get(keys[f.path], 0) + 1

        def jobs() -> Iterable[worker.Job]:
            for key, record in ordered:
                yield worker.Job(
                    key=key,
                    basename=record.path.rsplit("/", 1)[-1],
                    in_locale="locale" in record.path,
                    data=ctx.inventory.read(record),
                )

        out: dict[str, dict[str, Any]] = {}
        service = self._service(ctx)
        if service is not None:
            try:
                for key, result in service.scan(jobs(), TIMEOUT, window=max(4, 2 * service.info.jobs)):
                    out[key] = result
                    ctx.progress.advance("licenses", copies.get(key, 1))
                return out
            finally:
                service.close()
        worker.load_index()
        n_jobs = max(1, min(ctx.jobs, len(ordered)))
        if n_jobs == 1 or multiprocessing.current_process().daemon:
            for job in jobs():
                key, result = worker.scan_job(job, TIMEOUT)
                out[key] = result
                ctx.progress.advance("licenses", copies.get(key, 1))
            worker.cleanup()
            return out
        mp = multiprocessing.get_context("fork")
        with mp.Pool(n_jobs) as pool:
            for key, result in pool.imap_unordered(_scan_in_worker, jobs(), chunksize=1):
                out[key] = result
                ctx.progress.advance("licenses", copies.get(key, 1))
            pool.close()
            pool.join()
        return out

    def _service(self, ctx: DetectContext) -> Any:
        """The warm-index service (started if needed), or ``None`` to scan in this process."""
        from oscheck.detectors import scancode_service

        if not scancode_service.enabled():
            return None
        ctx.progress.start(N_("loading the license index"), None)
        try:
            return scancode_service.ScancodeService.start_or_connect(ctx.cache.cache_dir, ctx.jobs)
        except (scancode_service.ServiceUnavailable, OSError) as exc:
            log.warning("scanning in this process: %s", exc)
            return None
        finally:
            ctx.progress.finish("loading the license index")

    # -- "see LICENSE" ------------------------------------------------------------------

    def _follow_references(
        self,
        ctx: DetectContext,
        files: list[tuple[FileRecord, dict[str, Any]]],
        keys: dict[str, str],
        results: dict[str, dict[str, Any]],
    ) -> dict[str, dict[str, Any]]:
        """path -> licenses updated from the files their rules refer to ("see LICENSE").

        Exactly as the scancode CLI: files are visited in its bottom-up walk order (in each
        folder, files before sub-folders, case-insensitive names; root files first), and
        a file sees the *updated* detections of referenced files visited before it, so
        references chain (metadata.py -> LICENSE -> LICENSE.APACHE, LICENSE.BSD). A
        referenced file is a sibling or a root file with the referenced name.
        """
        current = {f.path: (r.get("licenses") or {}) for f, r in files if "error" not in r}
        paths = {f.path for f in ctx.inventory.files}
        paths |= {p.rsplit("/", i)[0] for p in list(paths) for i in range(1, p.count("/") + 1)}
        # identity of each file's current detections, for the cache of followed results
        identity = {f.path: keys[f.path] for f, _r in files}
        namespace = f"{self.namespace()}/refs2"
        out: dict[str, dict[str, Any]] = {}
        fresh: dict[str, Any] = {}
        service: Any = None
        asked = False
        try:
            for record, result in sorted(files, key=lambda fr: _walk_key(fr[0].path)):
                names = {n for det_refs in (result.get("refs") or []) for n in det_refs}
                if not names:
                    continue
                candidates = self._referenced(record.path, names, current, paths)
                if not candidates:
                    continue
                composite = identity[record.path] + "|" + "|".join(sorted(f"{p}={identity[p]}" for p in candidates))
                cached = ctx.cache.get_many(namespace, [composite])
                if composite in cached:
                    updated = cached[composite]
                else:
                    if not asked:
                        service, asked = self._service(ctx), True
                    if service is not None:
                        updated = service.follow_references(record.path, current[record.path], candidates)
                    else:
                        from oscheck.detectors import scancode_worker as worker

                        worker.load_index()
                        updated = worker.follow_references(record.path, current[record.path], candidates)
                    fresh[composite] = updated
                out[record.path] = updated
                current[record.path] = updated
                identity[record.path] = hashlib.sha256(composite.encode()).hexdigest()
        finally:
            if service is not None:
                service.close()
        ctx.cache.put_many(namespace, fresh)
        return out

    @staticmethod
    def _referenced(
        path: str, names: set[str], current: dict[str, dict[str, Any]], paths: set[str]
    ) -> dict[str, dict[str, Any]]:
        """The referenced files with detections, found as scancode's find_referenced_resource does.

        The name (cleaned like commoncode's ``clean_path``) is looked up beside the file,
        then at the root; the first path that exists wins, even a file or folder without
        detections (then nothing is followed for that name).
        """
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        found: dict[str, dict[str, Any]] = {}
        for name in names:
            clean = posixpath.normpath(name.replace("\\", "/").rstrip("/"))
            if clean == ".":
                clean = ""
            for candidate in (posixpath.join(parent, clean) if parent else clean, clean):
                if candidate not in paths:
                    continue
                lic = current.get(candidate)
                if lic and lic.get("license_detections"):
                    found[candidate] = lic
                break
        return found


def _walk_key(path: str) -> list[tuple[int, str, str]]:
    """scancode's walk order: at each level files (0) before folders (1), then by lower-cased name."""
    parts = path.split("/")
    return [(1, d.lower(), d) for d in parts[:-1]] + [(0, parts[-1].lower(), parts[-1])]


def _scan_in_worker(job: Any) -> tuple[str, dict[str, Any]]:
    from oscheck.detectors import scancode_worker as worker

    return worker.scan_job(job, TIMEOUT)


def _observations(
    files: list[tuple[FileRecord, dict[str, Any]]], followed: dict[str, dict[str, Any]]
) -> list[Observation]:
    out: list[Observation] = []
    for record, result in sorted(files, key=lambda fr: fr[0].path):
        if "error" in result:
            out.append(
                DetectionProblem(
                    detector=ScancodeDetector.id,
                    location=Location(record.path),
                    problem=str(result["error"]),
                    seconds=result.get("seconds"),
                )
            )
            continue
        licenses = followed.get(record.path) or result.get("licenses") or {}
        detections = tuple(_detection(d) for d in licenses.get("license_detections") or [])
        if licenses.get("detected_license_expression"):
            first = min((d.start_line for d in detections), default=None)
            out.append(
                FileLicense(
                    detector=ScancodeDetector.id,
                    location=Location(record.path, first),
                    expression=licenses.get("detected_license_expression"),
                    spdx=licenses.get("detected_license_expression_spdx"),
                    detections=detections,
                    percentage_of_license_text=float(licenses.get("percentage_of_license_text") or 0.0),
                    origin=record.origin,
                    sha256=record.sha256 or "",
                )
            )
        copyrights = result.get("copyrights") or {}
        holders = copyrights.get("holders") or []
        for c in copyrights.get("copyrights") or []:
            line_holders = tuple(h["holder"] for h in holders if h.get("start_line") == c.get("start_line"))
            out.append(
                CopyrightNotice(
                    detector=ScancodeDetector.id,
                    location=Location(record.path, c.get("start_line"), c.get("end_line")),
                    statement=c["copyright"],
                    holders=line_holders,
                    origin=record.origin,
                )
            )
    return out


def _detection(mapping: dict[str, Any]) -> LicenseDetectionRecord:
    matches = tuple(
        LicenseMatch(
            expression=m.get("license_expression") or "",
            spdx=m.get("license_expression_spdx"),
            start_line=int(m.get("start_line") or 0),
            end_line=int(m.get("end_line") or 0),
            score=float(m.get("score") or 0),
            matched_length=int(m.get("matched_length") or 0),
            match_coverage=float(m.get("match_coverage") or 0),
            matcher=m.get("matcher") or "",
            rule=m.get("rule_identifier") or "",
            from_file=m.get("from_file"),
        )
        for m in mapping.get("matches") or []
    )
    return LicenseDetectionRecord(
        expression=mapping.get("license_expression"),
        spdx=mapping.get("license_expression_spdx"),
        start_line=min((m.start_line for m in matches), default=0),
        end_line=max((m.end_line for m in matches), default=0),
        matches=matches,
        identifier=mapping.get("identifier") or "",
    )
