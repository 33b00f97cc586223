"""Inventory: every file of the target with its hashes, size, kind and origin.

Everything downstream is keyed by content hash. Files are read once here (to hash and
classify them) and again by detectors through :meth:`Inventory.read`; nothing keeps all
contents in memory. What cannot or must not be read (oversized files, symlinks,
submodules, FIFOs) is listed with the reason and reported as an :class:`InventoryIssue`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pathspec

from oscheck.inventory.cache import CacheInfo, ContentCache, default_cache_dir
from oscheck.inventory.classify import kind_of, origin_of, parse_gitattributes
from oscheck.model import FileKind, FileOrigin, FileRecord, Location, Observation, SkipReason
from oscheck.sources.ignore import gitignore_spec
from oscheck.sources.interface import EntryType, SourceTree, TreeEntry

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "CacheInfo",
    "ContentCache",
    "Inventory",
    "InventoryIssue",
    "build_inventory",
    "default_cache_dir",
]

DEFAULT_MAX_FILE_BYTES = 32 << 20
IGNORE_FILE = ".oscheckignore"


@dataclass(frozen=True, kw_only=True)
class InventoryIssue(Observation):
    """A path that was listed but not read, or whose name is not valid UTF-8."""

    kind: ClassVar[str] = "inventory-issue"
    issue: str  # a SkipReason value, or "invalid-utf8-name"
    size: int = 0
    link_target: str | None = None
    detail: str | None = None


@dataclass
class Inventory:
    """The files of a tree and the way to read them."""

    tree: SourceTree
    files: tuple[FileRecord, ...]
    issues: tuple[InventoryIssue, ...]
    max_file_bytes: int
    _entries: dict[str, TreeEntry] = field(default_factory=dict, repr=False)
    _by_path: dict[str, FileRecord] | None = field(default=None, repr=False)

    def read(self, record: FileRecord) -> bytes:
        """The content of a file that was read into the inventory (never a skipped one)."""
        if record.skipped is not None:
            raise OSError(f"{record.path}: {record.skipped.value}, not read")
        return self.tree.read_bytes(self._entries[record.path], self.max_file_bytes)

    def read_text(self, record: FileRecord) -> str:
        return self.read(record).decode("utf-8", errors="replace")

    def get(self, path: str) -> FileRecord | None:
        return self.by_path().get(path)

    def by_path(self) -> dict[str, FileRecord]:
        if self._by_path is None:
            self._by_path = {f.path: f for f in self.files}
        return self._by_path

    def scannable(self) -> Iterator[FileRecord]:
        """Files whose content was read (text and binary)."""
        return (f for f in self.files if f.skipped is None and f.kind in (FileKind.TEXT, FileKind.BINARY))

    def matching(self, *globs: str) -> Iterator[FileRecord]:
        """Read files whose path or base name matches one of ``globs`` (case-insensitive)."""
        pats = [re.compile(fnmatch.translate(g.lower())) for g in globs]
        for f in self.scannable():
            low = f.path.lower()
            base = low.rsplit("/", 1)[-1]
            if any(p.match(low) or p.match(base) for p in pats):
                yield f


def build_inventory(
    tree: SourceTree,
    *,
    ignore: Sequence[str] = (),
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> Inventory:
    entries = list(tree.entries())
    by_path = {e.path: e for e in entries}
    spec = _ignore_spec(tree, by_path, ignore, max_file_bytes)
    attributes = _gitattributes(tree, by_path, max_file_bytes)
    submodule_urls = _submodule_urls(tree, by_path, max_file_bytes)

    files: list[FileRecord] = []
    issues: list[InventoryIssue] = []
    kept: dict[str, TreeEntry] = {}
    for entry in entries:
        if spec is not None and spec.match_file(entry.path):
            continue
        record, issue = _record(tree, entry, max_file_bytes, attributes, submodule_urls)
        files.append(record)
        kept[record.path] = entry
        if issue is not None:
            issues.append(issue)
        if not record.path_is_valid_utf8:
            issues.append(
                InventoryIssue(
                    detector="inventory",
                    location=Location(printable_path(entry.path)),
                    issue="invalid-utf8-name",
                    size=record.size,
                )
            )
    return Inventory(tree, tuple(files), tuple(issues), max_file_bytes, kept)


def printable_path(path: str) -> str:
    """A path safe to print and to put in JSON: undecodable bytes become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _record(
    tree: SourceTree,
    entry: TreeEntry,
    limit: int,
    attributes: list[_AttributeRule],
    submodule_urls: dict[str, str],
) -> tuple[FileRecord, InventoryIssue | None]:
    valid = _is_valid_utf8(entry.path)
    shown = printable_path(entry.path)

    def skipped(kind: FileKind, reason: SkipReason, link: str | None = None) -> tuple[FileRecord, InventoryIssue]:
        rec = FileRecord(
            shown,
            entry.size,
            kind,
            sha256=None,
            mode=entry.mode,
            skipped=reason,
            link_target=link,
            path_is_valid_utf8=valid,
        )
        return rec, InventoryIssue(
            detector="inventory", location=Location(shown), issue=reason.value, size=entry.size, link_target=link
        )

    if entry.type is EntryType.SYMLINK:
        link = entry.link_target or ""
        outside = _escapes_root(entry.path, link)
        return skipped(
            FileKind.SYMLINK, SkipReason.SYMLINK_OUTSIDE_ROOT if outside else SkipReason.SYMLINK, printable_path(link)
        )
    if entry.type is EntryType.SUBMODULE:
        return skipped(FileKind.SUBMODULE, SkipReason.SUBMODULE, submodule_urls.get(entry.path))
    if entry.type is EntryType.SPECIAL:
        return skipped(FileKind.SPECIAL, SkipReason.SPECIAL_FILE)
    if entry.size > limit:
        return skipped(FileKind.BINARY, SkipReason.OVERSIZED)
    try:
        content = tree.read_bytes(entry, limit)
    except OSError as exc:
        rec, issue = skipped(FileKind.BINARY, SkipReason.UNREADABLE)
        return rec, InventoryIssue(
            detector="inventory", location=issue.location, issue=issue.issue, size=entry.size, detail=str(exc)
        )
    flags = _attributes_for(entry.path, attributes)
    record = FileRecord(
        path=shown,
        size=len(content),
        kind=kind_of(content),
        origin=origin_of(entry.path, content[:600], {entry.path: flags}),
        sha256=hashlib.sha256(content).hexdigest(),
        sha1=hashlib.sha1(content, usedforsecurity=False).hexdigest(),
        mode=entry.mode,
        path_is_valid_utf8=valid,
    )
    return record, None


