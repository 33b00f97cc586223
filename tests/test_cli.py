"""Command-line contracts: exit codes, formats, fail-on, languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_repo, run_oscheck, validate_report

from oscheck.outputs import FORMATTERS, OutputFormat, parse_formats

pytestmark = pytest.mark.slow


@pytest.fixture
def unlicensed(tmp_path: Path) -> Path:
    make_repo(tmp_path / "r", {"README.md": "# r\n", "a.py": "x = 1\n"})
    return tmp_path / "r"


def test_every_output_format_has_a_formatter() -> None:
    assert set(FORMATTERS) == set(OutputFormat)
    for fmt in OutputFormat:
        assert FORMATTERS[fmt].format is fmt


def test_format_aliases() -> None:
    assert parse_formats("json, md") == [OutputFormat.JSON, OutputFormat.MARKDOWN]


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_without_program(unlicensed: Path, fail_on: str, code: int) -> None:
    # Without a program, "no license" is reported as a warning.
    proc = run_oscheck("scan", str(unlicensed), "--fail-on", fail_on, "-q", "--jobs", "1")
    assert proc.returncode == code, proc.stderr


def test_dev_track_without_license_fails(unlicensed: Path) -> None:
    proc = run_oscheck("scan", str(unlicensed), "--program", "nipa-oss-ai-dev-2026", "--jobs", "1")
    assert proc.returncode == 1
    assert "LIC001" in proc.stdout and "Verdict: fail" in proc.stdout


def test_markdown_and_json_files_in_output_dir(unlicensed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_oscheck("scan", str(unlicensed), "--format", "json,markdown", "--output-dir", str(out), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    validate_report(json.loads((out / "r.json").read_text()))
    md = (out / "r.md").read_text()
    assert md.startswith("## oscheck: ✅ compliant") and "`LIC001`" in md
    assert f"wrote {out / 'r.json'}" in proc.stderr


def test_only_takes_a_comma_separated_list(unlicensed: Path) -> None:
    proc = run_oscheck("scan", str(unlicensed), "--only", "ai-api,community", "--format", "json", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    ran = set(report["tool"]["detectors"])
    assert ran == {"ai-api", "community"}
    bad = run_oscheck("scan", str(unlicensed), "--only", "licenses,licence")
    assert bad.returncode == 2
    assert "unknown detector group 'licence'; choose from ai-api, community" in bad.stderr


def test_korean_output(unlicensed: Path) -> None:
    proc = run_oscheck("--lang", "ko", "scan", str(unlicensed), "--jobs", "1")
    assert "라이선스 파일, 라이선스 선언, 라이선스 메타데이터를 찾지 못했습니다" in proc.stdout
    assert "판정: 적합" in proc.stdout


def test_version_and_help() -> None:
    assert run_oscheck("--version").stdout.startswith("oscheck, version")
    assert "scan" in run_oscheck("--help").stdout


def test_rules_json_lists_every_rule() -> None:
    rules = json.loads(run_oscheck("rules", "--format", "json").stdout)
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and "LIC001" in ids and "SCN002" in ids
    assert all(r["title"]["ko"] != r["title"]["en"] for r in rules)
