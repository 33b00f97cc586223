"""The facts the grant engines read: organisations, applications, scores, agreements.

Frozen dataclasses, built by the store (``oscheck/store/registry.py``) from database rows
or by tests directly. Nothing here reads a clock or a file; money is ``Decimal`` in KRW.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = [
    "Application",
    "Budget",
    "DuplicateClaim",
    "Financials",
    "GpuRequest",
    "Member",
    "OrgKind",
    "OrgSize",
    "Organisation",
    "Person",
    "Sibling",
    "Site",
    "Status",
    "SupportRecord",
    "age_on",
]


class OrgKind(enum.Enum):
    COMPANY = "company"
    UNIVERSITY = "university"
    UNIVERSITY_HOSPITAL = "university-hospital"
    RESEARCH_INSTITUTE = "research-institute"
    PUBLIC_BODY = "public-body"
    LOCAL_GOVERNMENT = "local-government"
    INDIVIDUAL = "individual"  # a person without an organisation (GPU program: may not apply)


class OrgSize(enum.Enum):
    SME = "sme"  # 중소기업
    MID_SIZE = "mid-size"  # 중견기업
    LARGE = "large"  # 대기업
    START_UP = "start-up"  # 창업기업
    VENTURE = "venture"  # 벤처기업


@dataclass(frozen=True)
class Status:
    """A legal or financial state over a period: ``tax-arrears``, ``default``, ``rnd-sanction``, …

    ``end`` is ``None`` while the state lasts. Kinds are the words of ``docs/registry.md``.
    """

    kind: str
    start: date | None = None
    end: date | None = None
    note: str = ""

    def active_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    """A representative (대표자) or a principal investigator (총괄책임자)."""

    name: str
    birth_date: date | None = None
    position: str | None = None  # professor, researcher, ceo, …
    statuses: tuple[Status, ...] = ()


@dataclass(frozen=True)
class Site:
    """A head office, workplace or factory and its province (시·도), over a period."""

    kind: str  # head-office | workplace | factory | lab
    province: str  # a province code (policies: gyeongnam, busan, …)
    since: date | None = None
    until: date | None = None

    def active_on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Financials:
    """One closed fiscal year of the financial statements (결산 재무제표)."""

    year: int
    liabilities: Decimal  # 부채총계
    equity: Decimal  # 자본총계
    capital: Decimal | None = None  # 자본금

    @property
    def debt_ratio(self) -> Decimal | None:
        """부채비율 in percent; ``None`` when equity is zero or negative (ratio undefined)."""
        if self.equity <= 0:
            return None
        return self.liabilities * 100 / self.equity

    @property
    def fully_impaired(self) -> bool:
        """완전자본잠식: total equity at or below zero."""
        return self.equity <= 0


@dataclass(frozen=True)
class SupportRecord:
    """Government support already received: program label, year, and when it ended."""

    program: str
    year: int
    ended_on: date | None = None


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: OrgKind
    size: OrgSize | None = None
    incorporated_on: date | None = None
    region: str | None = None  # a province code; for local governments, the one they govern
    enterprise_group: str | None = None  # the large-enterprise group (기업집단) it belongs to
    industries: tuple[str, ...] = ()
    sites: tuple[Site, ...] = ()
    representatives: tuple[Person, ...] = ()
    statuses: tuple[Status, ...] = ()
    financials: tuple[Financials, ...] = ()
    support: tuple[SupportRecord, ...] = ()
    is_corporation: bool = True  # 법인 (vs. sole proprietor); companies are assumed corporations


@dataclass(frozen=True)
class Member:
    org: Organisation
    role: str = "participant"  # lead | participant | demand


@dataclass(frozen=True)
class Budget:
    """Amounts in KRW; ``None`` where the application does not say."""

    requested: Decimal | None = None
    government: Decimal | None = None  # 국비 / 정부지원금
    local: Decimal | None = None  # 지방비
    private_cash: Decimal | None = None  # 민간부담금 현금 (GPU: the self-payment deposited)
    private_in_kind: Decimal | None = None  # 민간부담금 현물

    @property
    def total(self) -> Decimal:
        return sum(
            (v or Decimal(0) for v in (self.government, self.local, self.private_cash, self.private_in_kind)),
            Decimal(0),
        )

    @property
    def private(self) -> Decimal:
        return (self.private_cash or Decimal(0)) + (self.private_in_kind or Decimal(0))


@dataclass(frozen=True)
class GpuRequest:
    card: str  # H100 | H200 | A100 (requests are made in H100)
    count: int  # cards
    months: int


@dataclass(frozen=True)
class DuplicateClaim:
    """An earlier funded project the application's content overlaps with."""

    project: str
    ended_on: date | None = None
    follow_up: bool = False  # the application is a follow-up (고도화) of that project


@dataclass(frozen=True)
class Application:
    id: str
    program: str
    track: str | None
    members: tuple[Member, ...]  # the lead first
    submitted_on: date | None = None
    budget: Budget = field(default_factory=Budget)
    gpu: GpuRequest | None = None
    principal_investigator: Person | None = None
    direct_sme_support: bool = False  # the project gives SMEs AI equipment or solutions directly
    duplicates: tuple[DuplicateClaim, ...] = ()

    @property
    def lead(self) -> Organisation:
        for m in self.members:
            if m.role == "lead":
                return m.org
        return self.members[0].org


@dataclass(frozen=True)
class Sibling:
    """Another application of the same call (for "one project per organisation")."""

    id: str
    program: str
    track: str | None
    org_ids: frozenset[str]


def age_on(birth: date, day: date) -> int:
    """만 나이: full years on ``day``. Born on 29 February: one year older from 1 March."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
