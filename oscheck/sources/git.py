"""Git URLs: cloned (or fetched) into a bare repository in the cache, read at a pinned commit.

Nothing is checked out: files are read from git's object store (``git cat-file --batch``),
so a hostile repository's symlinks, case collisions or huge files never touch the disk
as files. Clones run with the safe configuration of :mod:`oscheck.sources.gitcmd`, a time
limit and a size cap.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import git

from oscheck.errors import InputError, TargetUnavailable
from oscheck.i18n import _
from oscheck.model import Target, TargetKind
from oscheck.sources.gitcmd import auth_config, git_command, redact_text, redact_url, safe_env
from oscheck.sources.interface import EntryType, Source, SourceTree, TreeEntry

DEFAULT_CLONE_TIMEOUT = 900.0  # seconds
DEFAULT_MAX_REPO_BYTES = 4 << 30

_URL_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!//)")
_SHA = re.compile(r"^[0-9a-f]{7,64}$")


class CloneFailed(TargetUnavailable):
    """A clone or fetch failed; ``retryable`` is true for failures worth a retry (network)."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def is_git_url(value: str) -> bool:
    return value.startswith(_URL_SCHEMES) or bool(_SCP_LIKE.match(value))


def check_url(url: str) -> None:
    if not is_git_url(url):
        raise InputError(
            _("{url}: not a git URL (expected https://, ssh://, git@host:path or file://)", url=redact_url(url))
        )


