"""oscheck batch: a portfolio of real repositories, the process pool and Dask, crash and resume.

Repositories are real git repositories built here; a flaky or slow git server is a real
HTTP server on 127.0.0.1 serving bare repositories (git's "dumb" HTTP protocol), which
answers 503 to the first requests or takes its time. The batch runs the real scan.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, make_repo, run_oscheck, validate_report

from oscheck.batch import BatchOptions, Outcome, Plan, TargetSpec, load_portfolio, run_batch
from oscheck.errors import InputError
from oscheck.store import Store
from oscheck.store.models import FindingRow, Scan

MIT = (ROOT / "examples" / "portfolio" / "repos" / "hanbit-tokenizer" / "LICENSE").read_text()
FAST = ("ai-api",)  # detector group for tests that are about the batch, not the scan


def grantee_repo(root: Path, i: int) -> Path:
    """A small repository; every one shares the same LICENSE (cross-repository duplicates)."""
    files = {
        "LICENSE": MIT,
        "README.md": f"# project {i}\n\n## Usage\n\nrun it\n\n## License\n\nMIT\n",
        f"src/mod{i}.py": f"# SPDX-License-Identifier: MIT\n\ndef f{i}():\n    return {i}\n",
    }
    if i % 3 == 0:
        files["src/chat.py"] = "from openai import OpenAI\n\nclient = OpenAI()\n"
    if i % 4 == 1:
        files["third_party/gpl/util.c"] = "/* SPDX-License-Identifier: GPL-3.0-only */\nint g(void) { return 0; }\n"
    make_repo(root, files)
    return root


def write_portfolio(path: Path, targets: list[str], extra: str = "") -> Path:
    lines = ["program: nipa-oss-ai-use-2026", "track: use", extra, "grantees:"]
    for i, url in enumerate(targets):
        lines += [
            f"  - id: G-{i:03d}",
            f"    name: 그랜티{i}",
            "    repos:",
            f"      - url: {url}",
            "        ref: main",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    repos = [grantee_repo(tmp_path / "repos" / f"repo{i}", i) for i in range(8)]
    return write_portfolio(tmp_path / "portfolio.yaml", [str(r) for r in repos])


def recorded(db: str, run_id: int | None = None) -> dict[str, dict[str, Any]]:
    """uri -> status, commit, verdict and the sorted finding fingerprints, from the store."""
    store = Store(db)
    out: dict[str, dict[str, Any]] = {}
    with store.transaction() as s:
        q = s.query(Scan)
        if run_id is not None:
            q = q.filter(Scan.run_id == run_id)
        for scan in q.order_by(Scan.id):
            fps = sorted(f.fingerprint for f in s.query(FindingRow).filter(FindingRow.scan_id == scan.id))
            out.setdefault(scan.target_uri, {"rows": 0})
            out[scan.target_uri].update(
                status=scan.status, commit=scan.commit, verdict=scan.verdict, fingerprints=fps, error=scan.error
            )
            out[scan.target_uri]["rows"] += 1
    store.dispose()
    return out


class Events:
    def __init__(self) -> None:
        self.retries: list[tuple[str, int]] = []
        self.outcomes: list[Outcome] = []
        self.on_retry: Any = None

    def begin(self, plan: Plan) -> None:
        self.plan = plan

    def running(self, spec: TargetSpec, attempt: int) -> None:
        return None

    def retry(self, spec: TargetSpec, attempt: int, delay: float, error: str) -> None:
        self.retries.append((spec.key, attempt))
        if self.on_retry:
            self.on_retry()

    def done(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)


# -- a real git server over HTTP -------------------------------------------------------------


class GitHttp:
    """Bare repositories served over git's dumb HTTP protocol; can fail or stall on purpose."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.fail_next = 0  # answer 503 to this many requests
        self.delay = 0.0  # seconds before answering a request for info/refs
        self.requests = 0
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                if server.fail_next > 0:
                    server.fail_next -= 1
                    self.send_error(503, "busy")
                    return
                if "info/refs" in self.path and server.delay:
                    time.sleep(server.delay)
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, work_tree: Path) -> str:
        bare = self.root / f"{work_tree.name}.git"
        subprocess.run(["git", "clone", "-q", "--bare", str(work_tree), str(bare)], check=True)
        subprocess.run(["git", "--git-dir", str(bare), "update-server-info"], check=True)
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{bare.name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def git_http(tmp_path: Path) -> Iterator[GitHttp]:
    (tmp_path / "served").mkdir()
    server = GitHttp(tmp_path / "served")
    yield server
    server.close()


# -- the portfolio file ----------------------------------------------------------------------


def test_the_short_form_of_the_issue_loads(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        """program: nipa-oss-ai-use-2026        # default for every grantee
grantees:
  - id: G-2026-001
    name: 한빛소프트
    track: use
    repos:
      - url: https://github.com/example/ko-civil-qa    # or file:// URL or local path
        ref: main
    models: [Qwen/Qwen2.5-7B-Instruct]
""",
        encoding="utf-8",
    )
    from oscheck.policy import load_policy

    loaded = load_portfolio(path, load_policy())
    repo, model = loaded.targets
    assert (repo.key, repo.kind, repo.uri, repo.ref) == (
        "G-2026-001/ko-civil-qa",
        "repo",
        "https://github.com/example/ko-civil-qa",
        "main",
    )
    assert (repo.program, repo.track) == ("nipa-oss-ai-use-2026", "use")
    assert (model.key, model.kind, model.source) == (
        "G-2026-001/Qwen2.5-7B-Instruct",
        "model",
        "Qwen/Qwen2.5-7B-Instruct",
    )
    assert model.uri == "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct"


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        ("grantees:\n  - id: G1\n    name: a\n    repos: [x]\n    colour: red\n", 5, "grantees.0.colour"),
        (
            "program: nipa-oss-ai-use-2026\ngrantees:\n  - id: G1\n    name: a\n    track: gpu\n    repos: [x]\n",
            5,
            "grantees.0.track",
        ),
        ("grantees:\n  - id: G1\n    name: a\n    repos: [x]\n", 2, "grantees.0.program"),
        ("program: nope-2026\ngrantees:\n  - id: G1\n    name: a\n    repos: [x]\n", 1, "program"),
        (
            "program: nipa-oss-ai-use-2026\ngrantees:\n  - id: G1\n    name: a\n    repos: [https://h/x]\n"
            "  - id: G2\n    name: b\n    repos:\n      - url: https://h/x\n",
            9,
            "grantees.1.repos.0",
        ),
        ("program: nipa-oss-ai-use-2026\ngrantees:\n  - id: 'a b'\n    name: a\n    repos: [x]\n", 3, "grantees.0.id"),
        ("program: nipa-oss-ai-use-2026\ngrantees:\n  - id: G1\n    name: a\n", 3, "grantees.0"),
    ],
)
def test_a_bad_portfolio_names_file_line_and_field(tmp_path: Path, body: str, line: int, field: str) -> None:
    from oscheck.policy import load_policy

    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_portfolio(path, load_policy())
    assert str(err.value).startswith(f"{path}:{line}: '{field}'"), err.value
    assert "\n" not in str(err.value)


