"""Acquire: turn what the user typed (a folder, a git URL) into a :class:`SourceTree`."""

from __future__ import annotations

from pathlib import Path

from oscheck.errors import TargetUnavailable
from oscheck.i18n import _
from oscheck.sources.git import GitSource, is_git_url
from oscheck.sources.gitcmd import redact_text, redact_url
from oscheck.sources.interface import EntryType, Source, SourceTree, TreeEntry
from oscheck.sources.local import LocalSource

__all__ = [
    "EntryType",
    "GitSource",
    "LocalSource",
    "Source",
    "SourceTree",
    "TreeEntry",
    "open_source",
    "redact_text",
    "redact_url",
]


def open_source(target: str, ref: str | None, cache_dir: Path, *, shallow: bool = False) -> Source:
    """A folder on disk wins over a URL; anything else is an error naming the target."""
    path = Path(target).expanduser()
    if path.exists():
        return LocalSource(path, ref)
    if is_git_url(target):
        return GitSource(target, ref, cache_dir, shallow=shallow)
    raise TargetUnavailable(
        _(
            "{target}: no such folder, and not a git URL (https://, ssh://, git@host:path, file://)",
            target=redact_url(target),
        )
    )
