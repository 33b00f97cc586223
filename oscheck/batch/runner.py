"""The coordinating process: plan the run, keep workers busy, record every result once.

Only this process writes: each target's outputs (written atomically, first) and then its
store rows in **one transaction** (the scan, its findings, its report; or the failure).
A ``kill -9`` therefore loses at most the targets in flight; running the same command
again finds the run (same portfolio, same as-of day), skips what it recorded at the same
commit and policy version, and scans the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select

from oscheck.batch.executors import DaskExecutor, Executor, PoolExecutor
from oscheck.batch.portfolio import LoadedPortfolio, TargetSpec, load_portfolio
from oscheck.batch.work import TargetResult, WorkUnit
from oscheck.errors import ExitCode, InputError
from oscheck.i18n import _, get_language
from oscheck.policy import load_policy
from oscheck.scan import default_today
from oscheck.store import Store
from oscheck.store.models import Application, Organisation, Run, Scan
from oscheck.store.scans import finish_run, record_failed_scan, record_report, run_scans, start_run

__all__ = ["BatchEvents", "BatchOptions", "BatchSummary", "Outcome", "run_batch"]

MAX_BACKOFF = 60.0  # seconds between two attempts, at most
_SEVERITY_ORDER = ("error", "warning", "note")


@dataclass(frozen=True)
class BatchOptions:
    """Everything the CLI's flags change."""

    db: str | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    scheduler: str | None = None  # tcp://HOST:PORT of an existing Dask scheduler
    dask_local: int | None = None  # a Dask LocalCluster of this many worker processes
    rescan: bool = False
    new_run: bool = False
    out: Path | None = None
    formats: tuple[str, ...] = ("json", "markdown", "spdx-json", "cyclonedx-json")
    fail_on: str | None = "error"
    only: tuple[str, ...] = ()  # detector groups for repositories (models always get "models")
    as_of: date | None = None  # overrides the portfolio's as_of
    timeout: float | None = None  # overrides the portfolio's timeout
    retries: int | None = None  # overrides the portfolio's retries
    backoff: float = 5.0  # seconds before the first retry; doubled each time
    cache_dir: Path | None = None
    use_cache: bool = True
    policies: Path | None = None
    offline: bool = False
    lang: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One target's state at the end of the batch (recorded now or earlier in the run)."""

    key: str
    grantee: str
    grantee_name: str
    kind: str
    uri: str
    status: str  # ok | failed | skipped (recorded earlier in this run at the same commit)
    commit: str | None = None
    verdict: str | None = None
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    error: str | None = None
    seconds: float = 0.0
    attempts: int = 0
    scan_id: int | None = None
    stats: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    run_id: int
    resumed: bool
    total: int
    executor: str
    portfolio: str
    as_of: date


class BatchEvents(Protocol):
    """What the CLI shows; the library never prints."""

    def begin(self, plan: Plan) -> None: ...
    def running(self, spec: TargetSpec, attempt: int) -> None: ...
    def retry(self, spec: TargetSpec, attempt: int, delay: float, error: str) -> None: ...
    def done(self, outcome: Outcome) -> None: ...


class _NoEvents:
    def begin(self, plan: Plan) -> None:
        return None

    def running(self, spec: TargetSpec, attempt: int) -> None:
        return None

    def retry(self, spec: TargetSpec, attempt: int, delay: float, error: str) -> None:
        return None

    def done(self, outcome: Outcome) -> None:
        return None


@dataclass(frozen=True)
class BatchSummary:
    run_id: int
    resumed: bool
    executor: str
    outcomes: tuple[Outcome, ...]
    seconds: float
    fail_on: str | None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def failing(self, o: Outcome) -> bool:
        """Findings at or above ``fail_on`` (the counts leave exempted findings out)."""
        if self.fail_on is None or o.status == "failed":
            return False
        levels = _SEVERITY_ORDER[: _SEVERITY_ORDER.index(self.fail_on) + 1]
        return any(getattr(o, f"{lv}s") > 0 for lv in levels)

    @property
    def dedup(self) -> dict[str, int]:
        """Files scancode was asked about, answered from the shared cache, and detected anew."""
        keys = ("scancode_files", "scancode_cache_hits", "scancode_scanned")
        return {k: sum(o.stats.get(k, 0) for o in self.outcomes) for k in keys}

    def exit_code(self) -> ExitCode:
        """3: nothing could be scanned; 1: a target failed or has findings at ``fail_on``; else 0."""
        if self.outcomes and self.count("failed") == len(self.outcomes):
            return ExitCode.TARGET_UNAVAILABLE
        if self.count("failed") or any(self.failing(o) for o in self.outcomes):
            return ExitCode.FINDINGS
        return ExitCode.OK


