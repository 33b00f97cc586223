"""Acquiring targets: folders, git URLs at pinned refs, and one clear line when it fails."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import commit, make_repo, run_oscheck

from oscheck import ScanOptions, scan
from oscheck.errors import TargetUnavailable
from oscheck.sources.gitcmd import redact_text, redact_url


def _repo_with_history(root: Path) -> tuple[str, str]:
    repo = make_repo(root, {"a.txt": "one\n"})
    first = repo.head.commit.hexsha
    repo.create_tag("v1.0")
    second = commit(repo, {"a.txt": "two\n", "b.txt": "new\n"})
    return first, second


def test_git_url_at_tag_branch_and_commit(tmp_path: Path) -> None:
    first, second = _repo_with_history(tmp_path / "up")
    url = f"file://{tmp_path / 'up'}"
    opts = dict(jobs=1, only=("licenses",), cache_dir=tmp_path / "cache")
    at_tag = scan(url, ScanOptions(ref="v1.0", **opts))  # type: ignore[arg-type]
    assert at_tag.target.commit == first and {f.path for f in at_tag.files} == {"a.txt"}
    at_branch = scan(url, ScanOptions(ref="main", **opts))  # type: ignore[arg-type]
    assert at_branch.target.commit == second and {f.path for f in at_branch.files} == {"a.txt", "b.txt"}
    at_sha = scan(url, ScanOptions(ref=first, **opts))  # type: ignore[arg-type]
    assert at_sha.target.commit == first
    assert at_sha.target.uri == url and at_sha.target.kind.value == "git"


def test_new_commits_are_fetched_into_the_cached_clone(tmp_path: Path) -> None:
    _repo_with_history(tmp_path / "up")
    url = f"file://{tmp_path / 'up'}"
    opts = ScanOptions(jobs=1, only=("licenses",), cache_dir=tmp_path / "cache")
    before = scan(url, opts)
    import git

    third = commit(git.Repo(tmp_path / "up"), {"c.txt": "c\n"})
    after = scan(url, opts)
    assert before.target.commit != third and after.target.commit == third


def test_local_folder_at_ref(tmp_path: Path) -> None:
    first, _ = _repo_with_history(tmp_path / "r")
    result = scan(str(tmp_path / "r"), ScanOptions(ref="v1.0", jobs=1, only=("licenses",)))
    assert result.target.commit == first and {f.path for f in result.files} == {"a.txt"}


def test_work_tree_honours_gitignore_and_oscheckignore(tmp_path: Path) -> None:
    make_repo(tmp_path / "r", {".gitignore": "build/\n*.log\n", ".oscheckignore": "docs/**\n", "src/a.py": "x=1\n"})
    (tmp_path / "r" / "build").mkdir()
    (tmp_path / "r" / "build" / "out.py").write_text("generated\n")
    (tmp_path / "r" / "debug.log").write_text("log\n")
    (tmp_path / "r" / "docs").mkdir()
    (tmp_path / "r" / "docs" / "x.md").write_text("doc\n")
    (tmp_path / "r" / "untracked.py").write_text("y=2\n")
    result = scan(str(tmp_path / "r"), ScanOptions(jobs=1, only=("licenses",)))
    assert {f.path for f in result.files} == {".gitignore", ".oscheckignore", "src/a.py", "untracked.py"}
    assert result.target.dirty is True


def test_plain_folder_without_git(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "pkg").mkdir(parents=True)
    (root / ".gitignore").write_text("*.tmp\n")
    (root / "pkg" / "a.py").write_text("a = 1\n")
    (root / "pkg" / "b.tmp").write_text("tmp\n")
    result = scan(str(root), ScanOptions(jobs=1, only=("licenses",)))
    assert {f.path for f in result.files} == {".gitignore", "pkg/a.py"}
    assert result.target.commit is None


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["scan", "/nonexistent/folder"], 3, "no such folder"),
        (["scan", "https://user:s3cret@127.0.0.1:9/x.git"], 3, "cannot clone"),
        (["scan", "{repo}", "--ref", "no-such-branch"], 3, "revision 'no-such-branch' not found"),
        (["scan", "file://{tmp}/not-a-repo"], 3, "cannot clone"),
        (["scan", "{repo}", "--ref", "--upload-pack=touch /tmp/pwned"], 2, "not a valid git revision"),
        (["scan", "{repo}", "--format", "pdf"], 2, "unknown format 'pdf'"),
        (["scan", "{repo}", "--program", "no-such-program"], 2, "unknown program 'no-such-program'"),
        (["scan", "{repo}", "--program", "nipa-oss-ai-use-2026", "--track", "dev"], 2, "has no track 'dev'"),
    ],
)
def test_failures_are_one_line_with_the_right_exit_code(
    tmp_path: Path, args: list[str], code: int, needle: str
) -> None:
    _repo_with_history(tmp_path / "repo")
    (tmp_path / "not-a-repo").mkdir()
    argv = [a.format(repo=tmp_path / "repo", tmp=tmp_path) for a in args]
    proc = run_oscheck(
        *argv,
        "--only",
        "licenses",
        "-q",
        "--jobs",
        "1",
        env={"OSCHECK_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "s3cret" not in proc.stderr + proc.stdout
    assert not Path("/tmp/pwned").exists()


def test_credentials_never_printed() -> None:
    assert redact_url("https://user:tok@github.com/o/r.git") == "https://github.com/o/r.git"
    assert redact_url("https://github.com:8443/o/r") == "https://github.com:8443/o/r"
    text = "fatal: unable to access 'https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/o/r/'"
    assert "ghp_" not in redact_text(text) and "x-access-token" not in redact_text(text)


def test_scan_of_a_file_not_a_folder(tmp_path: Path) -> None:
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(TargetUnavailable):
        scan(str(f), ScanOptions(only=("licenses",)))


def test_hooks_never_run(tmp_path: Path) -> None:
    """A repository's own .git/config cannot make us run a program (fsmonitor, hooks)."""
    root = tmp_path / "r"
    make_repo(root, {"a.py": "x = 1\n"})
    marker = tmp_path / "ran"
    subprocess.run(["git", "-C", str(root), "config", "core.fsmonitor", f"touch {marker}"], check=True)
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    scan(str(root), ScanOptions(jobs=1, only=("licenses",)))
    scan(f"file://{root}", ScanOptions(jobs=1, only=("licenses",), cache_dir=tmp_path / "c"))
    assert not marker.exists()


