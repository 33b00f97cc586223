"""``oscheck report``: the static site in a real headless Chromium, plus CSV and Markdown.

The store is real (``tests/report_store.py``: registry imports, eligibility, scoring,
obligations, real scans recorded with their JSON reports); the report is written by
``python -m oscheck report`` as a user runs it; Chromium (Debian's ``/usr/bin/chromium``,
driven by Playwright) loads every page from the file system with the network refused.
Screenshots land in ``tests/_artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import ROOT, run_oscheck
from report_store import XSS_FILE, XSS_VENDOR, ReportStore, build_report_store
from sqlalchemy import func, select

from oscheck.store import Store
from oscheck.store import models as m

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "_artifacts"
# Keep Chromium off the network: no update checks, no sync, no component downloads.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AS_OF = "2026-06-15"

browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (make system-deps)")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ReportStore:
    return build_report_store(tmp_path_factory.mktemp("report-store"))


@pytest.fixture(scope="module")
def site(store: ReportStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "reports"
    proc = run_oscheck("report", "--db", store.db, "--out", str(out), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    assert "6 grantees" in proc.stderr or "report of 6 grantees" in proc.stderr, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium (make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class _Links(HTMLParser):
    """Every href/src and every id of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src"):
                self.refs.append(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- structure and links (no browser needed) ---------------------------------------------------


def test_both_languages_have_every_page(site: Path) -> None:
    ko = {p.relative_to(site / "ko").as_posix() for p in (site / "ko").rglob("*.html")}
    en = {p.relative_to(site / "en").as_posix() for p in (site / "en").rglob("*.html")}
    assert ko == en
    assert {"index.html", "rules.html", "print.html", "grantees/nipa-use-001.html", "grantees/gpu-001.html"} <= ko
    assert {f"programs/{p.stem}.html" for p in (ROOT / "policies" / "programs").glob("*.yaml")} <= ko
    for page in _pages(site / "ko"):
        assert '<html lang="ko">' in page.read_text(encoding="utf-8")
    for page in _pages(site / "en"):
        assert '<html lang="en">' in page.read_text(encoding="utf-8")


def test_every_link_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    external = Counter[str]()
    for page in _pages(site):
        for ref in _parse(page).refs:
            parts = urlsplit(ref)
            assert parts.scheme in ("", "http", "https"), f"{page}: {ref}"
            if parts.scheme:
                external[parts.netloc] += 1
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(site)} links to a missing file: {ref}"
            assert site.resolve() in target.parents, f"{page}: {ref} leaves the site"
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = _parse(target).ids
                assert parts.fragment in ids[target], f"{page.relative_to(site)}: no #{parts.fragment} in {ref}"
    # External links are only citations and homepages, shown for people to open themselves.
    assert external, "rule sources link to their texts"


def test_json_reports_are_linked_and_complete(site: Path, store: ReportStore) -> None:
    import json

    scans = sorted((site / "data" / "scans").glob("*.json"))
    assert scans, "the JSON report of every scan shown is written"
    st = Store(store.db)
    with st.transaction() as s:
        for path in scans:
            row = s.get_one(m.Scan, int(path.stem))
            assert json.loads(path.read_text(encoding="utf-8")) == row.report
    st.dispose()


# --- the browser -----------------------------------------------------------------------------------


