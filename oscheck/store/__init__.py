"""Record: the registry database (programs, organisations, applications, eligibility,
evaluations, selections, agreements, obligations) and every scan with its findings.

SQLAlchemy 2 models (``models``), Alembic migrations shipped in ``migrations/`` and run by
:meth:`Store.upgrade`, and small repository functions (``scans``, ``registry``,
``importer``) that take a session and never commit on their own: the caller's
``Store.transaction()`` decides what belongs together.
"""

from oscheck.store.db import Store, default_db_path, resolve_db_url

__all__ = ["Store", "default_db_path", "resolve_db_url"]
