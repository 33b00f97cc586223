"""A grant program as typed data: ``policies/programs/<id>.yaml`` beyond its ``scan:`` tables.

The scan engine reads only ``tracks[].scan`` (``policy/programs.py``); the registry reads
the rest, validated here once per policy set (``PolicySet.memo``). Every eligibility rule,
scoring table and obligation carries the source text it comes from (``source:``: seed file
and section, with a verbatim quote where one helps a reviewer).

Dates in obligation formulas are written ``ANCHOR [± N UNIT]…``: anchors ``start``,
``end`` (of the agreement), ``midpoint``, ``year-end`` (31 December of the start year),
``announced``, ``deadline``; units ``day(s)``, ``month(s)``, ``year(s)``. ``end + 1 month``
of 31 January is 28/29 February (calendar months, clamped).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from oscheck.errors import PolicyError
from oscheck.i18n import LocalizedText, _
from oscheck.policy.load import PolicySet
from oscheck.policy.programs import program_ids

__all__ = [
    "CallDef",
    "EligibilityDef",
    "GpuDef",
    "GrantProgram",
    "ItemDef",
    "ObligationDef",
    "ScoringDef",
    "SectorQuota",
    "SelectionDef",
    "SourceRef",
    "StageDef",
    "TieBreakDef",
    "TrackDef",
    "add_months",
    "grant_program",
    "grant_programs",
    "resolve_date",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    ko: str
    en: str = ""

    def localized(self) -> LocalizedText:
        return LocalizedText(en=self.en or self.ko, ko=self.ko)


class SourceRef(_Strict):
    """Where a rule comes from: the seed file (the program's own by default) and section."""

    file: str | None = None
    section: str
    quote: str = ""

    def cite(self, default_file: str) -> str:
        return f"{self.file or default_file} — {self.section}"


class CallDef(_Strict):
    id: str  # programs sharing a call id form one call (one project per organisation across them)
    announced: date  # 공고일: the "call date" (youth company, sites "on the call date")
    deadline: date  # 접수마감일
    source: SourceRef


class EligibilityDef(_Strict):
    id: str  # unique within the program
    rule: str  # ELG…: the generic check (oscheck/policy/grants/catalog.py)
    tracks: tuple[str, ...] | None = None  # None: every track
    params: Mapping[str, Any] = Field(default_factory=dict)
    text: Text  # the requirement in the source's words (ko) and in English
    source: SourceRef


class ItemDef(_Strict):
    id: str
    ko: str  # as written in the source text: `item` of SCORES.csv may be this or `id`
    en: str
    max: Decimal


class StageDef(_Strict):
    id: str
    name: Text
    items: tuple[ItemDef, ...]
    aggregate: Literal["trimmed-mean", "mean"] = "mean"
    threshold: Decimal | None = None  # a gate: the stage score must reach it
    optional: bool = False  # the source allows skipping this stage
    source: SourceRef

    @property
    def max_total(self) -> Decimal:
        return sum((i.max for i in self.items), Decimal(0))


class TieBreakDef(_Strict):
    """Higher sum of these items' scores (of the counted evaluators) ranks first."""

    id: str
    stage: str
    items: tuple[str, ...]
    name: Text


class ScoringDef(_Strict):
    stages: tuple[StageDef, ...]
    final: Mapping[str, Decimal]  # stage id -> weight; the final score is the weighted sum
    places: int = 2
    threshold: Decimal | None = None  # the final score must reach it
    tie_break: tuple[TieBreakDef, ...] = ()
    source: SourceRef

    @model_validator(mode="after")
    def _check(self) -> ScoringDef:
        ids = {s.id for s in self.stages}
        if not self.final or not set(self.final) <= ids:
            raise ValueError(f"'final' must weight stages among {sorted(ids)}")
        for tb in self.tie_break:
            stage = next((s for s in self.stages if s.id == tb.stage), None)
            if stage is None or not set(tb.items) <= {i.id for i in stage.items}:
                raise ValueError(f"tie-break '{tb.id}' names an unknown stage or item")
        return self

    def stage(self, stage_id: str) -> StageDef:
        return next(s for s in self.stages if s.id == stage_id)


class SectorQuota(_Strict):
    """GPU track 1: private projects ≥ ``private_min_share`` of those selected."""

    private_kinds: tuple[str, ...]
    private_min_share: Decimal
    relax_if_short: bool = True
    source: SourceRef


class SelectionDef(_Strict):
    slots: int | None = None  # projects to select; None: as many as the budget allows (give --slots)
    sector_quota: SectorQuota | None = None
    source: SourceRef


class TrackDef(BaseModel):
    # The scan engine owns ``scan``/``commercial``; extra keys are allowed for its sake.
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    name: Text
    scoring: ScoringDef | None = None
    selection: SelectionDef | None = None


class ObligationDef(_Strict):
    id: str
    rule: str  # OBL…
    tracks: tuple[str, ...] | None = None
    name: Text
    due: tuple[str, ...] = ()  # one due date per occurrence
    every: str | None = None  # or a series: first due `from_`, then every `every`
    from_: str | None = Field(default=None, alias="from")
    until: str | None = None
    count: int | None = None
    opens: str | None = None  # when it can be done; default: 30 days before each due date
    covers_until: str | None = None  # an insurance's coverage end
    provisional: bool = False  # the source leaves the exact date to the agency ("별도 지정일")
    source: SourceRef

    @field_validator("due", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> ObligationDef:
        if bool(self.due) == bool(self.every):
            raise ValueError("give either 'due' or 'every' (with 'from' and 'until' or 'count')")
        if self.every and (self.from_ is None or (self.until is None and self.count is None)):
            raise ValueError("a series needs 'from' and 'until' or 'count'")
        for formula in (*self.due, self.from_, self.until, self.opens, self.covers_until):
            if formula is not None:
                parse_formula(formula)
        if self.every:
            _parse_step(self.every)
        return self


class GpuDef(_Strict):
    """Card equivalence (H100 = 1) and the monthly self-payment per card (KRW)."""

    equivalence: Mapping[str, Decimal]  # cards of this type per one H100
    self_payment: Mapping[str, Mapping[str, Decimal]]  # card -> {general, youth}
    free_kinds: tuple[str, ...]  # organisation kinds that pay nothing (public sector)
    youth_max_age: int
    source: SourceRef


class PeriodDef(_Strict):
    start: date | None = None
    end: date | None = None


class GrantProgram(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)  # scan keys (commercial, scan) live here too

    id: str
    name: Text
    source: str  # the seed file
    call: CallDef
    period: PeriodDef = Field(default_factory=PeriodDef)
    tracks: tuple[TrackDef, ...]
    eligibility: tuple[EligibilityDef, ...] = ()
    obligations: tuple[ObligationDef, ...] = ()
    gpu: GpuDef | None = None

    def track(self, track_id: str | None) -> TrackDef:
        if track_id is None and len(self.tracks) == 1:
            return self.tracks[0]
        for t in self.tracks:
            if t.id == track_id:
                return t
        raise PolicyError(
            _(
                "program '{program}' has no track '{track}'; its tracks: {tracks}",
                program=self.id,
                track=str(track_id),
                tracks=", ".join(t.id for t in self.tracks),
            )
        )

    def applies(self, tracks: tuple[str, ...] | None, track_id: str | None) -> bool:
        return tracks is None or track_id in tracks

    def cite(self, ref: SourceRef) -> str:
        return ref.cite(self.source)


# --- date formulas -------------------------------------------------------------------------

_ANCHORS = ("start", "end", "midpoint", "year-end", "announced", "deadline")
_TERM = re.compile(r"\s*([+-])\s*(\d+)\s*(days?|months?|years?)\s*")


def parse_formula(formula: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """``"end + 1 month"`` -> ("end", ((1, "month"),)); ``ValueError`` if malformed."""
    text = formula.strip()
    anchor = next((a for a in sorted(_ANCHORS, key=len, reverse=True) if text.startswith(a)), None)
    if anchor is None:
        raise ValueError(f"date formula {formula!r} must start with one of {', '.join(_ANCHORS)}")
    rest, terms, pos = text[len(anchor) :], [], 0
    while pos < len(rest):
        m = _TERM.match(rest, pos)
        if m is None:
            raise ValueError(f"date formula {formula!r}: cannot read {rest[pos:]!r}")
        n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        terms.append((n, m.group(3).rstrip("s")))
        pos = m.end()
    return anchor, tuple(terms)


def _parse_step(step: str) -> tuple[int, str]:
    _anchor, terms = parse_formula("start + " + step)
    if len(terms) != 1 or terms[0][0] <= 0:
        raise ValueError(f"'every' must be a positive period such as '1 month', not {step!r}")
    return terms[0]


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def resolve_date(formula: str, anchors: Mapping[str, date], extra: tuple[tuple[int, str], ...] = ()) -> date:
    """The date ``formula`` names, given ``start``, ``end``, ``announced``, ``deadline``.

    Months and years are added together from the anchor first, then days, so that
    ``end + 1 month`` and a monthly series never drift (31 Jan, 28 Feb, 31 Mar, …).
    """
    anchor, terms = parse_formula(formula)
    if anchor == "midpoint":
        base = anchors["start"] + (anchors["end"] - anchors["start"]) / 2
    elif anchor == "year-end":
        base = date(anchors["start"].year, 12, 31)
    else:
        base = anchors[anchor]
    months = sum(n * (12 if unit == "year" else 1) for n, unit in (*terms, *extra) if unit != "day")
    days = sum(n for n, unit in (*terms, *extra) if unit == "day")
    return add_months(base, months) + timedelta(days=days)


def series(first: str, step: str, anchors: Mapping[str, date], until: date | None, count: int | None) -> list[date]:
    """``first``, ``first + step``, … up to ``until`` (inclusive) or ``count`` dates."""
    n, unit = _parse_step(step)
    out: list[date] = []
    k = 0
    while count is None or len(out) < count:
        day = resolve_date(first, anchors, ((n * k, unit),))
        if until is not None and day > until:
            break
        out.append(day)
        k += 1
    return out


# --- loading ---------------------------------------------------------------------------------


def grant_program(policy: PolicySet, program_id: str) -> GrantProgram:
    """The typed program ``program_id`` (``PolicyError``, exit 2, naming the file if invalid)."""
    known = program_ids(policy)
    if program_id not in known:
        raise PolicyError(
            _("unknown program '{program}'; known programs: {known}", program=program_id, known=", ".join(known))
        )

    def build() -> GrantProgram:
        relpath = f"programs/{program_id}.yaml"
        raw = policy.yaml(relpath) or {}
        try:
            program = GrantProgram.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise PolicyError(
                _("{path}: '{field}': {problem}", path=policy.root / relpath, field=where, problem=err["msg"])
            ) from None
        from oscheck.policy.grants.catalog import get_grant_rule, rule_ids

        defs: list[EligibilityDef | ObligationDef] = [*program.eligibility, *program.obligations]
        for d in defs:
            if d.rule not in rule_ids() or (d.rule.startswith("ELG") != isinstance(d, EligibilityDef)):
                raise PolicyError(_("{path}: unknown rule id '{rule}'", path=policy.root / relpath, rule=d.rule))
            if isinstance(d, EligibilityDef):
                try:
                    get_grant_rule(d.rule).check_params(d.params)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    raise PolicyError(
                        _(
                            "{path}: '{field}': {problem}",
                            path=policy.root / relpath,
                            field=f"eligibility.{d.id}.params." + ".".join(str(p) for p in err["loc"]),
                            problem=err["msg"],
                        )
                    ) from None
        return program

    result: GrantProgram = policy.memo(f"grants:{program_id}", build)
    return result


def grant_programs(policy: PolicySet) -> list[GrantProgram]:
    return [grant_program(policy, p) for p in program_ids(policy)]
