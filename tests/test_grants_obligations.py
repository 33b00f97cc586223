"""Obligations: dates from the program formulas, and statuses as of a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from grants_helpers import program
from hypothesis import given
from hypothesis import strategies as st

from oscheck.policy.grants import Agreement, ObligationStatus, obligation_status, plan_obligations
from oscheck.policy.grants.program import add_months, parse_formula, resolve_date


def plan(program_id: str, track: str | None, start: date, end: date) -> dict[tuple[str, int], object]:
    p = program(program_id)
    return {(o.obligation, o.seq): o for o in plan_obligations(p, Agreement("a", program_id, track, start, end))}


def test_end_plus_one_month_is_calendar_months_clamped() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert resolve_date("end + 150 days", {"end": date(2026, 12, 31)}) == date(2027, 5, 30)
    with pytest.raises(ValueError, match="must start with"):
        parse_formula("tomorrow")
    with pytest.raises(ValueError, match="cannot read"):
        parse_formula("end + 1 fortnight")


def test_gpu_track_1_and_track_2_obligations() -> None:
    t1 = plan("nipa-gpu-rental-2025", "track-1", date(2025, 10, 1), date(2026, 3, 31))
    assert t1[("result-report", 1)].due_on == date(2026, 4, 30)  # within 1 month of the end
    assert t1[("result-report", 1)].opens_on == date(2026, 3, 31)
    assert [t1[("performance-report", i)].due_on for i in (1, 2)] == [date(2026, 4, 30), date(2027, 3, 31)]
    assert ("performance-report", 3) not in t1
    assert t1[("self-payment-deposit", 1)].due_on == date(2025, 10, 1)
    assert t1[("survey", 1)].due_on == date(2027, 3, 31) and t1[("survey", 1)].provisional
    t2 = plan("nipa-gpu-rental-2025", "track-2", date(2025, 10, 1), date(2026, 3, 31))
    assert [t2[("performance-report", i)].due_on for i in (1, 2, 3)] == [
        date(2026, 4, 30),
        date(2027, 3, 31),
        date(2028, 3, 31),
    ]


def test_nipa_use_track_obligations() -> None:
    ob = plan("nipa-oss-ai-use-2026", "use", date(2026, 5, 8), date(2026, 12, 31))
    ins = ob[("guarantee-insurance", 1)]
    assert ins.due_on == date(2026, 5, 8) and ins.covers_until == date(2027, 5, 30)  # end + 150 days
    assert ob[("mid-term-check", 1)].due_on == date(2026, 9, 3) and ob[("mid-term-check", 1)].opens_on == date(
        2026, 5, 8
    )
    assert ob[("accredited-test-report", 1)].due_on == date(2026, 12, 31)
    assert ob[("open-source-list", 1)].rule_id == "OBL010"
    assert ("publication", 1) not in ob  # the development track's duty
    assert [ob[("follow-up-survey", i)].due_on.year for i in range(1, 6)] == [2027, 2028, 2029, 2030, 2031]
    assert ("follow-up-survey", 6) not in ob
    dev = plan("nipa-oss-ai-dev-2026", "dev", date(2026, 5, 8), date(2026, 12, 31))
    assert ("publication", 1) in dev and ("open-source-list", 1) not in dev


def test_monthly_gpu_usage_for_national_projects_does_not_drift() -> None:
    ob = plan("msit-national-ai-projects-2026", "gpu-allocation", date(2026, 1, 31), date(2026, 6, 30))
    dues = [o.due_on for (k, _s), o in sorted(ob.items(), key=lambda kv: kv[0][1]) if k == "gpu-usage-monthly"]
    assert dues == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 30)]


def test_every_program_plans_its_obligations_with_sources() -> None:
    from oscheck.policy.grants import grant_programs
    from oscheck.policy.load import load_policy

    for p in grant_programs(load_policy()):
        for t in p.tracks:
            planned = plan_obligations(p, Agreement("a", p.id, t.id, date(2026, 4, 15), date(2027, 12, 31)))
            assert planned, (p.id, t.id)
            for o in planned:
                assert o.opens_on <= o.due_on and o.source.startswith("seeds/"), o


@pytest.mark.parametrize(
    ("today", "completed", "expected"),
    [
        (date(2026, 3, 31), None, ObligationStatus.UPCOMING),
        (date(2026, 4, 1), None, ObligationStatus.DUE),
        (date(2026, 4, 30), None, ObligationStatus.DUE),  # the due day itself
        (date(2026, 5, 1), None, ObligationStatus.OVERDUE),
        (date(2026, 5, 1), date(2026, 4, 20), ObligationStatus.DONE),
    ],
)
def test_status(today: date, completed: date | None, expected: ObligationStatus) -> None:
    assert obligation_status(date(2026, 4, 1), date(2026, 4, 30), completed, today) is expected


@given(st.dates(), st.integers(min_value=0, max_value=400), st.dates())
def test_status_moves_forward_only(opens: date, span: int, today: date) -> None:
    due = opens + timedelta(days=span)
    order = [ObligationStatus.UPCOMING, ObligationStatus.DUE, ObligationStatus.OVERDUE]
    now = obligation_status(opens, due, None, today)
    if today < date.max:
        later = obligation_status(opens, due, None, today + timedelta(days=1))
        assert order.index(later) >= order.index(now)
