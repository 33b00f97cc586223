"""Runs, scans and findings: what the batch runner writes and the HTML report reads.

Every function takes a session and leaves committing to the caller, so that one scan
(its row, its findings, its JSON report) is written in one transaction::

    with store.transaction() as s:
        run = start_run(s, "portfolio.yaml", digest, now)
    ...
    with store.transaction() as s:             # one transaction per scan
        if completed_scan(s, run.id, uri, commit, policy_version) is None:
            record_scan(s, result, report=report_dict(result), run_id=run.id)

A target is recorded at most once per run (unique ``run_id, target_uri``): recording it
again in the same run replaces the earlier row (a retry after a failure, or a ref that
moved). ``report`` is the document of ``oscheck.outputs.json_report.report_dict`` — passed
in because the store may not import the output stage (they are sibling stages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from oscheck.model import ScanResult
from oscheck.sources import redact_text, redact_url
from oscheck.store.models import FindingRow, Run, Scan

__all__ = [
    "FindingsDiff",
    "completed_scan",
    "diff_findings",
    "find_scan",
    "finish_run",
    "latest_scans",
    "record_failed_scan",
    "record_report",
    "record_scan",
    "run_scans",
    "start_run",
    "target_history",
]


def start_run(session: Session, portfolio: str, digest: str | None, started_at: datetime) -> Run:
    run = Run(portfolio=portfolio, portfolio_digest=digest, started_at=started_at, status="running")
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, finished_at: datetime, status: str = "finished") -> Run:
    run = session.get_one(Run, run_id)
    run.finished_at, run.status = finished_at, status
    return run


def completed_scan(
    session: Session, run_id: int, target_uri: str, commit: str | None, policy_version: str
) -> Scan | None:
    """The successful scan of ``target_uri`` in run ``run_id`` at the same commit and policy
    version, if any: a resumed batch skips the target when this is not ``None``."""
    return session.scalars(
        select(Scan).where(
            Scan.run_id == run_id,
            Scan.target_uri == redact_url(target_uri),
            Scan.status == "ok",
            Scan.commit == commit,
            Scan.policy_version == policy_version,
        )
    ).first()


def find_scan(
    session: Session,
    target_uri: str,
    commit: str,
    policy_version: str,
    program: str | None = None,
    track: str | None = None,
) -> Scan | None:
    """The latest successful scan of this target at this commit and policy version, in any run."""
    q = select(Scan).where(
        Scan.target_uri == redact_url(target_uri),
        Scan.commit == commit,
        Scan.policy_version == policy_version,
        Scan.status == "ok",
    )
    if program is not None:
        q = q.where(Scan.program == program, Scan.track == track)
    return session.scalars(q.order_by(Scan.id.desc())).first()


def _replace_in_run(session: Session, run_id: int | None, target_uri: str) -> None:
    if run_id is not None:
        session.execute(delete(Scan).where(Scan.run_id == run_id, Scan.target_uri == target_uri))
        session.flush()


def record_scan(
    session: Session,
    result: ScanResult,
    *,
    report: Mapping[str, Any],
    run_id: int | None = None,
    organisation_id: str | None = None,
    application_id: str | None = None,
) -> Scan:
    """Store one scan: its summary, every finding and the whole JSON report."""
    t = result.target
    uri = redact_url(t.uri)
    _replace_in_run(session, run_id, uri)
    s = result.summary
    scan = Scan(
        run_id=run_id,
        organisation_id=organisation_id,
        application_id=application_id,
        target_kind=t.kind.value,
        target_uri=uri,
        ref=t.ref,
        commit=t.commit,
        dirty=t.dirty,
        program=result.program,
        track=result.track,
        tool_version=result.tool_version,
        policy_version=result.policy_version,
        status="ok",
        verdict=s.verdict.value,
        errors=s.errors,
        warnings=s.warnings,
        notes=s.notes,
        exempted=s.exempted,
        started_at=result.started_at,
        finished_at=result.finished_at,
        report=dict(report),
    )
    scan.findings = [
        FindingRow(
            rule_id=f.rule_id,
            severity=f.severity.value,
            path=f.location.path,
            line=f.location.line,
            fingerprint=f.fingerprint,
            message_en=f.message.en,
            message_ko=f.message.ko,
            exempted=f.exempted,
        )
        for f in result.sorted_findings()
    ]
    session.add(scan)
    session.flush()
    return scan


def record_report(
    session: Session,
    report: Mapping[str, Any],
    *,
    run_id: int | None = None,
    organisation_id: str | None = None,
    application_id: str | None = None,
    grantee_id: str | None = None,
    grantee_name: str | None = None,
) -> Scan:
    """Store one scan from its JSON report alone (what a batch worker sends back).

    The same rows as :func:`record_scan`: the report carries the target, the summary and
    every finding (rule, severity, location, fingerprint, messages, exemption), sorted.
    """
    t = report["target"]
    uri = redact_url(str(t["uri"]))
    _replace_in_run(session, run_id, uri)
    s = report["summary"]
    scan = Scan(
        run_id=run_id,
        organisation_id=organisation_id,
        application_id=application_id,
        grantee_id=grantee_id,
        grantee_name=grantee_name,
        target_kind=t["kind"],
        target_uri=uri,
        ref=t.get("ref"),
        commit=t.get("commit"),
        dirty=bool(t.get("dirty")),
        program=report.get("program"),
        track=report.get("track"),
        tool_version=report["tool"]["version"],
        policy_version=report["tool"]["policy_version"],
        status="ok",
        verdict=s["verdict"],
        errors=s["errors"],
        warnings=s["warnings"],
        notes=s["notes"],
        exempted=s["exempted"],
        started_at=datetime.fromisoformat(report["started_at"]),
        finished_at=datetime.fromisoformat(report["finished_at"]),
        report=dict(report),
    )
    scan.findings = [
        FindingRow(
            rule_id=f["rule_id"],
            severity=f["severity"],
            path=f["location"]["path"],
            line=f["location"]["line"],
            fingerprint=f["fingerprint"],
            message_en=f["message"]["en"],
            message_ko=f["message"]["ko"],
            exempted=f["exempted"],
        )
        for f in report["findings"]
    ]
    session.add(scan)
    session.flush()
    return scan


def record_failed_scan(
    session: Session,
    *,
    target_uri: str,
    error: str,
    tool_version: str,
    started_at: datetime,
    finished_at: datetime | None = None,
    target_kind: str = "git",
    ref: str | None = None,
    commit: str | None = None,
    program: str | None = None,
    track: str | None = None,
    policy_version: str | None = None,
    run_id: int | None = None,
    organisation_id: str | None = None,
    application_id: str | None = None,
    grantee_id: str | None = None,
    grantee_name: str | None = None,
) -> Scan:
    """Store a scan that could not run (clone failed, timeout): the error text, no report."""
    uri = redact_url(target_uri)
    _replace_in_run(session, run_id, uri)
    scan = Scan(
        run_id=run_id,
        organisation_id=organisation_id,
        application_id=application_id,
        grantee_id=grantee_id,
        grantee_name=grantee_name,
        target_kind=target_kind,
        target_uri=uri,
        ref=ref,
        commit=commit,
        program=program,
        track=track,
        tool_version=tool_version,
        policy_version=policy_version,
        status="failed",
        error=redact_text(error),
        started_at=started_at,
        finished_at=finished_at,
    )
    session.add(scan)
    session.flush()
    return scan


def run_scans(session: Session, run_id: int) -> list[Scan]:
    return list(session.scalars(select(Scan).where(Scan.run_id == run_id).order_by(Scan.target_uri)))


def latest_scans(session: Session, *, organisation_id: str | None = None, ok_only: bool = False) -> list[Scan]:
    """The most recent scan of every target (the portfolio view), by target."""
    latest = select(Scan.target_uri, func.max(Scan.id).label("id"))
    if ok_only:
        latest = latest.where(Scan.status == "ok")
    if organisation_id is not None:
        latest = latest.where(Scan.organisation_id == organisation_id)
    sub = latest.group_by(Scan.target_uri).subquery()
    return list(session.scalars(select(Scan).join(sub, Scan.id == sub.c.id).order_by(Scan.target_uri)))


def target_history(session: Session, target_uri: str) -> list[Scan]:
    """Every scan of one target, oldest first (the grantee page's history)."""
    return list(session.scalars(select(Scan).where(Scan.target_uri == redact_url(target_uri)).order_by(Scan.id)))


@dataclass(frozen=True)
class FindingsDiff:
    added: tuple[FindingRow, ...]  # in the new scan only
    removed: tuple[FindingRow, ...]  # in the old scan only
    unchanged: tuple[FindingRow, ...]  # in both (the new scan's rows)


def diff_findings(session: Session, old_scan_id: int, new_scan_id: int) -> FindingsDiff:
    """Compare two scans by finding fingerprint (stable across line moves)."""

    def rows(scan_id: int) -> Sequence[FindingRow]:
        return session.scalars(select(FindingRow).where(FindingRow.scan_id == scan_id).order_by(FindingRow.id)).all()

    old, new = rows(old_scan_id), rows(new_scan_id)
    old_fp, new_fp = {f.fingerprint for f in old}, {f.fingerprint for f in new}
    return FindingsDiff(
        added=tuple(f for f in new if f.fingerprint not in old_fp),
        removed=tuple(f for f in old if f.fingerprint not in new_fp),
        unchanged=tuple(f for f in new if f.fingerprint in old_fp),
    )