def _open(browser: object, url: str) -> tuple[object, object, list[str], list[str]]:
    """A page with the network refused: (context, page, console errors, requests outside file://)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    outside: list[str] = []

    def route(r: object) -> None:
        req = r.request  # type: ignore[attr-defined]
        if req.url.startswith("file://"):
            r.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(req.url)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    return context, page, errors, outside


@browser_only
@pytest.mark.browser
def test_every_page_loads_offline_without_errors(site: Path, browser: object) -> None:
    for path in _pages(site):
        context, page, errors, outside = _open(browser, path.as_uri())
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        assert errors == [], f"{path.relative_to(site)}: {errors}"
        assert outside == [], f"{path.relative_to(site)} asked the network for {outside}"
        if path.name != "index.html" or path.parent != site:
            # The stylesheet and the script were applied (Content-Security-Policy allows them).
            assert page.evaluate("document.documentElement.classList.contains('js')"), path  # type: ignore[attr-defined]
            assert page.evaluate("getComputedStyle(document.body).margin") == "0px", path  # type: ignore[attr-defined]
        context.close()  # type: ignore[attr-defined]


@browser_only
@pytest.mark.browser
def test_committed_demo_site_loads_offline(browser: object) -> None:
    """reports/demo/ (make demo) as staff open it: every page, both languages, no error, no network."""
    demo = ROOT / "reports" / "demo"
    pages = _pages(demo)
    assert len(pages) > 20
    test_every_link_resolves(demo)
    for path in pages:
        context, page, errors, outside = _open(browser, path.as_uri())
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        assert errors == [] and outside == [], (path.relative_to(demo), errors, outside)
        context.close()  # type: ignore[attr-defined]


def _store_counts(db: str) -> dict[str, dict[str, int]]:
    """Per application: errors and warnings of the latest scan of each target, obligations by status."""
    st = Store(db)
    out: dict[str, dict[str, int]] = {}
    with st.transaction() as s:
        latest = select(m.Scan.target_uri, func.max(m.Scan.id).label("id")).group_by(m.Scan.target_uri).subquery()
        for scan in s.scalars(select(m.Scan).join(latest, m.Scan.id == latest.c.id)):
            c = out.setdefault(scan.application_id or "", Counter())
            c["errors"] += scan.errors
            c["warnings"] += scan.warnings
        for ob in s.scalars(select(m.Obligation)):
            c = out.setdefault(ob.agreement.application_id, Counter())
            assert ob.status_on.isoformat() == AS_OF
            c[ob.status] += 1
    st.dispose()
    return {k: dict(v) for k, v in out.items()}


@browser_only
@pytest.mark.browser
def test_portfolio_numbers_equal_the_store(site: Path, store: ReportStore, browser: object) -> None:
    context, page, errors, _ = _open(browser, (site / "ko" / "index.html").as_uri())
    rows = page.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('#portfolio-table tbody tr')).map(tr => {
             const cells = {};
             tr.querySelectorAll('[data-col]').forEach(td => cells[td.dataset.col] = td.textContent.trim());
             return {slug: tr.dataset.slug, verdict: tr.dataset.verdict, cells};
           })"""
    )
    expected = _store_counts(store.db)
    assert {r["slug"] for r in rows} == {"nipa-use-001", "nipa-dev-001", "gpu-001", "gpu-002", "gpu-004", "kosmes-001"}
    for r in rows:
        want = expected.get(r["slug"], {})
        shown = {k: int(v.replace(",", "")) for k, v in r["cells"].items() if k != "verdict"}
        assert shown["errors"] == want.get("errors", 0), r
        assert shown["warnings"] == want.get("warnings", 0), r
        assert shown["due"] == want.get("due", 0), r
        assert shown["overdue"] == want.get("overdue", 0), r
    # The summary cards count the rows.
    verdicts = Counter(r["verdict"] for r in rows)
    for v in ("non-compliant", "needs-work", "unknown", "compliant"):
        card = page.text_content(f'[data-total="{v}"]')  # type: ignore[attr-defined]
        assert int(card) == verdicts.get(v, 0), v
    assert int(page.text_content('[data-total="grantees"]')) == len(rows)  # type: ignore[attr-defined]
    total_overdue = sum(c.get("overdue", 0) for c in expected.values())
    assert int(page.text_content('[data-total="overdue"]')) == total_overdue  # type: ignore[attr-defined]
    assert errors == []
    context.close()  # type: ignore[attr-defined]


