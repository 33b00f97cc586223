"""Registry rows <-> the grant engines' frozen types, and the writes of each command.

Functions take a session and never commit: ``Store.transaction()`` around a whole import,
an eligibility run, a scoring run or an obligations refresh makes each all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.policy.grants import model as gm
from oscheck.policy.grants.catalog import get_grant_rule
from oscheck.policy.grants.eligibility import EligibilityReport
from oscheck.policy.grants.obligations import Agreement as PlanAgreement
from oscheck.policy.grants.obligations import obligation_status, plan_obligations
from oscheck.policy.grants.program import GrantProgram, grant_program
from oscheck.policy.grants.scoring import Ranked, ScoreRow
from oscheck.policy.load import PolicySet
from oscheck.store import models as m

__all__ = [
    "AgreementRecord",
    "ApplicationRecord",
    "EvidenceRecord",
    "load_application",
    "obligations_in_window",
    "record_evidence",
    "save_eligibility",
    "save_scores",
    "save_selection",
    "sectors_of",
    "sync_obligations",
    "sync_programs",
    "upsert_agreement",
    "upsert_application",
    "upsert_organisation",
]


# --- programs ---------------------------------------------------------------------------------


def sync_programs(session: Session, policy: PolicySet, programs: Iterable[GrantProgram]) -> None:
    """Programs and tracks as the policy folder defines them (inserted or updated)."""
    for p in programs:
        row = session.get(m.Program, p.id) or m.Program(id=p.id)
        row.call_id, row.name_ko, row.name_en = p.call.id, p.name.ko, p.name.en or p.name.ko
        row.source, row.policy_version = p.source, policy.version
        existing = {t.id: t for t in row.tracks}
        row.tracks = [
            _track(existing.get(t.id) or m.Track(id=t.id), t.name.ko, t.name.en or t.name.ko) for t in p.tracks
        ]
        session.add(row)
    session.flush()


def _track(row: m.Track, ko: str, en: str) -> m.Track:
    row.name_ko, row.name_en = ko, en
    return row


# --- organisations and applications ---------------------------------------------------------


def upsert_organisation(session: Session, org: gm.Organisation) -> m.Organisation:
    """Insert or replace one organisation with its sites, people, statuses, statements, support."""
    row = session.get(m.Organisation, org.id) or m.Organisation(id=org.id)
    row.name, row.kind = org.name, org.kind.value
    row.size = org.size.value if org.size else None
    row.is_corporation, row.incorporated_on = org.is_corporation, org.incorporated_on
    row.region, row.enterprise_group, row.industries = org.region, org.enterprise_group, list(org.industries)
    row.sites = [m.Site(kind=s.kind, province=s.province, since=s.since, until=s.until) for s in org.sites]
    row.representatives = [
        m.Representative(name=p.name, birth_date=p.birth_date, position=p.position) for p in org.representatives
    ]
    row.statuses = [_status_row(s, None) for s in org.statuses] + [
        _status_row(s, p.name) for p in org.representatives for s in p.statuses
    ]
    row.financials = [
        m.Financial(year=f.year, liabilities=f.liabilities, equity=f.equity, capital=f.capital) for f in org.financials
    ]
    row.support = [m.SupportRecord(program=s.program, year=s.year, ended_on=s.ended_on) for s in org.support]
    session.add(row)
    session.flush()
    return row


def _status_row(s: gm.Status, person: str | None) -> m.StatusRecord:
    return m.StatusRecord(person=person, kind=s.kind, start=s.start, end=s.end, note=s.note)


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as imported: organisations by id, the lead first."""

    id: str
    program: str
    track: str
    members: tuple[tuple[str, str], ...]  # (organisation id, role)
    title: str | None = None
    submitted_on: date | None = None
    budget: gm.Budget = field(default_factory=gm.Budget)
    gpu: gm.GpuRequest | None = None
    principal_investigator: gm.Person | None = None
    direct_sme_support: bool = False
    duplicates: tuple[gm.DuplicateClaim, ...] = ()


