"""LIC003 end to end: a real repository, the real scancode detection, the real policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import commit, fixture_repo, run_oscheck, validate_report

from oscheck import ScanOptions, scan

pytestmark = pytest.mark.slow

EXEMPTION = """program: nipa-oss-ai-dev-2026
track: dev
license: Apache-2.0
exemptions:
  - rule: LIC003
    path: third_party/textnorm/**
    reason: 검증기관 확인 완료 (2026-06-30)
    until: 2099-12-31
"""


def test_vendored_gpl_file_then_exempted(tmp_path: Path) -> None:
    import git

    repo = fixture_repo("apache-with-gpl-vendor", tmp_path / "repo")
    result = scan(str(repo), ScanOptions(jobs=1))
    lic003 = {f.location.path: f for f in result.findings if f.rule_id == "LIC003"}
    gpl = lic003["third_party/textnorm/normalize.py"]
    assert gpl.severity.value == "error" and gpl.exempted is None
    assert gpl.data["license"] == "GPL-3.0-only" and gpl.data["project_license"] == "Apache-2.0"
    assert gpl.data["vendored"] is True and gpl.data["context"] == "combined"
    assert set(lic003) <= {"third_party/textnorm/normalize.py", "third_party/textnorm/COPYING"}
    assert "src/app/__init__.py" not in lic003 and "LICENSE" not in lic003
    assert result.summary.verdict.value == "fail"

    commit(git.Repo(repo), {".oscheck.yml": EXEMPTION}, message="exempt the vendored GPL code")
    done = run_oscheck("scan", str(repo), "--format", "json", "--jobs", "1")
    import json

    report = json.loads(done.stdout)
    validate_report(report)
    exempted = [f for f in report["findings"] if f["rule_id"] == "LIC003"]
    assert exempted and all(f.get("exempted") == "검증기관 확인 완료 (2026-06-30)" for f in exempted)
    assert not [f for f in report["findings"] if f["rule_id"] == "LIC015"]
