"""A throwaway PostgreSQL server for the store tests (imported by conftest.py).

``pg_server`` (session) starts a real server from Debian's binaries in a temp folder,
listening only on a unix socket, and stops it at the end. PostgreSQL refuses to run as
root, and the tests run as root here and in CI, so initdb and postgres run as the
``postgres`` system user (``runuser``) in a folder handed to that user.

``OSCHECK_TEST_PG_URL`` (a URL of a server where the user may create databases) replaces
the throwaway server. Without it and without any PostgreSQL binaries, the tests that need
the server are skipped with the reason; nothing is faked.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server_user(args: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *args] if user else args


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A libpq URL (``postgresql://…``) of a running server where databases can be created."""
    external = os.environ.get("OSCHECK_TEST_PG_URL")
    if external:
        yield external
        return
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb) found: install the postgresql package or set OSCHECK_TEST_PG_URL")
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        user = "postgres"
    base = Path(tempfile.mkdtemp(prefix="oscheck-pg-"))
    if user:
        shutil.chown(base, user)
    data, log = base / "data", base / "server.log"
    port = 40000 + os.getpid() % 20000  # only names the socket file; no TCP listener
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run(
        _as_server_user(
            [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            user,
        ),
        check=True,
        capture_output=True,
        env=env,
    )
    options = f"-k {base} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    started = subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"], user),
        capture_output=True,
        text=True,
        env=env,
    )
    if started.returncode != 0:
        detail = log.read_text(errors="replace") if log.exists() else started.stderr
        raise RuntimeError(f"PostgreSQL did not start: {detail[-2000:]}")
    try:
        yield f"postgresql://postgres@/postgres?host={base}&port={port}"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user),
            capture_output=True,
            env=env,
        )
        shutil.rmtree(base, ignore_errors=True)


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the server (dropped afterwards): its URL."""
    from sqlalchemy.engine import make_url

    name = "oscheck_test_" + uuid.uuid4().hex[:12]
    _admin(pg_server, f'CREATE DATABASE "{name}"')
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
