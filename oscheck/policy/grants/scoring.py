"""Selection: stage scores, final score, ranking with tie-breaks, thresholds and quotas.

All arithmetic is ``decimal.Decimal``; nothing is a float. A stage score is the mean of the
evaluators' totals — with ``aggregate: trimmed-mean`` after dropping the one highest and
the one lowest total (GPU program: "최고 및 최저 점수에 해당하는 각 1인의 점수를 제외") — rounded
half-up to the program's places ("소수점 셋째자리에서 반올림"). The final score is the
weighted sum of the rounded stage scores (regional program: written 40% + in-person 60%),
rounded again. Equal final scores are ordered by the program's tie-breaks: the summed item
scores of the evaluators that counted, in the program's order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from oscheck.i18n import LocalizedText, translate
from oscheck.policy.grants.program import ScoringDef, SelectionDef, StageDef

__all__ = ["Ranked", "ScoreRow", "StageScore", "rank_track", "round_half_up", "stage_score", "trimmed"]


@dataclass(frozen=True)
class ScoreRow:
    """One evaluator's score for one item of one application (a line of SCORES.csv)."""

    application: str
    evaluator: str
    item: str  # the item's id
    value: Decimal
    stage: str


def lt(msgid: str, **params: object) -> LocalizedText:
    """Like ``i18n.lt``, but a ``LocalizedText`` parameter is filled in each language's own words."""

    def fill(lang: str) -> str:
        values = {k: (v.get(lang) if isinstance(v, LocalizedText) else v) for k, v in params.items()}
        return translate(msgid, lang, **values)

    return LocalizedText(en=fill("en"), ko=fill("ko"))


def round_half_up(value: Decimal, places: int) -> Decimal:
    """``Decimal`` rounded half-up: 70.125 -> 70.13 (not banker's rounding, not binary floats)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _mean(values: Sequence[Decimal]) -> Decimal:
    # 60 significant digits: a mean of a few decimal scores is either exact or has a
    # repeating expansion that cannot sit on a rounding half, so rounding it later is exact.
    with localcontext() as ctx:
        ctx.prec = 60
        return sum(values, Decimal(0)) / len(values)


def trimmed(totals: Mapping[str, Decimal]) -> tuple[list[str], str, str]:
    """The evaluators that count, and the dropped lowest and highest.

    Among equal totals the one with the smallest evaluator id is dropped (the mean is the
    same either way; the choice only matters for tie-break item sums, so it is fixed).
    """
    order = sorted(totals, key=lambda e: (totals[e], e))
    low = order[0]
    high = sorted(totals, key=lambda e: (-totals[e], e))[0]
    if high == low:  # every total equal: drop the two smallest ids
        high = order[1]
    return [e for e in order if e not in (low, high)], low, high


@dataclass(frozen=True)
class StageScore:
    stage: str
    score: Decimal | None  # rounded; None when it cannot be computed (see ``problem``)
    counted: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # (lowest, highest) under a trimmed mean
    item_sums: Mapping[str, Decimal] = field(default_factory=dict)  # over the counted evaluators
    problem: LocalizedText | None = None
    evaluators: int = 0  # evaluators with scores in this stage (0: the stage was not held)


def stage_score(stage: StageDef, rows: Iterable[ScoreRow], places: int) -> StageScore:
    """The score of one application in one stage."""
    by_eval: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for r in rows:
        by_eval[r.evaluator][r.item] = r.value
    if not by_eval:
        return StageScore(stage.id, None, problem=lt("{stage}: not scored", stage=stage.name.localized()))
    items = [i.id for i in stage.items]
    for evaluator, scores in sorted(by_eval.items()):
        missing = [i for i in items if i not in scores]
        if missing:
            return StageScore(
                stage.id,
                None,
                problem=lt(
                    "{stage}: evaluator {evaluator} gave no score for {items}",
                    stage=stage.name.localized(),
                    evaluator=evaluator,
                    items=", ".join(missing),
                ),
                evaluators=len(by_eval),
            )
    n = len(by_eval)
    totals = {e: sum(s.values(), Decimal(0)) for e, s in by_eval.items()}
    dropped: tuple[str, ...] = ()
    counted = sorted(totals)
    if stage.aggregate == "trimmed-mean":
        if len(totals) < 3:
            return StageScore(
                stage.id,
                None,
                problem=lt(
                    "{stage}: {n} evaluators; dropping the highest and the lowest needs at least 3",
                    stage=stage.name.localized(),
                    n=len(totals),
                ),
                evaluators=n,
            )
        counted, low, high = trimmed(totals)
        dropped = (low, high)
    score = round_half_up(_mean([totals[e] for e in counted]), places)
    sums = {i: sum((by_eval[e][i] for e in counted), Decimal(0)) for i in items}
    return StageScore(stage.id, score, tuple(counted), dropped, sums, evaluators=n)


@dataclass(frozen=True)
class Ranked:
    """One application's result: the JSON of ``oscheck registry score`` is made of these."""

    application: str
    track: str | None
    score: Decimal | None
    rank: int | None
    selected: bool
    reasons: tuple[LocalizedText, ...]
    stages: tuple[StageScore, ...]
    sector: str | None = None  # private | public, where the program has a sector quota
    tie_keys: tuple[Decimal, ...] = ()


