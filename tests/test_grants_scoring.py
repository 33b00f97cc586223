"""Selection: properties (hypothesis) of the scoring rules, and the edges of the sources.

The oracle for the GPU program's score is written independently with ``fractions``:
drop the single highest and lowest evaluator totals, average the rest, round half-up.
"""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from fractions import Fraction
from math import floor

from grants_helpers import program
from hypothesis import given, settings
from hypothesis import strategies as st

from oscheck.policy.grants import ScoreRow, convert_cards, h100_equivalent, rank_track, round_half_up, self_payment
from oscheck.policy.grants import model as gm
from oscheck.policy.grants.program import ScoringDef, SelectionDef, TrackDef

GPU_ITEMS = ("goal", "capability", "resources", "outcomes")
GPU_MAX = {"goal": 30, "capability": 15, "resources": 25, "outcomes": 30}


def track(program_id: str, track_id: str) -> tuple[ScoringDef, SelectionDef | None]:
    t: TrackDef = program(program_id).track(track_id)
    assert t.scoring is not None
    return t.scoring, t.selection


def rows_for(
    app: str, per_evaluator: list[tuple[Decimal, ...]], stage: str = "written", items: tuple[str, ...] = GPU_ITEMS
) -> list[ScoreRow]:
    return [
        ScoreRow(app, f"E{e}", item, value, stage)
        for e, scores in enumerate(per_evaluator, start=1)
        for item, value in zip(items, scores, strict=True)
    ]


def oracle(totals: list[Decimal]) -> Decimal:
    kept = sorted(Fraction(t) for t in totals)[1:-1]
    mean = sum(kept, Fraction(0)) / len(kept)
    return Decimal(floor(mean * 100 + Fraction(1, 2))) / 100


scores = st.decimals(min_value=0, max_value=15, places=2, allow_nan=False, allow_infinity=False)
evaluator = st.tuples(scores, scores, scores, scores)


@settings(max_examples=300, deadline=None)
@given(st.lists(evaluator, min_size=3, max_size=9))
def test_trimmed_mean_matches_an_independent_oracle(evals: list[tuple[Decimal, ...]]) -> None:
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    [r] = rank_track(scoring, selection, "track-1", rows_for("a", evals))
    assert r.score == oracle([sum(e, Decimal(0)) for e in evals])
    assert r.score is not None and r.score.as_tuple().exponent == -2  # always 2 decimals
    totals = sorted(sum(e, Decimal(0)) for e in evals)
    assert totals[1] - Decimal("0.005") <= r.score <= totals[-2] + Decimal("0.005")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(evaluator, min_size=3, max_size=7), min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_row_order(apps: list[list[tuple[Decimal, ...]]], rnd: random.Random) -> None:
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    rows = [row for i, evals in enumerate(apps) for row in rows_for(f"app-{i}", evals)]
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    first = rank_track(scoring, selection, "track-1", rows)
    again = rank_track(scoring, selection, "track-1", shuffled)
    assert [(r.application, r.score, r.rank, r.selected) for r in first] == [
        (r.application, r.score, r.rank, r.selected) for r in again
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(evaluator, min_size=3, max_size=5), st.sampled_from(["private", "public"])),
        min_size=1,
        max_size=10,
    ),
    st.one_of(st.none(), st.integers(min_value=1, max_value=6)),
)
def test_selection_invariants_with_the_private_quota(
    apps: list[tuple[list[tuple[Decimal, ...]], str]], slots: int | None
) -> None:
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    rows, sectors = [], {}
    for i, (evals, sector) in enumerate(apps):
        # scale to 0–100 so that some pass the threshold of 70
        rows += rows_for(
            f"app-{i}", [tuple(v * GPU_MAX[it] / 15 for v, it in zip(e, GPU_ITEMS, strict=True)) for e in evals]
        )
        sectors[f"app-{i}"] = sector
    ranked = rank_track(scoring, selection, "track-1", rows, sectors, slots)
    chosen = [r for r in ranked if r.selected]
    assert all(r.score is not None and r.score >= 70 for r in chosen)
    if slots is not None:
        assert len(chosen) <= slots
    public = [r for r in chosen if r.sector == "public"]
    relaxed = any("relaxing" in x.en for r in chosen for x in r.reasons)
    if chosen and not relaxed:
        assert len(public) * 2 < len(chosen)  # public < 50% of those selected
    scored = [r for r in ranked if r.score is not None]
    for a, b in itertools.pairwise(scored):
        assert (a.score or 0) >= (b.score or 0) and (a.rank or 0) <= (b.rank or 0)
    # a passing private project is never left out while a public one is in
    if slots is None:
        assert all(r.selected for r in ranked if r.sector == "private" and r.score is not None and r.score >= 70)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2), st.decimals(min_value=0, max_value=100, places=2))
