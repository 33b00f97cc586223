"""The pipeline in a screenful: acquire -> inventory -> detect -> evaluate -> ScanResult.

Recording (``store``) and emitting (``outputs``) take the :class:`ScanResult` afterwards;
this module does neither, so the CLI, the GitHub Action and the batch runner all get the
same result from the same call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from oscheck._version import __version__
from oscheck.config import (
    Declaration,
    LoadedDeclaration,
    load_declaration,
    parse_declaration_text,
    parse_pyproject_declaration,
)
from oscheck.detectors import DetectContext, select
from oscheck.detectors.selection import with_project_evidence
from oscheck.errors import ConfigError, InputError, PolicyError
from oscheck.i18n import _
from oscheck.inventory import (
    DEFAULT_MAX_FILE_BYTES,
    ContentCache,
    Inventory,
    build_inventory,
    default_cache_dir,
)
from oscheck.model import ScanResult, ScanSummary, Severity
from oscheck.policy import PolicyContext, PolicySet, ProgramTrack, evaluate, load_policy, program_track
from oscheck.policy.models import annotate as annotate_models
from oscheck.progress import NullProgress, Progress
from oscheck.sources import Source, open_source
from oscheck.sources.ignore import gitignore_spec


@dataclass(frozen=True)
class ScanOptions:
    """Everything that changes what a scan does; the CLI maps its flags onto this."""

    ref: str | None = None
    program: str | None = None  # overrides .oscheck.yml
    track: str | None = None  # overrides .oscheck.yml
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    only: tuple[str, ...] = ()  # detector groups; empty: all
    fail_on: Severity | None = Severity.ERROR  # None: never fail
    use_cache: bool = True
    cache_dir: Path | None = None
    config: Path | None = None  # an explicit .oscheck.yml
    policies: Path | None = None  # a policy folder other than the shipped one
    only_paths: frozenset[str] | None = None  # file-level detectors look only at these
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    shallow: bool = False
    today: date | None = None
    detector_options: Mapping[str, Any] = field(default_factory=dict)
    overrides: Mapping[str, Any] = field(default_factory=dict)  # more .oscheck.yml fields from flags


def scan(
    target: str | Source,
    options: ScanOptions | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Scan one target (a folder, a git URL, or a prepared :class:`Source`)."""
    options = options or ScanOptions()
    progress = progress or NullProgress()
    started = datetime.now(UTC)
    clock = time.monotonic()
    cache_dir = options.cache_dir or default_cache_dir()
    source = (
        target if isinstance(target, Source) else open_source(target, options.ref, cache_dir, shallow=options.shallow)
    )
    policy = load_policy(options.policies)  # fail on a bad policy before any slow work
    with source.acquire() as tree:
        timings: dict[str, float] = {"acquire": round(time.monotonic() - clock, 3)}
        clock = time.monotonic()
        inventory = build_inventory(tree, max_file_bytes=options.max_file_bytes)
        loaded = _declaration(inventory, options)
        declaration = loaded.declaration.with_overrides(
            program=options.program, track=options.track, **options.overrides
        )
        if declaration.ignore:
            inventory = _without(inventory, declaration.ignore)
        timings["inventory"] = round(time.monotonic() - clock, 3)
        program = _program_track(policy, declaration, loaded, options)
        today = options.today or default_today()
        cache = ContentCache(cache_dir, enabled=options.use_cache)
        ctx = DetectContext(
            inventory=inventory,
            declaration=declaration,
            cache=cache,
            jobs=max(1, options.jobs),
            progress=progress,
            today=today,
            only_paths=with_project_evidence(options.only_paths, inventory),
            options=options.detector_options,
            policy_dir=policy.root,
        )
        # Inventory issues are file-level too: in only-changed mode, those of the selected files.
        ctx.observations.extend(i for i in inventory.issues if i.location.path is None or _chosen(ctx, i.location.path))
        if options.only_paths is not None:
            # A partial scan says so in every report: file-level results cover these files only.
            ctx.stats["only_paths"] = len(options.only_paths)
        detectors = select(options.only)
        for detector in detectors:
            clock = time.monotonic()
            ctx.observations.extend(detector.detect(ctx))
            timings[f"detect:{detector.id}"] = round(time.monotonic() - clock, 3)
        cache.close()
        clock = time.monotonic()
        # Policy verdicts recorded on the facts they judge (model licenses and openness),
        # so that the report and the SBOMs show what the rules saw.
        observations = annotate_models(ctx.observations, policy)
        findings = evaluate(
            PolicyContext(
                observations=observations,
                files=inventory.files,
                declaration=declaration,
                policy=policy,
                program=program,
                today=today,
                groups_run=frozenset({"inventory", *(d.group for d in detectors)}),
                declaration_path=loaded.source,
            )
        )
        timings["evaluate"] = round(time.monotonic() - clock, 3)
        project = [o for o in ctx.observations if o.kind == "project-license"]
        declared = getattr(project[0], "spdx", None) if project else declaration.license
        return ScanResult(
            target=tree.target,
            program=declaration.program,
            track=program.track,
            declared_license=declared,
            files=inventory.files,
            observations=observations,
            findings=tuple(findings),
            summary=ScanSummary.of(findings, options.fail_on),
            tool_version=__version__,
            policy_version=policy.version,
            started_at=started,
            finished_at=datetime.now(UTC),
            detectors_run=tuple(d.id for d in detectors),
            scan_date=today,
            stats={"timings": timings, **ctx.stats, "files": len(inventory.files)},
        )