@dataclass
class _Work:
    application: str
    stages: list[StageScore]
    score: Decimal | None
    gates_ok: bool
    reasons: list[LocalizedText]
    tie_keys: tuple[Decimal, ...]
    sector: str | None
    rank: int | None = None
    selected: bool = False


def _final(scoring: ScoringDef, stages: Mapping[str, StageScore]) -> tuple[Decimal | None, bool, list[LocalizedText]]:
    reasons: list[LocalizedText] = []
    gates_ok = True
    for s in scoring.stages:
        st = stages[s.id]
        if st.score is None:
            if s.optional and st.evaluators == 0:
                continue  # a stage the source allows to skip, and it was skipped
            reasons.append(st.problem or lt("{stage}: not scored", stage=s.name.localized()))
            if s.id not in scoring.final:
                gates_ok = False  # a pass/fail stage still to be held (or unusable)
            continue
        if s.id in scoring.final:
            reasons.append(lt("{stage}: {score}", stage=s.name.localized(), score=st.score))
        if s.threshold is not None and st.score < s.threshold:
            reasons.append(
                lt(
                    "{stage}: {score} is below the pass mark {threshold}",
                    stage=s.name.localized(),
                    score=st.score,
                    threshold=s.threshold,
                )
            )
            gates_ok = False
    weighted = [(stages[sid].score, w) for sid, w in scoring.final.items()]
    if any(score is None for score, _w in weighted):
        return None, gates_ok, reasons
    with localcontext() as ctx:
        ctx.prec = 60
        total = sum((score * w for score, w in weighted if score is not None), Decimal(0))
    return round_half_up(total, scoring.places), gates_ok, reasons


