"""Where the registry lives and how it is opened: SQLite file by default, PostgreSQL by URL.

``--db`` / ``OSCHECK_DB`` take a URL (``postgresql://user@host/db``, ``sqlite:///path``)
or a plain file path (a SQLite file). Without either, the registry is
``<user data dir>/oscheck/registry.sqlite3`` (``~/.local/share/oscheck/`` on Linux): it is
data people keep, not a cache. The schema is managed by the Alembic migrations shipped in
``store/migrations``; :meth:`Store.upgrade` brings any database to head.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from oscheck.errors import InputError
from oscheck.i18n import _

__all__ = ["Store", "default_db_path", "resolve_db_url"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("oscheck", appauthor=False)) / "registry.sqlite3"


def resolve_db_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a URL or a path), ``$OSCHECK_DB`` or the default file."""
    value = db or os.environ.get("OSCHECK_DB") or str(default_db_path())
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        return f"sqlite:///{path}"
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):  # psycopg 3 is the driver we ship
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")  # SQLite ignores foreign keys unless asked
    cur.execute("PRAGMA busy_timeout=30000")  # batch workers write concurrently
    cur.close()


class Store:
    """One registry database. ``transaction()`` is the unit of work: all or nothing."""

    def __init__(self, db: str | None = None) -> None:
        self.url = resolve_db_url(db)
        try:
            url = make_url(self.url)
        except ArgumentError:
            raise InputError(_("--db: '{db}' is neither a database URL nor a file path", db=db)) from None
        self.display = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url, future=True)
        except Exception as exc:  # a missing driver, a bad option: one line, not a traceback
            raise InputError(_("cannot open the registry {db}: {error}", db=self.display, error=exc)) from None
        if url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)

    # --- schema ---------------------------------------------------------------------------
    def _alembic(self) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return cfg

    def upgrade(self) -> str:
        """Apply every migration up to head; returns the revision."""
        from alembic import command

        cfg = self._alembic()
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            raise InputError(_("cannot open the registry {db}: {error}", db=self.display, error=exc.orig)) from None
        return self.head()

    def head(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self._alembic()).get_current_head()
        assert head is not None
        return head

    def current(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as conn:
                return MigrationContext.configure(conn).get_current_revision()
        except OperationalError as exc:
            raise InputError(_("cannot open the registry {db}: {error}", db=self.display, error=exc.orig)) from None

    def require_current(self) -> None:
        """``InputError`` unless the schema is at head (run ``oscheck registry init``)."""
        if self.current() != self.head():
            raise InputError(
                _("the registry {db} is not initialised or is out of date; run: oscheck registry init", db=self.display)
            )

    # --- sessions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed at the end, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
