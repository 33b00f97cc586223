"""``oscheck batch diff RUN_A RUN_B``: what changed between two runs, per grantee.

Findings are matched by fingerprint (stable when lines move), target by target: a finding
in B only is *new*, one in A only is *resolved*. A target scanned in one run only counts
all its findings as new (or resolved); a target that failed in either run is listed with
its status and no finding comparison (a failure is not "everything resolved").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.store.models import FindingRow, Run, Scan
from oscheck.store.scans import diff_findings, run_scans

__all__ = ["FindingChange", "GranteeDiff", "RunDiff", "TargetDiff", "diff_runs"]


@dataclass(frozen=True)
class FindingChange:
    rule_id: str
    severity: str
    path: str | None
    line: int | None
    fingerprint: str
    message_en: str
    message_ko: str

    @classmethod
    def of(cls, row: FindingRow) -> FindingChange:
        return cls(row.rule_id, row.severity, row.path, row.line, row.fingerprint, row.message_en, row.message_ko)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "fingerprint": self.fingerprint,
            "message": {"en": self.message_en, "ko": self.message_ko},
        }


@dataclass(frozen=True)
class TargetDiff:
    uri: str
    status_a: str | None  # ok | failed | None (not in run A)
    status_b: str | None
    commit_a: str | None
    commit_b: str | None
    verdict_a: str | None
    verdict_b: str | None
    new: tuple[FindingChange, ...] = ()
    resolved: tuple[FindingChange, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "a": {"status": self.status_a, "commit": self.commit_a, "verdict": self.verdict_a},
            "b": {"status": self.status_b, "commit": self.commit_b, "verdict": self.verdict_b},
            "new": [f.as_dict() for f in self.new],
            "resolved": [f.as_dict() for f in self.resolved],
        }


@dataclass(frozen=True)
class GranteeDiff:
    id: str
    name: str | None
    targets: tuple[TargetDiff, ...] = field(default_factory=tuple)

    @property
    def new(self) -> int:
        return sum(len(t.new) for t in self.targets)

    @property
    def resolved(self) -> int:
        return sum(len(t.resolved) for t in self.targets)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "new": self.new,
            "resolved": self.resolved,
            "targets": [t.as_dict() for t in self.targets],
        }


@dataclass(frozen=True)
class RunDiff:
    run_a: int
    run_b: int
    grantees: tuple[GranteeDiff, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_a": self.run_a,
            "run_b": self.run_b,
            "new": sum(g.new for g in self.grantees),
            "resolved": sum(g.resolved for g in self.grantees),
            "grantees": [g.as_dict() for g in self.grantees],
        }


def _findings(session: Session, scan_id: int) -> tuple[FindingChange, ...]:
    rows = session.scalars(select(FindingRow).where(FindingRow.scan_id == scan_id).order_by(FindingRow.id))
    return tuple(FindingChange.of(r) for r in rows)


def diff_runs(session: Session, run_a: int, run_b: int) -> RunDiff:
    """Compare two runs (``InputError`` when either does not exist)."""
    for run_id in (run_a, run_b):
        if session.get(Run, run_id) is None:
            raise InputError(
                _("run {run} is not in the registry; see the run ids that oscheck batch prints", run=run_id)
            )
    a = {s.target_uri: s for s in run_scans(session, run_a)}
    b = {s.target_uri: s for s in run_scans(session, run_b)}
    by_grantee: dict[str, tuple[str | None, list[TargetDiff]]] = {}
    for uri in sorted(a.keys() | b.keys()):
        old, new = a.get(uri), b.get(uri)
        either: Scan = new or old  # type: ignore[assignment]
        gid = either.grantee_id or either.organisation_id or "-"
        name = either.grantee_name
        added: tuple[FindingChange, ...] = ()
        removed: tuple[FindingChange, ...] = ()
        if old is not None and new is not None and old.status == "ok" and new.status == "ok":
            d = diff_findings(session, old.id, new.id)
            added = tuple(FindingChange.of(r) for r in d.added)
            removed = tuple(FindingChange.of(r) for r in d.removed)
        elif old is None and new is not None and new.status == "ok":
            added = _findings(session, new.id)
        elif new is None and old is not None and old.status == "ok":
            removed = _findings(session, old.id)
        entry = by_grantee.setdefault(gid, (name, []))
        entry[1].append(
            TargetDiff(
                uri=uri,
                status_a=old.status if old else None,
                status_b=new.status if new else None,
                commit_a=old.commit if old else None,
                commit_b=new.commit if new else None,
                verdict_a=old.verdict if old else None,
                verdict_b=new.verdict if new else None,
                new=added,
                resolved=removed,
            )
        )
    grantees = tuple(GranteeDiff(gid, name, tuple(targets)) for gid, (name, targets) in sorted(by_grantee.items()))
    return RunDiff(run_a, run_b, grantees)
