"""The pre-commit hook (.pre-commit-hooks.yaml) run by the real ``pre-commit`` on a real repository.

pre-commit clones this repository (a copy, committed), builds the hook's virtualenv with
``language: python`` and pip-installs oscheck into it, as on a developer's machine. Tests
have no network, so the package cache is "warm" (``action_runner.warm_cache_env``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from action_runner import copy_repository, warm_cache_env
from helpers import FIXTURES, ROOT, commit, make_repo

BROKEN_TAG = "# SPDX-License-Identifier: Apache 2 License\nx = 1\n"
CLEAN = "# SPDX-License-Identifier: Apache-2.0\nprint('안녕')\n"


def _run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.slow
def test_hook_refuses_a_staged_problem_and_passes_a_clean_file(tmp_path: Path) -> None:
    hooks = copy_repository(ROOT, tmp_path / "oscheck-hooks")
    rev = commit(make_repo(hooks), {}, message="the hook repository")
    env = {**os.environ, **warm_cache_env(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    project = tmp_path / "project"
    config = f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: oscheck\n        args: [--fail-on, warning]\n"
    repo = make_repo(
        project,
        {
            "LICENSE": (FIXTURES / "apache-with-gpl-vendor" / "LICENSE").read_text(),
            "README.md": "# demo\n",
            # An old problem, already committed: the hook looks only at what is staged.
            "legacy.py": BROKEN_TAG,
            ".pre-commit-config.yaml": config,
        },
    )
    del repo

    (project / "clean.py").write_text(CLEAN)
    subprocess.run(["git", "-C", str(project), "add", "clean.py"], check=True)
    ok = _run(project, env, "run")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "oscheck (licenses and external AI APIs in staged files)" in ok.stdout and "Passed" in ok.stdout

    (project / "bad.py").write_text(BROKEN_TAG)
    subprocess.run(["git", "-C", str(project), "add", "bad.py"], check=True)
    refused = _run(project, env, "run")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Failed" in refused.stdout
    assert "LIC004" in refused.stdout and "bad.py:1" in refused.stdout
    assert "legacy.py" not in refused.stdout


@pytest.mark.slow
def test_hook_refuses_a_staged_hosted_api_call_in_the_use_track(tmp_path: Path) -> None:
    hooks = copy_repository(ROOT, tmp_path / "oscheck-hooks")
    rev = commit(make_repo(hooks), {}, message="the hook repository")
    env = {**os.environ, **warm_cache_env(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    project = tmp_path / "project"
    config = f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: oscheck\n"
    make_repo(
        project,
        {
            "LICENSE": (FIXTURES / "apache-with-gpl-vendor" / "LICENSE").read_text(),
            "README.md": "# demo\n",
            ".oscheck.yml": "program: nipa-oss-ai-use-2026\ntrack: use\nlicense: Apache-2.0\n",
            ".pre-commit-config.yaml": config,
        },
    )
    # A self-hosted, OpenAI-compatible endpoint is allowed.
    (project / "local_llm.py").write_text(
        'from openai import OpenAI\n\nclient = OpenAI(base_url="http://localhost:8000/v1", api_key="none")\n'
    )
    subprocess.run(["git", "-C", str(project), "add", "local_llm.py"], check=True)
    ok = _run(project, env, "run")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # The hosted API is not.
    (project / "hosted.py").write_text("import anthropic\n\nclient = anthropic.Anthropic()\n")
    subprocess.run(["git", "-C", str(project), "add", "hosted.py"], check=True)
    refused = _run(project, env, "run")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "API001" in refused.stdout and "hosted.py:" in refused.stdout
