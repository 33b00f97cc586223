from __future__ import annotations

import os
from pathlib import Path

import pytest
from pg_server import pg_database, pg_server  # noqa: F401 - fixtures for the store tests

from oscheck.i18n import set_language


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's cache, config, tokens or language."""
    os.environ["OSCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("oscheck-cache"))
    os.environ["OSCHECK_LANG"] = "en"
    for var in ("GITHUB_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "OSCHECK_POLICIES", "OSCHECK_DB"):
        os.environ.pop(var, None)
    os.environ["GIT_CONFIG_GLOBAL"] = str(tmp_path_factory.mktemp("gitcfg") / "gitconfig")
    Path(os.environ["GIT_CONFIG_GLOBAL"]).write_text("[init]\n\tdefaultBranch = main\n")
    set_language("en")


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (for tests about caching)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("OSCHECK_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty registry database: a SQLite file, then a fresh database on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    url: str = request.getfixturevalue("pg_database")
    return url
