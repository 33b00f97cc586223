from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from helpers import TODAY
from pg_server import pg_database, pg_server  # noqa: F401 - fixtures for the store tests

from oscheck.i18n import set_language


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's cache, config, tokens or language."""
    os.environ["OSCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("oscheck-cache"))
    os.environ["OSCHECK_LANG"] = "en"
    # Findings that depend on the date (inactivity, deadlines) are judged as of this day,
    # six weeks after the fixtures' default commit date (tests/helpers.py: 2026-05-04).
    os.environ["OSCHECK_TODAY"] = TODAY.isoformat()
    # Tests load the index in-process; tests/test_scancode_service.py turns the service on.
    os.environ["OSCHECK_SCANCODE_SERVICE"] = "0"
    for var in ("GITHUB_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "OSCHECK_POLICIES", "OSCHECK_DB"):
        os.environ.pop(var, None)
    os.environ["GIT_CONFIG_GLOBAL"] = str(tmp_path_factory.mktemp("gitcfg") / "gitconfig")
    Path(os.environ["GIT_CONFIG_GLOBAL"]).write_text("[init]\n\tdefaultBranch = main\n")
    set_language("en")


@pytest.fixture(autouse=True)
def _every_report_follows_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ScanResult a test produces is rendered as a JSON report and validated.

    The real ``scan`` does all the work; only its result is checked: the JSON report is
    a contract (docs/report.schema.json), so no test may produce one that breaks it.
    """
    from helpers import validate_report

    from oscheck.model import ScanResult
    from oscheck.outputs.json_report import report_dict

    def validated(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = ScanResult(*args, **kwargs)
        validate_report(report_dict(result))
        return result

    # scan() looks ScanResult up when it returns, so every scan in this process is checked.
    # (sys.modules: the package attribute oscheck.scan is the function, not the module)
    monkeypatch.setattr(sys.modules["oscheck.scan"], "ScanResult", validated)


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
