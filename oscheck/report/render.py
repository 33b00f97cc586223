"""Lay the view models out as a static site: Jinja2 templates, Korean and English trees.

Layout (every link relative, so the folder works from a file share or a USB stick)::

    index.html               -> the default language's portfolio
    ko/index.html            portfolio          en/index.html
    ko/grantees/<slug>.html  one per grantee    en/grantees/<slug>.html
    ko/programs/<slug>.html  one per program    en/programs/<slug>.html
    ko/rules.html            rules glossary     en/rules.html
    assets/report.css, assets/report.js
    data/scans/<id>.json     the stored JSON report of each scan shown

Templates hold no wording: every text is ``_("English message id")`` with its Korean in
``oscheck/locale/ko/report.po``. Autoescaping is on for every template; repository text is
never marked safe. The only ``Markup`` inserted is the SVG of ``charts.svg``, which escapes
its own texts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from oscheck.i18n import LANGUAGES, N_, LocalizedText, translate
from oscheck.report.build import KST, kst
from oscheck.report.charts import Chart, Series, svg
from oscheck.report.labels import label_id
from oscheck.report.model import (
    DISPLAY_ORDER,
    VERDICT_LABEL,
    CheckStatus,
    GranteePage,
    Labels,
    Msg,
    PlainVerdict,
    Site,
)

__all__ = ["Translator", "render_site", "site_files"]

HERE = Path(__file__).resolve().parent
MANIFEST = ".oscheck-report.json"  # what the last run wrote, so that stale pages are removed
_LOCALES = {"ko": "ko_KR", "en": "en_GB"}
# Each language is named in itself on the switch ("English" on Korean pages, "한국어" on English ones).
LANGUAGE_NAMES = {"ko": N_("Korean"), "en": N_("English")}
VERDICT_CSS = {
    PlainVerdict.COMPLIANT: "v-ok",
    PlainVerdict.NEEDS_WORK: "v-work",
    PlainVerdict.NON_COMPLIANT: "v-bad",
    PlainVerdict.UNKNOWN: "v-unknown",
}


@dataclass(frozen=True)
class Translator:
    """Texts, dates and numbers in one language (Korean conventions on Korean pages)."""

    lang: str

    @property
    def locale(self) -> str:
        return _LOCALES.get(self.lang, "en_GB")

    def __call__(self, msgid: str, **params: Any) -> str:
        return translate(msgid, self.lang, **{k: self.value(v) for k, v in params.items()})

    def value(self, v: Any) -> str:
        """Any value as the page shows it."""
        if isinstance(v, Msg):
            return self(v.msgid, **dict(v.params))
        if isinstance(v, LocalizedText):
            return v.get(self.lang)
        if isinstance(v, Labels):
            return ", ".join(self.label(v.kind, x) for x in v.values)
        if isinstance(v, PlainVerdict):
            return self(VERDICT_LABEL[v])
        if isinstance(v, bool) or v is None:
            return "-" if v is None else str(v)
        if isinstance(v, int | Decimal):
            return self.num(v)
        if isinstance(v, datetime):
            return self.datetime(v)
        if isinstance(v, date):
            return self.date(v)
        return str(v)

    def moment(self, moment: datetime) -> Markup:
        """When a scan ran, marked as such: ``<time datetime=… data-volatile>``. These are the
        only run-time values on a page; the test that keeps reports/demo current blanks them."""
        return Markup('<time datetime="{}" data-volatile>{}</time>').format(
            moment.astimezone(UTC).isoformat(timespec="seconds"), self.datetime(moment)
        )

    def label(self, kind: str, value: str | None) -> str:
        msgid = label_id(kind, value)
        return self(msgid) if msgid else ("-" if value is None else str(value))

    def num(self, n: int | float | Decimal | None) -> str:
        return "-" if n is None else str(format_decimal(n, locale=self.locale))

    def money(self, n: Decimal | None) -> str:
        return "-" if n is None else str(format_currency(n, "KRW", locale=self.locale))

    def date(self, d: date | None) -> str:
        if d is None:
            return "-"
        # 2026. 6. 15. in Korean documents; 15 Jun 2026 in English.
        return str(format_date(d, "y. M. d." if self.lang == "ko" else "d MMM y", locale=self.locale))

    def datetime(self, moment: datetime | None) -> str:
        if moment is None:
            return "-"
        local = kst(moment)
        pattern = "y. M. d. HH:mm" if self.lang == "ko" else "d MMM y, HH:mm"
        return str(format_datetime(local, pattern, tzinfo=KST, locale=self.locale)) + " KST"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


# --- charts --------------------------------------------------------------------------------


def _verdict_series(t: Translator, rows: list[dict[PlainVerdict, int]]) -> tuple[Series, ...]:
    return tuple(Series(t(VERDICT_LABEL[v]), VERDICT_CSS[v], tuple(r.get(v, 0) for r in rows)) for v in DISPLAY_ORDER)


def portfolio_charts(site: Site, t: Translator) -> list[Chart]:
    """Verdicts by program, findings by rule, obligations by month, the scan trend."""
    charts = []
    by_program: dict[str, Counter[PlainVerdict]] = defaultdict(Counter)
    for r in site.portfolio.rows:
        by_program[r.program or "-"][r.verdict] += 1
    progs = sorted(by_program)
    charts.append(
        Chart(
            "chart-verdicts",
            "hbar",
            t("Verdicts by program"),
            tuple(progs),
            _verdict_series(t, [dict(by_program[p]) for p in progs]),
        )
    )
    site_rules = {r.id: r for r in site.rules}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for g in site.grantees:
        for tv in g.targets:
            for rule, sev, n in tv.rule_counts:
                counts[rule][sev] += n
    top = sorted(counts, key=lambda r: (-counts[r]["error"], -counts[r]["warning"], -sum(counts[r].values()), r))[:15]
    left = len(counts) - len(top)
    charts.append(
        Chart(
            "chart-rules",
            "hbar",
            t("Findings by rule (latest scans)"),
            tuple(top),
            tuple(
                Series(t(lbl), css, tuple(counts[r][sev] for r in top))
                for sev, lbl, css in (
                    ("error", "Error", "s-error"),
                    ("warning", "Warning", "s-warning"),
                    ("note", "Note", "s-note"),
                )
            ),
            note=t("{n} more rules have findings; see each grantee's page", n=left) if left > 0 else "",
            details=tuple(t(site_rules[r].title) if r in site_rules else r for r in top),
        )
    )
    months = _months(site.today)
    buckets: dict[str, Counter[str]] = defaultdict(Counter)
    outside = 0
    for g in site.grantees:
        for o in g.obligations:
            key = o.due_on.strftime("%Y-%m")
            if key in months:
                buckets[key][o.status] += 1
            else:
                outside += 1
    charts.append(
        Chart(
            "chart-obligations",
            "columns",
            t("Obligations by due month"),
            tuple(_month_label(m, t, i == 0) for i, m in enumerate(months)),
            tuple(
                Series(t.label("obligation", st), f"o-{st}", tuple(buckets[m][st] for m in months))
                for st in ("overdue", "due", "upcoming", "done")
            ),
            note=t("{n} obligations fall outside these months (see each grantee)", n=outside) if outside else "",
        )
    )
    trend = site.portfolio.trend
    charts.append(
        Chart(
            "chart-trend",
            "line",
            t("Errors and warnings per scan run"),
            tuple((f"#{p.run_id}" if p.run_id else "-") + "\n" + t.date(p.day) for p in trend),
            (
                Series(t("Error"), "s-error", tuple(p.errors for p in trend)),
                Series(t("Warning"), "s-warning", tuple(p.warnings for p in trend)),
                Series(t("Failed scans"), "s-failed", tuple(p.failed for p in trend)),
            ),
            volatile_detail=True,
        )
    )
    return charts


def _months(today: date) -> list[str]:
    """Six months back to twelve ahead."""
    out = []
    y, m = today.year, today.month - 6
    for _ in range(19):
        while m < 1:
            y, m = y - 1, m + 12
        while m > 12:
            y, m = y + 1, m - 12
        out.append(f"{y:04d}-{m:02d}")
        m += 1
    return out


def _month_label(key: str, t: Translator, first: bool = False) -> str:
    """ "6월" / "Jun"; the first month and every January also carry the year on a second line."""
    y, m = (int(x) for x in key.split("-"))
    month = str(format_date(date(y, m, 1), "MMM", locale=t.locale))
    return f"{month}\n{y}" if first or m == 1 else month


def grantee_charts(page: GranteePage, t: Translator) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    for tv in page.targets:
        c = tv.community
        if c is not None and c.commits_per_month:
            charts[tv.anchor] = Chart(
                f"chart-commits-{tv.anchor}",
                "columns",
                t("Commits per month"),
                tuple(_month_label(m, t, i == 0) for i, (m, _n) in enumerate(c.commits_per_month)),
                (Series(t("Commits"), "s-commits", tuple(n for _m, n in c.commits_per_month)),),
            )
    return charts


# --- pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    path: str  # relative to the language folder
    template: str
    title: str
    context: Mapping[str, Any]


def _pages(site: Site, t: Translator) -> list[_Page]:
    pages = [
        _Page(
            "index.html",
            "portfolio.html",
            t("Compliance portfolio"),
            {"charts": portfolio_charts(site, t)},
        )
    ]
    for g in site.grantees:
        pages.append(
            _Page(
                f"grantees/{g.row.slug}.html",
                "grantee.html",
                g.row.name,
                {"g": g, "charts": grantee_charts(g, t)},
            )
        )
    for p in site.programs:
        pages.append(_Page(f"programs/{p.slug}.html", "program.html", t.value(p.name), {"p": p}))
    pages.append(_Page("rules.html", "rules.html", t("Rules glossary"), {}))
    pages.append(
        _Page(
            "print.html",
            "print.html",
            t("All grantees (for printing)"),
            {"grantee_charts": {g.row.slug: grantee_charts(g, t) for g in site.grantees}},
        )
    )
    return pages


def _write(path: Path, text: str | bytes, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="\n")
    written.append(path)


def site_files(site: Site) -> list[str]:
    """The page paths (relative to the site root) a site has, in both languages."""
    t = Translator("en")
    return [f"{lang}/{p.path}" for lang in LANGUAGES for p in _pages(site, t)] + ["index.html"]


def render_site(
    site: Site,
    out: Path,
    *,
    default_lang: str = "ko",
    reports: Mapping[int, Mapping[str, Any]] | None = None,
    extra_files: Mapping[str, bytes] | None = None,
) -> list[Path]:
    """Write the site under ``out``; returns the files written. Files a previous run wrote
    there and this one did not (a grantee that left the portfolio) are removed."""
    out.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out)
    written: list[Path] = []
    env = _environment()
    langs = ["ko", "en"]
    rule_titles = {r.id: r.title for r in site.rules}
    for lang in langs:
        t = Translator(lang)
        other = "en" if lang == "ko" else "ko"
        for page in _pages(site, t):
            depth = page.path.count("/") + 1
            root = "../" * depth
            ctx = {
                "site": site,
                "lang": lang,
                "other": other,
                "root": root,
                "here": page.path,
                "page_title": page.title,
                "_": t,
                "t": t,
                "svg": svg,
                "verdict_css": VERDICT_CSS,
                "CheckStatus": CheckStatus,
                "PlainVerdict": PlainVerdict,
                "verdict_order": DISPLAY_ORDER,
                "program_slugs": {p.id: p.slug for p in site.programs},
                "rule_titles": rule_titles,
                "switch_label": Translator(other)(LANGUAGE_NAMES[other]),
                **page.context,
            }
            html = env.get_template(page.template).render(ctx)
            _write(out / lang / page.path, html, written)
    index = env.get_template("redirect.html").render(
        {
            "lang": default_lang,
            "_": Translator(default_lang),
            "target": f"{default_lang}/index.html",
            "names": {code: Translator(code)(name) for code, name in LANGUAGE_NAMES.items()},
        }
    )
    _write(out / "index.html", index, written)
    for name in ("report.css", "report.js"):
        _write(out / "assets" / name, (HERE / "static" / name).read_bytes(), written)
    for scan_id in site.scans_written:
        doc = (reports or {}).get(scan_id)
        if doc is not None:
            text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            _write(out / "data" / "scans" / f"{scan_id}.json", text, written)
    for rel, data in (extra_files or {}).items():
        _write(out / rel, data, written)
    names = sorted(p.relative_to(out).as_posix() for p in written)
    for stale in sorted(set(previous) - set(names)):
        path = out / stale
        if path.is_file() and ".." not in Path(stale).parts:
            path.unlink()
    (out / MANIFEST).write_text(json.dumps(names, indent=0) + "\n", encoding="utf-8")
    _remove_empty_dirs(out)
    return written


def _read_manifest(out: Path) -> list[str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [str(x) for x in data] if isinstance(data, list) else []


def _remove_empty_dirs(out: Path) -> None:
    for sub in ("ko", "en", "data", "assets"):
        base = out / sub
        if not base.is_dir():
            continue
        for d in sorted((p for p in base.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(d.iterdir()):
                d.rmdir()
