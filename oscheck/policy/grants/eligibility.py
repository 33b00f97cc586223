"""Eligibility: generic checks (ELG001–ELG020) that program files parameterise.

``check_eligibility(program, application, siblings)`` runs every ``eligibility:`` entry of
the program that applies to the application's track and returns one result per entry:
``pass``, ``fail``, ``unknown`` (the registry lacks a fact; a person must look) or
``not-applicable``, each with its evidence and the source text it comes from. Pure: the
dates it judges against are the call's (announcement, deadline), never the clock.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from oscheck.i18n import N_, LocalizedText, lt
from oscheck.model import JsonValue
from oscheck.policy.grants.catalog import get_grant_rule, grant_rule
from oscheck.policy.grants.gpu import self_payment
from oscheck.policy.grants.model import Application, Member, Organisation, Sibling
from oscheck.policy.grants.program import GrantProgram, add_months
from oscheck.policy.rules import Source

__all__ = [
    "CheckResult",
    "EligibilityContext",
    "EligibilityReport",
    "Outcome",
    "RuleOutcome",
    "check_eligibility",
]

_NIPA = "seeds/msit-nipa-oss-ai-sw-2026-call.txt"
_GPU = "seeds/nipa-gpu-rental-2025-guide.txt"
_KETI = "seeds/keti-ax-mini-project-2026-call.txt"
_KOSMES = "seeds/kosmes-regional-ai-transformation-2026-call.txt"


class Outcome(enum.Enum):
    PASS = "pass"  # noqa: S105
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not-applicable"


_WORST = {Outcome.FAIL: 3, Outcome.UNKNOWN: 2, Outcome.PASS: 1, Outcome.NOT_APPLICABLE: 0}


@dataclass(frozen=True)
class EligibilityContext:
    program: GrantProgram
    application: Application
    siblings: tuple[Sibling, ...] = ()

    @property
    def deadline(self) -> date:
        return self.program.call.deadline

    @property
    def announced(self) -> date:
        return self.program.call.announced

    def day(self, which: str) -> date:
        return self.announced if which == "announced" else self.deadline

    def members(self, scope: str) -> tuple[Member, ...]:
        if scope == "lead":
            lead = self.application.lead
            return tuple(m for m in self.application.members if m.org is lead)[:1]
        return self.application.members


@dataclass(frozen=True)
class RuleOutcome:
    outcome: Outcome
    message: LocalizedText
    evidence: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    check_id: str  # the program's id for this requirement
    rule_id: str
    outcome: Outcome
    requirement: LocalizedText  # the requirement in the source's words
    message: LocalizedText  # what was found
    evidence: Mapping[str, JsonValue]
    source: str  # "seeds/<file> — <section>"
    quote: str = ""


@dataclass(frozen=True)
class EligibilityReport:
    application: str
    program: str
    track: str | None
    results: tuple[CheckResult, ...]

    @property
    def outcome(self) -> Outcome:
        """Fail if any check fails; unknown if any is unknown; else pass."""
        worst = max((r.outcome for r in self.results), key=_WORST.__getitem__, default=Outcome.PASS)
        return Outcome.PASS if worst is Outcome.NOT_APPLICABLE else worst


def check_eligibility(
    program: GrantProgram, application: Application, siblings: Sequence[Sibling] = ()
) -> EligibilityReport:
    """Every applicable eligibility requirement of ``program`` judged for ``application``."""
    ctx = EligibilityContext(program, application, tuple(siblings))
    results = []
    for d in program.eligibility:
        if not program.applies(d.tracks, application.track):
            continue
        r = get_grant_rule(d.rule)
        assert r.evaluate is not None, d.rule
        out = r.evaluate(ctx, r.check_params(d.params))
        results.append(
            CheckResult(
                check_id=d.id,
                rule_id=d.rule,
                outcome=out.outcome,
                requirement=d.text.localized(),
                message=out.message,
                evidence=dict(out.evidence),
                source=program.cite(d.source),
                quote=d.source.quote,
            )
        )
    return EligibilityReport(application.id, program.id, application.track, tuple(results))


# --- helpers ---------------------------------------------------------------------------------


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Scope = Literal["lead", "all"]


def _who(org: Organisation) -> str:
    return f"{org.name} ({org.id})"


def _ok(msgid: str, evidence: Mapping[str, JsonValue] | None = None, **kw: object) -> RuleOutcome:
    return RuleOutcome(Outcome.PASS, lt(msgid, **kw), evidence or {})


def _fail(msgid: str, evidence: Mapping[str, JsonValue] | None = None, **kw: object) -> RuleOutcome:
    return RuleOutcome(Outcome.FAIL, lt(msgid, **kw), evidence or {})


def _unknown(msgid: str, evidence: Mapping[str, JsonValue] | None = None, **kw: object) -> RuleOutcome:
    return RuleOutcome(Outcome.UNKNOWN, lt(msgid, **kw), evidence or {})


def _na(msgid: str, **kw: object) -> RuleOutcome:
    return RuleOutcome(Outcome.NOT_APPLICABLE, lt(msgid, **kw), {})


def _krw(value: Decimal) -> str:
    """1,140,000,000 (no ".00" for whole won)."""
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value:,}"


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.01'))}%"


# --- ELG001–ELG005: who may apply, and with whom --------------------------------------------


class KindParams(_Params):
    kinds: tuple[str, ...]
    sizes: tuple[str, ...] | None = None  # for companies: the sizes accepted
    members: Scope = "lead"


@grant_rule(
    "ELG001",
    "applicant-kind",
    title=N_("The applicant is a kind of organisation the program accepts"),
    explanation=N_(
        "Each call says who may apply (companies of a given size, universities, research institutes, public bodies, local governments); others are turned away at the eligibility review."
    ),
    fix=N_("Apply through an organisation of an accepted kind, or let one lead the application."),
    sources=(
        Source(_NIPA, "3. 신청자격 및 방법"),
        Source(_GPU, "2 지원 대상 및 지원 내용 — 지원 대상; 7 참여 제한"),
        Source(_KETI, "1. 사업개요 — 신청대상"),
        Source(_KOSMES, "1. 사업 개요 — 지원대상"),
    ),
    params=KindParams,
)
def applicant_kind(ctx: EligibilityContext, p: KindParams) -> RuleOutcome:
    bad, unknown = [], []
    for m in ctx.members(p.members):
        org = m.org
        if org.kind.value not in p.kinds:
            bad.append({"org": org.id, "kind": org.kind.value})
        elif p.sizes is not None and org.kind.value == "company":
            if org.size is None:
                unknown.append(org.id)
            elif org.size.value not in p.sizes:
                bad.append({"org": org.id, "kind": org.kind.value, "size": org.size.value})
    evidence: dict[str, JsonValue] = {"accepted_kinds": list(p.kinds), "accepted_sizes": list(p.sizes or [])}
    if bad:
        return _fail(
            N_("Not an accepted kind of applicant: {orgs}"),
            {**evidence, "rejected": bad},
            orgs=", ".join(f"{b['org']} ({b.get('size') or b['kind']})" for b in bad),
        )
    if unknown:
        return _unknown(
            N_("The registry does not record the company size of {orgs}"), evidence, orgs=", ".join(unknown)
        )
    return _ok(N_("Every applicant checked is of an accepted kind"), evidence)


class SizeParams(_Params):
    sizes: tuple[str, ...]


@grant_rule(
    "ELG002",
    "large-enterprise-lead",
    title=N_("A large enterprise may not lead this track"),
    explanation=N_(
        "The utilisation track is for small and mid-size AI/SW companies: a large enterprise may take part but not lead (주관기관)."
    ),
    fix=N_("Let an SME or mid-size company lead the consortium; the large enterprise may join as a participant."),
    sources=(Source(_NIPA, "3. 신청자격 및 방법 — 활용 지원 분야 주관기관은 대기업 제외"),),
    params=SizeParams,
)
def large_enterprise_lead(ctx: EligibilityContext, p: SizeParams) -> RuleOutcome:
    lead = ctx.application.lead
    if lead.kind.value != "company":
        return _ok(N_("The lead is not a company"))
    if lead.size is None:
        return _unknown(N_("The registry does not record the company size of {orgs}"), orgs=lead.id)
    if lead.size.value in p.sizes:
        return _fail(
            N_("The lead {org} is a {size} company"), {"size": lead.size.value}, org=_who(lead), size=lead.size.value
        )
    return _ok(N_("The lead's size ({size}) is accepted"), {"size": lead.size.value}, size=lead.size.value)


class NoParams(_Params):
    pass


@grant_rule(
    "ELG003",
    "group-affiliates-one-consortium",
    title=N_("Affiliates of one enterprise group in one consortium"),
    explanation=N_(
        "Affiliates of the same large-enterprise group (including related parties) may not take part in the same consortium."
    ),
    fix=N_("Keep at most one affiliate of each enterprise group in the consortium."),
    sources=(Source(_NIPA, "3. 신청자격 및 방법 — (공통) 대기업 계열사(특수관계 포함) 간 동일 컨소시엄 참여 불가"),),
    params=NoParams,
)
def group_affiliates(ctx: EligibilityContext, p: NoParams) -> RuleOutcome:
    groups = Counter(m.org.enterprise_group for m in ctx.application.members if m.org.enterprise_group)
    shared = {
        g: [m.org.id for m in ctx.application.members if m.org.enterprise_group == g]
        for g, n in groups.items()
        if n > 1
    }
    if shared:
        return _fail(
            N_("Affiliates of one enterprise group in the consortium: {groups}"),
            {"groups": shared},
            groups="; ".join(f"{g}: {', '.join(ids)}" for g, ids in shared.items()),
        )
    return _ok(N_("No two members belong to the same enterprise group"))


class ScopeParams(_Params):
    members: Scope = "all"


@grant_rule(
    "ELG004",
    "one-project-per-call",
    title=N_("One project per organisation, in one track only"),
    explanation=N_(
        "An organisation may apply for one project of the call, and in one of its tracks only; every application that breaks this is out."
    ),
    fix=N_("Withdraw all but one application of the organisation in this call."),
    sources=(
        Source(_NIPA, "2. 지원개요 — 기업(기관)당 1개 과제 신청; 2개 중복 지원 불가"),
        Source(_GPU, "2 지원 대상 및 지원 내용 — ❶트랙 또는 ❷트랙 중 1개 트랙만 신청 가능"),
    ),
    params=ScopeParams,
)
def one_project_per_call(ctx: EligibilityContext, p: ScopeParams) -> RuleOutcome:
    mine = {m.org.id for m in ctx.members(p.members)}
    clashes = [
        {"org": org, "application": s.id, "program": s.program, "track": s.track}
        for s in sorted(ctx.siblings, key=lambda s: s.id)
        if s.id != ctx.application.id
        for org in sorted(mine & s.org_ids)
    ]
    if clashes:
        return _fail(
            N_("Also in other applications of this call: {apps}"),
            {"call": ctx.program.call.id, "clashes": clashes},
            apps=", ".join(f"{c['org']} → {c['application']} ({c['program']}/{c['track']})" for c in clashes),
        )
    return _ok(N_("No other application of the call names these organisations"), {"call": ctx.program.call.id})


@grant_rule(
    "ELG005",
    "incorporated-by-deadline",
    title=N_("The corporation is incorporated by the application deadline"),
    explanation=N_("A corporate applicant must have completed its incorporation by the application deadline."),
    fix=N_("Apply once the corporation is registered, or record its incorporation date in the registry."),
    sources=(Source(_NIPA, "3. 신청자격 및 방법 — 법인사업자의 경우 접수마감일 기준 법인설립 완료된 경우에 한함"),),
    params=ScopeParams,
)
def incorporated_by_deadline(ctx: EligibilityContext, p: ScopeParams) -> RuleOutcome:
    late, missing = [], []
    for m in ctx.members(p.members):
        org = m.org
        if org.kind.value != "company" or not org.is_corporation:
            continue
        if org.incorporated_on is None:
            missing.append(org.id)
        elif org.incorporated_on > ctx.deadline:
            late.append({"org": org.id, "incorporated": org.incorporated_on.isoformat()})
    evidence: dict[str, JsonValue] = {"deadline": ctx.deadline.isoformat()}
    if late:
        return _fail(
            N_("Incorporated after the deadline {deadline}: {orgs}"),
            {**evidence, "late": late},
            deadline=ctx.deadline.isoformat(),
            orgs=", ".join(f"{x['org']} ({x['incorporated']})" for x in late),
        )
    if missing:
        return _unknown(
            N_("The registry does not record the incorporation date of {orgs}"), evidence, orgs=", ".join(missing)
        )
    return _ok(N_("Every corporate member was incorporated by {deadline}"), evidence, deadline=ctx.deadline.isoformat())


# --- ELG006–ELG008: exclusions -----------------------------------------------------------------


class StatusParams(_Params):
    kinds: tuple[str, ...]
    members: Scope = "lead"
    persons: bool = False  # also the representatives and the principal investigator
    as_of: Literal["deadline", "announced"] = "deadline"


@grant_rule(
    "ELG006",
    "excluded-status",
    title=N_("No excluding status on the deadline"),
    explanation=N_(
        "Organisations (and, where the call says so, their representatives and project leads) under a participation sanction, in default, bankruptcy, rehabilitation, suspension or closure, or with tax or social-insurance arrears may not apply; in a regional consortium one excluded member excludes the whole consortium."
    ),
    fix=N_("Clear the status (pay the arrears, end the sanction) before the deadline, or replace the member."),
    sources=(
        Source(_GPU, "7 일반 및 유의 사항 — 참여 제한"),
        Source(_KETI, "5. 기타 유의사항 — 제외대상"),
        Source(_KOSMES, "1. 사업 개요 — 지원제외 요건"),
    ),
    params=StatusParams,
)
def excluded_status(ctx: EligibilityContext, p: StatusParams) -> RuleOutcome:
    day = ctx.day(p.as_of)
    hits: list[dict[str, JsonValue]] = []
    for m in ctx.members(p.members):
        for s in m.org.statuses:
            if s.kind in p.kinds and s.active_on(day):
                hits.append({"org": m.org.id, "kind": s.kind, "since": s.start.isoformat() if s.start else None})
        if p.persons:
            people = list(m.org.representatives)
            if m.role == "lead" and ctx.application.principal_investigator is not None:
                people.append(ctx.application.principal_investigator)
            for person in people:
                for s in person.statuses:
                    if s.kind in p.kinds and s.active_on(day):
                        hits.append({"org": m.org.id, "person": person.name, "kind": s.kind})
    evidence: dict[str, JsonValue] = {"as_of": day.isoformat(), "kinds": list(p.kinds), "scope": p.members}
    if hits:
        return _fail(
            N_("Excluding status on {day}: {hits}"),
            {**evidence, "hits": hits},
            day=day.isoformat(),
            hits=", ".join(f"{h.get('person') or h['org']}: {h['kind']}" for h in hits),
        )
    return _ok(N_("No excluding status recorded on {day}"), evidence, day=day.isoformat())


class SupportParams(_Params):
    programs: tuple[str, ...]
    years: tuple[int, ...]
    members: Scope = "lead"


@grant_rule(
    "ELG007",
    "prior-support",
    title=N_("Not already supported by a listed program"),
    explanation=N_(
        "Organisations already funded in the listed year by the listed programs (e.g. the 2025 high-performance computing support, the AI research computing project, the national AI data center; the regions selected in 2025) are excluded."
    ),
    fix=N_("This organisation cannot apply to this call; check the listed programs' support records."),
    sources=(
        Source(_GPU, "7 일반 및 유의 사항 — 중복지원 불가"),
        Source(_KOSMES, "1. 사업 개요 — 신청자격 ('25년 선정 지자체 제외)"),
    ),
    params=SupportParams,
)
def prior_support(ctx: EligibilityContext, p: SupportParams) -> RuleOutcome:
    hits: list[dict[str, JsonValue]] = [
        {"org": m.org.id, "program": r.program, "year": r.year}
        for m in ctx.members(p.members)
        for r in m.org.support
        if r.program in p.programs and r.year in p.years
    ]
    if hits:
        return _fail(
            N_("Already supported: {hits}"),
            {"hits": hits},
            hits=", ".join(f"{h['org']}: {h['program']} {h['year']}" for h in hits),
        )
    return _ok(N_("No support from the listed programs recorded"))


class DuplicateParams(_Params):
    allow_follow_up: bool = False


@grant_rule(
    "ELG008",
    "duplicate-project",
    title=N_("The project does not duplicate one already funded"),
    explanation=N_(
        "An application whose goals and content duplicate a project already funded is excluded (the regional program allows a follow-up once the earlier project has ended)."
    ),
    fix=N_("Show how the project differs, or apply for a follow-up after the earlier project ends."),
    sources=(
        Source(_KETI, "5. 기타 유의사항 — 신청 과제 내용이 이미 개발·지원된 과제와 중복된 경우"),
        Source(_KOSMES, "1. 사업 개요 — 지원제외 요건 (중복 지원 방지, 후속지원 가능)"),
    ),
    params=DuplicateParams,
)
def duplicate_project(ctx: EligibilityContext, p: DuplicateParams) -> RuleOutcome:
    bad = []
    for d in ctx.application.duplicates:
        follow_up_ok = p.allow_follow_up and d.follow_up and d.ended_on is not None and d.ended_on <= ctx.deadline
        if not follow_up_ok:
            bad.append({"project": d.project, "ended": d.ended_on.isoformat() if d.ended_on else None})
    if bad:
        return _fail(
            N_("Duplicates funded projects: {projects}"),
            {"duplicates": bad},
            projects=", ".join(str(b["project"]) for b in bad),
        )
    return _ok(N_("No duplicate of a funded project recorded"))


# --- ELG009–ELG013: place, industry, finances ----------------------------------------------


class SiteParams(_Params):
    provinces: tuple[str, ...]
    site_kinds: tuple[str, ...]
    as_of: Literal["deadline", "announced"] = "announced"


@grant_rule(
    "ELG009",
    "site-in-region",
    title=N_("A head office, workplace or factory in the region"),
    explanation=N_(
        "The AX mini-project supports companies with a head office, a workplace or a factory in Gyeongsangnam-do on the call date."
    ),
    fix=N_("Record the site (with its province and since when) in the registry, or apply to a program of your region."),
    sources=(Source(_KETI, "1. 사업개요 — 신청대상 (공고일 기준 경남도에 본사, 사업장, 공장 중 하나를 보유)"),),
    params=SiteParams,
)
def site_in_region(ctx: EligibilityContext, p: SiteParams) -> RuleOutcome:
    org, day = ctx.application.lead, ctx.day(p.as_of)
    if not org.sites:
        return _unknown(N_("The registry records no sites of {org}"), org=_who(org))
    match = [s for s in org.sites if s.province in p.provinces and s.kind in p.site_kinds and s.active_on(day)]
    evidence: dict[str, JsonValue] = {"as_of": day.isoformat(), "provinces": list(p.provinces)}
    if match:
        return _ok(
            N_("{kind} in {province} on {day}"),
            {**evidence, "site": match[0].kind},
            kind=match[0].kind,
            province=match[0].province,
            day=day.isoformat(),
        )
    return _fail(
        N_("No head office, workplace or factory in {provinces} on {day}"),
        evidence,
        provinces=", ".join(p.provinces),
        day=day.isoformat(),
    )


class IndustryParams(_Params):
    industries: tuple[str, ...]


@grant_rule(
    "ELG010",
    "industry",
    title=N_("The company works in an eligible industry"),
    explanation=N_(
        "The AX mini-project is for companies in the value chains of precision machinery, moulds, plastic working, defence and aerospace."
    ),
    fix=N_("Record the company's industries in the registry; companies of other industries cannot apply."),
    sources=(Source(_KETI, "1. 사업개요 — 신청대상 (정밀기계, 금형, 소성, 방산, 항공 산업 전·후방 관련)"),),
    params=IndustryParams,
)
def industry(ctx: EligibilityContext, p: IndustryParams) -> RuleOutcome:
    org = ctx.application.lead
    if not org.industries:
        return _unknown(N_("The registry records no industry of {org}"), org=_who(org))
    common = sorted(set(org.industries) & set(p.industries))
    if common:
        return _ok(N_("Eligible industry: {industries}"), {"industries": common}, industries=", ".join(common))
    return _fail(
        N_("Industries {industries} are not eligible"),
        {"industries": list(org.industries)},
        industries=", ".join(org.industries),
    )


class DebtParams(_Params):
    min_percent: Decimal  # excluded at or above this ratio…
    years: int = 2  # …in each of this many consecutive latest years


@grant_rule(
    "ELG011",
    "debt-ratio",
    title=N_("Debt ratio not at or above the limit in each of the last years"),
    explanation=N_(
        "A company whose debt ratio (liabilities / equity) was 1,000% or more in each of its last two closed fiscal years is excluded; one such year alone does not exclude it. Zero or negative equity counts as above any limit."
    ),
    fix=N_("Record the last two years' financial statements in the registry; an excluded company cannot apply."),
    sources=(Source(_KETI, "5. 기타 유의사항 — 결산 재무제표상 부채비율이 최근 2년 연속 1,000% 이상인 경우"),),
    params=DebtParams,
)
def debt_ratio(ctx: EligibilityContext, p: DebtParams) -> RuleOutcome:
    org = ctx.application.lead
    closed = {f.year: f for f in org.financials if f.year < ctx.deadline.year}
    if not closed:
        return _unknown(N_("The registry records no financial statements of {org}"), org=_who(org))
    latest = max(closed)
    years = [latest - k for k in range(p.years)]
    ratios: dict[str, JsonValue] = {}
    over = missing = 0
    for y in years:
        f = closed.get(y)
        if f is None:
            ratios[str(y)] = None
            missing += 1
            continue
        r = f.debt_ratio
        # Zero or negative equity: the ratio is undefined, and the company is worse off than any limit.
        ratios[str(y)] = "equity<=0" if r is None else str(r.quantize(Decimal("0.01")))
        if r is None or r >= p.min_percent:
            over += 1
    evidence: dict[str, JsonValue] = {"years": ratios, "limit_percent": str(p.min_percent)}
    if over == p.years:
        return _fail(
            N_("Debt ratio at or above {limit}% in each of {years}"),
            evidence,
            limit=p.min_percent,
            years=", ".join(map(str, years)),
        )
    if missing and over + missing == p.years:
        return _unknown(
            N_("Statements of {years} are missing; the debt ratio cannot be judged"),
            evidence,
            years=", ".join(map(str, years)),
        )
    return _ok(
        N_("Debt ratio below {limit}% in at least one of {years}"),
        evidence,
        limit=p.min_percent,
        years=", ".join(map(str, years)),
    )


class ImpairmentParams(_Params):
    exempt_if_younger_than_years: int | None = None
    members: Scope = "lead"


@grant_rule(
    "ELG012",
    "capital-impairment",
    title=N_("Not in full capital impairment"),
    explanation=N_(
        "A company whose latest closed statements show full capital impairment (equity at or below zero) is excluded; the regional program exempts companies founded less than 7 years before the deadline."
    ),
    fix=N_("Record the latest financial statements and the founding date in the registry."),
    sources=(
        Source(_KETI, "5. 기타 유의사항 — 기업의 부도, 자본전액잠식 상태인 경우"),
        Source(_KOSMES, "1. 사업 개요 — 최근 결산 기준 완전자본잠식 기업(접수 마감일 기준 창업 7년 미만 기업 미해당)"),
    ),
    params=ImpairmentParams,
)
def capital_impairment(ctx: EligibilityContext, p: ImpairmentParams) -> RuleOutcome:
    bad: list[dict[str, JsonValue]] = []
    exempt: list[dict[str, JsonValue]] = []
    missing: list[str] = []
    for m in ctx.members(p.members):
        org = m.org
        if org.kind.value != "company":
            continue
        closed = [f for f in org.financials if f.year < ctx.deadline.year]
        if not closed:
            missing.append(org.id)
            continue
        latest = max(closed, key=lambda f: f.year)
        if not latest.fully_impaired:
            continue
        young = (
            p.exempt_if_younger_than_years is not None
            and org.incorporated_on is not None
            and add_months(org.incorporated_on, 12 * p.exempt_if_younger_than_years) > ctx.deadline
        )
        (exempt if young else bad).append({"org": org.id, "year": latest.year})
    evidence: dict[str, JsonValue] = {"impaired": bad, "exempt_young": exempt}
    if bad:
        return _fail(
            N_("Full capital impairment: {orgs}"), evidence, orgs=", ".join(f"{b['org']} ({b['year']})" for b in bad)
        )
    if missing:
        return _unknown(N_("The registry records no financial statements of {org}"), evidence, org=", ".join(missing))
    if exempt:
        return _ok(
            N_("Fully impaired but founded less than {years} years before the deadline: {orgs}"),
            evidence,
            years=p.exempt_if_younger_than_years,
            orgs=", ".join(str(e["org"]) for e in exempt),
        )
    return _ok(N_("No full capital impairment in the latest statements"), evidence)


class RegionParams(_Params):
    regions: tuple[str, ...]


@grant_rule(
    "ELG013",
    "eligible-region",
    title=N_("The applying local government is one of the eligible regions"),
    explanation=N_(
        "Only the listed metropolitan governments may apply (Seoul and the regions selected in 2025 are excluded)."
    ),
    fix=N_("Only an eligible metropolitan government can lead the application."),
    sources=(Source(_KOSMES, "1. 사업 개요 — 지원대상 (신청자격) 11개 광역지방자치단체"),),
    params=RegionParams,
)
def eligible_region(ctx: EligibilityContext, p: RegionParams) -> RuleOutcome:
    lead = ctx.application.lead
    if lead.region is None:
        return _unknown(N_("The registry does not record the region of {org}"), org=_who(lead))
    if lead.region in p.regions:
        return _ok(N_("{region} is an eligible region"), region=lead.region)
    return _fail(N_("{region} is not among the eligible regions"), {"eligible": list(p.regions)}, region=lead.region)


class ConsortiumParams(_Params):
    min_members: int


@grant_rule(
    "ELG014",
    "consortium-required",
    title=N_("The applicant applies as a consortium"),
    explanation=N_(
        "The regional program requires the metropolitan government to apply in a consortium with organisations experienced in SME AI support or infrastructure."
    ),
    fix=N_(
        "Form the consortium (regional innovation agencies, universities, research institutes, AI companies) and register its members."
    ),
    sources=(Source(_KOSMES, "1. 사업 개요 — 필수요건 (컨소시엄을 구성하여 사업 신청)"),),
    params=ConsortiumParams,
)
def consortium_required(ctx: EligibilityContext, p: ConsortiumParams) -> RuleOutcome:
    n = len(ctx.application.members)
    if n >= p.min_members:
        return _ok(N_("Consortium of {n} organisations"), {"members": n}, n=n)
    return _fail(
        N_("Only {n} organisation(s); a consortium of at least {min} is required"),
        {"members": n},
        n=n,
        min=p.min_members,
    )


# --- ELG015–ELG017: money ------------------------------------------------------------------


class SharesParams(_Params):
    max_government_share: Decimal | None = None
    min_private_share: Decimal | None = None
    min_local_share: Decimal | None = None
    min_nongovernment_share: Decimal | None = None  # local + private


@grant_rule(
    "ELG015",
    "funding-shares",
    title=N_("Government, local and private shares of the total budget"),
    explanation=N_(
        "The call fixes the shares of the total project cost: e.g. government at most 75% and private (cash + in kind) at least 25% in the utilisation track; local + private at least 40% with local at least 20% in the regional program."
    ),
    fix=N_("Change the budget so that each share meets the call's ratio."),
    sources=(
        Source(_NIPA, "2. 지원개요 — 정부지원금은 총 사업비 75% 이내, 민간부담금 25% 이상"),
        Source(_KOSMES, "1. 사업 개요 — 사업규모 (지방비·민간부담금 40% 이상, 지방비 20% 이상)"),
    ),
    params=SharesParams,
)
def funding_shares(ctx: EligibilityContext, p: SharesParams) -> RuleOutcome:
    b = ctx.application.budget
    total = b.total
    if total <= 0:
        return _unknown(N_("The application records no budget"))
    gov, local, private = (b.government or Decimal(0)) / total, (b.local or Decimal(0)) / total, b.private / total
    shares: dict[str, JsonValue] = {
        "government": _pct(gov),
        "local": _pct(local),
        "private": _pct(private),
        "total": str(total),
    }
    problems = []
    if p.max_government_share is not None and gov > p.max_government_share:
        problems.append(f"government {_pct(gov)} > {_pct(p.max_government_share)}")
    if p.min_private_share is not None and private < p.min_private_share:
        problems.append(f"private {_pct(private)} < {_pct(p.min_private_share)}")
    if p.min_local_share is not None and local < p.min_local_share:
        problems.append(f"local {_pct(local)} < {_pct(p.min_local_share)}")
    if p.min_nongovernment_share is not None and local + private < p.min_nongovernment_share:
        problems.append(f"local + private {_pct(local + private)} < {_pct(p.min_nongovernment_share)}")
    if problems:
        return _fail(
            N_("Budget shares off: {problems}"), {**shares, "problems": problems}, problems="; ".join(problems)
        )
    return _ok(N_("Budget shares meet the call's ratios"), shares)


class LimitParams(_Params):
    max_government: Decimal


@grant_rule(
    "ELG016",
    "budget-limit",
    title=N_("Government funding within the per-project maximum"),
    explanation=N_(
        "Each track caps the government funding per project (7억 KRW in development, 11.4억 KRW in utilisation)."
    ),
    fix=N_("Reduce the requested government funding to the maximum."),
    sources=(Source(_NIPA, "2. 지원개요 — 지원규모 (과제 당 최대 7억원 / 11.4억원)"),),
    params=LimitParams,
)
def budget_limit(ctx: EligibilityContext, p: LimitParams) -> RuleOutcome:
    gov = ctx.application.budget.government
    if gov is None:
        return _unknown(N_("The application records no budget"))
    evidence: dict[str, JsonValue] = {"government": str(gov), "max": str(p.max_government)}
    if gov > p.max_government:
        return _fail(
            N_("Government funding {amount} KRW exceeds {max} KRW"),
            evidence,
            amount=_krw(gov),
            max=_krw(p.max_government),
        )
    return _ok(
        N_("Government funding {amount} KRW within {max} KRW"), evidence, amount=_krw(gov), max=_krw(p.max_government)
    )


class SplitParams(_Params):
    max_national_share: Decimal
    min_local_share: Decimal
    min_sme_share: Decimal
    max_in_kind_of_sme: Decimal


@grant_rule(
    "ELG017",
    "direct-support-split",
    title=N_("Direct SME support: national 60%, local 20% or more, SME 20%"),
    explanation=N_(
        "Where the project gives SMEs AI equipment or solutions directly, the cost is split national 60% (cash), local at least 20% (cash) and SME 20% (cash + in kind), and in kind may be at most 70% of the SME share."
    ),
    fix=N_(
        "Rebalance the budget of the direct-support part to the 60/20/20 split with in-kind at most 70% of the SME share."
    ),
    sources=(
        Source(
            _KOSMES,
            "1. 사업 개요 — 사업규모 (국비 60%(현금), 지방비 20% 이상(현금), 중소기업 20%(현금+현물), 현물 70%까지)",
        ),
    ),
    params=SplitParams,
)
def direct_support_split(ctx: EligibilityContext, p: SplitParams) -> RuleOutcome:
    if not ctx.application.direct_sme_support:
        return _na(N_("The project gives no direct support to SMEs"))
    b = ctx.application.budget
    total = b.total
    if total <= 0:
        return _unknown(N_("The application records no budget"))
    national, local, sme = (b.government or Decimal(0)) / total, (b.local or Decimal(0)) / total, b.private / total
    in_kind = (b.private_in_kind or Decimal(0)) / b.private if b.private > 0 else Decimal(0)
    shares: dict[str, JsonValue] = {
        "national": _pct(national),
        "local": _pct(local),
        "sme": _pct(sme),
        "in_kind_of_sme": _pct(in_kind),
    }
    problems = []
    if national > p.max_national_share:
        problems.append(f"national {_pct(national)} > {_pct(p.max_national_share)}")
    if local < p.min_local_share:
        problems.append(f"local {_pct(local)} < {_pct(p.min_local_share)}")
    if sme < p.min_sme_share:
        problems.append(f"SME {_pct(sme)} < {_pct(p.min_sme_share)}")
    if in_kind > p.max_in_kind_of_sme:
        problems.append(f"in kind {_pct(in_kind)} of the SME share > {_pct(p.max_in_kind_of_sme)}")
    if problems:
        return _fail(
            N_("Budget shares off: {problems}"), {**shares, "problems": problems}, problems="; ".join(problems)
        )
    return _ok(N_("The direct-support split meets 60/20/20"), shares)


# --- ELG018–ELG020: GPU program --------------------------------------------------------------


class GpuRequestParams(_Params):
    counts: tuple[int, ...] | None = None  # allowed card counts
    multiple_of: int | None = None  # whole servers
    min_months: int
    max_months: int


@grant_rule(
    "ELG018",
    "gpu-request",
    title=N_("The GPU request fits the track"),
    explanation=N_(
        "Track 1 takes 1, 2 or 4 H100 cards, track 2 whole servers of 8 cards; both for 1 to 9 whole months."
    ),
    fix=N_("Request an allowed number of cards for 1–9 whole months, in the track that matches it."),
    sources=(Source(_GPU, "2 지원 대상 및 지원 내용 — 트랙 구분"),),
    params=GpuRequestParams,
)
def gpu_request(ctx: EligibilityContext, p: GpuRequestParams) -> RuleOutcome:
    g = ctx.application.gpu
    if g is None:
        return _fail(N_("The application records no GPU request"))
    problems = []
    if p.counts is not None and g.count not in p.counts:
        problems.append(f"{g.count} cards not in {list(p.counts)}")
    if p.multiple_of is not None and (g.count <= 0 or g.count % p.multiple_of):
        problems.append(f"{g.count} cards is not a whole number of {p.multiple_of}-card servers")
    if not p.min_months <= g.months <= p.max_months:
        problems.append(f"{g.months} months outside {p.min_months}–{p.max_months}")
    evidence: dict[str, JsonValue] = {"card": g.card, "count": g.count, "months": g.months}
    if problems:
        return _fail(N_("GPU request does not fit the track: {problems}"), evidence, problems="; ".join(problems))
    return _ok(N_("{count} {card} for {months} months"), evidence, count=g.count, card=g.card, months=g.months)


class SelfPaymentParams(_Params):
    pass


@grant_rule(
    "ELG019",
    "gpu-self-payment",
    title=N_("GPU self-payment, with the youth-company rate"),
    explanation=N_(
        "Private users pay a share per card and month up front for the whole period (H100/H200 400,000 KRW, A100 100,000 KRW; half for a youth company, whose representative is 39 or younger on the call date); public bodies pay nothing."
    ),
    fix=N_("Deposit the whole period's self-payment; record the representatives' birth dates to get the youth rate."),
    sources=(Source(_GPU, "3 사용자 의무 사항 — <1> 자부담금 부담; 6 제출서류 — 5. 청년기업"),),
    params=SelfPaymentParams,
)
def gpu_self_payment(ctx: EligibilityContext, p: SelfPaymentParams) -> RuleOutcome:
    g, org = ctx.application.gpu, ctx.application.lead
    if g is None:
        return _fail(N_("The application records no GPU request"))
    sp = self_payment(ctx.program, org, g.card, g.count, g.months)
    evidence: dict[str, JsonValue] = {
        "youth_company": sp.youth,
        "public": sp.free,
        "per_card_month": str(sp.per_card_month),
        "total": str(sp.total),
        "as_of": ctx.announced.isoformat(),
    }
    if sp.free:
        return _ok(N_("Public body: no self-payment"), evidence)
    paid = ctx.application.budget.private_cash
    if paid is not None and paid < sp.total:
        return _fail(
            N_("Self-payment {paid} KRW is less than the {total} KRW due"),
            {**evidence, "paid": str(paid)},
            paid=_krw(paid),
            total=_krw(sp.total),
        )
    if sp.youth is None:
        return _ok(
            N_("Self-payment {total} KRW at the general rate (no representative's birth date recorded)"),
            evidence,
            total=_krw(sp.total),
        )
    if sp.youth:
        return _ok(
            N_("Youth company: self-payment {total} KRW ({rate} KRW per card and month)"),
            evidence,
            total=_krw(sp.total),
            rate=_krw(sp.per_card_month),
        )
    return _ok(
        N_("Self-payment {total} KRW ({rate} KRW per card and month)"),
        evidence,
        total=_krw(sp.total),
        rate=_krw(sp.per_card_month),
    )


class ProfessorParams(_Params):
    kinds: tuple[str, ...]
    positions: tuple[str, ...]


@grant_rule(
    "ELG020",
    "professor-led",
    title=N_("University applications are led by a professor"),
    explanation=N_(
        "Universities and university hospitals apply per professor's research group; students may not apply on their own and the principal investigator must be a professor."
    ),
    fix=N_("Make a professor the principal investigator and record the position in the application."),
    sources=(Source(_GPU, "7 일반 및 유의 사항 — 참여 제한 (공공부문); 6 제출서류 — 총괄책임자는 교수"),),
    params=ProfessorParams,
)
def professor_led(ctx: EligibilityContext, p: ProfessorParams) -> RuleOutcome:
    lead = ctx.application.lead
    if lead.kind.value not in p.kinds:
        return _na(N_("The lead is not a university"))
    pi = ctx.application.principal_investigator
    if pi is None or not pi.position:
        return _unknown(N_("The application records no principal investigator's position"))
    if pi.position in p.positions:
        return _ok(N_("Led by {name} ({position})"), name=pi.name, position=pi.position)
    return _fail(
        N_("The principal investigator {name} is a {position}, not a professor"), name=pi.name, position=pi.position
    )
