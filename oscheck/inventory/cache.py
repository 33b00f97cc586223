"""The persistent, content-addressed cache of per-file detections.

Keys are ``(namespace, content key)``: the namespace names the detector, its version and
every option that changes its answer (``scancode-toolkit 32.5.0, min_score 0, …``); the
content key is the file's SHA-256 plus whatever else of the file the detector reads
(scancode also reads the file's name). Identical files are therefore detected once, in
this repository or in any other, and a new scancode version misses the cache instead of
returning stale answers.

One SQLite file, WAL mode: many readers and one writer at a time; batch workers read and
only the coordinating process writes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

_SCHEMA = """
CREATE TABLE IF NOT EXISTS detections (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID;
"""


def default_cache_dir() -> Path:
    """``$OSCHECK_CACHE_DIR``, else the platform's user cache folder."""
    env = os.environ.get("OSCHECK_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir("oscheck"))


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    size_bytes: int
    entries: Mapping[str, int]  # namespace -> number of cached files
    repositories: int  # cached git clones


class ContentCache:
    """``get_many``/``put_many`` of JSON values by content key; ``enabled=False`` for --no-cache."""

    def __init__(self, cache_dir: Path, enabled: bool = True) -> None:
        self.cache_dir = cache_dir
        self.enabled = enabled
        self._conn: sqlite3.Connection | None = None

    @property
    def db_path(self) -> Path:
        return self.cache_dir / "detections.sqlite3"

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, Any]:
        if not self.enabled:
            return {}
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        db = self._db()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT key, value FROM detections WHERE namespace=? AND key IN ({marks})",  # noqa: S608
                [namespace, *chunk],
            )
            for key, value in rows:
                with contextlib.suppress(zlib.error, ValueError):
                    found[key] = json.loads(zlib.decompress(value))
        return found

    def put_many(self, namespace: str, items: Mapping[str, Any]) -> None:
        if not self.enabled or not items:
            return
        db = self._db()
        rows = [
            (namespace, key, zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 6))
            for key, value in items.items()
        ]
        with self._transaction(db):
            db.executemany("INSERT OR REPLACE INTO detections VALUES (?, ?, ?)", rows)

    @contextlib.contextmanager
    def _transaction(self, db: sqlite3.Connection) -> Iterator[None]:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def info(self) -> CacheInfo:
        entries: dict[str, int] = {}
        size = 0
        if self.db_path.exists():
            for row in self._db().execute("SELECT namespace, COUNT(*) FROM detections GROUP BY namespace"):
                entries[row[0]] = row[1]
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(self.db_path) + suffix)
                if p.exists():
                    size += p.stat().st_size
        repos_dir = self.cache_dir / "repos"
        repos = len([p for p in repos_dir.glob("*.git")]) if repos_dir.is_dir() else 0
        for dirpath, _dirs, files in os.walk(repos_dir):
            for f in files:
                with contextlib.suppress(OSError):
                    size += os.lstat(os.path.join(dirpath, f)).st_size
        return CacheInfo(self.db_path, size, entries, repos)

    def clear(self) -> None:
        """Forget every cached detection and clone."""
        import shutil

        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.db_path) + suffix).unlink(missing_ok=True)
        shutil.rmtree(self.cache_dir / "repos", ignore_errors=True)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __getstate__(self) -> dict[str, Any]:
        # Connections do not cross fork/pickle boundaries; each process opens its own.
        return {"cache_dir": self.cache_dir, "enabled": self.enabled, "_conn": None}