def test_cli_bad_portfolio_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("program: nipa-oss-ai-use-2026\ngrantees:\n  - id: G1\n    name: a\n    repos: {x: 1}\n")
    r = run_oscheck("batch", str(path), "--db", str(tmp_path / "db.sqlite3"))
    assert r.returncode == 2
    [line] = r.stderr.strip().splitlines()
    assert line.startswith(f"oscheck: {path}:5: 'grantees.0.repos'")


# -- executors -------------------------------------------------------------------------------


@pytest.mark.slow
def test_process_pool_and_dask_localcluster_record_identical_results(
    portfolio: Path, tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full scan (every detector, scancode included) through both executors, no cache."""
    from oscheck.detectors.scancode_service import ScancodeService

    monkeypatch.setenv("OSCHECK_SCANCODE_SERVICE", "1")  # one warm index for both runs
    out = tmp_path / "out"
    try:
        pool = run_batch(portfolio, BatchOptions(db=str(tmp_path / "pool.sqlite3"), jobs=2, use_cache=False, out=out))
        dask = run_batch(portfolio, BatchOptions(db=str(tmp_path / "dask.sqlite3"), dask_local=2, use_cache=False))
    finally:
        service = ScancodeService.connect(fresh_cache)
        if service is not None:
            service.stop()
    assert "Dask LocalCluster" in dask.executor and "process pool" in pool.executor
    assert pool.count("ok") == dask.count("ok") == 8
    a, b = recorded(str(tmp_path / "pool.sqlite3")), recorded(str(tmp_path / "dask.sqlite3"))
    assert a == b and len(a) == 8
    assert all(r["fingerprints"] for r in a.values())
    # The vendored GPL file is found through scancode in the Dask workers as well.
    assert any(o.errors for o in dask.outcomes)
    # Outputs: the JSON report (with the grantee) and the SBOMs of every target.
    doc = json.loads((out / "G-001" / "repo1.json").read_text(encoding="utf-8"))
    validate_report(doc)
    assert doc["portfolio"]["grantee"] == {"id": "G-001", "name": "그랜티1", "organisation": None, "application": None}
    assert any(f["rule_id"] == "LIC003" for f in doc["findings"])
    for suffix in (".md", ".spdx.json", ".cdx.json"):
        assert (out / "G-001" / f"repo1{suffix}").stat().st_size > 100
    # Shared identical LICENSE files: the cache disabled, each repository detects its own.
    assert pool.dedup["scancode_scanned"] == pool.dedup["scancode_files"]


@pytest.mark.slow
def test_identical_files_are_detected_once_across_the_portfolio(
    portfolio: Path, tmp_path: Path, fresh_cache: Path
) -> None:
    """Eight repositories share one LICENSE: with the shared cache, it is detected once."""
    summary = run_batch(portfolio, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=1, only=("licenses",)))
    d = summary.dedup
    # 8 LICENSE + 8 README + 8 modules + 3 chat.py + 2 GPL files; identical contents once.
    assert d["scancode_files"] == 29
    assert d["scancode_scanned"] < d["scancode_files"]
    assert d["scancode_cache_hits"] + d["scancode_scanned"] == d["scancode_files"]
    again = run_batch(
        portfolio, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=1, only=("licenses",), new_run=True)
    )
    assert again.dedup["scancode_scanned"] == 0 and again.dedup["scancode_cache_hits"] == 29


# -- failures, retries, resume ---------------------------------------------------------------


def test_failed_clone_is_recorded_and_the_rest_succeed(tmp_path: Path, db_url: str) -> None:
    good = [str(grantee_repo(tmp_path / f"r{i}", i)) for i in range(3)]
    missing = f"file://{tmp_path}/no-such-repo.git"
    path = write_portfolio(tmp_path / "p.yaml", [good[0], missing, good[1], good[2]])
    summary = run_batch(path, BatchOptions(db=db_url, jobs=2, only=FAST, backoff=0.05))
    assert [o.status for o in summary.outcomes] == ["ok", "failed", "ok", "ok"]
    assert summary.exit_code() == 1
    rows = recorded(db_url)
    assert rows[missing]["status"] == "failed" and "cannot clone" in rows[missing]["error"]
    assert all(rows[g]["status"] == "ok" for g in good)
    # Resuming the same run scans only the failed target again, and records nothing twice.
    again = run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST))
    assert again.run_id == summary.run_id and again.resumed
    assert [o.status for o in again.outcomes] == ["skipped", "failed", "skipped", "skipped"]
    assert all(r["rows"] == 1 for r in recorded(db_url).values())


def test_nothing_scannable_exits_3(tmp_path: Path) -> None:
    path = write_portfolio(tmp_path / "p.yaml", [f"file://{tmp_path}/gone-{i}.git" for i in range(2)])
    r = run_oscheck("batch", str(path), "--db", str(tmp_path / "db.sqlite3"), "--only", "ai-api", "-q")
    assert r.returncode == 3, r.stderr
    assert "2 failed" in r.stderr


def test_transient_clone_failure_is_retried_with_back_off(tmp_path: Path, git_http: GitHttp) -> None:
    url = git_http.add(grantee_repo(tmp_path / "flaky", 2))
    git_http.fail_next = 2  # the first clone attempt and the first retry see "503 busy"
    path = write_portfolio(tmp_path / "p.yaml", [url])
    events = Events()
    summary = run_batch(path, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=1, only=FAST, backoff=0.1), events)
    assert events.retries == [("G-000/flaky", 1), ("G-000/flaky", 2)]
    [outcome] = summary.outcomes
    assert outcome.status == "ok" and outcome.attempts == 3
    # A bounded number of attempts: with retries: 1 the target is recorded as failed.
    never = git_http.add(grantee_repo(tmp_path / "down", 3))
    git_http.fail_next = 100
    other = write_portfolio(tmp_path / "q.yaml", [never], extra="retries: 1")
    summary = run_batch(other, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=1, only=FAST, backoff=0.05))
    [outcome] = summary.outcomes
    assert outcome.status == "failed" and outcome.attempts == 2 and "503" in (outcome.error or "")


def test_time_limit_per_target(tmp_path: Path, git_http: GitHttp) -> None:
    fast = str(grantee_repo(tmp_path / "fast", 1))
    slow = git_http.add(grantee_repo(tmp_path / "slow", 2))
    git_http.delay = 30.0
    path = write_portfolio(tmp_path / "p.yaml", [slow, fast], extra="timeout: 2")
    started = time.monotonic()
    summary = run_batch(path, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=2, only=FAST))
    assert time.monotonic() - started < 25
    slow_outcome, fast_outcome = summary.outcomes
    assert fast_outcome.status == "ok"
    assert slow_outcome.status == "failed" and "2 s" in (slow_outcome.error or "")


def test_the_time_limit_interrupts_the_main_thread_and_worker_threads() -> None:
    from oscheck.batch.work import TargetTimeout, _time_limit

    started = time.monotonic()
    with pytest.raises(TargetTimeout), _time_limit(0.5):
        time.sleep(30)  # a blocking call: the signal wakes it
    assert time.monotonic() - started < 5
    caught: list[float] = []

    def busy() -> None:  # a Dask worker's thread: the exception arrives between bytecodes
        t0 = time.monotonic()
        try:
            with _time_limit(0.5):
                while time.monotonic() - t0 < 30:
                    sum(range(1000))
        except TargetTimeout:
            caught.append(time.monotonic() - t0)

    worker = threading.Thread(target=busy)
    worker.start()
    worker.join(40)
    assert caught and caught[0] < 5
    with _time_limit(0.2):  # finishing in time: nothing is raised later
        pass
    time.sleep(0.5)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM scans").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_sigkill_mid_batch_then_resume_records_every_target_once(tmp_path: Path, git_http: GitHttp) -> None:
    """``kill -9`` the coordinator while a slow target is in flight; the same command finishes."""
    quick = [str(grantee_repo(tmp_path / f"q{i}", i)) for i in range(6)]
    slow = git_http.add(grantee_repo(tmp_path / "slowpoke", 7))
    git_http.delay = 4.0
    path = write_portfolio(tmp_path / "p.yaml", [*quick[:3], slow, *quick[3:]])
    db = tmp_path / "db.sqlite3"
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "oscheck", "batch", str(path), "--db", str(db), "--jobs", "1", "--only", "ai-api"]
    cmd += ["--out", str(out), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _count(db) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert _count(db) == 3, proc.poll()
    time.sleep(0.5)  # the slow target is in flight now
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    first = recorded(str(db))
    assert len(first) == 3 and slow not in first
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    rows = recorded(str(db))
    assert set(rows) == {*quick, slow}
    assert all(row["rows"] == 1 and row["status"] == "ok" for row in rows.values())
    # The three recorded before the kill were skipped, not scanned again.
    assert r.stderr.count("already recorded @") == 3
    store = Store(str(db))
    with store.transaction() as s:
        assert {scan.run_id for scan in s.query(Scan)} == {1}
        ids = {scan.target_uri: scan.id for scan in s.query(Scan)}
    store.dispose()
    assert all(ids[u] <= 3 for u in quick[:3])
    # Every target's outputs are complete: no temporary files left behind.
    assert len(list(out.rglob("*.json"))) == 7 * 3 and not list(out.rglob("*.tmp"))


def test_rescan_and_new_commits(tmp_path: Path, db_url: str) -> None:
    from helpers import commit

    repo_path = tmp_path / "moving"
    repo = make_repo(repo_path, {"a.py": "x = 1\n"})
    path = write_portfolio(tmp_path / "p.yaml", [str(repo_path)])
    first = run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST))
    assert [o.status for o in first.outcomes] == ["ok"]
    assert [o.status for o in run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST)).outcomes] == ["skipped"]
    assert [o.status for o in run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST, rescan=True)).outcomes] == [
        "ok"
    ]
    # The branch moved: same run, the target is scanned again and its row replaced.
    commit(repo, {"chat.py": "import openai\nopenai.OpenAI()\n"})
    moved = run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST))
    assert moved.run_id == first.run_id and [o.status for o in moved.outcomes] == ["ok"]
    rows = recorded(db_url)
    assert rows[str(repo_path)]["rows"] == 1 and rows[str(repo_path)]["commit"] == repo.head.commit.hexsha
    # Another day is another run; `batch diff` shows what changed between the runs.
    later = run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST, new_run=True))
    assert later.run_id != first.run_id
    r = run_oscheck("batch", "diff", str(first.run_id), str(later.run_id), "--db", db_url, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["new"] == 0


def test_batch_diff_new_and_resolved_per_grantee(tmp_path: Path, db_url: str) -> None:
    from helpers import commit

    a = make_repo(tmp_path / "a", {"LICENSE": MIT, "chat.py": "from openai import OpenAI\nOpenAI()\n"})
    b = make_repo(tmp_path / "b", {"LICENSE": MIT, "x.py": "x = 1\n"})
    path = write_portfolio(tmp_path / "p.yaml", [str(tmp_path / "a"), str(tmp_path / "b")])
    run1 = run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST))
    commit(a, {}, delete=["chat.py"])  # resolves the hosted-API finding
    commit(b, {"llm.py": "import anthropic\nanthropic.Anthropic()\n"})  # a new one
    run2 = run_batch(path, BatchOptions(db=db_url, jobs=1, only=FAST, new_run=True))
    r = run_oscheck("batch", "diff", str(run1.run_id), str(run2.run_id), "--db", db_url, "--format", "json")
    doc = json.loads(r.stdout)
    by_id = {g["id"]: g for g in doc["grantees"]}
    assert by_id["G-000"]["resolved"] >= 1 and by_id["G-000"]["new"] == 0 and by_id["G-000"]["name"] == "그랜티0"
    assert by_id["G-001"]["new"] >= 1 and by_id["G-001"]["resolved"] == 0
    assert {f["rule_id"] for f in by_id["G-001"]["targets"][0]["new"]} == {"API001"}
    text = run_oscheck("batch", "diff", str(run1.run_id), str(run2.run_id), "--db", db_url)
    assert f"G-001 그랜티1: {by_id['G-001']['new']} new, 0 resolved" in text.stdout
    assert "+ API001" in text.stdout and "- API001" in text.stdout
    bad = run_oscheck("batch", "diff", "999", str(run2.run_id), "--db", db_url)
    assert bad.returncode == 2 and "run 999" in bad.stderr


def test_registry_links_must_exist(tmp_path: Path) -> None:
    repo = grantee_repo(tmp_path / "r", 1)
    path = tmp_path / "p.yaml"
    path.write_text(
        f"program: nipa-oss-ai-use-2026\ngrantees:\n  - id: G1\n    name: a\n    organisation: no-such-org\n"
        f"    repos: ['{repo}']\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="organisation 'no-such-org' is not in the registry"):
        run_batch(path, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=1, only=FAST))


def test_demo_portfolio_runs_offline_and_links_the_registry(tmp_path: Path, fresh_cache: Path) -> None:
    """``make demo``'s portfolio: built from fixture trees, no network, both NIPA tracks and more."""
    sys.path.insert(0, str(ROOT / "examples" / "portfolio"))
    try:
        import build_demo
    finally:
        sys.path.pop(0)
    # Built in this test's own folder: make demo and other tests use examples/portfolio/_build/.
    work = tmp_path / "portfolio"
    work.mkdir()
    shutil.copy(ROOT / "examples" / "portfolio" / "portfolio.yaml", work / "portfolio.yaml")
    build_demo.build_sources(work / "_build")
    db = str(tmp_path / "demo.sqlite3")
    assert run_oscheck("registry", "--db", db, "init").returncode == 0
    assert run_oscheck("registry", "--db", db, "import", str(ROOT / "examples/registry/registry.yaml")).returncode == 0
    loaded = load_portfolio(work / "portfolio.yaml")
    assert len(loaded.portfolio.grantees) >= 8 and len(loaded.targets) >= 10
    assert {t.program for t in loaded.targets} >= {"nipa-oss-ai-dev-2026", "nipa-oss-ai-use-2026", "keti-ax-mini-2026"}
    summary = run_batch(
        work / "portfolio.yaml",
        BatchOptions(db=db, jobs=1, offline=True, only=("ai-api", "community", "models"), out=tmp_path / "out"),
    )
    by_key = {o.key: o for o in summary.outcomes}
    for report in (tmp_path / "out").rglob("*.json"):
        if not report.name.endswith((".spdx.json", ".cdx.json")):
            validate_report(json.loads(report.read_text(encoding="utf-8")))
    assert all(o.status == "ok" for o in summary.outcomes), [o.error for o in summary.outcomes]
    assert by_key["G-2026-002/nuri-minwon-bot"].errors >= 1  # hosted OpenAI API
    assert by_key["G-2026-003/sejong-llm-serve"].verdict  # self-hosted vLLM: no API001
    assert by_key["G-2026-004/daon-med-llama"].warnings >= 1  # Llama 3 license: conditions
    # the compliant grantee: a working community (histories.yaml) and a used upstream contribution
    assert by_key["G-2026-005/barunmal-spell"].errors == 0 and by_key["G-2026-005/barunmal-spell"].warnings == 0
    assert by_key["G-2026-005/kobert-spell"].verdict == "pass"
    store = Store(db)
    with store.transaction() as s:
        linked = {(x.grantee_id, x.organisation_id, x.application_id) for x in s.query(Scan) if x.organisation_id}
    store.dispose()
    assert linked == {("G-2026-007", "gyeongnam-precision", "keti-001"), ("G-2026-008", "busan-tp", "kosmes-001")}


def test_hub_models_are_targets_and_a_missing_one_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Models as Hub ids, against a local server that answers like the Hub."""
    from hub_models import hub_models
    from hub_server import serve_hub

    repo = grantee_repo(tmp_path / "r", 1)
    path = tmp_path / "p.yaml"
    path.write_text(
        "program: nipa-oss-ai-use-2026\ngrantees:\n  - id: G1\n    name: 한빛\n    track: use\n"
        f"    repos: ['{repo}']\n    models: [acme/ko-sbert-apache, acme/no-such-model]\n",
        encoding="utf-8",
    )
    with serve_hub(hub_models()) as (url, _fake):
        monkeypatch.setenv("HF_ENDPOINT", url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        summary = run_batch(path, BatchOptions(db=str(tmp_path / "db.sqlite3"), jobs=2, only=FAST, backoff=0.05))
    by_key = {o.key: o for o in summary.outcomes}
    assert by_key["G1/r"].status == "ok"
    good, missing = by_key["G1/ko-sbert-apache"], by_key["G1/no-such-model"]
    assert good.status == "ok" and good.kind == "model" and good.commit
    assert good.uri == "https://huggingface.co/acme/ko-sbert-apache"
    assert missing.status == "failed" and "acme/no-such-model" in (missing.error or "")
    assert summary.exit_code() == 1


def test_an_existing_dask_scheduler_runs_the_same_worker(tmp_path: Path) -> None:
    from distributed import LocalCluster

    repos = [str(grantee_repo(tmp_path / f"r{i}", i)) for i in range(3)]
    path = write_portfolio(tmp_path / "p.yaml", repos)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_batch(
            path, BatchOptions(db=str(tmp_path / "db.sqlite3"), scheduler=cluster.scheduler_address, only=FAST)
        )
    assert summary.executor.startswith("Dask scheduler tcp://127.0.0.1:")
    assert [o.status for o in summary.outcomes] == ["ok"] * 3
    unreachable = run_oscheck(
        "batch", str(path), "--db", str(tmp_path / "db2.sqlite3"), "--scheduler", "tcp://127.0.0.1:9", "--new-run"
    )
    assert unreachable.returncode == 3 and "cannot reach the Dask scheduler" in unreachable.stderr