def run_digest(loaded: LoadedPortfolio, as_of: date) -> str:
    """The run's identity: the portfolio's content and the day findings are judged on."""
    return hashlib.sha256(f"{loaded.digest}\n{as_of.isoformat()}".encode()).hexdigest()


def output_paths(out: Path, spec: TargetSpec, formats: tuple[str, ...]) -> dict[str, Path]:
    """``OUT/<grantee id>/<target stem><suffix>`` for every format."""
    from oscheck.outputs import OutputFormat, formatter

    folder = out / spec.grantee.id
    return {fmt: folder / f"{spec.stem}{formatter(OutputFormat(fmt)).suffix}" for fmt in formats}


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename: a killed batch never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _open_store(db: str | None) -> Store:
    store = Store(db)
    if store.current() is None:
        store.upgrade()  # a new database: create the schema (registry init also loads programs)
    else:
        store.require_current()
    return store


def _check_links(store: Store, loaded: LoadedPortfolio) -> None:
    """Registry links must exist: a typo would silently detach the scans from the grantee."""
    orgs = {g.organisation for g in loaded.portfolio.grantees if g.organisation}
    apps = {g.application for g in loaded.portfolio.grantees if g.application}
    if not orgs and not apps:
        return
    with store.transaction() as s:
        known_orgs = set(s.scalars(select(Organisation.id).where(Organisation.id.in_(orgs)))) if orgs else set()
        known_apps = set(s.scalars(select(Application.id).where(Application.id.in_(apps)))) if apps else set()
    for g in loaded.portfolio.grantees:
        for kind, value, known in (
            (_("organisation"), g.organisation, known_orgs),
            (_("application"), g.application, known_apps),
        ):
            if value and value not in known:
                raise InputError(
                    _(
                        "{path}: grantee {grantee}: {kind} '{value}' is not in the registry {db}; import it first (oscheck registry import)",
                        path=loaded.path,
                        grantee=g.id,
                        kind=kind,
                        value=value,
                        db=store.display,
                    )
                )


def _executor(options: BatchOptions) -> tuple[Executor, int | None]:
    """The executor, and the scancode processes a target may use.

    With the warm-index service (the default) that is the service's pool, shared by all the
    workers of the machine: as many processes as workers. Without it each worker keeps its
    own index and detects one file at a time (a pool per target would fork the 1.4 GB
    index into more processes than there are cores).
    """
    from oscheck.detectors import scancode_service

    shared = scancode_service.enabled()
    if options.scheduler:
        return DaskExecutor(scheduler=options.scheduler), None  # each machine: its own cores
    if options.dask_local:
        return DaskExecutor(local=options.dask_local), options.dask_local if shared else 1
    return PoolExecutor(options.jobs), options.jobs if shared else 1


