"""Where the worker function runs: one seam, two engines.

Both hand out :class:`concurrent.futures.Future` objects for ``scan_target(unit)``, so the
coordinator's loop is the same for both:

- :class:`PoolExecutor` (default, ``--jobs N``): a local ``ProcessPoolExecutor`` of N
  spawned processes. A process started by ``spawn`` inherits no threads, locks or
  database connections from the coordinator, and each keeps scancode's index (or its
  connection to the warm-index service) across the targets it scans.
- :class:`DaskExecutor` (``--scheduler tcp://HOST:PORT`` or ``--dask-local N``): the same
  function through ``distributed.Client.get_executor``; results come back to the
  coordinator, which alone writes the store.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from oscheck.batch.work import TargetResult, WorkUnit, scan_target
from oscheck.errors import InputError, TargetUnavailable
from oscheck.i18n import _

__all__ = ["DaskExecutor", "Executor", "PoolExecutor"]


class Executor(Protocol):
    """``submit`` a unit, get a future of its :class:`TargetResult`."""

    description: str

    @property
    def workers(self) -> int:
        """How many targets run at once (the coordinator keeps that many in flight)."""

    def submit(self, unit: WorkUnit) -> Future[TargetResult]: ...

    def abandon(self, future: Future[TargetResult]) -> bool:
        """Give up on a running unit; True when the other in-flight units were lost too."""

    def close(self) -> None: ...


def _watch_parent(parent: int) -> None:
    """A pool worker whose coordinator died (``kill -9``) exits instead of lingering."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="oscheck-parent-watch", daemon=True).start()


class PoolExecutor:
    """A local process pool (``--jobs N``)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.description = _("local process pool, {n} workers", n=self.jobs)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_watch_parent,
            initargs=(os.getpid(),),
        )

    @property
    def workers(self) -> int:
        return self.jobs

    def submit(self, unit: WorkUnit) -> Future[TargetResult]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool.submit(scan_target, unit)
        except BrokenProcessPool:  # a worker died (out of memory, killed): start afresh
            self._restart()
            return self._pool.submit(scan_target, unit)

    def abandon(self, future: Future[TargetResult]) -> bool:
        """A process pool cannot stop one task: stop every worker and start new ones."""
        self._restart(kill=True)
        return True

    def _restart(self, kill: bool = False) -> None:
        old = self._pool
        if kill:
            for proc in list(getattr(old, "_processes", {}).values()):
                proc.kill()
        old.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Dask distributed: an existing scheduler, or a LocalCluster of ``local`` processes."""

    def __init__(self, scheduler: str | None = None, local: int | None = None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(_("Dask is not installed; install the extra: pip install 'oscheck[dask]'")) from None
        self._cluster: Any = None
        if scheduler:
            try:
                self._client: Any = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as exc:
                raise TargetUnavailable(
                    _("cannot reach the Dask scheduler at {address}: {error}", address=scheduler, error=exc)
                ) from None
            self.description = _("Dask scheduler {address}", address=scheduler)
        else:
            n = max(1, local or 1)
            # Non-daemonic workers may start the warm scancode index service (a child process);
            # one thread per worker: scans are CPU-bound and the limit per target is per thread.
            with dask.config.set({"distributed.worker.daemon": False}):
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
            self.description = _("Dask LocalCluster, {n} workers", n=n)
        self._executor = self._client.get_executor(pure=False)

    @property
    def workers(self) -> int:
        info = self._client.scheduler_info()
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))

    def submit(self, unit: WorkUnit) -> Future[TargetResult]:
        future: Future[TargetResult] = self._executor.submit(scan_target, unit)
        return future

    def abandon(self, future: Future[TargetResult]) -> bool:
        future.cancel()
        return False

    def close(self) -> None:
        try:
            self._executor.shutdown(wait=False)
            self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()
