"""Obligations (OBL001–OBL015): dated duties generated from an agreement and the program.

``plan_obligations(program, agreement)`` turns the program's ``obligations:`` formulas
into dated occurrences; ``obligation_status(…, today)`` says where each stands:
``upcoming`` (before it opens), ``due`` (open, not yet past its date), ``overdue``,
``done`` (evidence recorded). ``today`` is always passed in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from oscheck.i18n import N_, LocalizedText
from oscheck.policy.grants.catalog import obligation_rule
from oscheck.policy.grants.program import GrantProgram, ObligationDef, resolve_date, series
from oscheck.policy.rules import Source

__all__ = ["Agreement", "ObligationStatus", "PlannedObligation", "obligation_status", "plan_obligations"]

_NIPA = "seeds/msit-nipa-oss-ai-sw-2026-call.txt"
_GPU = "seeds/nipa-gpu-rental-2025-guide.txt"
_KETI = "seeds/keti-ax-mini-project-2026-call.txt"
_KOSMES = "seeds/kosmes-regional-ai-transformation-2026-call.txt"
_NAT = "seeds/msit-national-ai-projects-2026-news.txt"
DEFAULT_LEAD = timedelta(days=30)


class ObligationStatus(enum.Enum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


@dataclass(frozen=True)
class Agreement:
    application: str
    program: str
    track: str | None
    start: date
    end: date


@dataclass(frozen=True)
class PlannedObligation:
    obligation: str  # the program's id for it
    rule_id: str
    seq: int  # 1, 2, … for repeated obligations
    name: LocalizedText
    opens_on: date
    due_on: date
    provisional: bool  # the agency sets the exact date; this is the source's outer bound
    source: str
    covers_until: date | None = None


def plan_obligations(program: GrantProgram, agreement: Agreement) -> list[PlannedObligation]:
    """Every obligation occurrence of ``agreement`` under ``program``, by due date."""
    anchors = {
        "start": agreement.start,
        "end": agreement.end,
        "announced": program.call.announced,
        "deadline": program.call.deadline,
    }
    out: list[PlannedObligation] = []
    for d in program.obligations:
        if not program.applies(d.tracks, agreement.track):
            continue
        for seq, due in enumerate(_dues(d, anchors), start=1):
            opens = resolve_date(d.opens, anchors) if d.opens else due - DEFAULT_LEAD
            out.append(
                PlannedObligation(
                    obligation=d.id,
                    rule_id=d.rule,
                    seq=seq,
                    name=d.name.localized(),
                    opens_on=min(opens, due),
                    due_on=due,
                    provisional=d.provisional,
                    source=program.cite(d.source),
                    covers_until=resolve_date(d.covers_until, anchors) if d.covers_until else None,
                )
            )
    return sorted(out, key=lambda o: (o.due_on, o.obligation, o.seq))


def _dues(d: ObligationDef, anchors: dict[str, date]) -> list[date]:
    if d.due:
        return [resolve_date(f, anchors) for f in d.due]
    assert d.every is not None and d.from_ is not None
    until = resolve_date(d.until, anchors) if d.until else None
    return series(d.from_, d.every, anchors, until, d.count)


def obligation_status(opens_on: date, due_on: date, completed_on: date | None, today: date) -> ObligationStatus:
    if completed_on is not None:
        return ObligationStatus.DONE
    if today > due_on:
        return ObligationStatus.OVERDUE
    if today >= opens_on:
        return ObligationStatus.DUE
    return ObligationStatus.UPCOMING


# --- the obligation kinds ---------------------------------------------------------------------

obligation_rule(
    "OBL001",
    "result-report",
    title=N_("Result report after the project"),
    explanation=N_(
        "The user reports what was done against the plan, with evidence, within one month after the project ends; a result rated 'insufficient' or worse can bar later GPU programs."
    ),
    fix=N_("Submit the result report with its evidence and record the link and hash in the registry."),
    sources=(Source(_GPU, "3 사용자 의무 사항 — <2> 결과보고서"),),
)
obligation_rule(
    "OBL002",
    "performance-report",
    title=N_("Performance reports after the project"),
    explanation=N_(
        "Outcomes (sales, exports, patents, papers, open-source releases, jobs) are reported right after the end and one year later (track 1), and also two years later (track 2)."
    ),
    fix=N_("Submit the performance report with evidence on the date the agency sets."),
    sources=(Source(_GPU, "3 사용자 의무 사항 — <2> 성과보고서"),),
)
obligation_rule(
    "OBL003",
    "survey",
    title=N_("Surveys during and after the project"),
    explanation=N_(
        "Satisfaction and GPU surveys, up to five times, during the project and for one year after it; not answering can mean paying back the government-funded usage."
    ),
    fix=N_("Answer the agency's surveys and record each answer."),
    sources=(Source(_GPU, "3 사용자 의무 사항 — <3> 설문조사 참여"),),
)
obligation_rule(
    "OBL004",
    "follow-up-survey",
    title=N_("Five years of performance surveys after the project"),
    explanation=N_(
        "For five years after the project period the grantee answers the performance survey (economic results, jobs)."
    ),
    fix=N_("Answer each year's performance survey and record it."),
    sources=(Source(_NIPA, "6. 유의사항 — 사업기간 이후 5년간 성과 조사 이행"),),
)
obligation_rule(
    "OBL005",
    "guarantee-insurance",
    title=N_("Performance-guarantee insurance"),
    explanation=N_(
        "The grantee takes out performance (payment) guarantee insurance for the whole government grant, covering the agreement date to 150 days after the agreement ends, and submits it at the agreement."
    ),
    fix=N_("Submit the insurance policy; its coverage must run to the end of the agreement plus 150 days."),
    sources=(Source(_NIPA, "6. 유의사항 — 이행(지급)보증보험 가입 (협약체결일~협약종료일+150일)"),),
)
obligation_rule(
    "OBL006",
    "mid-term-check",
    title=N_("Mid-term check"),
    explanation=N_(
        "During the project the agency checks progress and spending; the date is set by the agency (the middle of the period is assumed)."
    ),
    fix=N_("Prepare the progress and spending records for the mid-term check."),
    sources=(Source(_NIPA, "6. 유의사항 — 사업기간 내 과제별 중간점검 이행"),),
)
obligation_rule(
    "OBL007",
    "accredited-test-report",
    title=N_("Test report from an accredited testing body"),
    explanation=N_(
        "A test report from an external accredited testing body must be submitted within the project period."
    ),
    fix=N_("Have the result tested by an accredited body and submit the report before the period ends."),
    sources=(Source(_NIPA, "6. 유의사항 — 사업기간 내 외부 공인인증기관의 시험성적서 제출 필수"),),
)
obligation_rule(
    "OBL008",
    "license-verification",
    title=N_("Open-source license verification and AI compliance check"),
    explanation=N_(
        "The body the agency designates verifies open-source licenses and AI compliance, and the results are submitted; an oscheck scan recorded in the registry is the evidence."
    ),
    fix=N_("Have the repository scanned by the designated body and record the scan as evidence."),
    sources=(Source(_NIPA, "6. 유의사항 — 오픈소스SW 라이선스 검증, AI 컴플라이언스 등 컨설팅 진행"),),
)
obligation_rule(
    "OBL009",
    "publication",
    title=N_("Results published in a public repository"),
    explanation=N_("Development-track results must be published on a public repository such as GitHub."),
    fix=N_("Publish the repository and record its address and a scan of it."),
    sources=(Source(_NIPA, "6. 유의사항 — (개발과제) 결과물은 깃허브 등 공용 저장소에 필수 공개"),),
)
obligation_rule(
    "OBL010",
    "open-source-list",
    title=N_("List of the open-source models and software used"),
    explanation=N_(
        "Utilisation-track projects submit the list of open-source models and software they used (an SBOM)."
    ),
    fix=N_("Produce the SBOM with oscheck and submit it; record its link and hash."),
    sources=(Source(_NIPA, "6. 유의사항 — (활용과제) 활용한 오픈소스(모델, SW) 목록 제출"),),
)
obligation_rule(
    "OBL011",
    "community-plan",
    title=N_("Community or contribution plan"),
    explanation=N_(
        "Development projects present a plan to open and run a community; utilisation projects a plan to contribute to the open-source models and software they use and to work with their communities."
    ),
    fix=N_("Submit the plan and record the evidence of its execution (links to contributions)."),
    sources=(Source(_NIPA, "6. 유의사항 — 커뮤니티 개설 및 운영 계획 / 오픈소스 기여 및 커뮤니티와 협업 계획"),),
)
obligation_rule(
    "OBL012",
    "gpu-usage-monthly",
    title=N_("Monthly GPU usage check"),
    explanation=N_(
        "GPU usage is checked every month; a project that under-uses its plan or uses GPUs for other purposes has them reclaimed and reallocated."
    ),
    fix=N_("Report the month's GPU usage against the plan."),
    sources=(Source(_NAT, "배분 후에는 매월 사용 현황을 점검"),),
)
obligation_rule(
    "OBL013",
    "self-payment-deposit",
    title=N_("Self-payment deposited before allocation"),
    explanation=N_(
        "Private users deposit the whole period's self-payment into a new project account; GPUs are allocated only after that."
    ),
    fix=N_("Open the project account, deposit the whole self-payment and record the evidence."),
    sources=(Source(_GPU, "3 사용자 의무 사항 — <1> 자부담금 부담"),),
)
obligation_rule(
    "OBL014",
    "satisfaction-survey",
    title=N_("Satisfaction survey and promotion of results"),
    explanation=N_("The supported company answers the satisfaction survey and cooperates in promoting the results."),
    fix=N_("Answer the survey and record it."),
    sources=(Source(_KETI, "2. 지원 내용 — 만족도 조사와 결과 홍보에 적극적인 협조 필수"),),
)
obligation_rule(
    "OBL015",
    "annual-evaluation",
    title=N_("Annual evaluation and renewed agreement"),
    explanation=N_("Each year's evaluation decides the renewed agreement, the budget and whether support continues."),
    fix=N_("Prepare the year's results for the annual evaluation."),
    sources=(Source(_KOSMES, "1. 사업 개요 — 연차별 사업평가 결과에 따라 재협약 및 계속 지원여부 결정"),),
)
