"""Report: the compliance site agency staff read, built from the store.

``snapshot`` reads the store once; ``build`` turns the records into view models (pure);
``render`` writes the HTML site (Jinja2, Korean and English); ``charts`` draws inline SVG;
``tabular`` writes CSV and Markdown. ``write_report`` does all of it for the CLI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from oscheck.errors import InputError
from oscheck.i18n import N_, _
from oscheck.policy.load import PolicySet
from oscheck.policy.programs import program_ids
from oscheck.report.snapshot import ScanRec

__all__ = ["ReportOutput", "batch_artifacts", "write_report"]

FORMATS = ("html", "markdown", "csv")
# What ``oscheck batch --out`` writes next to each target's JSON report (OUT/<grantee>/<stem>…).
ARTIFACT_SUFFIXES = (
    (".spdx.json", N_("SBOM (SPDX 2.3)")),
    (".cdx.json", N_("SBOM (CycloneDX 1.6)")),
    (".spdx3.json", N_("SBOM (SPDX 3.0)")),
    (".sarif", N_("SARIF (code scanning)")),
    (".md", N_("Summary (Markdown)")),
)


def batch_artifacts(out: Path, scans: Sequence[ScanRec]) -> dict[int, tuple[tuple[str, str], ...]]:
    """The SBOMs and summaries ``oscheck batch`` wrote under ``out`` for a stored scan.

    The batch names them after the target (``report["portfolio"]["target"]``); they are
    linked only when the batch's JSON beside them is the report of this very scan (same
    target, commit and start), so a page never links the SBOM of another scan.
    """
    found: dict[int, tuple[tuple[str, str], ...]] = {}
    for scan in scans:
        doc = scan.report or {}
        key = (doc.get("portfolio") or {}).get("target") if isinstance(doc.get("portfolio"), dict) else None
        if not isinstance(key, str) or ".." in key.split("/") or key.startswith("/"):
            continue
        twin = out / f"{key}.json"
        try:
            twin_doc = json.loads(twin.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        same = all(
            (twin_doc.get(k) if k != "target" else (twin_doc.get("target") or {}).get("commit"))
            == (doc.get(k) if k != "target" else (doc.get("target") or {}).get("commit"))
            for k in ("started_at", "target")
        )
        if not same:
            continue
        links = [
            (label, quote(f"{key}{suffix}"))
            for suffix, label in ARTIFACT_SUFFIXES
            if (out / f"{key}{suffix}").is_file()
        ]
        if links:
            found[scan.id] = tuple(links)
    return found


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
    artifacts = batch_artifacts(out, snap.scans) if fmt == "html" else {}
    site = build_site(snap, policy, today, tool_version=tool_version, program=program, artifacts=artifacts)
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
