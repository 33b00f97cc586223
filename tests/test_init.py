"""``oscheck init`` writes a declaration that ``oscheck scan`` accepts."""

from __future__ import annotations

from pathlib import Path

from helpers import FIXTURES, make_repo, run_oscheck

from oscheck.config import load_declaration


def test_from_flags(tmp_path: Path) -> None:
    make_repo(tmp_path / "r", {"README.md": "# r\n"})
    proc = run_oscheck(
        "init",
        str(tmp_path / "r"),
        "--no-input",
        "--program",
        "nipa-oss-ai-use-2026",
        "--license",
        "Apache-2.0",
        "--model",
        "Qwen/Qwen2.5-7B-Instruct",
        "--model",
        "./models/ko-intent-clf",
        "--contribution",
        "https://github.com/vllm-project/vllm/pull/12345",
        "--email-domain",
        "hanbit.co.kr",
    )
    assert proc.returncode == 0, proc.stderr
    d = load_declaration(tmp_path / "r").declaration
    assert (d.program, d.track, d.license) == ("nipa-oss-ai-use-2026", "use", "Apache-2.0")  # the only track
    assert [m.ref for m in d.models] == ["Qwen/Qwen2.5-7B-Instruct", "./models/ko-intent-clf"]
    assert d.contributions == ("https://github.com/vllm-project/vllm/pull/12345",)
    assert d.email_domains == ("hanbit.co.kr",)
    scanned = run_oscheck("scan", str(tmp_path / "r"), "--only", "licenses", "-q", "--fail-on", "never")
    assert scanned.returncode == 0, scanned.stderr


def test_interactive_with_detected_license(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    make_repo(repo, {"LICENSE": (FIXTURES / "headers-disagree" / "LICENSE").read_text(), "a.py": "x = 1\n"})
    proc = run_oscheck_input(["init", str(repo)], "nipa-gpu-rental-2025\ntrack-2\n\nmeta-llama/Llama-3.1-8B-Instruct\n")
    assert proc.returncode == 0, proc.stderr
    assert "nipa-oss-ai-dev-2026" in proc.stdout  # the programs are listed
    assert "[MIT]" in proc.stdout  # the detected license is the default
    d = load_declaration(repo).declaration
    assert (d.program, d.track, d.license) == ("nipa-gpu-rental-2025", "track-2", "MIT")
    assert d.models[0].id == "meta-llama/Llama-3.1-8B-Instruct"


def test_refuses_to_overwrite_and_bad_program(tmp_path: Path) -> None:
    make_repo(tmp_path / "r", {".oscheck.yml": "program: nipa-oss-ai-dev-2026\n"})
    proc = run_oscheck("init", str(tmp_path / "r"), "--no-input", "--license", "MIT")
    assert proc.returncode == 2 and "exists already; use --force" in proc.stderr
    proc = run_oscheck("init", str(tmp_path / "r"), "--no-input", "--force", "--program", "nope", "--license", "MIT")
    assert proc.returncode == 2 and "unknown program 'nope'" in proc.stderr
    proc = run_oscheck("init", str(tmp_path / "r"), "--no-input", "--force", "--license", "MIT", "--model", "a/b@")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def run_oscheck_input(args: list[str], stdin: str):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from helpers import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "oscheck", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
