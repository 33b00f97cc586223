"""Report: the compliance site agency staff read, built from the store.

``snapshot`` reads the store once; ``build`` turns the records into view models (pure);
``render`` writes the HTML site (Jinja2, Korean and English); ``charts`` draws inline SVG;
``tabular`` writes CSV and Markdown. ``write_report`` does all of it for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.policy.load import PolicySet
from oscheck.policy.programs import program_ids

__all__ = ["ReportOutput", "write_report"]

FORMATS = ("html", "markdown", "csv")


@dataclass(frozen=True)
class ReportOutput:
    files: tuple[Path, ...]  # written under the output folder
    text: str | None  # the Markdown summary (``--format markdown``)
    grantees: int


def write_report(
    db: str | None,
    out: Path,
    *,
    policy: PolicySet,
    today: date,
    lang: str = "ko",
    program: str | None = None,
    fmt: str = "html",
    tool_version: str,
) -> ReportOutput:
    """Read the store ``db`` and write the report in ``fmt`` (``InputError`` on bad input)."""
    from oscheck.report.build import build_site
    from oscheck.report.render import render_site
    from oscheck.report.snapshot import read_snapshot
    from oscheck.report.tabular import findings_csv, markdown_summary, portfolio_csv
    from oscheck.store import Store

    if fmt not in FORMATS:
        raise InputError(_("unknown format '{name}'; choose from {known}", name=fmt, known=", ".join(FORMATS)))
    if program is not None and program not in program_ids(policy):
        raise InputError(
            _(
                "unknown program '{program}'; known programs: {known}",
                program=program,
                known=", ".join(program_ids(policy)),
            )
        )
    store = Store(db)
    try:
        store.require_current()
        with store.transaction() as session:
            snap = read_snapshot(session)
    finally:
        store.dispose()
    site = build_site(snap, policy, today, tool_version=tool_version, program=program)
    if fmt == "markdown":
        return ReportOutput((), markdown_summary(site, lang), len(site.grantees))
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for name, text in (("portfolio.csv", portfolio_csv(site, lang)), ("findings.csv", findings_csv(site, lang))):
            path = out / name
            path.write_text(text, encoding="utf-8", newline="")
            files.append(path)
        return ReportOutput(tuple(files), None, len(site.grantees))
    reports = {s.id: s.report for s in snap.scans if s.report is not None and s.id in set(site.scans_written)}
    written = render_site(site, out, default_lang=lang, reports=reports)
    return ReportOutput(tuple(written), None, len(site.grantees))
