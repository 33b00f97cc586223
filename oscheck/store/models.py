"""The registry's tables (SQLAlchemy 2 declarative). The schema is created by Alembic
(``store/migrations``), never by ``create_all``; a test checks the two agree on SQLite and
PostgreSQL.

Money is ``Numeric(18, 2)`` KRW, scores ``Numeric(9, 4)`` (evaluators' inputs) and
``Numeric(9, 2)`` (final scores): no floats anywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Agreement",
    "Application",
    "Base",
    "Consortium",
    "ConsortiumMember",
    "EligibilityResult",
    "Evaluation",
    "Financial",
    "FindingRow",
    "Obligation",
    "Organisation",
    "Program",
    "Representative",
    "Run",
    "Scan",
    "Selection",
    "Site",
    "StatusRecord",
    "SupportRecord",
    "Track",
]

# Stable constraint names, so that later migrations can address them on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonType = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(18, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Program(Base):
    __tablename__ = "programs"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    call_id: Mapped[str] = mapped_column(String(100), index=True)
    name_ko: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    policy_version: Mapped[str] = mapped_column(String(64))
    tracks: Mapped[list[Track]] = relationship(back_populates="program", cascade="all, delete-orphan")


class Track(Base):
    __tablename__ = "tracks"
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(50), primary_key=True)
    name_ko: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    program: Mapped[Program] = relationship(back_populates="tracks")


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    size: Mapped[str | None] = mapped_column(String(20))
    is_corporation: Mapped[bool] = mapped_column(Boolean, default=True)
    incorporated_on: Mapped[date | None] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(30))
    enterprise_group: Mapped[str | None] = mapped_column(Text)
    industries: Mapped[list[str]] = mapped_column(JsonType, default=list)
    sites: Mapped[list[Site]] = relationship(cascade="all, delete-orphan", order_by="Site.id")
    representatives: Mapped[list[Representative]] = relationship(
        cascade="all, delete-orphan", order_by="Representative.id"
    )
    statuses: Mapped[list[StatusRecord]] = relationship(
        cascade="all, delete-orphan", order_by="StatusRecord.id", foreign_keys="StatusRecord.organisation_id"
    )
    financials: Mapped[list[Financial]] = relationship(cascade="all, delete-orphan", order_by="Financial.year")
    support: Mapped[list[SupportRecord]] = relationship(cascade="all, delete-orphan", order_by="SupportRecord.id")


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # head-office | workplace | factory | lab
    province: Mapped[str] = mapped_column(String(30))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)


class Representative(Base):
    __tablename__ = "representatives"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[date | None] = mapped_column(Date)
    position: Mapped[str | None] = mapped_column(String(50))


class StatusRecord(Base):
    """A legal or financial state of an organisation, or of one of its people
    (``person`` = a representative's name), or of an application's principal investigator."""

    __tablename__ = "statuses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    person: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(50))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Financial(Base):
    __tablename__ = "financials"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    liabilities: Mapped[Decimal] = mapped_column(Money)
    equity: Mapped[Decimal] = mapped_column(Money)
    capital: Mapped[Decimal | None] = mapped_column(Money)


class SupportRecord(Base):
    __tablename__ = "support_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    ended_on: Mapped[date | None] = mapped_column(Date)


class Consortium(Base):
    __tablename__ = "consortia"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    members: Mapped[list[ConsortiumMember]] = relationship(
        cascade="all, delete-orphan", order_by="ConsortiumMember.position"
    )


class ConsortiumMember(Base):
    __tablename__ = "consortium_members"
    consortium_id: Mapped[str] = mapped_column(ForeignKey("consortia.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))  # lead | participant | demand
    position: Mapped[int] = mapped_column(Integer, default=0)
    organisation: Mapped[Organisation] = relationship()


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        ForeignKeyConstraint(["program_id", "track_id"], ["tracks.program_id", "tracks.id"]),
        Index("ix_applications_program_track", "program_id", "track_id"),
    )
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    track_id: Mapped[str] = mapped_column(String(50))
    consortium_id: Mapped[str] = mapped_column(ForeignKey("consortia.id"), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    requested_budget: Mapped[Decimal | None] = mapped_column(Money)
    government_amount: Mapped[Decimal | None] = mapped_column(Money)
    local_amount: Mapped[Decimal | None] = mapped_column(Money)
    private_cash: Mapped[Decimal | None] = mapped_column(Money)
    private_in_kind: Mapped[Decimal | None] = mapped_column(Money)
    gpu_card: Mapped[str | None] = mapped_column(String(20))
    gpu_count: Mapped[int | None] = mapped_column(Integer)
    gpu_months: Mapped[int | None] = mapped_column(Integer)
    direct_sme_support: Mapped[bool] = mapped_column(Boolean, default=False)
    pi_name: Mapped[str | None] = mapped_column(Text)
    pi_birth_date: Mapped[date | None] = mapped_column(Date)
    pi_position: Mapped[str | None] = mapped_column(String(50))
    duplicates: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    consortium: Mapped[Consortium] = relationship()
    pi_statuses: Mapped[list[StatusRecord]] = relationship(
        cascade="all, delete-orphan", order_by="StatusRecord.id", foreign_keys="StatusRecord.application_id"
    )


class EligibilityResult(Base):
    __tablename__ = "eligibility_results"
    __table_args__ = (UniqueConstraint("application_id", "check_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    check_id: Mapped[str] = mapped_column(String(100))
    rule_id: Mapped[str] = mapped_column(String(10), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    requirement_en: Mapped[str] = mapped_column(Text)
    requirement_ko: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    message_ko: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    source: Mapped[str] = mapped_column(Text)
    evaluated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    policy_version: Mapped[str] = mapped_column(String(64))


class Evaluation(Base):
    """One evaluator's score for one item (SCORES.csv rows)."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("application_id", "stage", "evaluator", "item"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(50))
    evaluator: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(100))
    score: Mapped[Decimal] = mapped_column(Numeric(9, 4))