class GitSource(Source):
    """A repository by URL, cloned into ``cache_dir`` and read at ``ref`` (default: HEAD)."""

    def __init__(
        self,
        url: str,
        ref: str | None,
        cache_dir: Path,
        *,
        timeout: float = DEFAULT_CLONE_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_REPO_BYTES,
        shallow: bool = False,
    ) -> None:
        check_url(url)
        self.url = url
        self.ref = ref
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.shallow = shallow

    @property
    def repo_dir(self) -> Path:
        key = hashlib.sha256(redact_url(self.url).encode()).hexdigest()[:24]
        return self.cache_dir / "repos" / f"{key}.git"

    def acquire(self) -> SourceTree:
        repo_dir = self.repo_dir
        repo_dir.parent.mkdir(parents=True, exist_ok=True)
        with _locked(repo_dir.with_suffix(".lock")):
            if not (repo_dir / "HEAD").exists():
                self._clone(repo_dir)
            elif not self._has_pinned_commit(repo_dir):
                self._fetch(repo_dir)
            commit = resolve_commit(repo_dir, self.ref or "HEAD", label=redact_url(self.url))
        target = Target(TargetKind.GIT, redact_url(self.url), ref=self.ref, commit=commit)
        return GitCommitTree(repo_dir, commit, target)

    def _has_pinned_commit(self, repo_dir: Path) -> bool:
        """A full commit id already present needs no network (resumed batches, offline)."""
        if not self.ref or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", self.ref):
            return False
        out = subprocess.run(
            git_command(["--git-dir", str(repo_dir), "cat-file", "-e", f"{self.ref}^{{commit}}"]),
            capture_output=True,
            env=safe_env(),
            timeout=60,
            check=False,
        )
        return out.returncode == 0

    def _clone(self, repo_dir: Path) -> None:
        tmp = repo_dir.with_name(repo_dir.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        args = ["clone", "--bare", "--no-recurse-submodules", "--quiet"]
        if self.shallow:
            args += ["--depth", "1"]
            if self.ref and not _SHA.match(self.ref):
                args += ["--branch", self.ref]
        args += ["--", self.url, str(tmp)]
        try:
            self._run_watched(args, tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        # Later fetches update every branch and tag, like a mirror, without the refs/pull noise.
        git.Repo(tmp).git.config("remote.origin.fetch", "+refs/heads/*:refs/heads/*")
        _harden_repo_config(tmp)
        tmp.rename(repo_dir)

    def _fetch(self, repo_dir: Path) -> None:
        args = ["--git-dir", str(repo_dir), "fetch", "--quiet", "--prune", "--tags", "origin"]
        if self.ref and _SHA.match(self.ref):
            args += ["+refs/heads/*:refs/heads/*", self.ref]
        self._run_watched(args, repo_dir)

    def _run_watched(self, args: list[str], watch_dir: Path) -> None:
        """Run git with a time limit and a size cap on ``watch_dir``; one clear error if either trips."""
        env = safe_env(auth_config(self.url))
        proc = subprocess.Popen(git_command(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        stderr_chunks: list[bytes] = []
        reader = threading.Thread(target=_drain, args=(proc.stderr, stderr_chunks), daemon=True)
        reader.start()
        deadline = time.monotonic() + self.timeout
        problem: str | None = None
        while proc.poll() is None:
            time.sleep(0.2)
            if time.monotonic() > deadline:
                problem = _(
                    "git took longer than {seconds} s; raise --clone-timeout or check the network",
                    seconds=int(self.timeout),
                )
            elif _dir_size(watch_dir) > self.max_bytes:
                problem = _(
                    "the repository is larger than the {mib} MiB cap (--max-repo-size)", mib=self.max_bytes >> 20
                )
            if problem:
                proc.kill()
                proc.wait()
                raise CloneFailed(f"{redact_url(self.url)}: {problem}", retryable=False)
        reader.join(timeout=5)
        if proc.returncode != 0:
            err = redact_text(b"".join(stderr_chunks).decode("utf-8", "replace"))
            lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
            last = lines[-1] if lines else f"git exited with {proc.returncode}"
            last = re.sub(r"^(fatal|error): ", "", last)
            retryable = bool(_TRANSIENT.search(err)) and not _PERMANENT.search(err)
            raise CloneFailed(
                _("{url}: cannot clone or fetch ({reason})", url=redact_url(self.url), reason=last),
                retryable=retryable,
            )


# Network trouble worth a retry; a 4xx answer, a missing repository or refused credentials
# will not change on the next attempt.
_TRANSIENT = re.compile(
    r"Could not resolve host|timed out|Connection (reset|refused|timed out)|early EOF|RPC failed|"
    r"unable to access|TLS|returned error: 5\d\d|HTTP 5\d\d"
)
_PERMANENT = re.compile(
    r"returned error: 4\d\d|Repository not found|Authentication failed|not found|does not appear to be a git "
    r"repository|Permission denied"
)


def _drain(stream: IO[bytes] | None, into: list[bytes]) -> None:
    if stream is None:
        return
    for chunk in iter(lambda: stream.read(4096), b""):
        if sum(len(c) for c in into) < 1 << 16:
            into.append(chunk)


def _dir_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, f)).st_size
    return total


def _harden_repo_config(repo_dir: Path) -> None:
    """Make the cached clone safe for anyone who later runs git in it by hand.

    Network transports keep git's defaults (the origin may be http, https, ssh or git);
    the local ``file`` transport and ``ext`` (which runs a command) are refused, so a
    submodule fetched by hand cannot reach the scanning machine's files.
    """
    repo = git.Repo(repo_dir)
    with repo.config_writer() as cw:
        cw.set_value('protocol "file"', "allow", "never")
        cw.set_value('protocol "ext"', "allow", "never")
        cw.set_value("core", "hooksPath", "/dev/null")


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """One process at a time per cached repository (batch workers share the cache)."""
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def resolve_commit(repo_path: Path, ref: str, label: str | None = None) -> str:
    """The full commit id that ``ref`` (branch, tag, or commit id) names; exit 3 if none."""
    if ref.startswith("-"):
        raise InputError(_("{ref}: not a valid git revision", ref=ref))
    gitdir_args = ["--git-dir", str(repo_path)] if repo_path.suffix == ".git" else ["-C", str(repo_path)]
    out = subprocess.run(
        git_command([*gitdir_args, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"]),
        capture_output=True,
        env=safe_env(),
        timeout=60,
        check=False,
    )
    if out.returncode != 0:
        raise TargetUnavailable(
            _(
                "{target}: revision '{ref}' not found (a branch, tag or commit id of the repository)",
                target=label or repo_path,
                ref=ref,
            )
        )
    return out.stdout.decode().strip()


class GitCommitTree(SourceTree):
    """The files of one commit, read from the object store."""

    def __init__(self, repo_path: Path, commit: str, target: Target, subdir: str | None = None) -> None:
        self.repo_path = repo_path
        self.commit = commit
        self.target = target
        self.subdir = subdir
        self._batch: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def git_dir(self) -> Path | None:
        return self.repo_path

    def _git_args(self) -> list[str]:
        if self.repo_path.suffix == ".git" or (self.repo_path / "HEAD").is_file():
            return ["--git-dir", str(self.repo_path)]
        return ["-C", str(self.repo_path)]

    def entries(self) -> Iterator[TreeEntry]:
        args = [*self._git_args(), "ls-tree", "-r", "-z", "-l", "--full-tree", self.commit]
        if self.subdir:
            args += ["--", self.subdir]
        out = subprocess.run(git_command(args), capture_output=True, env=safe_env(), timeout=600, check=False)
        if out.returncode != 0:
            raise TargetUnavailable(
                _("{target}: cannot list the files of commit {commit}", target=self.target.uri, commit=self.commit)
            )
        prefix = (self.subdir.rstrip("/") + "/") if self.subdir else ""
        symlinks: list[tuple[str, str, int]] = []
        for record in out.stdout.split(b"\0"):
            if not record:
                continue
            meta, _tab, raw_path = record.partition(b"\t")
            mode_s, otype, oid, size_s = meta.split()
            path = os.fsdecode(raw_path)
            if prefix:
                path = path[len(prefix) :]
            mode = int(mode_s, 8)
            if otype == b"commit":
                yield TreeEntry(path, EntryType.SUBMODULE, 0, mode, blob_id=oid.decode())
            elif mode == 0o120000:
                symlinks.append((path, oid.decode(), int(size_s)))
            else:
                yield TreeEntry(path, EntryType.FILE, int(size_s), mode, blob_id=oid.decode())
        for path, link_oid, size in symlinks:
            target = self._cat(link_oid, size).decode("utf-8", "surrogateescape") if size < 4096 else ""
            yield TreeEntry(path, EntryType.SYMLINK, size, 0o120000, link_target=target, blob_id=link_oid)

    def read_bytes(self, entry: TreeEntry, limit: int) -> bytes:
        if entry.blob_id is None or entry.type is not EntryType.FILE:
            raise OSError(f"{entry.path}: not a file")
        if entry.size > limit:
            raise OSError(f"{entry.path}: larger than {limit} bytes")
        return self._cat(entry.blob_id, entry.size)

    def _cat(self, oid: str, size: int) -> bytes:
        with self._lock:
            proc = self._batch_process()
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(oid.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline()
            parts = header.split()
            if len(parts) != 3:
                raise OSError(f"object {oid} missing")
            length = int(parts[2])
            data = _read_exact(proc.stdout, length)
            proc.stdout.read(1)  # the newline after each object
            return data

    def _batch_process(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = subprocess.Popen(
                git_command([*self._git_args(), "cat-file", "--batch"]),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=safe_env(),
            )
        return self._batch

    def close(self) -> None:
        if self._batch is not None:
            with contextlib.suppress(OSError):
                if self._batch.stdin:
                    self._batch.stdin.close()
            self._batch.wait(timeout=10)
            self._batch = None


def _read_exact(stream: IO[bytes], n: int) -> bytes:
    chunks = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            raise OSError("unexpected end of git output")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)
