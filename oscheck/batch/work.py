"""The unit of work and the one worker function every executor runs.

A :class:`WorkUnit` is ``(target, ref, program, track, policy version, as-of day)`` plus
what the worker needs to know to skip it (the commits already recorded for this target)
and to render it (formats, language). :func:`scan_target` acquires the target, resolves
its commit, skips it when that commit is already recorded, else runs the full scan
(:func:`oscheck.scan.scan`: every detector, the policy) and renders the JSON report and
the SBOMs. It returns a plain :class:`TargetResult` (strings, numbers, the report as a
dict): nothing crosses the process or machine boundary but picklable data, and the worker
never touches the store; the coordinating process records it.

The function is the same under the local process pool and under Dask; it holds no state
between calls except what is deliberately process-wide: scancode's license index (loaded
once per process, or held by the warm-index service) and the content cache on disk.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from oscheck.errors import OscheckError
from oscheck.i18n import _, set_language
from oscheck.model import Severity, TargetKind
from oscheck.sources import redact_text
from oscheck.sources.interface import Source, SourceTree

__all__ = ["TargetResult", "TargetTimeout", "WorkUnit", "scan_target"]


@dataclass(frozen=True)
class WorkUnit:
    """One target to scan, and everything the worker needs (all picklable, no handles)."""

    key: str  # "<grantee>/<stem>"
    kind: str  # "repo" | "model"
    source: str  # git URL, folder, or Hub id[@revision]
    uri: str  # recorded under this URI
    ref: str | None
    program: str | None
    track: str | None
    policy_version: str
    as_of: date
    timeout: float  # seconds for the whole target
    fail_on: str | None = "error"  # Severity value; None: never fail
    only: tuple[str, ...] = ()  # detector groups for repositories; empty: all (models: always "models")
    formats: tuple[str, ...] = ("json", "markdown", "spdx-json", "cyclonedx-json")
    lang: str = "en"
    cache_dir: str | None = None  # None: the worker's own default ($OSCHECK_CACHE_DIR, user cache)
    use_cache: bool = True
    policies: str | None = None
    offline: bool = False
    scan_jobs: int | None = None  # scancode processes; None: this machine's cores
    done: tuple[tuple[str | None, int], ...] = ()  # (commit, scan id) already recorded: skip on a match
    attempt: int = 1


@dataclass(frozen=True)
class TargetResult:
    """What a worker hands back: plain data only."""

    key: str
    status: str  # "ok" | "failed" | "skipped"
    uri: str
    kind: str
    ref: str | None
    commit: str | None = None
    dirty: bool = False
    error: str | None = None
    retryable: bool = False
    report: dict[str, Any] | None = None
    outputs: dict[str, str] = field(default_factory=dict)  # format -> rendered text
    skipped_scan: int | None = None  # the recorded scan that stands (status "skipped")
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)  # scancode files / cache hits / scanned
    worker: str = ""  # host:pid
    attempt: int = 1


class TargetTimeout(BaseException):
    """The target's time limit passed (a BaseException: detectors' ``except Exception`` must not swallow it)."""


class _Skip(Exception):
    def __init__(self, commit: str | None, dirty: bool, scan_id: int) -> None:
        super().__init__(commit)
        self.commit, self.dirty, self.scan_id = commit, dirty, scan_id


class _Relabelled(Source):
    """Acquire ``inner`` and record the tree under the portfolio's URI; skip a recorded commit."""

    def __init__(self, inner: Source, kind: TargetKind, uri: str, done: tuple[tuple[str | None, int], ...]) -> None:
        self.inner, self.kind, self.uri, self.done = inner, kind, uri, dict(done)
        self.resolved: tuple[str | None, bool] = (None, False)

    def acquire(self) -> SourceTree:
        tree = self.inner.acquire()
        tree.target = replace(tree.target, kind=self.kind, uri=self.uri)
        commit, dirty = tree.target.commit, tree.target.dirty
        self.resolved = (commit, dirty)
        # A work tree with uncommitted changes is never "the same" as an earlier scan.
        if not dirty and commit in self.done:
            tree.close()
            raise _Skip(commit, dirty, self.done[commit])
        return tree


def _source(unit: WorkUnit, cache_dir: Path) -> tuple[Source, dict[str, Any]]:
    """The source to read and the detector options for this kind of target."""
    from oscheck.config import ModelDecl
    from oscheck.detectors.models import ModelsOptions
    from oscheck.sources import LocalSource
    from oscheck.sources.git import DEFAULT_CLONE_TIMEOUT, GitSource, is_git_url
    from oscheck.sources.hf_hub import HubClient, HubModelSource

    options: dict[str, Any] = {"offline": unit.offline}
    if unit.kind == "model":
        path = Path(unit.source)
        if path.is_absolute():
            source: Source = _Relabelled(LocalSource(path), TargetKind.MODEL, unit.uri, unit.done)
            decl = ModelDecl(path=".")
        else:
            ident = unit.source.split("@", 1)[0]
            client = HubClient(cache_dir / "hub-models")
            source = _Relabelled(HubModelSource(ident, unit.ref, client), TargetKind.MODEL, unit.uri, unit.done)
            decl = ModelDecl(id=ident, revision=unit.ref)
        options["models"] = ModelsOptions(
            extra=(decl,), references=False, strict=True, target_is_model=True, hub=not unit.offline
        )
        return source, options
    if unit.offline:
        options["models"] = ModelsOptions(hub=False)
    if is_git_url(unit.source):
        # git's own limit stops a slow clone a little before the target's watchdog would.
        inner: Source = GitSource(unit.source, unit.ref, cache_dir, timeout=min(DEFAULT_CLONE_TIMEOUT, unit.timeout))
        kind = TargetKind.GIT
    else:
        inner = LocalSource(Path(unit.source), unit.ref)
        kind = TargetKind.GIT if unit.uri != unit.source else TargetKind.LOCAL
    return _Relabelled(inner, kind, unit.uri, unit.done), options


