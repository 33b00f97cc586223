"""Every eligibility rule (ELG001–ELG020), table-driven, with the edges the sources draw.

Each case builds an application for a real program file and checks one requirement of
that program; the expected outcome follows the seed text cited in the program file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from grants_helpers import app, budget, fin, judge, org
from helpers import ROOT

from oscheck.policy.grants import Outcome, is_youth_company, self_payment
from oscheck.policy.grants import model as gm
from oscheck.policy.grants.catalog import all_grant_rules
from oscheck.policy.grants.eligibility import EligibilityReport
from oscheck.policy.grants.model import age_on

GPU, DEV, USE = "nipa-gpu-rental-2025", "nipa-oss-ai-dev-2026", "nipa-oss-ai-use-2026"
KETI, KOSMES, NAT = "keti-ax-mini-2026", "kosmes-regional-ax-2026", "msit-national-ai-projects-2026"
GPU_DEADLINE, GPU_CALL = date(2025, 9, 15), date(2025, 8, 14)
KOSMES_DEADLINE = date(2026, 3, 10)

P, F, U, NA = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_APPLICABLE


def gpu_app(lead: gm.Organisation, track: str = "track-1", **kw: object) -> gm.Application:
    kw.setdefault("gpu", gm.GpuRequest("H100", 2, 6))
    return app(GPU, track, lead, **kw)  # type: ignore[arg-type]


def keti_app(lead: gm.Organisation, **kw: object) -> gm.Application:
    return app(KETI, "demand", lead, **kw)  # type: ignore[arg-type]


def kosmes_app(*members: gm.Organisation, **kw: object) -> gm.Application:
    city = org("busan-city", "local-government", None, region="busan")
    return app(KOSMES, "regional", city, *members, **kw)  # type: ignore[arg-type]


def gn_factory(
    since: date = date(2015, 1, 1), until: date | None = None, province: str = "gyeongnam"
) -> gm.Organisation:
    return org(sites=(gm.Site("factory", province, since, until),), industries=("mould",))


def status(kind: str, start: date | None = None, end: date | None = None) -> tuple[gm.Status, ...]:
    return (gm.Status(kind, start, end),)


def sibling(id: str, program: str, track: str, *orgs: str) -> gm.Sibling:
    return gm.Sibling(id, program, track, frozenset(orgs))


Case = Callable[[], tuple[gm.Application, str, tuple[gm.Sibling, ...]]]


def c(application: gm.Application, check: str, *siblings: gm.Sibling) -> Case:
    return lambda: (application, check, siblings)


CASES: list[tuple[str, str, Case, Outcome]] = [
    # ELG001 applicant kind
    ("ELG001", "gpu: SME company", c(gpu_app(org()), "applicant-kind"), P),
    ("ELG001", "gpu: university", c(gpu_app(org("u", "university", None)), "applicant-kind"), P),
    ("ELG001", "gpu: an individual may not apply", c(gpu_app(org("p", "individual", None)), "applicant-kind"), F),
    (
        "ELG001",
        "gpu: a large enterprise is not private-sector eligible",
        c(gpu_app(org(size="large")), "applicant-kind"),
        F,
    ),
    ("ELG001", "gpu: size unknown", c(gpu_app(org(size=None)), "applicant-kind"), U),
    ("ELG001", "kosmes: lead must be a local government", c(app(KOSMES, "regional", org()), "applicant-kind"), F),
    ("ELG001", "national: a ministry", c(app(NAT, None, org("msit", "public-body", None)), "applicant-kind"), P),
    ("ELG001", "dev: a university may lead", c(app(DEV, "dev", org("u", "university", None)), "lead-kind"), P),
    ("ELG001", "use: a university may not lead", c(app(USE, "use", org("u", "university", None)), "lead-kind"), F),
    # ELG002 large enterprise may not lead the use track
    ("ELG002", "use: large lead", c(app(USE, "use", org(size="large")), "no-large-lead"), F),
    ("ELG002", "use: mid-size lead", c(app(USE, "use", org(size="mid-size")), "no-large-lead"), P),
    (
        "ELG002",
        "use: large participant is fine",
        c(app(USE, "use", org(), org("big", size="large")), "no-large-lead"),
        P,
    ),
    ("ELG002", "use: size unknown", c(app(USE, "use", org(size=None)), "no-large-lead"), U),
    # ELG003 affiliates of one group in one consortium
    (
        "ELG003",
        "dev: two affiliates of one group",
        c(
            app(DEV, "dev", org("a", enterprise_group="메가그룹"), org("b", enterprise_group="메가그룹")),
            "group-affiliates",
        ),
        F,
    ),
    (
        "ELG003",
        "dev: affiliates of different groups",
        c(
            app(DEV, "dev", org("a", enterprise_group="메가그룹"), org("b", enterprise_group="한빛그룹")),
            "group-affiliates",
        ),
        P,
    ),
    # ELG004 one project per organisation, one track
    (
        "ELG004",
        "use: lead also leads a dev application",
        c(app(USE, "use", org("a")), "one-project", sibling("x", DEV, "dev", "a")),
        F,
    ),
    (
        "ELG004",
        "use: a participant is also in a dev application",
        c(app(USE, "use", org("a"), org("b")), "one-project", sibling("x", DEV, "dev", "b")),
        F,
    ),
    (
        "ELG004",
        "use: other applications name others",
        c(app(USE, "use", org("a")), "one-project", sibling("x", DEV, "dev", "z")),
        P,
    ),
    (
        "ELG004",
        "gpu: same user in both tracks",
        c(gpu_app(org("a")), "one-track", sibling("y", GPU, "track-2", "a")),
        F,
    ),
    # ELG005 incorporated by the deadline (2026-04-03)
    (
        "ELG005",
        "incorporated on the deadline day",
        c(app(DEV, "dev", org(incorporated_on=date(2026, 4, 3))), "incorporated"),
        P,
    ),
    (
        "ELG005",
        "incorporated the day after",
        c(app(DEV, "dev", org(incorporated_on=date(2026, 4, 4))), "incorporated"),
        F,
    ),
    (
        "ELG005",
        "participant incorporated late",
        c(app(DEV, "dev", org(), org("b", incorporated_on=date(2026, 5, 1))), "incorporated"),
        F,
    ),
    ("ELG005", "date unknown", c(app(DEV, "dev", org(incorporated_on=None)), "incorporated"), U),
    (
        "ELG005",
        "a university is no corporation here",
        c(app(DEV, "dev", org("u", "university", None, incorporated_on=None)), "incorporated"),
        P,
    ),
    # ELG006 excluding statuses
    (
        "ELG006",
        "gpu: tax arrears on the deadline",
        c(gpu_app(org(statuses=status("tax-arrears", date(2025, 1, 1)))), "financial-status"),
        F,
    ),
    (
        "ELG006",
        "gpu: arrears cleared the day before the deadline",
        c(gpu_app(org(statuses=status("tax-arrears", date(2025, 1, 1), date(2025, 9, 14)))), "financial-status"),
        P,
    ),
    (
        "ELG006",
        "gpu: suspension from the day after",
        c(gpu_app(org(statuses=status("suspended", date(2025, 9, 16)))), "financial-status"),
        P,
    ),
    (
        "ELG006",
        "gpu: the principal investigator is under an R&D sanction",
        c(gpu_app(org(), principal_investigator=gm.Person("PI", statuses=status("rnd-sanction"))), "rnd-sanction"),
        F,
    ),
    (
        "ELG006",
        "keti: the representative is under a participation restriction",
        c(keti_app(org(representatives=(gm.Person("CEO", statuses=status("rnd-sanction")),))), "excluded-status"),
        F,
    ),
    (
        "ELG006",
        "kosmes: one member suspended excludes the consortium",
        c(kosmes_app(org("tp"), org("x", statuses=status("suspended"))), "excluded-status"),
        F,
    ),
    (
        "ELG006",
        "kosmes: a status of another kind",
        c(kosmes_app(org("tp"), org("x", statuses=status("rnd-sanction"))), "excluded-status"),
        P,
    ),
    # ELG007 prior support
    (
        "ELG007",
        "gpu: HPC support in 2025",
        c(gpu_app(org(support=(gm.SupportRecord("hpc-support", 2025),))), "prior-support"),
        F,
    ),
    (
        "ELG007",
        "gpu: HPC support in 2024",
        c(gpu_app(org(support=(gm.SupportRecord("hpc-support", 2024),))), "prior-support"),
        P,
    ),
    (
        "ELG007",
        "kosmes: region selected in 2025",
        c(
            app(
                KOSMES,
                "regional",
                org("c", "local-government", None, support=(gm.SupportRecord("kosmes-regional-ax", 2025),)),
            ),
            "not-selected-2025",
        ),
        F,
    ),
    # ELG008 duplicate project
    (
        "ELG008",
        "keti: duplicates a funded project",
        c(keti_app(org(), duplicates=(gm.DuplicateClaim("AX-2024", date(2025, 1, 1), True),)), "duplicate"),
        F,
    ),
    (
        "ELG008",
        "kosmes: follow-up after the earlier project ended",
        c(kosmes_app(org("tp"), duplicates=(gm.DuplicateClaim("AI-2024", date(2025, 12, 31), True),)), "duplicate"),
        P,
    ),
    (
        "ELG008",
        "kosmes: follow-up while the earlier project runs",
        c(kosmes_app(org("tp"), duplicates=(gm.DuplicateClaim("AI-2025", date(2026, 12, 31), True),)), "duplicate"),
        F,
    ),
    # ELG009 a site in Gyeongnam on the call date (2026-04-01)
    ("ELG009", "factory in Gyeongnam", c(keti_app(gn_factory()), "site-in-gyeongnam"), P),
    ("ELG009", "factory in Busan only", c(keti_app(gn_factory(province="busan")), "site-in-gyeongnam"), F),
    (
        "ELG009",
        "factory opened the day after the call",
        c(keti_app(gn_factory(since=date(2026, 4, 2))), "site-in-gyeongnam"),
        F,
    ),
    (
        "ELG009",
        "factory opened on the call date",
        c(keti_app(gn_factory(since=date(2026, 4, 1))), "site-in-gyeongnam"),
        P,
    ),
    (
        "ELG009",
        "factory closed before the call",
        c(keti_app(gn_factory(until=date(2026, 3, 31))), "site-in-gyeongnam"),
        F,
    ),
    ("ELG009", "a lab does not count", c(keti_app(org(sites=(gm.Site("lab", "gyeongnam"),))), "site-in-gyeongnam"), F),
    ("ELG009", "no sites recorded", c(keti_app(org()), "site-in-gyeongnam"), U),
    # ELG010 industry
    ("ELG010", "mould", c(keti_app(org(industries=("mould",))), "industry"), P),
    ("ELG010", "food", c(keti_app(org(industries=("food",))), "industry"), F),
    ("ELG010", "not recorded", c(keti_app(org()), "industry"), U),
    # ELG011 debt ratio >= 1,000% in each of the last two closed years (deadline 2026-04-30)
    (
        "ELG011",
        "over in both years",
        c(keti_app(org(financials=(fin(2024, 1200, 100), fin(2025, 1100, 100)))), "debt-ratio"),
        F,
    ),
    (
        "ELG011",
        "over in only one of two years",
        c(keti_app(org(financials=(fin(2024, 1200, 100), fin(2025, 900, 100)))), "debt-ratio"),
        P,
    ),
    (
        "ELG011",
        "over in only the earlier year",
        c(keti_app(org(financials=(fin(2024, 900, 100), fin(2025, 1200, 100)))), "debt-ratio"),
        P,
    ),
    (
        "ELG011",
        "exactly 1,000% twice",
        c(keti_app(org(financials=(fin(2024, 1000, 100), fin(2025, 1000, 100)))), "debt-ratio"),
        F,
    ),
    (
        "ELG011",
        "999.99% and 1,000%",
        c(keti_app(org(financials=(fin(2024, 99999, 10000), fin(2025, 1000, 100)))), "debt-ratio"),
        P,
    ),
    (
        "ELG011",
        "negative equity twice",
        c(keti_app(org(financials=(fin(2024, 500, -10), fin(2025, 500, 0)))), "debt-ratio"),
        F,
    ),
    (
        "ELG011",
        "statements of the deadline year do not count",
        c(keti_app(org(financials=(fin(2024, 500, 100), fin(2025, 1200, 100), fin(2026, 1300, 100)))), "debt-ratio"),
        P,
    ),
    ("ELG011", "one year recorded, over", c(keti_app(org(financials=(fin(2025, 1200, 100),))), "debt-ratio"), U),
    ("ELG011", "one year recorded, under", c(keti_app(org(financials=(fin(2025, 200, 100),))), "debt-ratio"), P),
    ("ELG011", "no statements", c(keti_app(org()), "debt-ratio"), U),
    # ELG012 full capital impairment; regional program exempts companies under 7 years (deadline 2026-03-10)
    (
        "ELG012",
        "kosmes: founded 6 years 11 months before the deadline",
        c(
            kosmes_app(org("s", incorporated_on=date(2019, 4, 10), financials=(fin(2025, 900, -5),))),
            "capital-impairment",
        ),
        P,
    ),
    (
        "ELG012",
        "kosmes: founded exactly 7 years before the deadline",
        c(
            kosmes_app(org("s", incorporated_on=date(2019, 3, 10), financials=(fin(2025, 900, -5),))),
            "capital-impairment",
        ),
        F,
    ),
    (
        "ELG012",
        "kosmes: founded 7 years and a day before",
        c(
            kosmes_app(org("s", incorporated_on=date(2019, 3, 9), financials=(fin(2025, 900, -5),))),
            "capital-impairment",
        ),
        F,
    ),
    (
        "ELG012",
        "keti: no exemption for young companies",
        c(keti_app(org(incorporated_on=date(2024, 1, 1), financials=(fin(2025, 900, 0),))), "capital-impairment"),
        F,
    ),
    ("ELG012", "keti: positive equity", c(keti_app(org(financials=(fin(2025, 900, 1),))), "capital-impairment"), P),
    ("ELG012", "keti: no statements", c(keti_app(org()), "capital-impairment"), U),
    # ELG013 eligible regions
    ("ELG013", "busan", c(kosmes_app(org("tp")), "eligible-region"), P),
    (
        "ELG013",
        "seoul is excluded",
        c(app(KOSMES, "regional", org("seoul", "local-government", None, region="seoul")), "eligible-region"),
        F,
    ),
    ("ELG013", "region unknown", c(app(KOSMES, "regional", org("x", "local-government", None)), "eligible-region"), U),
    # ELG014 consortium required
    ("ELG014", "alone", c(kosmes_app(), "consortium"), F),
    ("ELG014", "with a partner", c(kosmes_app(org("tp", "research-institute", None)), "consortium"), P),
    # ELG015 funding shares
    (
        "ELG015",
        "use: government exactly 75%",
        c(app(USE, "use", org(), budget=budget(government=75, private_cash=25)), "matching"),
        P,
    ),
    (
        "ELG015",
        "use: government 75.01%",
        c(app(USE, "use", org(), budget=budget(government=7501, private_cash=2499)), "matching"),
        F,
    ),
    (
        "ELG015",
        "use: in kind counts as private",
        c(app(USE, "use", org(), budget=budget(government=70, private_in_kind=30)), "matching"),
        P,
    ),
    ("ELG015", "use: no budget", c(app(USE, "use", org()), "matching"), U),
    (
        "ELG015",
        "kosmes: local + private 40%, local 20%",
        c(kosmes_app(org("tp"), budget=budget(government=60, local=20, private_cash=20)), "matching"),
        P,
    ),
    (
        "ELG015",
        "kosmes: local 19.99%",
        c(kosmes_app(org("tp"), budget=budget(government=6000, local=1999, private_cash=2001)), "matching"),
        F,
    ),
    (
        "ELG015",
        "kosmes: local + private 39.99%",
        c(kosmes_app(org("tp"), budget=budget(government=6001, local=2000, private_cash=1999)), "matching"),
        F,
    ),
    # ELG016 per-project maximum
    ("ELG016", "dev: exactly 7억", c(app(DEV, "dev", org(), budget=budget(government=700_000_000)), "budget-limit"), P),
    (
        "ELG016",
        "dev: 7억 and 1 won",
        c(app(DEV, "dev", org(), budget=budget(government=700_000_001)), "budget-limit"),
        F,
    ),
    ("ELG016", "use: 11.4억", c(app(USE, "use", org(), budget=budget(government=1_140_000_000)), "budget-limit"), P),
    # ELG017 60/20/20 with in kind <= 70% of the SME share
    (
        "ELG017",
        "60/20/20, in kind 70% of the SME share",
        c(
            kosmes_app(
                org("tp"),
                direct_sme_support=True,
                budget=budget(government=60, local=20, private_cash=6, private_in_kind=14),
            ),
            "direct-support-split",
        ),
        P,
    ),
    (
        "ELG017",
        "in kind 71% of the SME share",
        c(
            kosmes_app(
                org("tp"),
                direct_sme_support=True,
                budget=budget(government=600, local=200, private_cash=58, private_in_kind=142),
            ),
            "direct-support-split",
        ),
        F,
    ),
    (
        "ELG017",
        "national 61%",
        c(
            kosmes_app(org("tp"), direct_sme_support=True, budget=budget(government=61, local=20, private_cash=19)),
            "direct-support-split",
        ),
        F,
    ),
    (
        "ELG017",
        "local above 20% is allowed",
        c(
            kosmes_app(org("tp"), direct_sme_support=True, budget=budget(government=55, local=25, private_cash=20)),
            "direct-support-split",
        ),
        P,
    ),
    (
        "ELG017",
        "no direct SME support",
        c(kosmes_app(org("tp"), budget=budget(government=60, local=40)), "direct-support-split"),
        NA,
    ),
    # ELG018 GPU request shape
    (
        "ELG018",
        "track 1: 4 cards for 9 months",
        c(gpu_app(org(), gpu=gm.GpuRequest("H100", 4, 9)), "gpu-request-track-1"),
        P,
    ),
    ("ELG018", "track 1: 3 cards", c(gpu_app(org(), gpu=gm.GpuRequest("H100", 3, 6)), "gpu-request-track-1"), F),
    ("ELG018", "track 1: 10 months", c(gpu_app(org(), gpu=gm.GpuRequest("H100", 1, 10)), "gpu-request-track-1"), F),
    (
        "ELG018",
        "track 2: two servers",
        c(gpu_app(org(), "track-2", gpu=gm.GpuRequest("H100", 16, 1)), "gpu-request-track-2"),
        P,
    ),
    (
        "ELG018",
        "track 2: 12 cards",
        c(gpu_app(org(), "track-2", gpu=gm.GpuRequest("H100", 12, 3)), "gpu-request-track-2"),
        F,
    ),
    ("ELG018", "no GPU request", c(app(GPU, "track-1", org()), "gpu-request-track-1"), F),
    # ELG019 self-payment
    (
        "ELG019",
        "deposit covers the period",
        c(gpu_app(org(), budget=budget(private_cash=4_800_000)), "self-payment"),
        P,
    ),
    ("ELG019", "deposit short by 1 won", c(gpu_app(org(), budget=budget(private_cash=4_799_999)), "self-payment"), F),
    (
        "ELG019",
        "public body pays nothing",
        c(gpu_app(org("u", "university", None), budget=budget(private_cash=0)), "self-payment"),
        P,
    ),
    # ELG020 university led by a professor
    (
        "ELG020",
        "professor",
        c(
            gpu_app(org("u", "university", None), principal_investigator=gm.Person("Kim", position="professor")),
            "professor-led",
        ),
        P,
    ),
    (
        "ELG020",
        "a student",
        c(
            gpu_app(org("u", "university", None), principal_investigator=gm.Person("Lee", position="student")),
            "professor-led",
        ),
        F,
    ),
    ("ELG020", "not recorded", c(gpu_app(org("u", "university-hospital", None)), "professor-led"), U),
    ("ELG020", "a company", c(gpu_app(org()), "professor-led"), NA),
]


@pytest.mark.parametrize(("rule", "case", "build", "expected"), CASES, ids=[f"{r}-{n}" for r, n, _b, _e in CASES])
def test_rule(rule: str, case: str, build: Case, expected: Outcome) -> None:
    application, check, siblings = build()
    result = judge(application, check, siblings)
    assert result.rule_id == rule
    assert result.outcome is expected, (case, result.message.en, dict(result.evidence))
    assert result.source.startswith("seeds/") and " — " in result.source
    assert result.message.en and result.message.ko


def test_every_eligibility_rule_has_cases_and_every_program_check_is_used() -> None:
    tested = {r for r, *_ in CASES}
    assert tested == {r.id for r in all_grant_rules() if r.kind == "eligibility"}


# --- youth company: 39 or younger on the call date (2025-08-14) -------------------------------


@pytest.mark.parametrize(
    ("birth", "age", "youth"),
    [
        (date(1985, 8, 15), 39, True),  # turns 40 the day after the call date
        (date(1985, 8, 14), 40, False),  # turns 40 on the call date
        (date(1986, 1, 1), 39, True),
        (date(1984, 2, 29), 41, False),
    ],
)
def test_youth_company_on_the_call_date(birth: date, age: int, youth: bool) -> None:
    assert age_on(birth, GPU_CALL) == age
    company = org(representatives=(gm.Person("CEO", birth),))
    assert is_youth_company(company, GPU_CALL, 39) is youth
    result = judge(gpu_app(company, gpu=gm.GpuRequest("H100", 4, 9)), "self-payment")
    rate = 200_000 if youth else 400_000
    assert result.evidence["per_card_month"] == str(rate)
    assert result.evidence["total"] == str(rate * 4 * 9)


def test_joint_representatives_one_young_makes_a_youth_company() -> None:
    company = org(representatives=(gm.Person("A", date(1970, 1, 1)), gm.Person("B", date(1990, 1, 1))))
    assert is_youth_company(company, GPU_CALL, 39) is True
    sp = self_payment(judge_program(), company, "A100", 4, 2)
    assert (sp.per_card_month, sp.total) == (50_000, 400_000)


def test_leap_day_birthday_turns_a_year_older_on_1_march() -> None:
    born = date(1988, 2, 29)
    assert age_on(born, date(2027, 2, 28)) == 38
    assert age_on(born, date(2027, 3, 1)) == 39


def test_no_birth_date_means_the_general_rate_and_says_so() -> None:
    result = judge(gpu_app(org()), "self-payment")
    assert result.outcome is Outcome.PASS
    assert result.evidence["youth_company"] is None and result.evidence["per_card_month"] == "400000"
    assert "general rate" in result.message.en


def test_report_outcome_is_the_worst_result() -> None:
    good = gpu_app(org(representatives=(gm.Person("CEO", date(1990, 1, 1)),)))
    report = _report(good)
    assert report.outcome is Outcome.PASS
    bad = gpu_app(org(statuses=status("tax-arrears")))
    assert _report(bad).outcome is Outcome.FAIL
    unknown = gpu_app(org(size=None))
    assert _report(unknown).outcome is Outcome.UNKNOWN


def test_rules_only_of_the_applications_track_run() -> None:
    t2 = _report(gpu_app(org(), "track-2", gpu=gm.GpuRequest("H100", 8, 2)))
    assert "gpu-request-track-2" in {r.check_id for r in t2.results}
    assert "gpu-request-track-1" not in {r.check_id for r in t2.results}


def _report(a: gm.Application) -> EligibilityReport:
    from oscheck.policy.grants import check_eligibility

    return check_eligibility(judge_program(a.program), a)


def judge_program(program_id: str = GPU):  # type: ignore[no-untyped-def]
    from grants_helpers import program

    return program(program_id)


def test_every_grant_rule_has_korean_texts_and_sources() -> None:
    from oscheck.i18n import translate

    for r in all_grant_rules():
        assert r.sources and all(str(s).startswith("seeds/") for s in r.sources), r.id
        for which in ("title", "explanation", "fix"):
            text = getattr(r, which)
            assert text and translate(text, "ko") != text, (r.id, which)


def test_every_program_rule_cites_a_section_of_an_existing_seed() -> None:
    from grants_helpers import program

    from oscheck.policy.grants import grant_programs
    from oscheck.policy.load import load_policy

    # The announcements are kept in policies/sources/ (public works, see its README); the
    # one protected source (a law firm's newsletter) is checked only where the shared seeds are.
    in_repo = ROOT / "policies" / "sources"
    shared = ROOT.parent.parent / "shared" / "seeds"
    checked = 0
    for p in grant_programs(load_policy()):
        assert p.source.startswith("seeds/")
        name = p.source.removeprefix("seeds/")
        path = in_repo / name if (in_repo / name).is_file() else shared / name
        if not name.endswith("-news.txt"):
            assert (in_repo / name).is_file(), f"{name}: copy the announcement into policies/sources/"
        if path.is_file():
            checked += 1
            text = path.read_text(encoding="utf-8")
            for d in (*p.eligibility, *p.obligations):
                # quotes are verbatim from the source text (whitespace aside)
                if d.source.quote:
                    assert _squash(d.source.quote.replace("…", "")) in _squash(text) or all(
                        _squash(part) in _squash(text) for part in d.source.quote.split("…") if part.strip()
                    ), (p.id, d.id)
        assert program(p.id) is p
    assert checked >= 5  # both NIPA program files, GPU, KETI and KOSMES


def _squash(text: str) -> str:
    # whitespace, markdown escapes and bold markers of the seed files aside
    return "".join(text.replace("\\", "").replace("**", "").split())