def run_batch(
    portfolio_path: Path,
    options: BatchOptions | None = None,
    events: BatchEvents | None = None,
    executor_factory: Callable[[BatchOptions], tuple[Executor, int | None]] | None = None,
) -> BatchSummary:
    """Scan every target of the portfolio into the store; see the module docstring."""
    options = options or BatchOptions()
    events = events or _NoEvents()
    clock = time.monotonic()
    policy = load_policy(options.policies)
    loaded = load_portfolio(portfolio_path, policy)
    portfolio = loaded.portfolio
    as_of = options.as_of or portfolio.as_of or default_today()
    timeout = options.timeout or portfolio.timeout
    retries = portfolio.retries if options.retries is None else options.retries
    lang = options.lang or get_language()
    store = _open_store(options.db)
    _check_links(store, loaded)
    digest = run_digest(loaded, as_of)
    now = datetime.now(UTC)
    with store.transaction() as s:
        run = None
        if not options.new_run:
            run = s.scalars(select(Run).where(Run.portfolio_digest == digest).order_by(Run.id.desc())).first()
        resumed = run is not None
        if run is None:
            run = start_run(s, str(portfolio_path), digest, now)
        else:
            run.status, run.finished_at = "running", None
        run_id = run.id
        recorded = {scan.target_uri: _Recorded.of(scan) for scan in run_scans(s, run_id)}

    worker_formats = tuple(f for f in options.formats if f != "json")
    executor, scan_jobs = (executor_factory or _executor)(options)
    outcomes: dict[str, Outcome] = {}
    units: deque[tuple[TargetSpec, WorkUnit]] = deque()
    for spec in loaded.targets:
        done: tuple[tuple[str | None, int], ...] = ()
        prior = recorded.get(spec.uri)
        if (
            prior is not None
            and prior.ok
            and prior.policy_version == policy.version
            and not options.rescan
            and (
                options.out is None
                or all(p.exists() for p in output_paths(options.out, spec, options.formats).values())
            )
        ):
            done = ((prior.commit, prior.id),)
        unit = WorkUnit(
            key=spec.key,
            kind=spec.kind,
            source=spec.source,
            uri=spec.uri,
            ref=spec.ref,
            program=spec.program,
            track=spec.track,
            policy_version=policy.version,
            as_of=as_of,
            timeout=timeout,
            fail_on=options.fail_on,
            only=options.only,
            formats=worker_formats,
            lang=lang,
            cache_dir=str(options.cache_dir) if options.cache_dir else None,
            use_cache=options.use_cache,
            policies=str(options.policies) if options.policies else None,
            offline=options.offline,
            scan_jobs=scan_jobs,
            done=done,
        )
        units.append((spec, unit))
    events.begin(Plan(run_id, resumed, len(units), executor.description, str(portfolio_path), as_of))

    def record(spec: TargetSpec, result: TargetResult) -> Outcome:
        g = spec.grantee
        common: dict[str, Any] = {
            "key": spec.key,
            "grantee": g.id,
            "grantee_name": g.name,
            "kind": spec.kind,
            "uri": spec.uri,
            "commit": result.commit,
            "seconds": result.seconds,
            "attempts": result.attempt,
        }
        if result.status == "skipped":
            prior = recorded[spec.uri]
            return Outcome(**common, status="skipped", scan_id=prior.id, **prior.counts)
        if result.status == "ok" and result.report is not None:
            report = dict(result.report)
            report["portfolio"] = {
                "run": run_id,
                "as_of": as_of.isoformat(),
                "grantee": {"id": g.id, "name": g.name, "organisation": g.organisation, "application": g.application},
                "target": spec.key,
            }
            if options.out is not None:
                paths = output_paths(options.out, spec, options.formats)
                for fmt, path in paths.items():
                    text = (
                        json.dumps(report, ensure_ascii=False, indent=2) + "\n"
                        if fmt == "json"
                        else result.outputs[fmt]
                    )
                    _write_atomic(path, text)
            with store.transaction() as s:
                scan = record_report(
                    s,
                    report,
                    run_id=run_id,
                    organisation_id=g.organisation,
                    application_id=g.application,
                    grantee_id=g.id,
                    grantee_name=g.name,
                )
                scan_id = scan.id
            summary = report["summary"]
            return Outcome(
                **common,
                status="ok",
                scan_id=scan_id,
                verdict=summary["verdict"],
                errors=summary["errors"],
                warnings=summary["warnings"],
                notes=summary["notes"],
                stats=dict(result.stats),
            )
        error = result.error or _("no result")
        with store.transaction() as s:
            scan = record_failed_scan(
                s,
                target_uri=spec.uri,
                error=error,
                tool_version=_tool_version(),
                started_at=result.started_at,
                finished_at=result.finished_at,
                target_kind=_kind_value(spec),
                ref=spec.ref,
                commit=result.commit,
                program=spec.program,
                track=spec.track,
                policy_version=policy.version,
                run_id=run_id,
                organisation_id=g.organisation,
                application_id=g.application,
                grantee_id=g.id,
                grantee_name=g.name,
            )
            scan_id = scan.id
        return Outcome(**common, status="failed", error=error, scan_id=scan_id)

    in_flight: dict[Future[TargetResult], tuple[TargetSpec, WorkUnit, float]] = {}
    delayed: list[tuple[float, TargetSpec, WorkUnit]] = []
    status = "interrupted"
    try:
        while units or in_flight or delayed:
            now_m = time.monotonic()
            ready = [d for d in delayed if d[0] <= now_m]
            for d in ready:
                delayed.remove(d)
                units.appendleft((d[1], d[2]))
            while units and len(in_flight) < executor.workers:
                spec, unit = units.popleft()
                events.running(spec, unit.attempt)
                in_flight[executor.submit(unit)] = (spec, unit, time.monotonic())
            waits = [d[0] - now_m for d in delayed] + [1.0]
            finished, _pending = wait(list(in_flight), timeout=max(0.05, min(waits)), return_when=FIRST_COMPLETED)
            for future in finished:
                spec, unit, _t = in_flight.pop(future)
                result = _result(future, unit)
                if result.status == "failed" and result.retryable and unit.attempt <= retries:
                    delay = min(MAX_BACKOFF, options.backoff * 2 ** (unit.attempt - 1)) * random.uniform(0.8, 1.2)  # noqa: S311
                    events.retry(spec, unit.attempt, delay, result.error or "")
                    delayed.append((time.monotonic() + delay, spec, replace(unit, attempt=unit.attempt + 1)))
                    continue
                outcome = record(spec, result)
                outcomes[spec.key] = outcome
                events.done(outcome)
            _reap_stuck(executor, in_flight, units, timeout, record, outcomes, events)
        status = "finished"
    finally:
        executor.close()
        with store.transaction() as s:
            finish_run(s, run_id, datetime.now(UTC), status)
        store.dispose()
    ordered = tuple(outcomes[t.key] for t in loaded.targets if t.key in outcomes)
    return BatchSummary(
        run_id, resumed, executor.description, ordered, round(time.monotonic() - clock, 3), options.fail_on
    )


