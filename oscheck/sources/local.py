"""A folder on disk, scanned as it is (uncommitted changes included).

In a git work tree the file list comes from git (tracked plus untracked-but-not-ignored
files, so ``.gitignore`` is honoured exactly as git does); elsewhere the folder is walked
and ``.gitignore`` files are applied with ``pathspec``. Symlinks are listed, never
followed; FIFOs and devices are listed, never opened.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pathspec

from oscheck.errors import TargetUnavailable
from oscheck.i18n import _
from oscheck.model import Target, TargetKind
from oscheck.sources.gitcmd import git_command, safe_env
from oscheck.sources.ignore import gitignore_spec
from oscheck.sources.interface import EntryType, Source, SourceTree, TreeEntry

log = logging.getLogger(__name__)

_VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr"})


class LocalSource(Source):
    def __init__(self, path: Path, ref: str | None = None) -> None:
        self.path = path
        self.ref = ref

    def acquire(self) -> SourceTree:
        if not self.path.exists():
            raise TargetUnavailable(_("{path}: no such file or folder", path=self.path))
        if not self.path.is_dir():
            raise TargetUnavailable(_("{path}: not a folder; give the repository's folder", path=self.path))
        root = self.path.resolve()
        toplevel = git_toplevel(root)
        if self.ref is not None:
            if toplevel is None:
                raise TargetUnavailable(
                    _("{path}: --ref needs a git repository, and this folder is not one", path=self.path)
                )
            from oscheck.sources.git import GitCommitTree, resolve_commit

            commit = resolve_commit(toplevel, self.ref)
            target = Target(TargetKind.LOCAL, str(root), ref=self.ref, commit=commit)
            subdir = root.relative_to(toplevel).as_posix()
            return GitCommitTree(toplevel, commit, target, subdir=None if subdir == "." else subdir)
        head: str | None = None
        dirty = False
        if toplevel is not None:
            head, dirty = head_state(toplevel)
        return WorkingTree(root, Target(TargetKind.LOCAL, str(root), commit=head, dirty=dirty), toplevel)


def git_toplevel(path: Path) -> Path | None:
    """The top of the git work tree containing ``path``, or ``None``."""
    try:
        out = subprocess.run(
            git_command(["-C", str(path), "rev-parse", "--show-toplevel"]),
            capture_output=True,
            env=safe_env(),
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    top = Path(os.fsdecode(out.stdout.strip()))
    # A repository's config can move its work tree anywhere (core.worktree=/etc); then the
    # folder is read as a plain folder, never the place its config points at.
    if not path.resolve().is_relative_to(top.resolve()):
        log.warning("%s: git says its work tree is %s; reading the folder without git", path, top)
        return None
    return top


def head_state(toplevel: Path) -> tuple[str | None, bool]:
    """HEAD's commit id (``None`` in a repository without commits) and whether the tree is dirty."""
    env = safe_env()
    head = subprocess.run(
        git_command(["-C", str(toplevel), "rev-parse", "--verify", "-q", "HEAD"]),
        capture_output=True,
        env=env,
        timeout=30,
        check=False,
    )
    commit = head.stdout.decode().strip() or None if head.returncode == 0 else None
    status = subprocess.run(
        git_command(["-C", str(toplevel), "status", "--porcelain", "-z", "--ignore-submodules=all"]),
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    return commit, bool(status.stdout.strip())


class WorkingTree(SourceTree):
    def __init__(self, root: Path, target: Target, git_toplevel: Path | None) -> None:
        self.root = root
        self.target = target
        self._toplevel = git_toplevel
        self._gitlinks: set[str] = set()

    @property
    def git_dir(self) -> Path | None:
        return self._toplevel

    @property
    def local_root(self) -> Path | None:
        return self.root

    def entries(self) -> Iterator[TreeEntry]:
        self._gitlinks.clear()
        paths = self._git_paths() if self._toplevel is not None else self._walk_paths()
        for rel in sorted(set(paths)):
            if rel in self._gitlinks:
                # A submodule is reported from the index, whether or not it is checked out.
                yield TreeEntry(rel, EntryType.SUBMODULE, 0, 0o160000)
                continue
            entry = self._entry(rel)
            if entry is not None:
                yield entry

    def _entry(self, rel: str) -> TreeEntry | None:
        full = os.path.join(self.root, rel)
        try:
            st = os.lstat(full)
        except OSError:
            return None  # listed by git but deleted from the work tree
        if stat.S_ISLNK(st.st_mode):
            try:
                link = os.readlink(full)
            except OSError:
                link = ""
            return TreeEntry(rel, EntryType.SYMLINK, st.st_size, st.st_mode, link_target=link)
        if stat.S_ISDIR(st.st_mode):
            # Only gitlinks (submodules) reach here; plain folders are never listed.
            return TreeEntry(rel, EntryType.SUBMODULE, 0, 0o160000)
        if not stat.S_ISREG(st.st_mode):
            return TreeEntry(rel, EntryType.SPECIAL, 0, st.st_mode)
        return TreeEntry(rel, EntryType.FILE, st.st_size, st.st_mode)

    def _git_paths(self) -> list[str]:
        assert self._toplevel is not None
        env = safe_env()
        listed: list[str] = []
        for args in (
            ["ls-files", "-z", "--cached", "--stage"],
            ["ls-files", "-z", "--others", "--exclude-standard"],
        ):
            out = subprocess.run(
                git_command(["-C", str(self.root), *args]),
                capture_output=True,
                env=env,
                timeout=600,
                check=False,
            )
            if out.returncode != 0:
                raise TargetUnavailable(
                    _(
                        "{path}: git could not list the files ({error})",
                        path=self.root,
                        error=out.stderr.decode(errors="replace").strip().splitlines()[-1:] or "?",
                    )
                )
            for record in out.stdout.split(b"\0"):
                if not record:
                    continue
                if "--stage" in args:  # "<mode> <object> <stage>\t<path>"
                    meta, _tab, raw = record.partition(b"\t")
                    path = os.fsdecode(raw)
                    if meta.startswith(b"160000"):
                        self._gitlinks.add(path)
                    listed.append(path)
                else:
                    listed.append(os.fsdecode(record))
        return listed

    def _walk_paths(self) -> list[str]:
        found: list[str] = []
        specs: list[tuple[str, pathspec.PathSpec[Any]]] = []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            rel_dir = os.path.relpath(dirpath, self.root)
            rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
            gi = os.path.join(dirpath, ".gitignore")
            if os.path.isfile(gi) and not os.path.islink(gi):
                with open(gi, encoding="utf-8", errors="replace") as fh:
                    specs.append((rel_dir, gitignore_spec(fh)))

            def ignored(rel: str, is_dir: bool) -> bool:
                for base, spec in specs:
                    if base and not rel.startswith(base + "/"):
                        continue
                    sub = rel[len(base) + 1 :] if base else rel
                    if spec.match_file(sub + ("/" if is_dir else "")):
                        return True
                return False

            keep = []
            for d in dirnames:
                rel = f"{rel_dir}/{d}" if rel_dir else d
                full = os.path.join(dirpath, d)
                if d in _VCS_DIRS or ignored(rel, True):
                    continue
                if os.path.islink(full):
                    found.append(rel)  # a symlink to a folder is listed, not walked
                    continue
                keep.append(d)
            dirnames[:] = keep
            for f in filenames:
                rel = f"{rel_dir}/{f}" if rel_dir else f
                if not ignored(rel, False):
                    found.append(rel)
        return found

    def read_bytes(self, entry: TreeEntry, limit: int) -> bytes:
        full = os.path.join(self.root, entry.path)
        # O_NOFOLLOW: a file swapped for a symlink after listing is refused, not followed.
        # O_NONBLOCK: a file swapped for a FIFO does not hang the scan.
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(f"{entry.path}: not a regular file")
            chunks = []
            remaining = limit
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)