class Selection(Base):
    __tablename__ = "selections"
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    rank: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))  # selected | not-selected
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JsonType, default=list)
    stages: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    policy_version: Mapped[str] = mapped_column(String(64))


class Agreement(Base):
    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    application: Mapped[Application] = relationship()
    obligations: Mapped[list[Obligation]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Obligation.due_on"
    )


class Obligation(Base):
    __tablename__ = "obligations"
    __table_args__ = (UniqueConstraint("agreement_id", "obligation", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    obligation: Mapped[str] = mapped_column(String(100))  # the program's id for it
    seq: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(50))  # the rule's name: result-report, …
    name_en: Mapped[str] = mapped_column(Text)
    name_ko: Mapped[str] = mapped_column(Text)
    opens_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    covers_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # upcoming | due | overdue | done, as of status_on
    status_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text)
    agreement: Mapped[Agreement] = relationship(back_populates="obligations")


class Run(Base):
    """A batch run over a portfolio (issue 9 writes these; the report reads them)."""

    __tablename__ = "runs"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids are cited by reports: never reused
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    portfolio: Mapped[str] = mapped_column(Text)
    portfolio_digest: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))  # running | finished | failed | interrupted
    scans: Mapped[list[Scan]] = relationship(back_populates="run", order_by="Scan.id")


class Scan(Base):
    """One scan of one target: the summary in columns, the whole JSON report in ``report``.

    A target appears at most once per run (``uq_scans_run_id``); a resumed run finds the
    row of a target and skips it when commit and policy version are unchanged.
    """

    __tablename__ = "scans"
    __table_args__ = (
        UniqueConstraint("run_id", "target_uri", name="uq_scans_run_id"),
        Index("ix_scans_target", "target_uri", "commit", "policy_version"),
        {"sqlite_autoincrement": True},  # ids are cited as evidence: never reused after a replace
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id", ondelete="SET NULL"), index=True)
    # The portfolio's grantee (oscheck batch): its id and name, also for scans that failed.
    grantee_id: Mapped[str | None] = mapped_column(String(100), index=True)
    grantee_name: Mapped[str | None] = mapped_column(Text)
    target_kind: Mapped[str] = mapped_column(String(20))
    target_uri: Mapped[str] = mapped_column(Text)
    ref: Mapped[str | None] = mapped_column(Text)
    commit: Mapped[str | None] = mapped_column(String(64))
    dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    program: Mapped[str | None] = mapped_column(String(100))
    track: Mapped[str | None] = mapped_column(String(50))
    tool_version: Mapped[str] = mapped_column(String(40))
    policy_version: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))  # ok | failed
    error: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(10))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[int] = mapped_column(Integer, default=0)
    exempted: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    report: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    run: Mapped[Run | None] = relationship(back_populates="scans")
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="scan", cascade="all, delete-orphan", passive_deletes=True, order_by="FindingRow.id"
    )


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_fingerprint", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(10), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    path: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    message_en: Mapped[str] = mapped_column(Text)
    message_ko: Mapped[str] = mapped_column(Text)
    exempted: Mapped[str | None] = mapped_column(Text)
    scan: Mapped[Scan] = relationship(back_populates="findings")
