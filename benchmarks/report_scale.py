"""How long ``oscheck report`` takes for a large portfolio, and how much memory it needs.

    python benchmarks/report_scale.py [--grantees 200] [--scans-per-target 2]

The store is filled with the real JSON reports of the demo (``reports/demo/data/scans/``),
recorded again and again under new grantee ids and repository URLs (as ``oscheck batch``
records them), plus the example registry. Then the report is written as HTML (both
languages) and as CSV; the time of each stage and the peak memory are printed. There is no
peer tool to compare with: the figure to compare is the time the scans themselves took.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oscheck.policy.load import load_policy  # noqa: E402
from oscheck.report.build import build_site  # noqa: E402
from oscheck.report.render import render_site  # noqa: E402
from oscheck.report.snapshot import read_snapshot  # noqa: E402
from oscheck.report.tabular import findings_csv, portfolio_csv  # noqa: E402
from oscheck.store import Store  # noqa: E402
from oscheck.store.scans import finish_run, record_report, start_run  # noqa: E402


def fill(db: str, grantees: int, per_target: int) -> int:
    reports = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "reports/demo/data/scans").glob("*.json"))
    ]
    if not reports:
        raise SystemExit("run `make demo` first: reports/demo/data/scans/ is empty")
    store = Store(db)
    store.upgrade()
    n = 0
    for _run in range(per_target):
        with store.transaction() as s:
            run_id = start_run(s, "bench.yaml", None, datetime.now(UTC)).id
        for g in range(grantees):
            doc = dict(reports[g % len(reports)])
            doc["target"] = {
                **doc["target"],
                "uri": f"https://git.example.kr/g{g:04d}/{doc['target']['uri'].rsplit('/', 1)[-1]}",
            }
            with store.transaction() as s:
                record_report(s, doc, run_id=run_id, grantee_id=f"G-{g:04d}", grantee_name=f"수행기관 {g:04d}")
            n += 1
        with store.transaction() as s:
            finish_run(s, run_id, datetime.now(UTC))
    store.dispose()
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grantees", type=int, default=200)
    ap.add_argument("--scans-per-target", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        t0 = time.perf_counter()
        scans = fill(db, args.grantees, args.scans_per_target)
        t1 = time.perf_counter()
        store = Store(db)
        with store.transaction() as s:
            snap = read_snapshot(s)
        store.dispose()
        t2 = time.perf_counter()
        site = build_site(snap, load_policy(), date(2026, 6, 15), tool_version="bench")
        t3 = time.perf_counter()
        files = render_site(
            site, Path(tmp) / "site", reports={x.id: x.report for x in snap.scans if x.report is not None}
        )
        t4 = time.perf_counter()
        portfolio_csv(site, "ko")
        findings_csv(site, "ko")
        t5 = time.perf_counter()
        size = sum(p.stat().st_size for p in files)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"store: {scans} scans of {args.grantees} grantees recorded in {t1 - t0:.1f} s")
    print(f"read snapshot   {t2 - t1:6.2f} s")
    print(f"build models    {t3 - t2:6.2f} s")
    print(f"render site     {t4 - t3:6.2f} s  ({len(files)} files, {size / 1e6:.1f} MB, both languages)")
    print(f"csv             {t5 - t4:6.2f} s")
    print(f"total report    {t5 - t1:6.2f} s  = {(t5 - t1) / args.grantees * 1000:.0f} ms per grantee")
    print(f"peak memory     {peak:6.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