@pytest.mark.parametrize(
    ("stderr", "retry"),
    [
        ("fatal: unable to access 'https://h/x.git/': Could not resolve host: h", True),
        ("fatal: unable to access 'https://h/x.git/': The requested URL returned error: 503", True),
        ("error: RPC failed; curl 56 Recv failure: Connection reset by peer", True),
        ("fatal: unable to access 'https://h/x.git/': The requested URL returned error: 403", False),
        ("remote: Repository not found.\nfatal: repository 'https://h/x.git/' not found", False),
        ("fatal: Authentication failed for 'https://h/x.git/'", False),
    ],
)
def test_which_clone_failures_are_retried(stderr: str, retry: bool) -> None:
    from oscheck.sources.git import _PERMANENT, _TRANSIENT

    assert (bool(_TRANSIENT.search(stderr)) and not _PERMANENT.search(stderr)) is retry


def test_cached_clone_keeps_network_transports_and_refuses_file(tmp_path: Path) -> None:
    _repo_with_history(tmp_path / "up")
    scan(f"file://{tmp_path / 'up'}", ScanOptions(jobs=1, only=("licenses",), cache_dir=tmp_path / "c"))
    clone = next((tmp_path / "c" / "repos").glob("*.git"))

    def get(key: str) -> str:
        return subprocess.run(
            ["git", "--git-dir", str(clone), "config", "--get", key], capture_output=True, text=True, check=False
        ).stdout.strip()

    assert get("protocol.file.allow") == "never" and get("protocol.ext.allow") == "never"
    assert get("protocol.allow") == ""  # http(s), ssh and git keep git's defaults for later fetches
