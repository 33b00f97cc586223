"""The report's view models: what each page shows, already decided, in frozen dataclasses.

``build`` makes them from a :class:`~oscheck.report.snapshot.Snapshot`; templates only lay
them out. Texts that depend on the page language are :class:`Msg` (a message id and its
parameters, translated when the page is rendered) or :class:`LocalizedText` (stored in both
languages, e.g. finding messages). Repository-provided strings stay plain ``str``: the
templates escape them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from oscheck.i18n import N_, LocalizedText

__all__ = [
    "DISPLAY_ORDER",
    "ApiUseView",
    "ApplicantRow",
    "ChainStep",
    "Change",
    "CheckRow",
    "CheckStatus",
    "CommunityView",
    "ComponentRow",
    "ConflictRow",
    "EligibilityView",
    "FileRow",
    "FindingView",
    "GranteePage",
    "HistoryRow",
    "Labels",
    "ModelView",
    "Msg",
    "ObligationView",
    "PlainVerdict",
    "Portfolio",
    "PortfolioRow",
    "ProgramPage",
    "ProgramRequirement",
    "ProgramTrackView",
    "RuleEntry",
    "RuleGroup",
    "SelectionView",
    "Site",
    "TargetBrief",
    "TargetView",
    "TotalRow",
    "TrendPoint",
]


@dataclass(frozen=True)
class Msg:
    """A message id with its parameters; rendered in the page's language (``render.tr``)."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, msgid: str, **params: Any) -> Msg:
        return cls(msgid, tuple(sorted(params.items())))


@dataclass(frozen=True)
class Labels:
    """A list of values shown with their words (``labels.LABELS[kind]``), joined by commas."""

    kind: str
    values: tuple[str, ...]


class PlainVerdict(enum.Enum):
    """The verdict as agency staff read it. Order: the worse first (``rank``)."""

    NON_COMPLIANT = "non-compliant"  # 부적합: a requirement is violated (an error)
    UNKNOWN = "unknown"  # 확인 불가: no successful scan; nothing can be said
    NEEDS_WORK = "needs-work"  # 보완 필요: warnings, unknowns on required checks, overdue obligations
    COMPLIANT = "compliant"  # 적합

    @property
    def rank(self) -> int:
        return _VERDICT_ORDER.index(self)

    @property
    def label(self) -> str:
        return VERDICT_LABEL[self]


# How lists and charts order the verdicts: the worst first, unknown apart from the passes.
DISPLAY_ORDER = (PlainVerdict.NON_COMPLIANT, PlainVerdict.NEEDS_WORK, PlainVerdict.UNKNOWN, PlainVerdict.COMPLIANT)
_VERDICT_ORDER = [PlainVerdict.NON_COMPLIANT, PlainVerdict.UNKNOWN, PlainVerdict.NEEDS_WORK, PlainVerdict.COMPLIANT]
VERDICT_LABEL = {
    PlainVerdict.COMPLIANT: N_("Compliant"),
    PlainVerdict.NEEDS_WORK: N_("Needs remediation"),
    PlainVerdict.NON_COMPLIANT: N_("Non-compliant"),
    PlainVerdict.UNKNOWN: N_("Unknown"),
}


class CheckStatus(enum.Enum):
    PASS = "pass"  # noqa: S105
    WARNING = "warning"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_CHECKED = "not-checked"

    @property
    def label(self) -> str:
        return CHECK_STATUS_LABEL[self]


CHECK_STATUS_LABEL = {
    CheckStatus.PASS: N_("Met"),
    CheckStatus.WARNING: N_("To improve"),
    CheckStatus.FAIL: N_("Not met"),
    CheckStatus.UNKNOWN: N_("Unknown"),
    CheckStatus.NOT_CHECKED: N_("Not checked"),
}


@dataclass(frozen=True)
class RuleEntry:
    """One rule in the glossary (scan rules and the registry's ELG/OBL rules)."""

    id: str
    name: str
    kind: str  # scan | eligibility | obligation
    severity: str | None  # the default level (scan rules)
    check_key: str | None
    title: str  # message ids (translated when rendered)
    explanation: str
    fix: str
    sources: tuple[tuple[str, str | None], ...]  # (citation, url)
    unknown: bool = False  # its findings mean "could not tell"


@dataclass(frozen=True)
class ChainStep:
    text: str  # what happens at this step (code or a package name), repository text
    where: str | None = None  # path:line