@browser_only
@pytest.mark.browser
def test_unknown_is_never_shown_as_a_pass(site: Path, browser: object) -> None:
    context, page, _errors, _ = _open(browser, (site / "en" / "index.html").as_uri())
    verdict = {
        slug: page.get_attribute(f'tr[data-slug="{slug}"]', "data-verdict")  # type: ignore[attr-defined]
        for slug in ("gpu-001", "gpu-002", "nipa-dev-001", "nipa-use-001")
    }
    # A clone that failed, a grantee never scanned: unknown. Required checks that did not run
    # (only license detection ran for the development grantee): not compliant either.
    assert verdict == {
        "gpu-001": "unknown",
        "gpu-002": "unknown",
        "nipa-dev-001": "needs-work",
        "nipa-use-001": "non-compliant",
    }
    page.goto((site / "en" / "grantees" / "nipa-dev-001.html").as_uri())  # type: ignore[attr-defined]
    not_checked = page.eval_on_selector_all(  # type: ignore[attr-defined]
        'tr[data-status="not-checked"]', "els => els.map(e => e.dataset.check)"
    )
    assert {"publication", "community"} <= set(not_checked)
    assert "Not checked" in page.text_content("main")  # type: ignore[attr-defined]
    page.goto((site / "en" / "grantees" / "gpu-001.html").as_uri())  # type: ignore[attr-defined]
    text = page.text_content("main")  # type: ignore[attr-defined]
    assert "could not resolve host" in text and "Compliant" not in text.replace("Non-compliant", "")
    context.close()  # type: ignore[attr-defined]


@browser_only
@pytest.mark.browser
def test_language_switch(site: Path, browser: object) -> None:
    context, page, errors, _ = _open(browser, (site / "index.html").as_uri())
    page.wait_for_url("**/ko/index.html")  # type: ignore[attr-defined]  # the root sends Korean readers on
    assert page.get_attribute("html", "lang") == "ko"  # type: ignore[attr-defined]
    assert "수행기관" in page.text_content("h1")  # type: ignore[attr-defined]
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_url("**/en/index.html")  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == "en"  # type: ignore[attr-defined]
    assert page.text_content("h1") == "Open-source license and AI compliance of grantees"  # type: ignore[attr-defined]
    page.click('a[href="grantees/nipa-use-001.html"]')  # type: ignore[attr-defined]
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_url("**/ko/grantees/nipa-use-001.html")  # type: ignore[attr-defined]
    body = page.text_content("main")  # type: ignore[attr-defined]
    for heading in ("프로젝트 검증 개요", "구성요소 목록", "라이선스 충돌 현황", "검증 확인 파일 현황"):
        assert heading in body
    # Korean conventions: dates as 2026. 6. 15., numbers with thousands separators.
    assert "2026. 6. 15." in page.text_content("footer")  # type: ignore[attr-defined]
    assert errors == []
    context.close()  # type: ignore[attr-defined]