def _reap_stuck(
    executor: Executor,
    in_flight: dict[Future[TargetResult], tuple[TargetSpec, WorkUnit, float]],
    units: deque[tuple[TargetSpec, WorkUnit]],
    timeout: float,
    record: Callable[[TargetSpec, TargetResult], Outcome],
    outcomes: dict[str, Outcome],
    events: BatchEvents,
) -> None:
    """The safety net behind the worker's own limit: a unit silent for 1.5x the limit (plus a
    minute) is recorded as failed; a pool that cannot stop one task is restarted and the
    other units in flight go back to the queue."""
    now = time.monotonic()
    for future, (spec, unit, submitted) in list(in_flight.items()):
        if now - submitted < timeout * 1.5 + 60:
            continue
        in_flight.pop(future)
        lost_others = executor.abandon(future)
        message = _(
            "{target}: the worker gave no answer within {seconds} s; stopped",
            target=spec.uri,
            seconds=int(now - submitted),
        )
        outcome = record(
            spec,
            TargetResult(
                key=unit.key,
                status="failed",
                uri=unit.uri,
                kind=unit.kind,
                ref=unit.ref,
                error=message,
                attempt=unit.attempt,
            ),
        )
        outcomes[spec.key] = outcome
        events.done(outcome)
        if lost_others:
            for other in list(in_flight):
                o_spec, o_unit, _t = in_flight.pop(other)
                units.appendleft((o_spec, o_unit))
        break


def _result(future: Future[TargetResult], unit: WorkUnit) -> TargetResult:
    """The worker's result, or a failed one when the worker itself was lost."""
    try:
        return future.result()
    except Exception as exc:  # a worker process died, or the engine gave up on the task
        return TargetResult(
            key=unit.key,
            status="failed",
            uri=unit.uri,
            kind=unit.kind,
            ref=unit.ref,
            error=_("{target}: the worker was lost ({error})", target=unit.uri, error=f"{type(exc).__name__}: {exc}"),
            retryable=True,  # another worker may well manage it (the lost one may have died of a neighbour)
            attempt=unit.attempt,
        )


@dataclass(frozen=True)
class _Recorded:
    id: int
    ok: bool
    commit: str | None
    policy_version: str | None
    counts: dict[str, Any]

    @classmethod
    def of(cls, scan: Scan) -> _Recorded:
        return cls(
            scan.id,
            scan.status == "ok",
            scan.commit,
            scan.policy_version,
            {"verdict": scan.verdict, "errors": scan.errors, "warnings": scan.warnings, "notes": scan.notes},
        )


def _tool_version() -> str:
    from oscheck._version import __version__

    return __version__


def _kind_value(spec: TargetSpec) -> str:
    from oscheck.sources.git import is_git_url

    if spec.kind == "model":
        return "model"
    return "git" if is_git_url(spec.uri) else "local"
