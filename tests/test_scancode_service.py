"""The warm license-index service: started on demand, same answers, stops when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import fixture_repo, make_repo, run_oscheck

from oscheck import ScanOptions, scan
from oscheck.detectors.scancode import FileLicense
from oscheck.detectors.scancode_service import ScancodeService

pytestmark = pytest.mark.slow


def test_service_gives_the_same_answers_and_serves_later_scans(
    tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = fixture_repo("apache-with-gpl-vendor", tmp_path / "repo")
    in_process = scan(str(repo), ScanOptions(jobs=1, use_cache=False))
    monkeypatch.setenv("OSCHECK_SCANCODE_SERVICE", "1")
    try:
        served = scan(str(repo), ScanOptions(jobs=2, use_cache=False))
        assert {o.location.path: o.spdx for o in served.of_type(FileLicense)} == {
            o.location.path: o.spdx for o in in_process.of_type(FileLicense)
        }
        service = ScancodeService.connect(fresh_cache)
        assert service is not None and service.info.jobs == 2
        pid = service.info.pid
        service.close()
        # A later scan (another process) reuses the running service.
        make_repo(tmp_path / "other", {"x.py": "# SPDX-License-Identifier: MIT\n"})
        proc = run_oscheck("scan", str(tmp_path / "other"), "-q", env={"OSCHECK_SCANCODE_SERVICE": "1"})
        assert proc.returncode == 0, proc.stderr
        again = ScancodeService.connect(fresh_cache)
        assert again is not None and again.info.pid == pid
        again.close()
        status = run_oscheck("service", "status")
        assert f"process {pid}" in status.stdout
    finally:
        stopped = run_oscheck("service", "stop")
    assert "stopped" in stopped.stdout
    assert ScancodeService.connect(fresh_cache) is None
