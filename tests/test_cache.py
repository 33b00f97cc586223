"""The content-addressed detection cache: unchanged files are never scanned twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import commit, fixture_repo, make_repo, run_oscheck

from oscheck import ScanOptions, scan
from oscheck.detectors.scancode import FileLicense

pytestmark = pytest.mark.slow


def test_warm_rescan_scans_nothing_and_one_change_scans_one(tmp_path: Path, fresh_cache: Path) -> None:
    repo_dir = fixture_repo("apache-with-gpl-vendor", tmp_path / "repo")
    cold = scan(str(repo_dir), ScanOptions(jobs=1))
    assert cold.stats["scancode_scanned"] == cold.stats["scancode_files"] > 0
    warm = scan(str(repo_dir), ScanOptions(jobs=1))
    assert warm.stats["scancode_scanned"] == 0
    assert warm.stats["scancode_cache_hits"] == warm.stats["scancode_files"]
    assert {o.location.path: o.spdx for o in warm.of_type(FileLicense)} == {
        o.location.path: o.spdx for o in cold.of_type(FileLicense)
    }
    (repo_dir / "src" / "app" / "__init__.py").write_text("# SPDX-License-Identifier: MIT\nx = 2\n")
    changed = scan(str(repo_dir), ScanOptions(jobs=1))
    assert changed.stats["scancode_scanned"] == 1
    assert {o.location.path: o.spdx for o in changed.of_type(FileLicense)}["src/app/__init__.py"] == "MIT"


def test_identical_files_across_repositories_are_scanned_once(tmp_path: Path, fresh_cache: Path) -> None:
    text = (Path(__file__).parent / "fixtures" / "apache-with-gpl-vendor" / "LICENSE").read_text()
    make_repo(tmp_path / "a", {"LICENSE": text, "a.py": "print('a')\n"})
    make_repo(tmp_path / "b", {"LICENSE": text, "b.py": "print('b')\n", "copy/LICENSE": text})
    first = scan(str(tmp_path / "a"), ScanOptions(jobs=1))
    second = scan(str(tmp_path / "b"), ScanOptions(jobs=1))
    assert first.stats["scancode_scanned"] == 2
    # LICENSE twice in b, both known from a: only b.py is new
    assert second.stats["scancode_scanned"] == 1


def test_no_cache_scans_everything(tmp_path: Path, fresh_cache: Path) -> None:
    make_repo(tmp_path / "r", {"x.py": "# SPDX-License-Identifier: MIT\n"})
    scan(str(tmp_path / "r"), ScanOptions(jobs=1))
    again = scan(str(tmp_path / "r"), ScanOptions(jobs=1, use_cache=False))
    assert again.stats["scancode_scanned"] == 1


def test_cache_info_and_clear(tmp_path: Path, fresh_cache: Path) -> None:
    repo = make_repo(tmp_path / "r", {"x.py": "# SPDX-License-Identifier: MIT\n"})
    assert run_oscheck("scan", str(tmp_path / "r"), "-q", "--jobs", "1").returncode == 0
    info = json.loads(run_oscheck("cache", "info", "--json").stdout)
    assert info["path"] == str(fresh_cache)
    assert sum(info["entries"].values()) >= 1 and info["size_bytes"] > 0
    cleared = run_oscheck("cache", "clear")
    assert cleared.returncode == 0
    info = json.loads(run_oscheck("cache", "info", "--json").stdout)
    assert info["entries"] == {}
    commit(repo, {"y.py": "y = 1\n"})