def upsert_application(session: Session, rec: ApplicationRecord) -> m.Application:
    if session.get(m.Track, (rec.program, rec.track)) is None:
        raise InputError(
            _(
                "application {app}: program '{program}' has no track '{track}'",
                app=rec.id,
                program=rec.program,
                track=rec.track,
            )
        )
    for org_id, _role in rec.members:
        if session.get(m.Organisation, org_id) is None:
            raise InputError(_("application {app}: unknown organisation '{org}'", app=rec.id, org=org_id))
    row = session.get(m.Application, rec.id)
    consortium = session.get(m.Consortium, rec.id) or m.Consortium(id=rec.id)
    consortium.members = [
        m.ConsortiumMember(organisation_id=org_id, role=role, position=i)
        for i, (org_id, role) in enumerate(rec.members)
    ]
    session.add(consortium)
    if row is None:
        row = m.Application(id=rec.id, consortium=consortium)
    b, pi = rec.budget, rec.principal_investigator
    row.program_id, row.track_id, row.title, row.submitted_on = rec.program, rec.track, rec.title, rec.submitted_on
    row.requested_budget, row.government_amount, row.local_amount = b.requested, b.government, b.local
    row.private_cash, row.private_in_kind = b.private_cash, b.private_in_kind
    row.gpu_card = rec.gpu.card if rec.gpu else None
    row.gpu_count = rec.gpu.count if rec.gpu else None
    row.gpu_months = rec.gpu.months if rec.gpu else None
    row.direct_sme_support = rec.direct_sme_support
    row.pi_name = pi.name if pi else None
    row.pi_birth_date = pi.birth_date if pi else None
    row.pi_position = pi.position if pi else None
    row.pi_statuses = [_status_row(s, pi.name) for s in pi.statuses] if pi else []
    row.duplicates = [
        {"project": d.project, "ended_on": d.ended_on.isoformat() if d.ended_on else None, "follow_up": d.follow_up}
        for d in rec.duplicates
    ]
    session.add(row)
    session.flush()
    return row


def _org(row: m.Organisation) -> gm.Organisation:
    people = []
    for r in row.representatives:
        statuses = tuple(_status(s) for s in row.statuses if s.person == r.name)
        people.append(gm.Person(r.name, r.birth_date, r.position, statuses))
    return gm.Organisation(
        id=row.id,
        name=row.name,
        kind=gm.OrgKind(row.kind),
        size=gm.OrgSize(row.size) if row.size else None,
        incorporated_on=row.incorporated_on,
        region=row.region,
        enterprise_group=row.enterprise_group,
        industries=tuple(row.industries or ()),
        sites=tuple(gm.Site(s.kind, s.province, s.since, s.until) for s in row.sites),
        representatives=tuple(people),
        statuses=tuple(_status(s) for s in row.statuses if s.person is None),
        financials=tuple(gm.Financials(f.year, f.liabilities, f.equity, f.capital) for f in row.financials),
        support=tuple(gm.SupportRecord(s.program, s.year, s.ended_on) for s in row.support),
        is_corporation=row.is_corporation,
    )


def _status(s: m.StatusRecord) -> gm.Status:
    return gm.Status(s.kind, s.start, s.end, s.note)


def _application(row: m.Application) -> gm.Application:
    pi = None
    if row.pi_name:
        pi = gm.Person(row.pi_name, row.pi_birth_date, row.pi_position, tuple(_status(s) for s in row.pi_statuses))
    gpu = None
    if row.gpu_card and row.gpu_count is not None and row.gpu_months is not None:
        gpu = gm.GpuRequest(row.gpu_card, row.gpu_count, row.gpu_months)
    return gm.Application(
        id=row.id,
        program=row.program_id,
        track=row.track_id,
        members=tuple(gm.Member(_org(c.organisation), c.role) for c in row.consortium.members),
        submitted_on=row.submitted_on,
        budget=gm.Budget(
            row.requested_budget, row.government_amount, row.local_amount, row.private_cash, row.private_in_kind
        ),
        gpu=gpu,
        principal_investigator=pi,
        direct_sme_support=row.direct_sme_support,
        duplicates=tuple(
            gm.DuplicateClaim(
                str(d["project"]),
                date.fromisoformat(d["ended_on"]) if d.get("ended_on") else None,
                bool(d.get("follow_up")),
            )
            for d in row.duplicates or ()
        ),
    )