def scan_target(unit: WorkUnit) -> TargetResult:
    """Scan one target; never raises for a target's own failure (it becomes ``status="failed"``)."""
    from oscheck.inventory import default_cache_dir
    from oscheck.outputs import OutputFormat, formatter
    from oscheck.outputs.json_report import report_dict
    from oscheck.scan import ScanOptions, scan
    from oscheck.sources.git import CloneFailed

    set_language(unit.lang)
    started, clock = datetime.now(UTC), time.monotonic()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    base: dict[str, Any] = {
        "key": unit.key,
        "uri": unit.uri,
        "kind": unit.kind,
        "ref": unit.ref,
        "worker": worker,
        "attempt": unit.attempt,
    }
    cache_dir = Path(unit.cache_dir) if unit.cache_dir else default_cache_dir()
    source: Source | None = None

    def failed(error: str, retryable: bool = False) -> TargetResult:
        commit, dirty = source.resolved if isinstance(source, _Relabelled) else (None, False)
        return TargetResult(
            **base,
            status="failed",
            commit=commit,
            dirty=dirty,
            error=redact_text(error),
            retryable=retryable,
            started_at=started,
            finished_at=datetime.now(UTC),
            seconds=round(time.monotonic() - clock, 3),
        )

    try:
        with _time_limit(unit.timeout):
            source, detector_options = _source(unit, cache_dir)
            options = ScanOptions(
                ref=unit.ref,
                program=unit.program,
                track=unit.track,
                jobs=unit.scan_jobs or os.cpu_count() or 1,
                only=("models",) if unit.kind == "model" else unit.only,
                fail_on=Severity(unit.fail_on) if unit.fail_on else None,
                use_cache=unit.use_cache,
                cache_dir=cache_dir,
                policies=Path(unit.policies) if unit.policies else None,
                today=unit.as_of,
                detector_options=detector_options,
            )
            result = scan(source, options)
            report = report_dict(result)
            outputs = {fmt: formatter(OutputFormat(fmt)).render(result, unit.lang) for fmt in unit.formats}
    except _Skip as skip:
        return TargetResult(
            **base,
            status="skipped",
            commit=skip.commit,
            dirty=skip.dirty,
            skipped_scan=skip.scan_id,
            started_at=started,
            finished_at=datetime.now(UTC),
            seconds=round(time.monotonic() - clock, 3),
        )
    except TargetTimeout:
        return failed(
            _("{target}: no result within the time limit of {seconds} s", target=unit.uri, seconds=int(unit.timeout))
        )
    except CloneFailed as exc:
        return failed(exc.message, retryable=exc.retryable)
    except OscheckError as exc:
        return failed(exc.message)
    except Exception as exc:  # a bug or odd input must fail this target, not the batch
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
        return failed(_("unexpected error: {error}", error=f"{type(exc).__name__}: {exc}{where}"))
    stats = result.stats
    return TargetResult(
        **base,
        status="ok",
        commit=result.target.commit,
        dirty=result.target.dirty,
        report=report,
        outputs=outputs,
        started_at=started,
        finished_at=datetime.now(UTC),
        seconds=round(time.monotonic() - clock, 3),
        timings={k: float(v) for k, v in dict(stats.get("timings") or {}).items()},
        stats={
            **{
                k: int(v)
                for k, v in stats.items()
                if k in ("files", "scancode_files", "scancode_cache_hits", "scancode_scanned")
            },
            "scancode_ms": int(float(stats.get("scancode_seconds") or 0) * 1000),
        },
    )


# -- the per-target time limit ---------------------------------------------------------------

_nudge_installed = False


def _nudge(signum: int, frame: Any) -> None:
    """SIGUSR1 only wakes a blocked system call; the pending TargetTimeout is raised after it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TargetTimeout` in this thread when ``seconds`` pass.

    A watchdog thread injects the exception (``PyThreadState_SetAsyncExc``), which works in
    the main thread of a pool process and in a Dask worker's thread alike. In the main
    thread a SIGUSR1 also interrupts a blocking call (a socket read) so the exception is
    raised at once; elsewhere it is raised when the call returns (git and the scancode
    service have their own limits). A grace of a few seconds lets git's own clone limit,
    which cleans up after itself, fire first (a tenth of the limit, at most 5 s).
    """
    global _nudge_installed
    ident = threading.get_ident()
    main = threading.current_thread() is threading.main_thread()
    if main and not _nudge_installed:
        signal.signal(signal.SIGUSR1, _nudge)
        _nudge_installed = True
    lock = threading.Lock()
    state = {"finished": False, "fired": False}
    stop = threading.Event()

    def watchdog() -> None:
        if stop.wait(seconds + min(5.0, seconds / 10)):
            return
        with lock:
            if state["finished"]:
                return
            state["fired"] = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(TargetTimeout))
        if main:
            with contextlib.suppress(OSError):
                signal.pthread_kill(ident, signal.SIGUSR1)

    thread = threading.Thread(target=watchdog, name="oscheck-target-limit", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        with lock:
            state["finished"] = True
            if state["fired"]:  # fired but maybe not raised yet: take it back
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)
