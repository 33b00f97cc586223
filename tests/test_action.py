"""The GitHub Action (action.yml) run step by step as the runner would, on real repositories.

``action_runner.run_action`` evaluates ``if:``, substitutes ``${{ … }}``, runs each
``run:`` with bash in a temporary ``GITHUB_WORKSPACE`` with ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY`` and ``RUNNER_TEMP``, and records the ``uses:`` steps (setup-python,
upload-sarif, upload-artifact) it cannot run here.

The install step runs for real: it creates a virtualenv and pip-installs oscheck from a
copy of this repository (the action's checkout). Tests have no network, so the runner's
package cache is "warm" (``action_runner.warm_cache_env``): the dependencies come from
this test virtualenv, oscheck itself from the fresh install.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from action_runner import ActionRun, copy_repository, run_action, warm_cache_env
from helpers import FIXTURES, ROOT, commit, make_repo, validate_report
from test_sarif import validate as validate_sarif

from oscheck.cli import action as action_step
from oscheck.outputs import OutputFormat

BROKEN_TAG = "# SPDX-License-Identifier: Apache 2 License\nx = 1\n"
SBOM_READY = {"spdx-json", "cyclonedx-json"} <= {f.value for f in OutputFormat}


@pytest.fixture(scope="session")
def action_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(ROOT, tmp_path_factory.mktemp("actions") / "oscheck")


@pytest.fixture(scope="session")
def warm_runner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return warm_cache_env(tmp_path_factory.mktemp("runner-env"))


def _annotations(run: ActionRun, kind: str) -> list[str]:
    return [line for line in run.step("Scan").stdout.splitlines() if line.startswith(f"::{kind} ")]


@pytest.mark.slow
def test_repository_with_violations(tmp_path: Path, action_dir: Path, warm_runner: dict[str, str]) -> None:
    workspace = tmp_path / "workspace"
    files: dict[str, str | bytes] = {f"service/src/mod_{i:02}.py": BROKEN_TAG for i in range(12)}
    files["service/pyproject.toml"] = (
        '[project]\nname = "svc"\nversion = "1.0"\n\n'
        "[tool.oscheck]\n"
        'exemptions = [{rule = "LIC004", path = "src/mod_11.py", reason = "검증기관 확인 완료 (2026-06-30)"}]\n'
    )
    make_repo(workspace, files)
    run = run_action(
        action_dir,
        workspace,
        tmp_path / "runner-temp",
        # licenses only: this test is about the action's mechanics on license findings
        {"path": "service", "program": "nipa-oss-ai-dev-2026", "track": "dev", "only": "licenses"},
        env=warm_runner,
    )

    install = run.step("Install oscheck")
    assert install.exit_code == 0, install.stderr
    python = install.outputs["python"]
    assert python.startswith(str(tmp_path / "runner-temp"))
    where = subprocess.run(
        [python, "-c", "import oscheck; print(oscheck.__file__)"],
        capture_output=True,
        text=True,
        env={**os.environ, **warm_runner},
        cwd=workspace,
    )
    assert where.stdout.startswith(str(tmp_path / "runner-temp")), where  # the installed copy, not the test tree
    assert run.step("Set up Python").skipped_reason == "uses"
    assert run.step("Set up Python").with_ == {"python-version": "3.11"}

    scan = run.step("Scan")
    assert scan.exit_code == 0, scan.stderr
    errors, warnings = _annotations(run, "error"), _annotations(run, "warning")
    # The repository-level finding points at the manifest (no README here), line 1, repository-relative.
    assert errors == [
        "::error file=service/pyproject.toml,line=1,title=LIC001 The project has no license::"
        "No license file, license declaration or license metadata was found"
    ]
    lic004 = [w for w in warnings if "title=LIC004" in w]
    assert len(lic004) == 10  # GitHub's limit; mod_11 is exempted, one more is left to the summary
    assert all(w.startswith("::warning file=service/src/mod_") and ",line=1," in w for w in lic004)
    assert not any("mod_11" in w for w in warnings)
    if not SBOM_READY:
        assert any("format spdx-json is not available" in w for w in warnings)

    out = run.outputs
    assert out["verdict"] == "fail" and out["errors"] == "1" and out["warnings"] == "11"
    assert out["report-file"] == "oscheck-reports/oscheck.json"
    assert out["sarif-file"] == "oscheck-reports/oscheck.sarif"
    report = json.loads((workspace / out["report-file"]).read_text())
    validate_report(report)
    sarif = json.loads((workspace / out["sarif-file"]).read_text())
    validate_sarif(sarif)
    results = sarif["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "service/pyproject.toml" in uris and "service/src/mod_00.py" in uris
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == 1 and suppressed[0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ].endswith("mod_11.py")
    assert sarif["runs"][0]["automationDetails"]["id"].startswith("oscheck/service/nipa-oss-ai-dev-2026/")

    upload = run.step("Upload SARIF to code scanning")
    assert upload.skipped_reason == "uses" and upload.uses and "@" in upload.uses
    assert upload.with_ == {"sarif_file": "oscheck-reports/oscheck.sarif"}
    sbom = run.step("Upload SBOMs")
    if SBOM_READY:
        assert sbom.skipped_reason == "uses" and sbom.with_["path"] == "oscheck-reports/sbom"
        assert out["spdx-file"] and (workspace / out["spdx-file"]).is_file()
        assert out["cyclonedx-file"] and (workspace / out["cyclonedx-file"]).is_file()
    else:
        assert sbom.skipped_reason == "condition" and out["spdx-file"] == "" and out["cyclonedx-file"] == ""

    assert "## oscheck: ❌ not compliant" in run.summary
    assert run.summary.count("`LIC004`") == 12  # every finding, the exempted one marked
    assert "1 findings were not annotated" in run.summary
    assert "`oscheck-reports/oscheck.sarif`" in run.summary

    gate = run.step("Fail per fail-on")
    assert gate.ran and gate.exit_code == 1
    assert gate.stdout.strip() == "::error title=oscheck::fail: 1 errors, 11 warnings, 0 notes (fail-on: error)"
    assert run.failed


@pytest.mark.slow
def test_clean_repository_on_a_shallow_clone(tmp_path: Path, action_dir: Path, warm_runner: dict[str, str]) -> None:
    origin = tmp_path / "origin"
    repo = make_repo(
        origin,
        {
            "LICENSE": (FIXTURES / "apache-with-gpl-vendor" / "LICENSE").read_text(),
            "README.md": "# 데모\n\n## 설치\n\npip install demo\n\n## 사용법\n\ndemo run\n\n## 라이선스\n\nApache-2.0\n",
            ".oscheck.yml": "program: nipa-oss-ai-dev-2026\ntrack: dev\nlicense: Apache-2.0\n",
            # a development-track project must run a community: its files are part of "clean"
            "CONTRIBUTING.md": "# 기여 안내\n",
            "CODE_OF_CONDUCT.md": "# 행동 강령\n연락처: conduct@example.kr\n",
            "SECURITY.md": "# 보안 정책\nsecurity@example.kr 로 알려 주십시오.\n",
            "CHANGELOG.md": "# 변경 이력\n",
            "MAINTAINERS.md": "김민지 <minji@example.kr>\n",
            ".github/ISSUE_TEMPLATE/bug.md": "name: 버그\n",
            ".github/pull_request_template.md": "## 변경 내용\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        },
    )
    commit(repo, {"src/app.py": "# SPDX-License-Identifier: Apache-2.0\nprint('hi')\n"}, message="app")
    workspace = tmp_path / "workspace"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(workspace)], check=True)
    run = run_action(
        action_dir,
        workspace,
        tmp_path / "runner-temp",
        {"formats": "sarif,markdown", "upload-sbom": "false", "lang": "ko"},
        env=warm_runner,
    )
    scan = run.step("Scan")
    assert scan.exit_code == 0, scan.stderr
    assert _annotations(run, "error") == []
    # On a shallow clone the development track's history checks are unknown, not passed:
    # one warning (COM020) says so, and the action's notice names the fix.
    warnings = _annotations(run, "warning")
    assert len(warnings) == 1 and "title=COM020" in warnings[0]
    notices = _annotations(run, "notice")
    assert sum("fetch-depth: 0" in n and "title=oscheck" in n for n in notices) == 1
    assert run.outputs["verdict"] == "pass" and run.outputs["errors"] == "0" and run.outputs["warnings"] == "1"
    assert (workspace / "oscheck-reports" / "oscheck.md").is_file()
    assert run.step("Upload SARIF to code scanning").skipped_reason == "uses"
    assert run.step("Upload SBOMs").skipped_reason == "condition"
    assert run.step("Fail per fail-on").skipped_reason == "condition"
    assert not run.failed
    assert "## oscheck: ✅" in run.summary and "fetch-depth: 0" in run.summary


def _env(tmp_path: Path, **inputs: str) -> dict[str, str]:
    env = {f"INPUT_{k.upper()}": v for k, v in inputs.items()}
    env |= {
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "sum"),
    }
    return env


@pytest.mark.parametrize(
    ("inputs", "code", "text"),
    [
        ({"FAIL_ON": "sometimes"}, 2, "input 'fail-on': expected one of error, warning, note, never"),
        ({"FORMATS": "sarf"}, 2, "input 'formats': unknown format 'sarf'"),
        ({"UPLOAD_SARIF": "maybe"}, 2, "input 'upload-sarif': expected true or false"),
        ({"ONLY": "licences"}, 2, "input 'only': unknown detector group 'licences'"),
        ({"CHANGED_SINCE": "no-such-rev"}, 3, "unknown revision 'no-such-rev'"),
        ({"PATH": "missing"}, 3, "input 'path': missing is not a folder of the workspace"),
    ],
)
def test_bad_inputs_are_one_error_annotation(tmp_path: Path, inputs: dict[str, str], code: int, text: str) -> None:
    make_repo(tmp_path, {"a.py": "x = 1\n"})
    out = io.StringIO()
    assert action_step.run_action(_env(tmp_path, **inputs), out) == code
    errors = [line for line in out.getvalue().splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and errors[0].startswith("::error title=oscheck::") and text in errors[0], errors
    assert f"exit-code={code}" in (tmp_path / "out").read_text()


@pytest.mark.slow
def test_fetch_history_unshallows_and_gate_flag(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    repo = make_repo(origin, {"README.md": "# x\n"})
    commit(repo, {"a.py": BROKEN_TAG}, message="second")
    ws = tmp_path / "ws"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(ws)], check=True)
    out = io.StringIO()
    env = _env(ws, FETCH_HISTORY="true", FAIL_ON="warning", FORMATS="", UPLOAD_SARIF="false")
    assert action_step.run_action(env, out, gate=True) == 1
    shallow = subprocess.run(
        ["git", "-C", str(ws), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True
    )
    assert shallow.stdout.strip() == "false"
    assert "fetched the whole history" in (ws / "sum").read_text()
    assert "sarif-file=\n" in (ws / "out").read_text()


ISSUE_INPUTS = {
    "path", "config", "program", "track", "fail-on", "formats", "output-dir",
    "upload-sarif", "upload-sbom", "python-version", "oscheck-version",
}  # fmt: skip
ISSUE_OUTPUTS = {"verdict", "errors", "warnings", "sarif-file", "spdx-file", "cyclonedx-file", "report-file"}
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _workflow_files() -> list[Path]:
    return [ROOT / "action.yml", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]


def test_action_metadata_and_pinning() -> None:
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(spec["inputs"]) >= ISSUE_INPUTS and set(spec["outputs"]) >= ISSUE_OUTPUTS
    assert spec["inputs"]["fail-on"]["default"] == "error"
    for path in _workflow_files():
        text = path.read_text()
        lines = text.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"\s*(?:- )?uses:\s*(\S+)", line)
            if not m or m.group(1) == "./":
                continue
            # Pinned by full commit sha, with the version it is named on the line above.
            assert _PINNED.match(m.group(1)), f"{path.name}:{i + 1}: {m.group(1)} is not pinned by commit sha"
            assert re.search(r"#.*v\d+\.\d+\.\d+", lines[i - 1]), f"{path.name}:{i + 1}: say which version the sha is"
        doc = yaml.safe_load(text)
        steps = doc["runs"]["steps"] if "runs" in doc else [s for job in doc["jobs"].values() for s in job["steps"]]
        for step in steps:
            # Inputs reach scripts through env:, never spliced into shell text.
            assert "${{ inputs." not in step.get("run", ""), step


def test_documented_yaml_parses() -> None:
    doc = (ROOT / "docs" / "github-action.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        yaml.safe_load(block)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "oscheck" and hooks[0]["entry"].endswith("--files") and hooks[0]["require_serial"]
