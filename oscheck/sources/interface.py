"""The acquire stage: a :class:`Source` yields a :class:`SourceTree` to read files from.

Trees are read through :meth:`SourceTree.read_bytes` only, never by following paths on
disk, so the same detectors work on a work tree and on a commit of a bare clone, and no
detector can be tricked into following a symlink out of the target.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from oscheck.model import Target


class EntryType(enum.Enum):
    FILE = "file"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    SPECIAL = "special"


@dataclass(frozen=True)
class TreeEntry:
    """One path of a tree, before its content is read.

    ``path`` is POSIX and relative to the root; a name that is not valid UTF-8 keeps its
    bytes as surrogate escapes (``os.fsdecode``) so it can still be read.
    """

    path: str
    type: EntryType
    size: int
    mode: int = 0o100644
    link_target: str | None = None
    blob_id: str | None = None


class SourceTree(ABC):
    """Files of one target at one state (a work tree, or a commit)."""

    target: Target

    @abstractmethod
    def entries(self) -> Iterator[TreeEntry]:
        """Every path of the tree, ignored files already left out."""

    @abstractmethod
    def read_bytes(self, entry: TreeEntry, limit: int) -> bytes:
        """The content of a FILE entry, at most ``limit`` bytes; never follows a symlink."""

    @property
    def git_dir(self) -> Path | None:
        """The git repository behind this tree, for history-based detectors; ``None`` if none."""
        return None

    @property
    def local_root(self) -> Path | None:
        """The folder on disk when the tree is a work tree (for relative model paths)."""
        return None

    def close(self) -> None:
        """Release processes or temporary folders."""

    def __enter__(self) -> SourceTree:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Source(ABC):
    """Something that can be scanned: a local folder, a git URL, a model."""

    @abstractmethod
    def acquire(self) -> SourceTree:
        """Fetch or open the target; raise ``TargetUnavailable`` when it cannot be."""
