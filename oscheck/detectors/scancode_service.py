"""A warm scancode index shared by successive scans: the license-index service.

Loading scancode's license index costs 3.6–6 s and 1.4 GB in every process that needs
it, which dominates any scan that finds only a few new files (a pre-commit hook, a
re-scan after one change). The first scan that needs scancode starts this service in the
background; it loads the index once, forks a pool of workers that share it
copy-on-write, and serves scans over a UNIX socket in the cache folder until it has been
idle for ``idle`` seconds (default 15 minutes). Later scans send only their cache misses.

Safety: the socket lives in a 0700 folder of the user's cache and the server accepts only
connections from its own user (``SO_PEERCRED``). Requests are JSON headers plus raw
bytes; nothing is unpickled from the socket.

Wire format, both ways: a 4-byte big-endian length, a JSON header, then
``header["size"]`` raw bytes (file content; 0 for replies).

Turn it off with ``OSCHECK_SCANCODE_SERVICE=0`` (scans then load the index in-process).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import multiprocessing
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PROTOCOL = 1
DEFAULT_IDLE = 900.0
_HEADER = struct.Struct(">I")


def enabled() -> bool:
    """On unless ``OSCHECK_SCANCODE_SERVICE=0``, and never inside a daemonic worker."""
    if os.environ.get("OSCHECK_SCANCODE_SERVICE", "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return not multiprocessing.current_process().daemon


def runtime_dir(cache_dir: Path) -> Path:
    folder = cache_dir / "run"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _identity() -> dict[str, Any]:
    """What must match between client and server (a new scancode means a new server)."""
    import importlib.metadata

    from oscheck._version import __version__

    return {"protocol": PROTOCOL, "oscheck": __version__, "scancode": importlib.metadata.version("scancode-toolkit")}


# -- framing ------------------------------------------------------------------------------


def _send(sock: socket.socket, header: dict[str, Any], payload: bytes = b"") -> None:
    header = {**header, "size": len(payload)}
    raw = json.dumps(header, separators=(",", ":")).encode()
    sock.sendall(_HEADER.pack(len(raw)) + raw + payload)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise ConnectionError("connection closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _recv(sock: socket.socket) -> tuple[dict[str, Any], bytes]:
    (length,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if length > 64 << 20:
        raise ConnectionError("header too large")
    header = json.loads(_recv_exact(sock, length))
    size = int(header.get("size", 0))
    return header, _recv_exact(sock, size) if size else b""


# -- server -------------------------------------------------------------------------------


class _Server:
    def __init__(self, socket_path: Path, jobs: int, idle: float) -> None:
        self.socket_path = socket_path
        self.jobs = jobs
        self.idle = idle
        self.active = 0
        self.last_activity = time.monotonic()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.identity = _identity()

    def run(self) -> None:
        from oscheck.detectors import scancode_worker as worker

        worker.load_index()
        # Forked after the index is loaded: the workers share it copy-on-write.
        self.pool = multiprocessing.get_context("fork").Pool(self.jobs)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        tmp = self.socket_path.with_name(f"{self.socket_path.name}.{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        listener.bind(str(tmp))
        tmp.chmod(0o600)
        listener.listen(16)
        tmp.replace(self.socket_path)  # appears only when ready to serve
        listener.settimeout(1.0)
        log.info("scancode service ready on %s with %d workers", self.socket_path, self.jobs)
        try:
            while not self.stopping.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    with self.lock:
                        idle_for = time.monotonic() - self.last_activity
                        if self.active == 0 and idle_for > self.idle:
                            break
                    continue
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()
        finally:
            # Stop accepting before the socket goes away: a client that sees no socket starts
            # a new service (under the spawn lock), never talks to a dying one.
            listener.close()
            with contextlib.suppress(OSError):
                self.socket_path.unlink()
            self.pool.terminate()

    def _serve(self, conn: socket.socket) -> None:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        if uid != os.getuid():
            conn.close()
            return
        with self.lock:
            self.active += 1
        send_lock = threading.Lock()
        try:
            while True:
                try:
                    header, payload = _recv(conn)
                except (ConnectionError, OSError, ValueError):
                    return
                self._handle(conn, send_lock, header, payload)
        finally:
            with self.lock:
                self.active -= 1
                self.last_activity = time.monotonic()
            conn.close()

    def _handle(self, conn: socket.socket, send_lock: threading.Lock, header: dict[str, Any], payload: bytes) -> None:
        from oscheck.detectors import scancode_worker as worker

        op = header.get("op")

        def reply(body: dict[str, Any]) -> None:
            with send_lock, contextlib.suppress(OSError):
                _send(conn, body)

        if op == "ping":
            reply({"op": "pong", **self.identity, "jobs": self.jobs, "pid": os.getpid()})
        elif op == "scan":
            job = worker.Job(
                key=str(header["key"]),
                basename=str(header["basename"]),
                in_locale=bool(header.get("in_locale")),
                data=payload,
            )
            timeout = float(header.get("timeout", worker.DEFAULT_TIMEOUT))

            def done(result: tuple[str, dict[str, Any]]) -> None:
                reply({"op": "result", "key": result[0], "result": result[1]})

            def failed(exc: BaseException) -> None:
                reply({"op": "result", "key": job.key, "result": {"error": f"{type(exc).__name__}: {exc}"[:500]}})

            self.pool.apply_async(worker.scan_job, (job, timeout), callback=done, error_callback=failed)
        elif op == "refs":
            try:
                body = worker.follow_references(header["path"], header["licenses"], header["candidates"])
                reply({"op": "refs", "result": body})
            except Exception as exc:  # reference following must not take the service down
                reply({"op": "refs", "error": f"{type(exc).__name__}: {exc}"[:500]})
        elif op == "stop":
            reply({"op": "stopping"})
            self.stopping.set()
        else:
            reply({"op": "error", "error": f"unknown op {op!r}"})


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m oscheck.detectors.scancode_service")
    ap.add_argument("--socket", type=Path, required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--idle", type=float, default=DEFAULT_IDLE)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    _Server(args.socket, max(1, args.jobs), args.idle).run()
    # The 1.4 GB heap takes over a second to free; nothing is left to flush.
    os._exit(0)


# -- client -------------------------------------------------------------------------------


@dataclass
class ServiceInfo:
    pid: int
    jobs: int
    socket: Path


class ServiceUnavailable(Exception):
    pass


class ScancodeService:
    """A connection to a running service; ``start_or_connect`` starts one if needed."""

    def __init__(self, sock: socket.socket, info: ServiceInfo) -> None:
        self.sock = sock
        self.info = info

    @staticmethod
    def socket_path(cache_dir: Path) -> Path:
        return runtime_dir(cache_dir) / "scancode.sock"

    @classmethod
    def connect(cls, cache_dir: Path) -> ScancodeService | None:
        """The running service, or ``None`` (stale sockets and other versions are stopped)."""
        path = cls.socket_path(cache_dir)
        if not path.exists():
            return None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(10)
            sock.connect(str(path))
            _send(sock, {"op": "ping"})
            pong, _ = _recv(sock)
        except (OSError, ConnectionError, ValueError):
            sock.close()
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        ident = _identity()
        if any(pong.get(k) != v for k, v in ident.items()):
            with contextlib.suppress(OSError):
                _send(sock, {"op": "stop"})
            sock.close()
            return None
        sock.settimeout(None)
        return cls(sock, ServiceInfo(int(pong["pid"]), int(pong["jobs"]), path))

    @classmethod
    def start_or_connect(
        cls, cache_dir: Path, jobs: int, idle: float = DEFAULT_IDLE, wait: float = 300.0
    ) -> ScancodeService:
        """Connect to the service, starting it (and waiting for its index) when none runs."""
        lock_path = runtime_dir(cache_dir) / "scancode.lock"
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            service = cls.connect(cache_dir)
            if service is not None:
                return service
            log_path = runtime_dir(cache_dir) / "scancode-service.log"
            with log_path.open("ab") as out:
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "oscheck.detectors.scancode_service",
                        "--socket",
                        str(cls.socket_path(cache_dir)),
                        "--jobs",
                        str(jobs),
                        "--idle",
                        str(idle),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                    cwd="/",
                    env={**os.environ, "OSCHECK_SCANCODE_SERVICE": "0"},
                )
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                time.sleep(0.1)
                service = cls.connect(cache_dir)
                if service is not None:
                    return service
        raise ServiceUnavailable(f"the scancode service did not start within {wait:.0f} s; see {log_path}")

    def scan(self, jobs: Iterable[Any], timeout: float, window: int) -> Iterator[tuple[str, dict[str, Any]]]:
        """Send ``jobs`` (``scancode_worker.Job``) with at most ``window`` in flight; yield results."""
        pending = iter(jobs)
        in_flight = 0

        def send_next() -> bool:
            job = next(pending, None)
            if job is None:
                return False
            _send(
                self.sock,
                {
                    "op": "scan",
                    "key": job.key,
                    "basename": job.basename,
                    "in_locale": job.in_locale,
                    "timeout": timeout,
                },
                job.data,
            )
            return True

        while in_flight < window and send_next():
            in_flight += 1
        while in_flight:
            header, _ = _recv(self.sock)
            if header.get("op") != "result":
                raise ServiceUnavailable(f"unexpected reply from the scancode service: {header.get('op')}")
            in_flight -= 1
            if send_next():
                in_flight += 1
            yield str(header["key"]), dict(header["result"])

    def follow_references(self, path: str, licenses: dict[str, Any], candidates: dict[str, Any]) -> dict[str, Any]:
        _send(self.sock, {"op": "refs", "path": path, "licenses": licenses, "candidates": candidates})
        header, _ = _recv(self.sock)
        if "error" in header:
            raise ServiceUnavailable(str(header["error"]))
        return dict(header["result"])

    def stop(self, wait: float = 15.0) -> None:
        """Ask the service to stop and wait until its socket is gone."""
        with contextlib.suppress(OSError, ConnectionError):
            _send(self.sock, {"op": "stop"})
            _recv(self.sock)
        self.close()
        deadline = time.monotonic() + wait
        while self.info.socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


if __name__ == "__main__":
    main()
