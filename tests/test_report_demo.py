"""The committed demo report (``reports/demo/``) is what ``make demo`` makes from this checkout.

"Current" is defined so that it can be checked on any machine on any day (docs/report.md):
the demo is rebuilt here the way ``make demo`` builds it (the same fixture trees with pinned
commit dates, one batch worker so that scan ids follow the portfolio, the portfolio's as-of
day, ``SOURCE_DATE_EPOCH`` for the SBOMs) and every file must equal the committed one once
the moments the scans ran are blanked: the ``<time data-volatile>`` elements and SVG
``<tspan data-volatile>`` labels of the pages, and ``started_at``, ``finished_at`` and
``stats`` (timings) of the JSON reports. Nothing else may differ, not even a file name.

After changing the scanner, the policies, the report or the demo portfolio: ``make demo``
and commit ``reports/demo/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from helpers import ROOT, run_oscheck

DEMO = ROOT / "reports" / "demo"
PORTFOLIO = ROOT / "examples" / "portfolio"
AS_OF = "2026-06-15"  # the portfolio's as_of and the Makefile's DEMO_AS_OF
_VOLATILE = re.compile(r"<(time|tspan)\b[^>]*\bdata-volatile\b[^>]*>[^<]*</\1>")
_RUN_TIME_KEYS = ("started_at", "finished_at", "stats")


def normalised(path: Path) -> str:
    """The file with the moments of the scans blanked (see the module docstring)."""
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict):
            for key in _RUN_TIME_KEYS:
                doc.pop(key, None)
        return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1)
    text = path.read_text(encoding="utf-8")
    return _VOLATILE.sub(r"<\1 data-volatile></\1>", text) if path.suffix == ".html" else text


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_normalisation_blanks_only_scan_moments() -> None:
    page = '<td><time datetime="2026-11-22T07:00:25+00:00" data-volatile>2026. 11. 22. 16:00 KST</time> #3</td>'
    assert _VOLATILE.sub(r"<\1 data-volatile></\1>", page) == "<td><time data-volatile></time> #3</td>"
    assert _VOLATILE.sub("", "<time datetime='2026-06-15'>as of</time>") == "<time datetime='2026-06-15'>as of</time>"


@pytest.mark.slow
def test_committed_demo_report_is_current(tmp_path: Path, fresh_cache: Path) -> None:
    assert (DEMO / "index.html").is_file(), "run `make demo` and commit reports/demo/"
    sys.path.insert(0, str(PORTFOLIO))
    try:
        import build_demo
    finally:
        sys.path.pop(0)
    # The portfolio reads its repositories from _build/ next to it: build them in a folder of
    # this test's own (another test builds examples/portfolio/_build/ at the same time).
    work = tmp_path / "portfolio"
    work.mkdir()
    shutil.copy(PORTFOLIO / "portfolio.yaml", work / "portfolio.yaml")
    build_demo.build_sources(work / "_build")
    db = str(tmp_path / "demo.sqlite3")
    out = tmp_path / "demo"
    env = {
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", build_demo._STAMP.split()[0]),
        "OSCHECK_TODAY": AS_OF,
    }
    assert run_oscheck("registry", "--db", db, "init", env=env).returncode == 0
    imported = run_oscheck("registry", "--db", db, "import", str(ROOT / "examples/registry/registry.yaml"), env=env)
    assert imported.returncode == 0, imported.stderr
    batch = run_oscheck(
        "batch", str(work / "portfolio.yaml"), "--db", db, "--out", str(out), "--offline", "--jobs", "1", env=env
    )
    assert batch.returncode in (0, 1), batch.stderr[-2000:]
    report = run_oscheck("report", "--db", db, "--out", str(out), "--as-of", AS_OF, env=env)
    assert report.returncode == 0, report.stderr

    assert _files(out) == _files(DEMO), "files differ from reports/demo/: run `make demo` and commit it"
    stale = [rel for rel in _files(out) if normalised(out / rel) != normalised(DEMO / rel)]
    assert stale == [], f"reports/demo/ is out of date ({len(stale)} files, e.g. {stale[:5]}): run `make demo`"
