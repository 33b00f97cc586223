"""What runs inside scancode worker processes. Importing this module imports scancode.

The parent loads the license index once (``load_index``) and then forks the workers, so
the ~1.4 GB index is shared copy-on-write instead of being unpickled per process
(measured: 3.6 s and 1.4 GB per load). Each job carries the file's bytes; the worker
writes them to a private temporary file with the original base name (scancode reads the
name: the extension, ``package.json``, a ``locale`` folder) and runs the same two scanner
functions the scancode CLI runs for ``-l`` and ``-c``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

# scancode's CLI default per-file timeout; it gives the matcher 1/2.5 of it as a deadline.
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class Job:
    key: str
    basename: str
    in_locale: bool
    data: bytes


class _Timeout(Exception):
    pass


_tmpdir: str | None = None


def load_index() -> None:
    """Unpickle the license index in this process (call before forking workers).

    Also installs the answer-identical candidate selection of ``scancode_accel`` and
    builds its inverted index here, so forked workers share it too.
    """
    from licensedcode.cache import get_cache, get_index

    from oscheck.detectors import scancode_accel

    idx = get_index()
    get_cache()
    scancode_accel.prepare(idx)
    scancode_accel.install()


def _workdir() -> str:
    global _tmpdir
    if _tmpdir is None or not os.path.isdir(_tmpdir):
        # tmpfs: scancode reads a real file; mkdtemp makes a private 0700 folder in it.
        base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108
        _tmpdir = tempfile.mkdtemp(prefix=f"oscheck-{os.getpid()}-", dir=base)
    return _tmpdir


def cleanup() -> None:
    global _tmpdir
    if _tmpdir:
        shutil.rmtree(_tmpdir, ignore_errors=True)
        _tmpdir = None


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """A hard per-file limit; only the main thread of a process can take signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def scan_job(job: Job, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, dict[str, Any]]:
    """Licenses and copyrights of one file, as scancode's API returns them."""
    from scancode import api

    folder = os.path.join(_workdir(), "locale") if job.in_locale else _workdir()
    os.makedirs(folder, exist_ok=True)
    location = os.path.join(folder, job.basename)
    started = time.monotonic()
    result: dict[str, Any] = {}
    try:
        with open(os.fsencode(location), "wb") as fh:
            fh.write(job.data)
        with _time_limit(timeout):
            deadline = time.time() + timeout / 2.5
            licenses = api.get_licenses(
                location,
                min_score=0,
                include_text=False,
                license_text_diagnostics=False,
                license_diagnostics=False,
                deadline=deadline,
                unknown_licenses=False,
            )
            copyrights = api.get_copyrights(location, deadline=time.time() + timeout / 2.5)
        result = {"licenses": licenses, "copyrights": copyrights, "refs": _referenced(licenses, location)}
    except _Timeout:
        result = {"error": "timeout", "timeout": timeout}
    except Exception as exc:  # scancode can fail on odd input; the file becomes a finding
        result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    finally:
        with contextlib.suppress(OSError):
            os.unlink(os.fsencode(location))
    result["seconds"] = round(time.monotonic() - started, 4)
    return job.key, result


def _referenced(licenses: dict[str, Any], location: str) -> list[list[str]]:
    """Per detection, the files its rules point at ("see LICENSE"), unless already resolved.

    Needs the rules of the index, so it is computed here and cached with the result; the
    parent then follows references without loading the index.
    """
    from licensedcode.detection import (
        LicenseDetectionFromResult,
        get_referenced_filenames,
        has_resolved_referenced_file,
    )

    refs: list[list[str]] = []
    for mapping in licenses.get("license_detections") or []:
        detection = LicenseDetectionFromResult.from_license_detection_mapping(
            license_detection_mapping=mapping, file_path=location
        )
        names = get_referenced_filenames(detection.matches)
        if not names or has_resolved_referenced_file(detection.matches):
            refs.append([])
        else:
            refs.append([str(n) for n in names])
    return refs


# ---------------------------------------------------------------------------------------
# Following references to other files ("See LICENSE"), exactly as the scancode CLI's
# license plugin does after a scan (licensedcode.plugin_license.process_codebase).


class _Resource:
    def __init__(self, path: str, licenses: dict[str, Any]) -> None:
        self.path = path
        self.is_file = True
        self.license_detections: list[dict[str, Any]] = licenses.get("license_detections") or []
        self.detected_license_expression = licenses.get("detected_license_expression")
        self.detected_license_expression_spdx = licenses.get("detected_license_expression_spdx")

    def parent_path(self) -> str:
        return self.path.rsplit("/", 1)[0]


class _Root:
    path = "ROOT"


class _Codebase:
    """The few Codebase methods scancode's reference following uses."""

    def __init__(self, resources: dict[str, _Resource]) -> None:
        self.resources = resources
        self.root = _Root()

    def get_resource(self, path: str) -> _Resource | None:
        return self.resources.get(path)

    def save_resource(self, resource: _Resource) -> None:
        return None


def follow_references(path: str, licenses: dict[str, Any], referenced: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``licenses`` of ``path`` updated with the detections of the files it refers to.

    ``referenced`` maps the paths of candidate files (siblings and root files named by the
    rules) to their own scancode results.
    """
    import copy

    from licensedcode.plugin_license import add_referenced_filenames_license_matches_for_detections

    resources = {f"ROOT/{p}": _Resource(f"ROOT/{p}", copy.deepcopy(lic)) for p, lic in referenced.items()}
    me = _Resource(f"ROOT/{path}", copy.deepcopy(licenses))
    resources[me.path] = me
    add_referenced_filenames_license_matches_for_detections(me, _Codebase(resources))
    out = dict(licenses)
    out["license_detections"] = me.license_detections
    out["detected_license_expression"] = me.detected_license_expression
    out["detected_license_expression_spdx"] = me.detected_license_expression_spdx
    for detection in out["license_detections"]:
        for match in detection.get("matches", []):
            if isinstance(match.get("from_file"), str) and match["from_file"].startswith("ROOT/"):
                match["from_file"] = match["from_file"][5:]
    return out
