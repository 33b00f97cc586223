"""`oscheck licenses explain|check` as a user runs them: output, JSON and exit codes."""

from __future__ import annotations

import json

import pytest
from helpers import run_oscheck


@pytest.mark.parametrize(
    ("args", "code", "verdict"),
    [
        (["--inbound", "MIT", "--outbound", "Apache-2.0"], 0, "compatible"),
        (["--inbound", "Apache-2.0", "--outbound", "GPL-2.0-only"], 1, "incompatible"),
        (["--inbound", "llama3.1", "--outbound", "Apache-2.0", "--context", "model", "--commercial"], 4, "review"),
        (
            ["--inbound", "CC-BY-NC-4.0", "--outbound", "Apache-2.0", "--context", "model", "--commercial"],
            1,
            "incompatible",
        ),
        (["--inbound", "LGPL-2.1-only", "--outbound", "MIT", "--context", "dynamic-link"], 0, "compatible"),
    ],
)
def test_check_exit_codes_and_json(args: list[str], code: int, verdict: str) -> None:
    done = run_oscheck("licenses", "check", *args, "--format", "json")
    assert done.returncode == code, done.stderr
    data = json.loads(done.stdout)
    assert data["verdict"] == verdict
    assert {"verdict", "reasons", "chosen"} <= set(data)
    assert all(r["source"] for r in data["reasons"])


def test_check_records_the_chosen_branch() -> None:
    done = run_oscheck(
        "licenses", "check", "--inbound", "GPL-3.0-only OR MIT", "--outbound", "GPL-2.0-only", "--format", "json"
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["chosen"] == {"inbound": "MIT", "outbound": None}


def test_check_text_in_korean() -> None:
    done = run_oscheck(
        "--lang",
        "ko",
        "licenses",
        "check",
        "--inbound",
        "AGPL-3.0-only",
        "--outbound",
        "MIT",
        "--context",
        "network-service",
    )
    assert done.returncode == 1
    assert "판정: incompatible" in done.stdout and "해결 방법:" in done.stdout and "출처:" in done.stdout


@pytest.mark.parametrize("bad", ["Foo-1.0", "(MIT", "MIT AND", ""])
def test_bad_expression_is_one_line_and_exit_2(bad: str) -> None:
    done = run_oscheck("licenses", "check", "--inbound", bad, "--outbound", "MIT")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("oscheck: ") and "Traceback" not in done.stderr
    done = run_oscheck("licenses", "explain", bad)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_explain_model_license() -> None:
    done = run_oscheck("licenses", "explain", "llama3.1", "--format", "json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["category"] == "use-restricted" and data["osi_approved"] is False
    assert any("700,000,000" in c for c in data["conditions"])
    assert data["licenses"][0]["source"].startswith("Llama 3.1 Community License")


def test_explain_text() -> None:
    done = run_oscheck("licenses", "explain", "Apache-2.0 OR GPL-2.0-only")
    assert done.returncode == 0
    assert "category: permissive" in done.stdout and "OSI-approved: yes" in done.stdout
    assert "judged by the branch you may choose: Apache-2.0" in done.stdout
