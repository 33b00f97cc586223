"""How fast the registry records scans (SQLite file vs PostgreSQL) and ranks applications.

    python benchmarks/registry_store.py [--scans 300] [--findings 60] [--pg postgresql://…]

Each scan is written the way the batch runner writes it: one transaction per scan with
its findings and the full JSON report. Without --pg (or OSCHECK_TEST_PG_URL) only SQLite is
measured. Then 1,000 GPU-program applications × 5 evaluators are ranked (trimmed mean,
tie-breaks, private quota), the part `oscheck registry score` spends its time in.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oscheck.i18n import LocalizedText
from oscheck.model import Finding, Location, ScanResult, ScanSummary, Severity, Target, TargetKind
from oscheck.outputs.json_report import report_dict
from oscheck.policy.grants import ScoreRow, grant_program, rank_track
from oscheck.policy.load import load_policy
from oscheck.store import Store
from oscheck.store.scans import record_scan, start_run


def sample_result(n_findings: int) -> ScanResult:
    findings = tuple(
        Finding(
            rule_id=f"LIC{10 + i % 40:03d}",
            severity=(Severity.ERROR, Severity.WARNING, Severity.NOTE)[i % 3],
            message=LocalizedText(f"finding {i} in src/module_{i}.py", f"src/module_{i}.py의 발견 {i}"),
            location=Location(f"src/module_{i}.py", i + 1),
            data={"key": f"k{i}", "license": "GPL-3.0-only"},
        )
        for i in range(n_findings)
    )
    now = datetime.now(UTC)
    return ScanResult(
        target=Target(TargetKind.GIT, "https://git.example.kr/x.git", "main", "a" * 40),
        program="nipa-oss-ai-use-2026",
        track="use",
        declared_license="Apache-2.0",
        files=(),
        observations=(),
        findings=findings,
        summary=ScanSummary.of(findings, Severity.ERROR),
        tool_version="bench",
        policy_version="bench",
        started_at=now,
        finished_at=now,
    )


def bench_store(url: str, scans: int, findings: int) -> float:
    store = Store(url)
    store.upgrade()
    base = sample_result(findings)
    report = report_dict(base)
    with store.transaction() as s:
        run_id = start_run(s, "bench.yaml", None, datetime.now(UTC)).id
    t0 = time.perf_counter()
    for i in range(scans):
        result = replace(base, target=replace(base.target, uri=f"https://git.example.kr/repo-{i}.git"))
        with store.transaction() as s:
            record_scan(s, result, report=report, run_id=run_id)
    elapsed = time.perf_counter() - t0
    store.dispose()
    return scans / elapsed


def bench_scoring(n_apps: int) -> float:
    program = grant_program(load_policy(), "nipa-gpu-rental-2025")
    track = program.track("track-1")
    assert track.scoring is not None
    rnd = random.Random(7)
    rows, sectors = [], {}
    for a in range(n_apps):
        for e in range(5):
            for item, top in (("goal", 30), ("capability", 15), ("resources", 25), ("outcomes", 30)):
                rows.append(ScoreRow(f"app-{a}", f"E{e}", item, Decimal(rnd.randint(top // 2, top)), "written"))
        sectors[f"app-{a}"] = "private" if a % 3 else "public"
    t0 = time.perf_counter()
    rank_track(track.scoring, track.selection, "track-1", rows, sectors, slots=n_apps // 4)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", type=int, default=300)
    ap.add_argument("--findings", type=int, default=60)
    ap.add_argument("--pg", default=os.environ.get("OSCHECK_TEST_PG_URL"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = bench_store(str(Path(tmp) / "bench.sqlite3"), args.scans, args.findings)
    print(f"record_scan, SQLite file: {sqlite:8.1f} scans/s ({args.findings} findings + JSON report each)")
    if args.pg:
        import psycopg

        name = "oscheck_bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(args.pg, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        from sqlalchemy.engine import make_url

        try:
            pg = bench_store(
                make_url(args.pg).set(database=name).render_as_string(hide_password=False), args.scans, args.findings
            )
        finally:
            with psycopg.connect(args.pg, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"record_scan, PostgreSQL:  {pg:8.1f} scans/s   ratio PostgreSQL/SQLite: {pg / sqlite:.2f}")
    secs = bench_scoring(1000)
    print(f"rank 1,000 applications x 5 evaluators x 4 items: {secs:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