def load_application(session: Session, application_id: str) -> tuple[gm.Application, list[gm.Sibling]]:
    """The application as the engines see it, and the other applications of its call."""
    row = session.get(m.Application, application_id)
    if row is None:
        raise InputError(_("no application '{app}' in the registry", app=application_id))
    call_id = session.get_one(m.Program, row.program_id).call_id
    others = session.scalars(
        select(m.Application)
        .join(m.Program, m.Program.id == m.Application.program_id)
        .where(m.Program.call_id == call_id, m.Application.id != application_id)
    ).all()
    siblings = [
        gm.Sibling(o.id, o.program_id, o.track_id, frozenset(c.organisation_id for c in o.consortium.members))
        for o in others
    ]
    return _application(row), siblings


def save_eligibility(session: Session, report: EligibilityReport, evaluated_at: datetime, policy_version: str) -> None:
    """Replace the application's eligibility results with ``report``'s."""
    session.execute(delete(m.EligibilityResult).where(m.EligibilityResult.application_id == report.application))
    for r in report.results:
        session.add(
            m.EligibilityResult(
                application_id=report.application,
                check_id=r.check_id,
                rule_id=r.rule_id,
                outcome=r.outcome.value,
                requirement_en=r.requirement.en,
                requirement_ko=r.requirement.ko,
                message_en=r.message.en,
                message_ko=r.message.ko,
                evidence=dict(r.evidence),
                source=r.source,
                evaluated_at=evaluated_at,
                policy_version=policy_version,
            )
        )
    session.flush()


# --- scores and selection --------------------------------------------------------------------


def sectors_of(session: Session, application_ids: Iterable[str], private_kinds: Sequence[str]) -> dict[str, str]:
    """``private`` or ``public`` for each application, from its lead's kind."""
    out = {}
    for app_id in application_ids:
        row = session.get_one(m.Application, app_id)
        lead = next((c for c in row.consortium.members if c.role == "lead"), row.consortium.members[0])
        out[app_id] = "private" if lead.organisation.kind in private_kinds else "public"
    return out


def save_scores(session: Session, rows: Sequence[ScoreRow]) -> None:
    """Replace the evaluations of every (application, stage) present in ``rows``."""
    for app, stage in sorted({(r.application, r.stage) for r in rows}):
        session.execute(delete(m.Evaluation).where(m.Evaluation.application_id == app, m.Evaluation.stage == stage))
    session.flush()
    session.add_all(
        m.Evaluation(application_id=r.application, stage=r.stage, evaluator=r.evaluator, item=r.item, score=r.value)
        for r in rows
    )
    session.flush()


def save_selection(session: Session, ranked: Sequence[Ranked], decided_at: datetime, policy_version: str) -> None:
    for r in ranked:
        row = session.get(m.Selection, r.application) or m.Selection(application_id=r.application)
        row.score, row.rank = r.score, r.rank
        row.decision = "selected" if r.selected else "not-selected"
        row.reasons = [{"en": x.en, "ko": x.ko} for x in r.reasons]
        row.stages = {s.stage: (str(s.score) if s.score is not None else None) for s in r.stages}
        row.decided_at, row.policy_version = decided_at, policy_version
        session.add(row)
    session.flush()


# --- agreements and obligations --------------------------------------------------------------


@dataclass(frozen=True)
class AgreementRecord:
    application: str
    start: date
    end: date
    signed_on: date | None = None