def _program_track(
    policy: PolicySet, declaration: Declaration, loaded: LoadedDeclaration, options: ScanOptions
) -> ProgramTrack:
    """The program's requirement table; an unknown program or track names the line it came from."""
    try:
        return program_track(policy, declaration.program, declaration.track)
    except PolicyError as exc:
        key = "track" if options.track is None and loaded.lines.get("track") and declaration.program else "program"
        from_file = options.program is None and (key == "program" or options.track is None)
        if from_file and loaded.source and loaded.lines.get(key):
            raise ConfigError(f"{loaded.source}:{loaded.lines[key]}: {exc.message}") from None
        raise


def default_today() -> date:
    """The day findings are judged on: ``$OSCHECK_TODAY`` (YYYY-MM-DD) or the calendar.

    Deadlines, inactivity and exemption expiry depend on it; pinning it makes a report
    reproducible (a verification body re-checking a scan "as of" its date, and tests).
    """
    value = os.environ.get("OSCHECK_TODAY")
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InputError(_("OSCHECK_TODAY: '{value}' is not a date (YYYY-MM-DD)", value=value)) from None
    return date.today()


def _declaration(inventory: Inventory, options: ScanOptions) -> LoadedDeclaration:
    """``--config``, else ``.oscheck.yml`` (or ``[tool.oscheck]``) read from the tree itself."""
    if options.config is not None:
        return load_declaration(Path(), options.config)
    for name in (".oscheck.yml", ".oscheck.yaml"):
        record = inventory.get(name)
        if record is not None and record.skipped is None:
            return parse_declaration_text(inventory.read_text(record), name)
    record = inventory.get("pyproject.toml")
    if record is not None and record.skipped is None:
        return parse_pyproject_declaration(inventory.read_text(record))
    return LoadedDeclaration(Declaration(), None)


def _chosen(ctx: DetectContext, path: str) -> bool:
    return ctx.only_paths is None or path in ctx.only_paths


def _without(inventory: Inventory, patterns: tuple[str, ...]) -> Inventory:
    spec = gitignore_spec(patterns)
    files = tuple(f for f in inventory.files if not spec.match_file(f.path))
    issues = tuple(i for i in inventory.issues if not (i.location.path and spec.match_file(i.location.path)))
    return Inventory(
        inventory.tree,
        files,
        issues,
        inventory.max_file_bytes,
        {p: e for p, e in inventory._entries.items() if not spec.match_file(p)},
    )