def test_written_40_in_person_60(written: Decimal, in_person: Decimal) -> None:
    scoring, selection = track("kosmes-regional-ax-2026", "regional")
    items = tuple(i.id for i in scoring.stages[0].items)
    maxes = [i.max for i in scoring.stages[0].items]

    def spread(total: Decimal) -> tuple[Decimal, ...]:
        # the same total split over the items in proportion to their maximum (exact: max sum is 100)
        parts = [total * m / 100 for m in maxes]
        return tuple(parts)

    rows = rows_for("busan", [spread(written)] * 3, "written", items) + rows_for(
        "busan", [spread(in_person)] * 3, "in-person", items
    )
    [r] = rank_track(scoring, selection, "regional", rows)
    expected = round_half_up(
        round_half_up(written, 2) * Decimal("0.4") + round_half_up(in_person, 2) * Decimal("0.6"), 2
    )
    assert r.score == expected
    assert min(written, in_person) - Decimal("0.01") <= (r.score or 0) <= max(written, in_person) + Decimal("0.01")


@given(st.integers(min_value=1, max_value=64), st.integers(min_value=1, max_value=9))
def test_gpu_conversion_and_self_payment_agree(h100: int, months: int) -> None:
    p = program("nipa-gpu-rental-2025")
    assert p.gpu is not None
    assert convert_cards(p.gpu, Decimal(h100), "A100") == 4 * h100
    assert convert_cards(p.gpu, Decimal(h100), "H200") == h100
    assert h100_equivalent(p.gpu, "A100", 4 * h100) == h100
    company = gm.Organisation("c", "C", gm.OrgKind.COMPANY, gm.OrgSize.SME)
    # paying for 4 A100 costs what 1 H100 costs, at both rates
    assert (
        self_payment(p, company, "A100", 4 * h100, months).total == self_payment(p, company, "H100", h100, months).total
    )
    young = gm.Organisation(
        "y", "Y", gm.OrgKind.COMPANY, gm.OrgSize.SME, representatives=(gm.Person("p", gm_date(1995)),)
    )
    assert (
        self_payment(p, young, "H100", h100, months).total * 2 == self_payment(p, company, "H100", h100, months).total
    )


def gm_date(year: int):  # type: ignore[no-untyped-def]
    from datetime import date

    return date(year, 1, 1)


# --- the edges -------------------------------------------------------------------------------------


def test_half_up_rounding_at_x_xx5() -> None:
    assert round_half_up(Decimal("70.125"), 2) == Decimal("70.13")  # banker's rounding would give 70.12
    assert round_half_up(Decimal("70.124999"), 2) == Decimal("70.12")
    assert round_half_up(Decimal("89.995"), 2) == Decimal("90.00")
    # a trimmed mean that lands exactly on .xx5: kept totals 70.10, 70.15, 70.125 -> 70.125 -> 70.13
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    totals = [Decimal("60"), Decimal("70.10"), Decimal("70.15"), Decimal("70.125"), Decimal("95")]
    evals = [(t - 60, Decimal(15), Decimal(25), Decimal(20)) for t in totals]
    [r] = rank_track(scoring, selection, "track-1", rows_for("a", evals))
    assert r.score == Decimal("70.13")


def test_ties_broken_at_the_third_criterion_over_counted_evaluators_only() -> None:
    """Equal score, equal 사업추진 목표 and 성과 확보 계획 sums: 자원 활용 계획 decides.

    The dropped evaluators would reverse the order if they were counted.
    """
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    D = Decimal
    # items: goal, capability, resources, outcomes
    a = [
        (D(20), D(10), D(20), D(20)),
        (D(20), D(10), D(20), D(20)),
        (D(20), D(11), D(19), D(20)),
        (D(30), D(15), D(0), D(30)),
        (D(0), D(0), D(0), D(0)),
    ]
    b = [
        (D(20), D(11), D(19), D(20)),
        (D(20), D(11), D(19), D(20)),
        (D(20), D(10), D(20), D(20)),
        (D(30), D(15), D(25), D(30)),
        (D(0), D(0), D(10), D(0)),
    ]
    # counting every evaluator, B would win on 자원 활용 계획 (93 vs 59)
    assert sum(e[2] for e in b) > sum(e[2] for e in a)
    ranked = rank_track(scoring, selection, "track-1", rows_for("A", a) + rows_for("B", b))
    by = {r.application: r for r in ranked}
    assert by["A"].score == by["B"].score == Decimal("70.00")
    assert by["A"].tie_keys[:2] == by["B"].tie_keys[:2]
    assert by["A"].tie_keys[2] == 59 and by["B"].tie_keys[2] == 58
    assert [r.application for r in ranked] == ["A", "B"] and (by["A"].rank, by["B"].rank) == (1, 2)
    reason = next(x for x in by["B"].reasons if "tie-break" in x.en)
    assert "tie-break 3" in reason.en and "resource utilisation plan" in reason.en and "자원 활용 계획" in reason.ko


