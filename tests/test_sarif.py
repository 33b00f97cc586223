"""SARIF 2.1.0 of real fixture scans: schema-valid, every rule described, stable fingerprints."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import ROOT, commit, fixture_repo, make_repo, run_oscheck

from oscheck import ScanOptions, scan
from oscheck.outputs.sarif import SarifFormat
from oscheck.policy import all_rules

SHARED_SCHEMA = ROOT.parent.parent / "shared" / "schemas" / "sarif-2.1.0.json"


@cache
def schema() -> dict[str, Any]:
    """The OASIS schema copied into the package (a clean clone has no ../shared)."""
    doc: dict[str, Any] = json.loads((ROOT / "oscheck" / "outputs" / "schemas" / "sarif-2.1.0.json").read_text())
    return doc


def validate(doc: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(doc)


def test_shipped_schema_is_the_oasis_one() -> None:
    assert (
        schema()["$id"]
        == "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    )
    if SHARED_SCHEMA.exists():
        assert json.loads(SHARED_SCHEMA.read_text()) == schema()


def test_invalid_sarif_is_rejected_by_the_schema() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["apache-with-gpl-vendor", "headers-disagree", "no-license"])
def test_fixture_scans_validate(fixture: str, tmp_path: Path) -> None:
    repo = fixture_repo(fixture, tmp_path / "repo")
    proc = run_oscheck(
        "scan", str(repo), "--format", "sarif", "--program", "nipa-oss-ai-dev-2026", "--track", "dev", "-j", "1"
    )
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    validate(doc)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "oscheck" and driver["version"] and driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [r.id for r in all_rules()]
    for rule, descriptor in zip(all_rules(), driver["rules"], strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] and descriptor["fullDescription"]["text"]
        assert rule.fix in descriptor["help"]["markdown"] and rule.fix in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.value
        assert rule.check_key in descriptor["properties"]["tags"]
    assert run["automationDetails"]["id"].startswith("oscheck/nipa-oss-ai-dev-2026/")
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] and loc["region"]["startLine"] >= 1
        assert res["partialFingerprints"]["primaryLocationLineHash"]
    if fixture == "no-license":
        (lic001,) = [r for r in run["results"] if r["ruleId"] == "LIC001"]
        assert lic001["level"] == "error"
        assert lic001["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "README.md"
        assert lic001["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    if fixture == "headers-disagree":
        lic005 = sorted(
            (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["level"])
            for r in run["results"]
            if r["ruleId"] == "LIC005"
        )
        assert lic005 == [("src/server.py", "note"), ("src/tokenizer.py", "note")]


@pytest.mark.slow
def test_fingerprints_survive_line_moves_and_exemptions_are_suppressions(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = make_repo(
        root,
        {
            "README.md": "# demo\n",
            "a.py": "# SPDX-License-Identifier: Apache 2 License\n",
            "weird name, 1%.py": "# SPDX-License-Identifier: not a license!\n",
            ".oscheck.yml": "exemptions:\n  - rule: LIC004\n    path: 'weird*'\n    reason: 검증기관 확인 완료\n",
        },
    )
    fmt = SarifFormat()

    def results() -> dict[str, dict[str, Any]]:
        doc = fmt.document(scan(str(root), ScanOptions(jobs=1)))
        validate(doc)
        return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in doc["runs"][0]["results"]}

    first = results()
    assert first["a.py"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    weird = first["weird%20name%2C%201%25.py"]
    assert weird["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "검증기관 확인 완료"}]
    assert "suppressions" not in first["a.py"]
    commit(repo, {"a.py": '"""Docstring."""\n\n# SPDX-License-Identifier: Apache 2 License\n'}, message="move")
    second = results()
    assert second["a.py"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert second["a.py"]["partialFingerprints"] == first["a.py"]["partialFingerprints"]


@pytest.mark.slow
def test_korean_sarif(tmp_path: Path) -> None:
    repo = fixture_repo("no-license", tmp_path / "repo")
    proc = run_oscheck("--lang", "ko", "scan", str(repo), "--format", "sarif", "--fail-on", "never", "-j", "1")
    doc = json.loads(proc.stdout)
    validate(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["LIC001"]["shortDescription"]["text"] == "프로젝트에 라이선스가 없습니다"