@browser_only
@pytest.mark.browser
def test_repository_text_renders_as_text(site: Path, browser: object) -> None:
    for lang in ("ko", "en"):
        context, page, errors, _ = _open(browser, (site / lang / "grantees" / "nipa-use-001.html").as_uri())
        body = page.text_content("main")  # type: ignore[attr-defined]
        assert XSS_FILE in body  # the file name, as text
        assert XSS_VENDOR in body  # a finding message with HTML in it, as text
        assert page.evaluate("document.querySelectorAll('main img, main script, main [onerror]').length") == 0  # type: ignore[attr-defined]
        assert page.evaluate("document.scripts.length") == 1  # type: ignore[attr-defined]  # report.js only
        assert errors == [], errors  # no alert() dialog, no error
        context.close()  # type: ignore[attr-defined]
    raw = (site / "en" / "grantees" / "nipa-use-001.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;.py" in raw


@browser_only
@pytest.mark.browser
def test_filters_and_sorting_work_without_a_server(site: Path, browser: object) -> None:
    context, page, errors, _ = _open(browser, (site / "en" / "index.html").as_uri())
    visible = (
        "() => Array.from(document.querySelectorAll('#portfolio-table tbody tr:not(.hidden)')).map(r => r.dataset.slug)"
    )
    assert len(page.evaluate(visible)) == 6  # type: ignore[attr-defined]
    page.select_option('select[data-filter="verdict"]', "unknown")  # type: ignore[attr-defined]
    assert sorted(page.evaluate(visible)) == ["gpu-001", "gpu-002", "gpu-004", "kosmes-001"]  # type: ignore[attr-defined]
    assert page.text_content("#shown-count") == "4 of 6 shown"  # type: ignore[attr-defined]
    page.select_option('select[data-filter="program"]', "nipa-gpu-rental-2025")  # type: ignore[attr-defined]
    assert sorted(page.evaluate(visible)) == ["gpu-001", "gpu-002", "gpu-004"]  # type: ignore[attr-defined]
    page.click('button[type="reset"]')  # type: ignore[attr-defined]
    page.fill('input[data-filter="text"]', "ko-civil")  # type: ignore[attr-defined]
    assert page.evaluate(visible) == ["nipa-use-001"]  # type: ignore[attr-defined]
    page.fill('input[data-filter="text"]', "")  # type: ignore[attr-defined]
    # Sort by warnings, twice: ascending, then descending.
    header = "#portfolio-table th:nth-child(5) button"
    page.click(header)  # type: ignore[attr-defined]
    page.click(header)  # type: ignore[attr-defined]
    warnings = page.eval_on_selector_all(  # type: ignore[attr-defined]
        '#portfolio-table tbody tr [data-col="warnings"]', "els => els.map(e => Number(e.dataset.value))"
    )
    assert warnings == sorted(warnings, reverse=True) and warnings[0] > 0
    assert errors == []
    context.close()  # type: ignore[attr-defined]


@browser_only
@pytest.mark.browser
def test_screenshots_and_print(site: Path, browser: object) -> None:
    """Screenshots for a person to look at; the print page puts every grantee on its own A4 pages."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page, errors, _ = _open(browser, (site / "ko" / "index.html").as_uri())
    page.screenshot(path=str(ARTIFACTS / "report-portfolio-ko.png"), full_page=True)  # type: ignore[attr-defined]
    page.goto((site / "ko" / "grantees" / "nipa-use-001.html").as_uri())  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "report-grantee-ko.png"), full_page=True)  # type: ignore[attr-defined]
    page.goto((site / "en" / "grantees" / "nipa-use-001.html").as_uri())  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "report-grantee-en.png"), full_page=False)  # type: ignore[attr-defined]
    page.goto((site / "ko" / "print.html").as_uri())  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    pdf = page.pdf(format="A4", print_background=True)  # type: ignore[attr-defined]
    (ARTIFACTS / "report-print-ko.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 1 + 6, pages  # the summary, then at least a page per grantee
    assert errors == []
    context.close()  # type: ignore[attr-defined]
    for name in ("report-portfolio-ko.png", "report-grantee-ko.png"):
        assert (ARTIFACTS / name).stat().st_size > 20_000


# --- CSV and Markdown --------------------------------------------------------------------------------


def test_csv_for_spreadsheets(store: ReportStore, tmp_path: Path) -> None:
    proc = run_oscheck("report", "--db", store.db, "--format", "csv", "--out", str(tmp_path), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    raw = (tmp_path / "portfolio.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads the Hangul"
    grantees = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(grantees) == 6
    use = next(r for r in grantees if r["application"] == "nipa-use-001")
    assert (
        use["verdict"] == "non-compliant" and use["verdict_label"] == "부적합" and use["grantee"] == "한빛에이아이(주)"
    )
    expected = _store_counts(store.db)["nipa-use-001"]
    assert int(use["errors"]) == expected["errors"] and int(use["warnings"]) == expected["warnings"]
    assert int(use["obligations_overdue"]) == expected.get("overdue", 0)
    findings = list(csv.DictReader(io.StringIO((tmp_path / "findings.csv").read_text(encoding="utf-8-sig"))))
    mine = [f for f in findings if f["application"] == "nipa-use-001"]
    st = Store(store.db)
    with st.transaction() as s:
        latest = s.scalars(
            select(m.Scan).where(m.Scan.application_id == "nipa-use-001").order_by(m.Scan.id.desc())
        ).first()
        assert latest is not None
        assert len(mine) == len(latest.findings)
    st.dispose()
    assert any(f["path"] == XSS_FILE for f in mine)
    assert all(not f["message"].startswith(("=", "+", "@")) for f in findings)


def test_markdown_job_summary(store: ReportStore) -> None:
    proc = run_oscheck("report", "--db", store.db, "--format", "markdown", "--lang", "en", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    md = proc.stdout
    assert md.startswith("## Open-source license and AI compliance of grantees")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "nipa" in line]
    assert any("Non-compliant" in r and "ko-civil-qa" in r for r in rows)
    assert "<script" not in md and "<img" not in md


def test_program_filter_and_bad_input(store: ReportStore, tmp_path: Path) -> None:
    proc = run_oscheck(
        "report",
        "--db",
        store.db,
        "--out",
        str(tmp_path / "gpu"),
        "--program",
        "nipa-gpu-rental-2025",
        "--as-of",
        AS_OF,
    )
    assert proc.returncode == 0, proc.stderr
    pages = {p.name for p in (tmp_path / "gpu" / "ko" / "grantees").glob("*.html")}
    assert pages == {"gpu-001.html", "gpu-002.html", "gpu-004.html"}
    assert {p.name for p in (tmp_path / "gpu" / "ko" / "programs").glob("*.html")} == {"nipa-gpu-rental-2025.html"}
    bad = run_oscheck("report", "--db", store.db, "--program", "no-such-program", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "no-such-program" in bad.stderr and "Traceback" not in bad.stderr
    empty = run_oscheck("report", "--db", str(tmp_path / "empty.sqlite3"), "--out", str(tmp_path / "y"))
    assert empty.returncode == 2 and "oscheck registry init" in empty.stderr


def test_a_grantee_that_left_is_removed_from_the_site(store: ReportStore, site: Path, tmp_path: Path) -> None:
    """Writing into the same folder again removes the pages of the last run that are gone now."""
    import shutil

    out = tmp_path / "again"
    shutil.copytree(site, out)
    proc = run_oscheck(
        "report", "--db", store.db, "--out", str(out), "--program", "nipa-oss-ai-dev-2026", "--as-of", AS_OF
    )
    assert proc.returncode == 0, proc.stderr
    assert {p.name for p in (out / "en" / "grantees").glob("*.html")} == {"nipa-dev-001.html"}
    assert not (out / "en" / "programs" / "nipa-gpu-rental-2025.html").exists()


@pytest.mark.postgres
def test_postgresql_store_gives_the_same_report(
    store: ReportStore, pg_database: str, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """JSONB reorders keys and PostgreSQL returns aware datetimes: the report must not care."""
    pg = build_report_store(tmp_path_factory.mktemp("report-pg"), db=pg_database)
    outs = {}
    for name, db in (("sqlite", store.db), ("pg", pg.db)):
        out = tmp_path / name
        proc = run_oscheck("report", "--db", db, "--format", "csv", "--out", str(out), "--as-of", AS_OF)
        assert proc.returncode == 0, proc.stderr
        outs[name] = out
    for name in ("portfolio.csv", "findings.csv"):
        a = list(csv.DictReader(io.StringIO((outs["sqlite"] / name).read_text(encoding="utf-8-sig"))))
        b = list(csv.DictReader(io.StringIO((outs["pg"] / name).read_text(encoding="utf-8-sig"))))
        for row in a + b:
            row.pop("last_scan", None)  # the scans ran at different moments
            # The local registry stand-in listens on a new port each time.
            row["message"] = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", row.get("message", ""))
            row["reasons"] = row.get("reasons", "")
        assert a == b, name