@dataclass(frozen=True)
class FindingView:
    rule_id: str
    severity: str
    message: LocalizedText
    where: str | None  # path:line
    path: str | None
    line: int | None
    chain: tuple[ChainStep, ...] = ()  # code excerpts (AI API) or the dependency path
    details: tuple[tuple[str, str], ...] = ()  # other evidence, key -> value as text
    exempted: str | None = None
    unknown: bool = False


@dataclass(frozen=True)
class RuleGroup:
    rule: RuleEntry
    severity: str  # the worst among its findings
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class CheckRow:
    key: str  # the program requirement key: license, external-api, …
    requirement: str  # required | reported | off
    status: CheckStatus
    rules: tuple[str, ...]  # rule ids with findings that decided the status
    missing: tuple[str, ...] = ()  # detector groups serving this check that did not run


@dataclass(frozen=True)
class ComponentRow:
    name: str
    version: str | None
    ecosystem: str
    scope: str | None
    direct: bool
    homepage: str | None  # only http(s) URLs
    license: str | None
    license_source: str | None
    manifest: str | None
    purl: str | None


@dataclass(frozen=True)
class ConflictRow:
    component: str
    kind: str  # file | dependency | model | dataset
    license: str | None
    severity: str
    rule_id: str
    message: LocalizedText
    chain: tuple[ChainStep, ...]
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class FileRow:
    path: str
    licenses: tuple[str, ...]
    origin: str | None  # first-party | vendored | generated
    lines: str | None  # "1-201"
    errors: int
    warnings: int
    notes: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class ModelView:
    id: str
    source: str
    revision: str | None
    declared: bool
    used_at: tuple[str, ...]
    license: str | None
    license_tag: str | None
    openness: str  # open | restricted | non-commercial | not-open | unknown
    conditions: tuple[str, ...]
    gated: str | None
    lineage: tuple[tuple[str, str, str | None, str | None], ...]  # (id, relation, license, problem)
    weights: int
    url: str | None


@dataclass(frozen=True)
class ApiUseView:
    provider: str
    classification: str  # external | local | review | test-only
    where: str | None
    endpoint: str | None
    chain: tuple[ChainStep, ...]


@dataclass(frozen=True)
class CommunityView:
    files: tuple[tuple[str, str, str | None], ...]  # (item, status present/absent/unknown, path)
    history_status: str  # known | shallow | …
    commits_per_month: tuple[tuple[str, int], ...]
    commits_in_period: int | None
    authors_in_period: int | None
    bus_factor: int | None
    days_since_last_commit: int | None
    last_commit_date: str | None
    active_months: int | None
    months_in_period: int | None
    release_tags: int | None
    latest_tag: str | None
    forge: str  # "off" (local data only) | "api" (GitHub API data included)
    forge_skipped: tuple[str, ...]
    score: float | None
    readme_sections: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """Between the previous and the latest successful scan of the same target(s)."""

    added: int
    removed: int
    previous_verdict: PlainVerdict | None
    previous_scan: int | None


@dataclass(frozen=True)
class TargetBrief:
    name: str
    commit: str | None
    scanned_at: datetime
    status: str  # ok | failed
    scan_id: int


@dataclass(frozen=True)
class TargetView:
    """One repository (or model) of a grantee, as of its latest scan."""

    anchor: str
    uri: str
    name: str
    ref: str | None
    commit: str | None
    dirty: bool
    scan_id: int
    run_id: int | None
    scanned_at: datetime
    status: str  # ok | failed
    error: str | None
    verdict: PlainVerdict
    drivers: tuple[Msg, ...]
    errors: int
    warnings: int
    notes: int
    exempted: int
    unknowns: int
    tool_version: str
    policy_version: str | None
    scanned_program: str | None
    scanned_track: str | None
    detail_scan_id: int | None  # the scan whose details are shown (the last successful one)
    detectors: tuple[str, ...]  # detector groups that ran
    checks: tuple[CheckRow, ...]
    project_license: str | None
    license_statements: tuple[tuple[str, str | None, str | None], ...]  # (source, path, spdx)
    files: Mapping[str, int]
    violating_files: int
    components: tuple[ComponentRow, ...]
    conflicts: tuple[ConflictRow, ...]
    file_rows: tuple[FileRow, ...]
    groups: tuple[RuleGroup, ...]
    exempted_findings: tuple[FindingView, ...]
    models: tuple[ModelView, ...]
    api_uses: tuple[ApiUseView, ...]
    community: CommunityView | None
    artifacts: tuple[tuple[str, str], ...]  # (label msgid, relative href from the site root)
    change: Change | None
    added: tuple[FindingView, ...]
    removed: tuple[FindingView, ...]
    rule_counts: tuple[tuple[str, str, int], ...]  # (rule id, severity, findings), not capped


