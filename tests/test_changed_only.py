"""Only-changed mode: ``--changed-since REV`` and ``--files`` on real git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURES, commit, make_repo, run_oscheck, validate_report

from oscheck.errors import InputError, TargetUnavailable
from oscheck.sources.changes import changed_paths, given_paths

BROKEN_TAG = "# SPDX-License-Identifier: Apache 2 License\nx = 1\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_changed_paths_cover_edits_renames_and_new_files(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = make_repo(
        root,
        {
            "a.py": "a\n",
            "b.py": "b = 1\n" * 20,
            "d.py": "d\n",
            "keep.py": "k\n",
            ".gitignore": "*.log\n",
            "sub/s.py": "s\n",
        },
    )
    _git(root, "branch", "base")
    _git(root, "checkout", "-q", "-b", "feature")
    _git(root, "mv", "b.py", "c.py")
    commit(repo, {"a.py": "a changed\n", "sub/t.py": "t\n"}, delete=["d.py"], message="feature work")
    # The merge base counts, not the tip of the base branch: later commits there are not ours.
    _git(root, "checkout", "-q", "base")
    commit(repo, {"only-on-base.py": "x\n"}, message="base moves on")
    _git(root, "checkout", "-q", "feature")
    # Not committed: a staged file, an unstaged edit, an untracked file and an ignored one.
    (root / "f.py").write_text("staged\n")
    _git(root, "add", "f.py")
    (root / "keep.py").write_text("edited, not staged\n")
    (root / "e.py").write_text("untracked\n")
    (root / "g.log").write_text("ignored\n")

    assert changed_paths(root, "base") == {"a.py", "c.py", "sub/t.py", "f.py", "keep.py", "e.py"}
    # A sub-folder as the target: paths relative to it, the rest left out.
    assert changed_paths(root / "sub", "base") == {"t.py"}


def test_unknown_revision_and_non_git_folder(tmp_path: Path) -> None:
    make_repo(tmp_path / "repo", {"a.py": "a\n"})
    with pytest.raises(TargetUnavailable, match=r"unknown revision 'nope'.*fetch-depth: 0"):
        changed_paths(tmp_path / "repo", "nope")
    with pytest.raises(TargetUnavailable, match="unknown revision"):
        changed_paths(tmp_path / "repo", "--output=/tmp/x")  # never taken as an option
    (tmp_path / "plain").mkdir()
    with pytest.raises(InputError, match="needs a git repository"):
        changed_paths(tmp_path / "plain", "HEAD")


def test_given_paths_are_made_relative_to_the_target(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    assert given_paths(root, ["src/a.py", "./b.py", "../outside.py"], cwd=root) == {"src/a.py", "b.py"}
    assert given_paths(root, ["repo/src/a.py"], cwd=tmp_path) == {"src/a.py"}


def test_cli_unknown_revision_exits_3(tmp_path: Path) -> None:
    make_repo(tmp_path / "repo", {"a.py": "a\n"})
    proc = run_oscheck("scan", str(tmp_path / "repo"), "--changed-since", "no-such-branch")
    assert proc.returncode == 3
    assert "unknown revision 'no-such-branch'" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_extra_arguments_need_files_flag(tmp_path: Path) -> None:
    proc = run_oscheck("scan", str(tmp_path), "a.py")
    assert proc.returncode == 2 and "--files" in proc.stderr


@pytest.mark.slow
def test_changed_since_limits_file_checks_but_keeps_project_rules(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    apache = (FIXTURES / "apache-with-gpl-vendor" / "LICENSE").read_text()
    repo = make_repo(root, {"LICENSE": apache, "README.md": "# demo\n", "old.py": BROKEN_TAG})
    _git(root, "branch", "base")
    commit(repo, {"new.py": BROKEN_TAG, "clean.py": "# SPDX-License-Identifier: Apache-2.0\n"}, message="add files")

    proc = run_oscheck("scan", str(root), "--changed-since", "base", "--format", "json", "-j", "1")
    doc = json.loads(proc.stdout)
    validate_report(doc)
    lic004 = sorted(f["location"]["path"] for f in doc["findings"] if f["rule_id"] == "LIC004")
    assert lic004 == ["new.py"]  # old.py was not changed
    # The LICENSE did not change, yet the project license is still known: no LIC001.
    assert doc["project_license"]["spdx"] == "Apache-2.0"
    assert not [f for f in doc["findings"] if f["rule_id"] == "LIC001"]
    assert doc["stats"]["only_paths"] == 2

    # --files, as pre-commit calls it: the files are the arguments, the target the current folder.
    proc = run_oscheck("scan", "--files", "old.py", "--format", "json", "-j", "1", cwd=root)
    doc = json.loads(proc.stdout)
    assert sorted(f["location"]["path"] for f in doc["findings"] if f["rule_id"] == "LIC004") == ["old.py"]
    assert not [f for f in doc["findings"] if f["rule_id"] == "LIC001"]
