"""Alembic environment: migrations run on the connection ``Store.upgrade`` passes in."""

from __future__ import annotations

from alembic import context

from oscheck.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only Store.upgrade runs migrations
    raise RuntimeError("run migrations through oscheck.store.Store.upgrade()")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE through table copies on SQLite
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
