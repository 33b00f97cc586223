"""License detection on real git repositories with the real scancode-toolkit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import fixture_repo, run_oscheck, validate_report

from oscheck import ScanOptions, scan
from oscheck.detectors.project_license import ProjectLicense
from oscheck.detectors.scancode import CopyrightNotice, FileLicense
from oscheck.detectors.spdx_headers import SpdxLicenseTag
from oscheck.model import FileOrigin

pytestmark = pytest.mark.slow


def _by_path(result, cls):  # type: ignore[no-untyped-def]
    return {o.location.path: o for o in result.of_type(cls)}


def test_apache_project_vendoring_gpl_file(tmp_path: Path) -> None:
    repo = fixture_repo("apache-with-gpl-vendor", tmp_path / "repo")
    result = scan(str(repo), ScanOptions(jobs=1))

    licenses = _by_path(result, FileLicense)
    assert licenses["LICENSE"].spdx == "Apache-2.0"
    assert licenses["LICENSE"].location.line == 1
    gpl = licenses["third_party/textnorm/normalize.py"]
    assert gpl.spdx is not None and "GPL-3.0" in gpl.spdx
    assert gpl.origin is FileOrigin.VENDORED
    assert min(d.start_line for d in gpl.detections) == 4
    assert licenses["third_party/textnorm/COPYING"].spdx == "GPL-3.0-only"
    assert licenses["src/app/__init__.py"].spdx == "Apache-2.0"

    project = result.of_type(ProjectLicense)[0]
    assert project.spdx == "Apache-2.0"
    assert {s.source for s in project.statements} == {"declaration", "license-file"}

    copyrights = [c for c in result.of_type(CopyrightNotice) if c.location.path == "third_party/textnorm/normalize.py"]
    assert copyrights and copyrights[0].location.line == 2 and "Jane Doe" in copyrights[0].statement
    assert result.target.commit and len(result.target.commit) == 40


def test_spdx_headers_that_disagree_with_license(tmp_path: Path) -> None:
    repo = fixture_repo("headers-disagree", tmp_path / "repo")
    result = scan(str(repo), ScanOptions(jobs=1))

    assert result.declared_license == "MIT"
    tags = _by_path(result, SpdxLicenseTag)
    assert tags["src/tokenizer.py"].normalized == "BSD-3-Clause"
    assert tags["src/tokenizer.py"].location.line == 1
    assert tags["src/server.py"].normalized == "GPL-2.0-only"
    assert tags["src/server.py"].location.line == 2
    assert tags["src/broken.py"].normalized is None

    by_rule: dict[str, list[str]] = {}
    for f in result.findings:
        by_rule.setdefault(f.rule_id, []).append(str(f.location))
    assert sorted(by_rule["LIC005"]) == ["src/server.py:2", "src/tokenizer.py:1"]
    assert by_rule["LIC004"] == ["src/broken.py:1"]

    scancode = _by_path(result, FileLicense)
    assert scancode["src/tokenizer.py"].spdx == "BSD-3-Clause"
    assert scancode["LICENSE"].spdx == "MIT"


def test_repository_without_license(tmp_path: Path) -> None:
    repo = fixture_repo("no-license", tmp_path / "repo")
    result = scan(str(repo), ScanOptions(jobs=1, program="nipa-oss-ai-dev-2026", track="dev"))
    assert result.declared_license is None
    assert not result.of_type(FileLicense)
    lic001 = [f for f in result.findings if f.rule_id == "LIC001"]
    assert len(lic001) == 1 and lic001[0].severity.value == "error"
    assert lic001[0].location.path == "README.md"
    assert result.summary.verdict.value == "fail"


def test_json_report_follows_schema_and_exit_code(tmp_path: Path) -> None:
    repo = fixture_repo("apache-with-gpl-vendor", tmp_path / "repo")
    # --only licenses: the fixture's single commit is dated 2026-05-04, so on the development
    # track the community rules (COM021, inactivity against today's date) would also fail it.
    proc = run_oscheck("scan", str(repo), "--format", "json", "--jobs", "1", "-q", "--only", "licenses")
    # the vendored GPL-3.0 file cannot be part of an Apache-2.0 work: LIC003 (error) fails the scan
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    validate_report(doc)
    assert "third_party/textnorm/normalize.py" in {
        f["location"]["path"] for f in doc["findings"] if f["rule_id"] == "LIC003"
    }
    assert doc["target"]["commit"]
    assert doc["project_license"]["spdx"] == "Apache-2.0"
    paths = {(lic["path"], lic["source"]) for lic in doc["licenses"]}
    assert ("third_party/textnorm/normalize.py", "scancode") in paths
    assert doc["files"]["vendored"] == 2


def test_same_answers_with_a_process_pool(tmp_path: Path) -> None:
    repo = fixture_repo("apache-with-gpl-vendor", tmp_path / "repo")
    one = scan(str(repo), ScanOptions(jobs=1, use_cache=False))
    two = scan(str(repo), ScanOptions(jobs=2, use_cache=False))
    assert {o.location.path: o.spdx for o in one.of_type(FileLicense)} == {
        o.location.path: o.spdx for o in two.of_type(FileLicense)
    }


def test_tags_inside_reuse_ignore_blocks_are_not_tags(tmp_path: Path) -> None:
    from helpers import make_repo

    make_repo(
        tmp_path / "r",
        {
            "LICENSE": "MIT License\n",
            "tool.py": (
                "# SPDX-License-Identifier: MIT\n"
                "# REUSE-IgnoreStart\n"
                'EXAMPLE = "SPDX-License-Identifier: GPL-2.0-only"\n'
                "# REUSE-IgnoreEnd\n"
                'BROKEN = "SPDX-License-Identifier: Apache 2"\n'
            ),
        },
    )
    result = scan(str(tmp_path / "r"), ScanOptions(jobs=1, only=("licenses",)))
    tags = [(t.location.line, t.normalized) for t in result.of_type(SpdxLicenseTag)]
    assert tags == [(1, "MIT"), (5, None)]
    lic004 = [f for f in result.findings if f.rule_id == "LIC004"]
    assert [str(f.location) for f in lic004] == ["tool.py:5"]
    assert lic004[0].message.en.startswith("'Apache 2' is not a valid SPDX expression (unknown SPDX license id")