def upsert_agreement(session: Session, rec: AgreementRecord) -> m.Agreement:
    if session.get(m.Application, rec.application) is None:
        raise InputError(_("agreement: unknown application '{app}'", app=rec.application))
    if rec.end < rec.start:
        raise InputError(
            _(
                "agreement of {app}: the end {end} is before the start {start}",
                app=rec.application,
                end=rec.end,
                start=rec.start,
            )
        )
    row = session.scalars(select(m.Agreement).where(m.Agreement.application_id == rec.application)).first()
    row = row or m.Agreement(application_id=rec.application)
    row.start, row.end, row.signed_on = rec.start, rec.end, rec.signed_on
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class EvidenceRecord:
    """An obligation fulfilled: when, and the evidence (a link and its SHA-256, or a scan)."""

    application: str
    obligation: str
    seq: int
    completed_on: date
    url: str | None = None
    sha256: str | None = None
    scan_id: int | None = None
    note: str = ""


def sync_obligations(session: Session, policy: PolicySet, today: date) -> list[m.Obligation]:
    """Plan every agreement's obligations from its program; keep recorded evidence; set statuses.

    Occurrences the program no longer plans are removed unless evidence was recorded.
    """
    out: list[m.Obligation] = []
    for ag in session.scalars(select(m.Agreement).order_by(m.Agreement.id)).all():
        app = ag.application
        program = grant_program(policy, app.program_id)
        planned = plan_obligations(program, PlanAgreement(app.id, app.program_id, app.track_id, ag.start, ag.end))
        existing = {(o.obligation, o.seq): o for o in ag.obligations}
        keep = set()
        for p in planned:
            row = existing.get((p.obligation, p.seq)) or m.Obligation(obligation=p.obligation, seq=p.seq)
            row.rule_id, row.kind = p.rule_id, get_grant_rule(p.rule_id).name
            row.name_en, row.name_ko = p.name.en, p.name.ko
            row.opens_on, row.due_on, row.provisional = p.opens_on, p.due_on, p.provisional
            row.covers_until, row.source = p.covers_until, p.source
            row.status = obligation_status(p.opens_on, p.due_on, row.completed_on, today).value
            row.status_on = today
            if row.id is None:
                ag.obligations.append(row)
            keep.add((p.obligation, p.seq))
            out.append(row)
        for key, row in existing.items():
            if key not in keep and row.completed_on is None:
                ag.obligations.remove(row)
    session.flush()
    return sorted(out, key=lambda o: (o.due_on, o.agreement.application_id, o.obligation, o.seq))


def record_evidence(session: Session, rec: EvidenceRecord) -> m.Obligation:
    row = session.scalars(
        select(m.Obligation)
        .join(m.Agreement)
        .where(
            m.Agreement.application_id == rec.application,
            m.Obligation.obligation == rec.obligation,
            m.Obligation.seq == rec.seq,
        )
    ).first()
    if row is None:
        raise InputError(
            _(
                "no obligation '{obligation}' #{seq} for application {app}; run `oscheck registry obligations` after importing the agreement",
                obligation=rec.obligation,
                seq=rec.seq,
                app=rec.application,
            )
        )
    if rec.scan_id is not None and session.get(m.Scan, rec.scan_id) is None:
        raise InputError(
            _("evidence for {app}: no scan #{scan} in the registry", app=rec.application, scan=rec.scan_id)
        )
    row.completed_on, row.evidence_url, row.evidence_sha256 = rec.completed_on, rec.url, rec.sha256
    row.evidence_scan_id, row.note = rec.scan_id, rec.note
    row.status = "done"
    session.flush()
    return row


def obligations_in_window(
    obligations: Sequence[m.Obligation], today: date, within: timedelta | None
) -> list[m.Obligation]:
    """Open obligations due by ``today + within`` (overdue ones included); all when ``within`` is None."""
    if within is None:
        return list(obligations)
    limit = today + within
    return [o for o in obligations if o.status != "done" and o.due_on <= limit]