@dataclass(frozen=True)
class ObligationView:
    name: LocalizedText
    rule_id: str
    seq: int
    opens_on: date
    due_on: date
    status: str  # upcoming | due | overdue | done
    provisional: bool
    completed_on: date | None
    evidence_url: str | None  # only http(s)
    evidence_scan: int | None
    source: str
    days_left: int


@dataclass(frozen=True)
class EligibilityView:
    rule_id: str
    outcome: str  # pass | fail | unknown | not-applicable
    requirement: LocalizedText
    message: LocalizedText
    source: str


@dataclass(frozen=True)
class SelectionView:
    score: Decimal | None
    rank: int | None
    decision: str
    stages: tuple[tuple[str, str], ...]
    reasons: tuple[LocalizedText, ...]


@dataclass(frozen=True)
class HistoryRow:
    scan_id: int
    run_id: int | None
    target: str
    commit: str | None
    scanned_at: datetime
    status: str
    verdict: PlainVerdict
    errors: int
    warnings: int
    added: int | None
    removed: int | None


@dataclass(frozen=True)
class PortfolioRow:
    slug: str
    name: str  # the portfolio's name for the grantee, else the lead organisation's, else the target's
    grantee_id: str | None  # the batch portfolio's id
    application: str | None
    title: str | None
    program: str | None
    program_name: LocalizedText | None
    track: str | None
    track_name: LocalizedText | None
    verdict: PlainVerdict
    drivers: tuple[Msg, ...]
    errors: int
    warnings: int
    notes: int
    unknowns: int
    due: int
    overdue: int
    targets: tuple[TargetBrief, ...]
    last_scan: datetime | None
    change: Change | None


@dataclass(frozen=True)
class GranteePage:
    row: PortfolioRow
    organisation: str | None
    members: tuple[tuple[str, str], ...]  # (name, role)
    agreement: tuple[date, date] | None
    targets: tuple[TargetView, ...]
    obligations: tuple[ObligationView, ...]
    eligibility: tuple[EligibilityView, ...]
    eligibility_outcome: str | None  # pass | fail | unknown
    selection: SelectionView | None
    history: tuple[HistoryRow, ...]


@dataclass(frozen=True)
class TotalRow:
    program: str | None
    program_name: LocalizedText | None
    track: str | None
    track_name: LocalizedText | None
    grantees: int
    verdicts: Mapping[PlainVerdict, int]
    errors: int
    warnings: int
    due: int
    overdue: int


@dataclass(frozen=True)
class Portfolio:
    rows: tuple[PortfolioRow, ...]
    totals: tuple[TotalRow, ...]
    overall: TotalRow
    trend: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class TrendPoint:
    """One batch run (or, for scans outside runs, one day) of the portfolio."""

    run_id: int | None
    day: date
    targets: int
    failed: int
    errors: int
    warnings: int


@dataclass(frozen=True)
class ProgramTrackView:
    id: str
    name: LocalizedText
    requirements: tuple[tuple[str, str, tuple[str, ...]], ...]  # (check key, required|reported|off, rule ids)
    scoring: tuple[
        tuple[LocalizedText, str, tuple[tuple[str, str, str], ...]], ...
    ]  # stage, weight, (item ko, en, max)


@dataclass(frozen=True)
class ProgramRequirement:
    id: str
    rule_id: str
    text: LocalizedText
    citation: str
    quote: str
    tracks: tuple[str, ...] | None


@dataclass(frozen=True)
class ApplicantRow:
    application: str
    name: str
    track: str
    eligibility: str | None
    score: Decimal | None
    rank: int | None
    decision: str | None
    slug: str | None  # the grantee page, when it is one


@dataclass(frozen=True)
class ProgramPage:
    id: str
    slug: str
    name: LocalizedText
    source: str
    call_id: str
    announced: date | None
    deadline: date | None
    tracks: tuple[ProgramTrackView, ...]
    eligibility: tuple[ProgramRequirement, ...]
    obligations: tuple[ProgramRequirement, ...]
    applicants: tuple[ApplicantRow, ...]
    grantees: tuple[PortfolioRow, ...]


@dataclass(frozen=True)
class Site:
    today: date
    tool_version: str
    policy_version: str
    program_filter: str | None
    portfolio: Portfolio
    grantees: tuple[GranteePage, ...]
    programs: tuple[ProgramPage, ...]
    rules: tuple[RuleEntry, ...]
    scans_written: tuple[int, ...]  # scan ids whose JSON report is written under data/