def test_full_tie_shares_the_rank_and_the_committee_decides_at_the_cut() -> None:
    scoring, selection = track("kosmes-regional-ax-2026", "regional")
    items = tuple(i.id for i in scoring.stages[0].items)
    maxes = [i.max for i in scoring.stages[0].items]

    def rows(app: str, total: int) -> list[ScoreRow]:
        split = tuple(Decimal(total) * m / 100 for m in maxes)
        return rows_for(app, [split] * 9, "written", items) + rows_for(app, [split] * 9, "in-person", items)

    ranked = rank_track(scoring, selection, "regional", rows("busan", 90) + rows("incheon", 80) + rows("daejeon", 80))
    assert [(r.application, r.rank, r.selected) for r in ranked] == [
        ("busan", 1, True),
        ("daejeon", 2, False),
        ("incheon", 2, False),
    ]
    assert any("tie at the last place" in x.en for x in ranked[1].reasons)


def test_private_quota_with_places_and_its_relaxation() -> None:
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    D = Decimal

    def app(total: int) -> list[tuple[Decimal, ...]]:
        return [(D(total) * D("0.3"), D(total) * D("0.15"), D(total) * D("0.25"), D(total) * D("0.3"))] * 5

    scores_ = {"pub1": 95, "pub2": 94, "pub3": 93, "priv1": 90, "priv2": 85, "priv3": 60}
    rows = [row for a, t in scores_.items() for row in rows_for(a, app(t))]
    sectors = {a: ("public" if a.startswith("pub") else "private") for a in scores_}
    ranked = {r.application: r for r in rank_track(scoring, selection, "track-1", rows, sectors, slots=4)}
    # 4 places: public < 50% -> at most 1 public; only 2 private reach 70 -> the 4th place relaxes the ratio
    assert {a for a, r in ranked.items() if r.selected} == {"pub1", "priv1", "priv2", "pub2"}
    assert any("relaxing" in x.en for x in ranked["pub2"].reasons)
    assert any("under 50%" in x.en for x in ranked["pub3"].reasons)
    assert any("Below the threshold" in x.en for x in ranked["priv3"].reasons)
    # without a number of places: every passing private project, and public ones stay under half
    free = {r.application: r for r in rank_track(scoring, selection, "track-1", rows, sectors)}
    assert {a for a, r in free.items() if r.selected} == {"pub1", "priv1", "priv2"}


def test_gates_site_visit_pass_mark_and_missing_stage() -> None:
    scoring, selection = track("keti-ax-mini-2026", "demand")
    written, visit = scoring.stages
    w_items, v_items = tuple(i.id for i in written.items), tuple(i.id for i in visit.items)

    def split(stage_items: tuple[str, ...], maxes: list[Decimal], total: int) -> tuple[Decimal, ...]:
        return tuple(Decimal(total) * m / 100 for m in maxes)

    wm, vm = [i.max for i in written.items], [i.max for i in visit.items]
    rows = (
        rows_for("a", [split(w_items, wm, 80)] * 5, "written", w_items)
        + rows_for("a", [split(v_items, vm, 75)] * 5, "site-visit", v_items)
        + rows_for("b", [split(w_items, wm, 90)] * 5, "written", w_items)
        + rows_for("b", [split(v_items, vm, 65)] * 5, "site-visit", v_items)
        + rows_for("c", [split(w_items, wm, 85)] * 5, "written", w_items)
    )
    ranked = {r.application: r for r in rank_track(scoring, selection, "demand", rows)}
    assert ranked["a"].selected and not ranked["b"].selected and not ranked["c"].selected
    assert ranked["b"].score == Decimal("90.00")  # ranked by the written score …
    assert any("below the pass mark" in x.en for x in ranked["b"].reasons)  # … but the site visit is a gate
    assert any("not scored" in x.en for x in ranked["c"].reasons)


def test_optional_written_stage_may_be_skipped_in_track_2() -> None:
    scoring, selection = track("nipa-gpu-rental-2025", "track-2")
    D = Decimal
    rows = rows_for("srv", [(D(25), D(12), D(20), D(25))] * 5, "presentation")
    [r] = rank_track(scoring, selection, "track-2", rows)
    assert r.score == Decimal("82.00") and r.selected


def test_trimmed_mean_needs_three_evaluators() -> None:
    scoring, selection = track("nipa-gpu-rental-2025", "track-1")
    D = Decimal
    [r] = rank_track(scoring, selection, "track-1", rows_for("a", [(D(20), D(10), D(20), D(20))] * 2))
    assert r.score is None and r.rank is None and not r.selected
    assert any("at least 3" in x.en for x in r.reasons)
