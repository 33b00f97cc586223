"""The portfolio for spreadsheets (CSV) and for a GitHub job summary (Markdown).

CSV (docs/report.md lists the columns): ``portfolio.csv``, one row per grantee, and
``findings.csv``, one row per finding of each grantee's latest successful scans. UTF-8 with
a byte-order mark, so that Excel on a Korean Windows opens the Hangul correctly; a text cell
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return
first) gets a leading apostrophe (OWASP's advice on CSV injection).

Markdown: repository text is escaped so that it cannot add links, images, HTML or table
cells to the summary.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from oscheck.report.build import kst
from oscheck.report.model import DISPLAY_ORDER, PlainVerdict, Site
from oscheck.report.render import Translator

__all__ = ["FINDING_COLUMNS", "PORTFOLIO_COLUMNS", "findings_csv", "markdown_summary", "portfolio_csv"]

PORTFOLIO_COLUMNS = (
    "grantee",
    "application",
    "title",
    "program",
    "track",
    "verdict",
    "verdict_label",
    "reasons",
    "errors",
    "warnings",
    "notes",
    "unknowns",
    "obligations_open",
    "obligations_overdue",
    "repositories",
    "last_scan",
    "new_findings",
    "resolved_findings",
    "previous_verdict",
    "page",
)
FINDING_COLUMNS = (
    "grantee",
    "application",
    "program",
    "track",
    "repository",
    "scan_id",
    "commit",
    "rule_id",
    "rule_title",
    "severity",
    "unknown",
    "path",
    "line",
    "message",
    "exempted",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def _csv(rows: list[list[Any]], header: tuple[str, ...]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


def portfolio_csv(site: Site, lang: str) -> str:
    t = Translator(lang)
    rows = []
    for g in site.grantees:
        r = g.row
        rows.append(
            [
                r.name,
                r.application,
                r.title,
                r.program,
                r.track,
                r.verdict.value,
                t.value(r.verdict),
                " / ".join(t.value(d) for d in r.drivers),
                r.errors,
                r.warnings,
                r.notes,
                r.unknowns,
                r.due,
                r.overdue,
                "; ".join(f"{tb.name}@{tb.commit or '-'}" for tb in r.targets),
                kst(r.last_scan).isoformat(timespec="minutes") if r.last_scan else None,
                r.change.added if r.change else None,
                r.change.removed if r.change else None,
                r.change.previous_verdict.value if r.change and r.change.previous_verdict else None,
                f"{lang}/grantees/{r.slug}.html",
            ]
        )
    return _csv(rows, PORTFOLIO_COLUMNS)


def findings_csv(site: Site, lang: str) -> str:
    t = Translator(lang)
    rows = []
    for g in site.grantees:
        r = g.row
        for tv in g.targets:
            findings = [f for grp in tv.groups for f in grp.findings] + list(tv.exempted_findings)
            titles = {grp.rule.id: grp.rule.title for grp in tv.groups}
            for f in findings:
                rows.append(
                    [
                        r.name,
                        r.application,
                        r.program,
                        r.track,
                        tv.name,
                        tv.detail_scan_id,
                        tv.commit,
                        f.rule_id,
                        t(titles[f.rule_id]) if f.rule_id in titles else "",
                        f.severity,
                        "yes" if f.unknown else "no",
                        f.path,
                        f.line,
                        t.value(f.message),
                        f.exempted,
                    ]
                )
    return _csv(rows, FINDING_COLUMNS)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")


def _md(text: str | None) -> str:
    """Repository text inside a Markdown table cell: no markup, no HTML, no new cells."""
    if not text:
        return "-"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


_VERDICT_MARK = {
    PlainVerdict.NON_COMPLIANT: "🔴",
    PlainVerdict.NEEDS_WORK: "🟠",
    PlainVerdict.UNKNOWN: "❔",
    PlainVerdict.COMPLIANT: "🟢",
}


def markdown_summary(site: Site, lang: str) -> str:
    """A GitHub job summary: totals, then one table row per grantee."""
    t = Translator(lang)
    o = site.portfolio.overall
    lines = [
        f"## {t('Open-source license and AI compliance of grantees')}",
        "",
        t(
            "As of {date}. Made by oscheck {version} with policy {policy}.",
            date=t.date(site.today),
            version=site.tool_version,
            policy=site.policy_version,
        ),
        "",
        "| " + " | ".join(t.value(v) for v in DISPLAY_ORDER) + f" | {t('Obligations overdue')} |",
        "|" + "---:|" * (len(DISPLAY_ORDER) + 1),
        "| " + " | ".join(t.num(o.verdicts[v]) for v in DISPLAY_ORDER) + f" | {t.num(o.overdue)} |",
        "",
        f"| {t('Grantee')} | {t('Program / track')} | {t('Verdict')} | {t('Errors')} | {t('Warnings')} | "
        f"{t('Unknown')} | {t('Open now')} | {t('Overdue')} | {t('Latest scan')} |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for g in site.grantees:
        r = g.row
        prog = " / ".join(x for x in (r.program, r.track) if x) or t("No program")
        # Commit ids are hexadecimal (safe inside backticks); names are escaped.
        scans = "; ".join(_md(tb.name) + (f" `{tb.commit[:10]}`" if tb.commit else "") for tb in r.targets)
        lines.append(
            f"| {_md(r.name)} | {_md(prog)} | {_VERDICT_MARK[r.verdict]} {t.value(r.verdict)} | {t.num(r.errors)} | "
            f"{t.num(r.warnings)} | {t.num(r.unknowns)} | {t.num(r.due)} | {t.num(r.overdue)} | "
            f"{scans or t('Not scanned')} |"
        )
    lines += ["", t("Unknown means oscheck could not confirm the facts; it is never counted as a pass."), ""]
    return "\n".join(lines)
