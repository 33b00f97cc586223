"""Test helpers: real git repositories from fixture trees, the CLI as a real process, schemas.

No test needs the network: repositories are built here with GitPython, and servers that
stand in for the Hugging Face Hub, registries or GitHub run on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import git
import jsonschema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
KST = timezone(timedelta(hours=9))
# The day tests judge dates on (conftest sets OSCHECK_TODAY to it).
TODAY = date(2026, 6, 15)


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(
    root: Path,
    files: Mapping[str, str | bytes] | None = None,
    *,
    message: str = "initial commit",
    author: tuple[str, str] = ("Kim Minji", "minji@example.kr"),
    when: datetime | None = None,
) -> git.Repo:
    """A real git repository at ``root`` with one commit of ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", author[0])
        cw.set_value("user", "email", author[1])
        cw.set_value("commit", "gpgsign", "false")
    if files:
        commit(repo, files, message=message, author=author, when=when)
    return repo


def commit(
    repo: git.Repo,
    files: Mapping[str, str | bytes],
    *,
    message: str = "change",
    author: tuple[str, str] = ("Kim Minji", "minji@example.kr"),
    when: datetime | None = None,
    delete: Sequence[str] = (),
    stage_all: bool = True,
) -> str:
    """Write ``files``, remove ``delete``, commit as ``author`` at ``when``; return the commit id.

    Commits go through the git command line (as a developer makes them), which also
    copes with file names that are not UTF-8.
    """
    root = Path(repo.working_tree_dir or ".")
    write_tree(root, files)
    for rel in delete:
        (root / rel).unlink()
    stamp = git_date(when or datetime(2026, 5, 4, 10, 0, tzinfo=KST))
    env = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": author[0],
        "GIT_COMMITTER_EMAIL": author[1],
        "GIT_COMMITTER_DATE": stamp,
    }
    if stage_all:
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, capture_output=True)
    subprocess.run(
        ["git", "-C", str(root), "commit", "-q", "--allow-empty", "--no-verify", "-m", message],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def git_date(when: datetime) -> str:
    """Git's raw date format ("<unix seconds> +0900"), which GitPython passes through."""
    offset = when.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def fixture_repo(name: str, dest: Path) -> Path:
    """Copy ``tests/fixtures/<name>/`` to ``dest`` and commit it as a real repository."""
    shutil.copytree(FIXTURES / name, dest, symlinks=True)
    commit(make_repo(dest), {}, message=f"fixture {name}")
    return dest


def run_oscheck(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """``python -m oscheck ARGS`` as a real process (exit codes, stdout, stderr as a user sees them)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "oscheck", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    # A JSON report on standard output must follow the schema, whatever the test checks.
    if proc.returncode in (0, 1) and proc.stdout.lstrip().startswith('{\n  "schema": "oscheck-report/1"'):
        validate_report(json.loads(proc.stdout))
    return proc


@cache
def report_schema() -> dict[str, Any]:
    return json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))


def validate_report(doc: Mapping[str, Any]) -> None:
    """Every JSON report a test sees must follow docs/report.schema.json."""
    jsonschema.validate(doc, report_schema(), format_checker=jsonschema.FormatChecker())
