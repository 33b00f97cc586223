"""Read the store once into plain frozen records: the only place the report touches the database.

Everything after this (``build``, ``charts``, ``render``, ``tabular``) is a pure function of a
:class:`Snapshot`, the policy and the day the report is "as of", so that the same store gives
the same site and tests can build snapshots from any store (SQLite or PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from oscheck.store import models as m

__all__ = [
    "AgreementRec",
    "ApplicationRec",
    "EligibilityRec",
    "FindingRec",
    "ObligationRec",
    "OrganisationRec",
    "ProgramRec",
    "RunRec",
    "ScanRec",
    "SelectionRec",
    "Snapshot",
    "read_snapshot",
]


@dataclass(frozen=True)
class ProgramRec:
    id: str
    call_id: str
    name_ko: str
    name_en: str
    source: str
    tracks: tuple[tuple[str, str, str], ...]  # (id, name_ko, name_en)


@dataclass(frozen=True)
class OrganisationRec:
    id: str
    name: str
    kind: str
    size: str | None
    region: str | None


@dataclass(frozen=True)
class ApplicationRec:
    id: str
    program_id: str
    track_id: str
    title: str | None
    members: tuple[tuple[str, str], ...]  # (organisation id, role: lead | participant | demand)
    submitted_on: date | None
    government_amount: Decimal | None
    private_amount: Decimal | None  # cash + in kind

    @property
    def lead(self) -> str | None:
        return next((org for org, role in self.members if role == "lead"), self.members[0][0] if self.members else None)


@dataclass(frozen=True)
class EligibilityRec:
    application_id: str
    check_id: str
    rule_id: str
    outcome: str  # pass | fail | unknown | not-applicable
    requirement_en: str
    requirement_ko: str
    message_en: str
    message_ko: str
    source: str


@dataclass(frozen=True)
class SelectionRec:
    application_id: str
    score: Decimal | None
    rank: int | None
    decision: str  # selected | not-selected
    reasons: tuple[tuple[str, str], ...]  # (en, ko)
    stages: tuple[tuple[str, str], ...]  # (stage id, score as text)


@dataclass(frozen=True)
class ObligationRec:
    id: int
    obligation: str
    seq: int
    rule_id: str
    name_en: str
    name_ko: str
    opens_on: date
    due_on: date
    provisional: bool
    covers_until: date | None
    completed_on: date | None
    evidence_url: str | None
    evidence_scan_id: int | None
    note: str
    source: str


@dataclass(frozen=True)
class AgreementRec:
    application_id: str
    start: date
    end: date
    signed_on: date | None
    obligations: tuple[ObligationRec, ...]


@dataclass(frozen=True)
class RunRec:
    id: int
    portfolio: str
    started_at: datetime
    finished_at: datetime | None
    status: str


@dataclass(frozen=True)
class FindingRec:
    rule_id: str
    severity: str
    path: str | None
    line: int | None
    fingerprint: str
    message_en: str
    message_ko: str
    exempted: str | None


@dataclass(frozen=True)
class ScanRec:
    id: int
    run_id: int | None
    organisation_id: str | None
    application_id: str | None
    grantee_id: str | None  # the batch portfolio's grantee
    grantee_name: str | None
    target_kind: str
    target_uri: str
    ref: str | None
    commit: str | None
    dirty: bool
    program: str | None
    track: str | None
    tool_version: str
    policy_version: str | None
    status: str  # ok | failed
    error: str | None
    verdict: str | None
    errors: int
    warnings: int
    notes: int
    exempted: int
    started_at: datetime
    finished_at: datetime | None
    findings: tuple[FindingRec, ...]
    report: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class Snapshot:
    """Everything the report shows, as read from one store."""

    programs: tuple[ProgramRec, ...]
    organisations: Mapping[str, OrganisationRec]
    applications: Mapping[str, ApplicationRec]
    eligibility: Mapping[str, tuple[EligibilityRec, ...]]
    selections: Mapping[str, SelectionRec]
    agreements: Mapping[str, AgreementRec]
    runs: tuple[RunRec, ...]
    scans: tuple[ScanRec, ...]  # by id, oldest first


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; the store writes UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _money(*values: Decimal | None) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _pairs(items: Sequence[Mapping[str, Any]] | None) -> tuple[tuple[str, str], ...]:
    out = []
    for r in items or ():
        if isinstance(r, Mapping):
            out.append((str(r.get("en", "")), str(r.get("ko", r.get("en", "")))))
        else:
            out.append((str(r), str(r)))
    return tuple(out)


def read_snapshot(session: Session) -> Snapshot:
    """Read every record the report needs (a few queries; no lazy loads afterwards)."""
    programs = tuple(
        ProgramRec(
            id=p.id,
            call_id=p.call_id,
            name_ko=p.name_ko,
            name_en=p.name_en,
            source=p.source,
            tracks=tuple((t.id, t.name_ko, t.name_en) for t in p.tracks),
        )
        for p in session.scalars(select(m.Program).options(selectinload(m.Program.tracks)).order_by(m.Program.id))
    )
    organisations = {
        o.id: OrganisationRec(o.id, o.name, o.kind, o.size, o.region)
        for o in session.scalars(select(m.Organisation).order_by(m.Organisation.id))
    }
    applications: dict[str, ApplicationRec] = {}
    query = select(m.Application).options(selectinload(m.Application.consortium).selectinload(m.Consortium.members))
    for a in session.scalars(query.order_by(m.Application.id)):
        members = tuple((c.organisation_id, c.role) for c in a.consortium.members)
        applications[a.id] = ApplicationRec(
            id=a.id,
            program_id=a.program_id,
            track_id=a.track_id,
            title=a.title,
            members=members,
            submitted_on=a.submitted_on,
            government_amount=a.government_amount,
            private_amount=_money(a.private_cash, a.private_in_kind),
        )
    eligibility: dict[str, list[EligibilityRec]] = {}
    for e in session.scalars(select(m.EligibilityResult).order_by(m.EligibilityResult.id)):
        eligibility.setdefault(e.application_id, []).append(
            EligibilityRec(
                e.application_id,
                e.check_id,
                e.rule_id,
                e.outcome,
                e.requirement_en,
                e.requirement_ko,
                e.message_en,
                e.message_ko,
                e.source,
            )
        )
    selections = {
        s.application_id: SelectionRec(
            application_id=s.application_id,
            score=s.score,
            rank=s.rank,
            decision=s.decision,
            reasons=_pairs(s.reasons),
            stages=tuple((str(k), str(v)) for k, v in sorted((s.stages or {}).items())),
        )
        for s in session.scalars(select(m.Selection))
    }
    agreements: dict[str, AgreementRec] = {}
    for ag in session.scalars(select(m.Agreement).options(selectinload(m.Agreement.obligations))):
        agreements[ag.application_id] = AgreementRec(
            application_id=ag.application_id,
            start=ag.start,
            end=ag.end,
            signed_on=ag.signed_on,
            obligations=tuple(
                ObligationRec(
                    id=o.id,
                    obligation=o.obligation,
                    seq=o.seq,
                    rule_id=o.rule_id,
                    name_en=o.name_en,
                    name_ko=o.name_ko,
                    opens_on=o.opens_on,
                    due_on=o.due_on,
                    provisional=o.provisional,
                    covers_until=o.covers_until,
                    completed_on=o.completed_on,
                    evidence_url=o.evidence_url,
                    evidence_scan_id=o.evidence_scan_id,
                    note=o.note,
                    source=o.source,
                )
                for o in sorted(ag.obligations, key=lambda o: (o.due_on, o.obligation, o.seq))
            ),
        )
    runs = tuple(
        RunRec(r.id, r.portfolio, _utc(r.started_at), _utc(r.finished_at) if r.finished_at else None, r.status)
        for r in session.scalars(select(m.Run).order_by(m.Run.id))
    )
    scans = tuple(
        ScanRec(
            id=s.id,
            run_id=s.run_id,
            organisation_id=s.organisation_id,
            application_id=s.application_id,
            grantee_id=s.grantee_id,
            grantee_name=s.grantee_name,
            target_kind=s.target_kind,
            target_uri=s.target_uri,
            ref=s.ref,
            commit=s.commit,
            dirty=s.dirty,
            program=s.program,
            track=s.track,
            tool_version=s.tool_version,
            policy_version=s.policy_version,
            status=s.status,
            error=s.error,
            verdict=s.verdict,
            errors=s.errors,
            warnings=s.warnings,
            notes=s.notes,
            exempted=s.exempted,
            started_at=_utc(s.started_at),
            finished_at=_utc(s.finished_at) if s.finished_at else None,
            findings=tuple(
                FindingRec(f.rule_id, f.severity, f.path, f.line, f.fingerprint, f.message_en, f.message_ko, f.exempted)
                for f in s.findings
            ),
            report=s.report,
        )
        for s in session.scalars(select(m.Scan).options(selectinload(m.Scan.findings)).order_by(m.Scan.id))
    )
    return Snapshot(
        programs=programs,
        organisations=organisations,
        applications=applications,
        eligibility={k: tuple(v) for k, v in eligibility.items()},
        selections=selections,
        agreements=agreements,
        runs=runs,
        scans=scans,
    )