def rank_track(
    scoring: ScoringDef,
    selection: SelectionDef | None,
    track: str | None,
    rows: Iterable[ScoreRow],
    sectors: Mapping[str, str] | None = None,
    slots: int | None = None,
) -> list[Ranked]:
    """Rank and select the applications of one track from their score rows.

    ``sectors`` maps an application to ``private``/``public`` (for the sector quota);
    ``slots`` overrides the program's number of projects to select.
    """
    grouped: dict[str, dict[str, list[ScoreRow]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        grouped[r.application][r.stage].append(r)
    work: list[_Work] = []
    for app in sorted(grouped):
        stages = {s.id: stage_score(s, grouped[app].get(s.id, ()), scoring.places) for s in scoring.stages}
        score, gates_ok, reasons = _final(scoring, stages)
        keys = tuple(
            sum((stages[tb.stage].item_sums.get(i, Decimal(0)) for i in tb.items), Decimal(0))
            for tb in scoring.tie_break
        )
        work.append(_Work(app, list(stages.values()), score, gates_ok, reasons, keys, (sectors or {}).get(app)))

    scored = sorted(
        (w for w in work if w.score is not None),
        key=lambda w: (-(w.score or 0), *(-k for k in w.tie_keys), w.application),
    )
    _assign_ranks(scoring, scored)
    _select(scoring, selection, scored, slots)
    order = scored + sorted((w for w in work if w.score is None), key=lambda w: w.application)
    return [
        Ranked(
            w.application, track, w.score, w.rank, w.selected, tuple(w.reasons), tuple(w.stages), w.sector, w.tie_keys
        )
        for w in order
    ]


def _assign_ranks(scoring: ScoringDef, scored: list[_Work]) -> None:
    """Competition ranking (1, 2, 2, 4): equal score and equal tie-break sums share a rank."""
    for i, w in enumerate(scored):
        prev = scored[i - 1] if i else None
        if prev is not None and (prev.score, prev.tie_keys) == (w.score, w.tie_keys):
            w.rank = prev.rank
            w.reasons.append(
                lt(
                    "Tied with {other}; the program's tie-breaks do not separate them: the committee decides",
                    other=prev.application,
                )
            )
            prev.reasons.append(
                lt(
                    "Tied with {other}; the program's tie-breaks do not separate them: the committee decides",
                    other=w.application,
                )
            )
        else:
            w.rank = i + 1
        if prev is not None and prev.score == w.score and prev.tie_keys != w.tie_keys:
            k = next(j for j, (a, b) in enumerate(zip(prev.tie_keys, w.tie_keys, strict=True)) if a != b)
            tb = scoring.tie_break[k]
            text = dict(
                criterion=tb.name.localized(),
                n=k + 1,
                above=prev.application,
                below=w.application,
                a=prev.tie_keys[k],
                b=w.tie_keys[k],
            )
            msg = lt("Equal score: {above} ranks above {below} on tie-break {n}, {criterion} ({a} vs {b})", **text)
            prev.reasons.append(msg)
            w.reasons.append(msg)


def _groups(ws: Sequence[_Work]) -> list[list[_Work]]:
    out: list[list[_Work]] = []
    for w in ws:
        if out and out[-1][0].rank == w.rank:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _select(scoring: ScoringDef, selection: SelectionDef | None, scored: list[_Work], slots: int | None) -> None:
    n_slots = slots if slots is not None else (selection.slots if selection else None)
    quota = selection.sector_quota if selection else None
    candidates = []
    for w in scored:
        if not w.gates_ok:
            continue
        if scoring.threshold is not None and w.score is not None and w.score < scoring.threshold:
            w.reasons.append(lt("Below the threshold {threshold}", threshold=scoring.threshold))
            continue
        candidates.append(w)

    public_cap: int | None = None
    if quota is not None:
        private_n = sum(1 for w in candidates if w.sector == "private")
        public_cap = _public_cap(quota.private_min_share, n_slots, private_n)

    remaining = n_slots
    waitlist: list[_Work] = []
    blocked = tie_at_cut = False
    public_count = 0
    for group in _groups(candidates):
        takers: list[_Work] = []
        for w in group:
            if blocked:
                w.reasons.append(lt("Not selected: no place left (rank {rank})", rank=w.rank))
            elif (
                public_cap is not None
                and w.sector != "private"
                and public_count + len([t for t in takers if t.sector != "private"]) >= public_cap
            ):
                waitlist.append(w)
            else:
                takers.append(w)
        if blocked or not takers:
            continue
        if remaining is not None and len(takers) > remaining:
            for w in takers:
                w.reasons.append(
                    lt("Not selected: a tie at the last place ({places} left); the committee decides", places=remaining)
                )
            blocked = tie_at_cut = True
            continue
        for w in takers:
            w.selected = True
            if quota is not None and w.sector != "private":
                public_count += 1
            w.reasons.append(_selected_reason(w, n_slots, scoring))
        if remaining is not None:
            remaining -= len(takers)
            if remaining == 0:
                blocked = True

    if quota is None or not waitlist:
        return
    share = f"{(1 - quota.private_min_share) * 100:.0f}%"
    if quota.relax_if_short and remaining is not None and remaining > 0 and not tie_at_cut:
        for group in _groups(waitlist):
            if remaining == 0:
                for w in group:
                    w.reasons.append(
                        lt("Not selected: public projects must stay under {share} of those selected", share=share)
                    )
                continue
            if len(group) > remaining:
                for w in group:
                    w.reasons.append(
                        lt(
                            "Not selected: a tie at the last place ({places} left); the committee decides",
                            places=remaining,
                        )
                    )
                remaining = 0
                continue
            for w in group:
                w.selected = True
                w.reasons.append(
                    lt(
                        "Selected after relaxing the private/public ratio: too few private projects reached the threshold (rank {rank})",
                        rank=w.rank,
                    )
                )
            remaining -= len(group)
        return
    for w in waitlist:
        w.reasons.append(lt("Not selected: public projects must stay under {share} of those selected", share=share))


def _public_cap(private_min_share: Decimal, slots: int | None, private_n: int) -> int:
    """Most public projects allowed so that public < (1 - share) of those selected.

    With a known number of places, of those places (5 places, 50%: 2); without one, of the
    selection every qualifying private project makes with them (public < private at 50%).
    """
    public_share = 1 - private_min_share
    if private_min_share <= 0:
        return slots if slots is not None else 1 << 30
    cap = 0
    if slots is not None:
        while cap + 1 < slots * public_share:
            cap += 1
        return cap
    # public / (private + public) < 1 - s  <=>  public * s < private * (1 - s)
    while (cap + 1) * private_min_share < private_n * public_share:
        cap += 1
    return cap


def _selected_reason(w: _Work, n_slots: int | None, scoring: ScoringDef) -> LocalizedText:
    if n_slots is not None:
        return lt("Selected: rank {rank} of {slots} places", rank=w.rank, slots=n_slots)
    if scoring.threshold is not None:
        return lt(
            "Selected: rank {rank}, at or above the threshold {threshold}", rank=w.rank, threshold=scoring.threshold
        )
    return lt("Selected: rank {rank}", rank=w.rank)