def _is_valid_utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escapes_root(path: str, link: str) -> bool:
    if not link or link.startswith("/"):
        return True
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
    return joined == ".." or joined.startswith("../")


def _read_small(tree: SourceTree, entries: dict[str, TreeEntry], name: str, limit: int) -> str | None:
    entry = entries.get(name)
    if entry is None or entry.type is not EntryType.FILE or entry.size > min(limit, 1 << 20):
        return None
    try:
        return tree.read_bytes(entry, limit).decode("utf-8", "replace")
    except OSError:
        return None


def _ignore_spec(
    tree: SourceTree, entries: dict[str, TreeEntry], extra: Sequence[str], limit: int
) -> pathspec.PathSpec[Any] | None:
    lines = list(extra)
    text = _read_small(tree, entries, IGNORE_FILE, limit)
    if text:
        lines += text.splitlines()
    if not lines:
        return None
    return gitignore_spec(lines)


@dataclass(frozen=True)
class _AttributeRule:
    """One ``.gitattributes`` line, compiled once (fnmatch's own cache holds 32,768
    patterns, and a file with more made every file recompile every pattern)."""

    path: re.Pattern[str]
    base: re.Pattern[str] | None  # a pattern without "/" also matches the base name
    prefix: str | None  # "dir/**" matches everything below dir/
    flags: frozenset[str]


def _gitattributes(tree: SourceTree, entries: dict[str, TreeEntry], limit: int) -> list[_AttributeRule]:
    text = _read_small(tree, entries, ".gitattributes", limit)
    rules: list[_AttributeRule] = []
    for pattern, flags in parse_gitattributes(text) if text else []:
        spec = pattern.lstrip("/")
        compiled = re.compile(fnmatch.translate(spec))
        rules.append(
            _AttributeRule(
                path=compiled,
                base=compiled if "/" not in spec else None,
                prefix=spec[:-3] + "/" if spec.endswith("/**") else None,
                flags=frozenset(flags),
            )
        )
    return rules


def _attributes_for(path: str, rules: list[_AttributeRule]) -> set[str]:
    flags: set[str] = set()
    base = path.rsplit("/", 1)[-1]
    for rule in rules:
        if (
            rule.path.match(path)
            or (rule.base is not None and rule.base.match(base))
            or (rule.prefix is not None and path.startswith(rule.prefix))
        ):
            for a in rule.flags:
                flags.discard(a.lstrip("-"))
                flags.discard("-" + a.lstrip("-"))
                flags.add(a)
    return flags


# "(.+?)\\s*$" backtracked in O(n**2) on a line of many trailing spaces; strip() instead.
_GITMODULES_PATH = re.compile(r"^\s*path\s*=(.*)$")
_GITMODULES_URL = re.compile(r"^\s*url\s*=(.*)$")


def _submodule_urls(tree: SourceTree, entries: dict[str, TreeEntry], limit: int) -> dict[str, str]:
    """path -> url from ``.gitmodules``, for reporting only (submodules are never fetched)."""
    text = _read_small(tree, entries, ".gitmodules", limit)
    urls: dict[str, str] = {}
    if not text:
        return urls
    path = url = None
    for line in [*text.splitlines(), "["]:
        if line.strip().startswith("["):
            if path and url:
                urls[path] = url
            path = url = None
        elif m := _GITMODULES_PATH.match(line):
            path = m.group(1).strip() or None
        elif m := _GITMODULES_URL.match(line):
            url = m.group(1).strip() or None
    return {p: _redact(u) for p, u in urls.items()}


def _redact(url: str) -> str:
    from oscheck.sources.gitcmd import redact_url

    return redact_url(url)


def first_party(files: Sequence[FileRecord]) -> list[FileRecord]:
    return [f for f in files if f.origin is FileOrigin.FIRST_PARTY]
