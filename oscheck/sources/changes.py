"""Which files changed: ``--changed-since REV`` and ``--files F…`` (pull requests, pre-commit).

The answer is a set of paths relative to the scanned folder; file-level detectors look
only at them (``ScanOptions.only_paths``) while project-level rules still run.

``--changed-since REV`` compares the work tree (committed, staged and unstaged changes)
with the merge base of ``REV`` and ``HEAD``, as a pull request's "Files changed" tab
does, and adds untracked files that are not ignored. Renamed and copied files count
under their new name; deleted files are gone and need no scan. Git runs with the safe
configuration of :mod:`oscheck.sources.gitcmd`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from oscheck.errors import InputError, TargetUnavailable
from oscheck.i18n import _
from oscheck.sources.gitcmd import git_command, safe_env
from oscheck.sources.local import git_toplevel

_TIMEOUT = 120


def _git(toplevel: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            git_command(["-C", str(toplevel), *args]),
            capture_output=True,
            env=safe_env(),
            timeout=_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TargetUnavailable(
            _("{path}: git did not answer within {seconds} s", path=toplevel, seconds=_TIMEOUT)
        ) from None
    except OSError as exc:
        raise TargetUnavailable(_("{path}: cannot run git ({error})", path=toplevel, error=exc)) from None


def _resolve(toplevel: Path, rev: str) -> str:
    out = _git(toplevel, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}")
    if out.returncode != 0:
        raise TargetUnavailable(
            _(
                "{path}: unknown revision '{rev}' for --changed-since; fetch it first "
                "(in GitHub Actions: actions/checkout with fetch-depth: 0)",
                path=toplevel,
                rev=rev,
            )
        )
    return out.stdout.decode().strip()


def is_shallow(folder: Path) -> bool:
    """Whether ``folder`` is in a shallow clone (``git rev-parse --is-shallow-repository``)."""
    toplevel = git_toplevel(folder)
    if toplevel is None:
        return False
    out = _git(toplevel, "rev-parse", "--is-shallow-repository")
    return out.returncode == 0 and out.stdout.strip() == b"true"


def unshallow(folder: Path) -> bool:
    """Fetch the whole history of a shallow clone from its ``origin``; ``False`` when that failed."""
    toplevel = git_toplevel(folder)
    if toplevel is None:
        return False
    out = _git(toplevel, "fetch", "--quiet", "--unshallow", "--no-recurse-submodules", "origin")
    return out.returncode == 0


def changed_paths(folder: Path, since: str) -> frozenset[str]:
    """Files of ``folder`` changed since the merge base of ``since`` and ``HEAD`` (relative to ``folder``)."""
    folder = folder.resolve()
    toplevel = git_toplevel(folder)
    if toplevel is None:
        raise InputError(_("{path}: --changed-since needs a git repository, and this folder is not one", path=folder))
    since_commit = _resolve(toplevel, since)
    base = since_commit
    head = _git(toplevel, "rev-parse", "--verify", "-q", "HEAD")
    if head.returncode == 0:
        merge_base = _git(toplevel, "merge-base", since_commit, head.stdout.decode().strip())
        if merge_base.returncode == 0 and merge_base.stdout.strip():
            base = merge_base.stdout.decode().strip()
    diff = _git(toplevel, "diff", "-z", "--name-status", "--find-renames", "--no-ext-diff", "--no-textconv", base, "--")
    if diff.returncode != 0:
        raise TargetUnavailable(
            _(
                "{path}: git diff against {rev} failed: {error}",
                path=toplevel,
                rev=since,
                error=diff.stderr.decode(errors="replace").strip(),
            )
        )
    changed = set(_parse_name_status(diff.stdout))
    untracked = _git(toplevel, "ls-files", "-z", "--others", "--exclude-standard")
    if untracked.returncode == 0:
        changed.update(os.fsdecode(p) for p in untracked.stdout.split(b"\0") if p)
    return _relative_to(folder, toplevel, changed)


def _parse_name_status(raw: bytes) -> Iterable[str]:
    """``git diff -z --name-status``: ``M\\0path\\0``, ``R100\\0old\\0new\\0``; deleted files are skipped."""
    fields = raw.split(b"\0")
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i].decode("ascii", "replace")
        if status[:1] in ("R", "C"):
            yield os.fsdecode(fields[i + 2])
            i += 3
            continue
        if status[:1] != "D":
            yield os.fsdecode(fields[i + 1])
        i += 2


def _relative_to(folder: Path, toplevel: Path, paths: Iterable[str]) -> frozenset[str]:
    """Repository-relative paths -> paths relative to the scanned folder (others dropped)."""
    sub = folder.relative_to(toplevel.resolve()).as_posix()
    if sub == ".":
        return frozenset(paths)
    prefix = sub + "/"
    return frozenset(p[len(prefix) :] for p in paths if p.startswith(prefix))


def given_paths(folder: Path, files: Iterable[str], cwd: Path | None = None) -> frozenset[str]:
    """``--files``: paths as typed (relative to the current folder) -> relative to ``folder``.

    Symbolic links are not followed (``abspath``, not ``resolve``): a staged link is itself
    the file the inventory lists. Paths outside ``folder`` cannot be scanned and are dropped.
    """
    base = Path(os.path.abspath(folder))
    here = Path(os.path.abspath(cwd or Path.cwd()))
    out: set[str] = set()
    for raw in files:
        full = Path(os.path.abspath(here / raw))
        try:
            out.add(full.relative_to(base).as_posix())
        except ValueError:
            # Maybe the folder was given through a link: compare resolved parents.
            try:
                out.add((full.parent.resolve() / full.name).relative_to(base.resolve()).as_posix())
            except ValueError:
                continue
    return frozenset(out)
