"""Builders for the grant-engine tests: organisations and applications with only what matters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from oscheck.policy.grants import CheckResult, GrantProgram, check_eligibility, grant_program
from oscheck.policy.grants import model as gm
from oscheck.policy.load import load_policy


def program(program_id: str) -> GrantProgram:
    return grant_program(load_policy(), program_id)


def org(id: str = "acme", kind: str = "company", size: str | None = "sme", **kw: Any) -> gm.Organisation:
    return gm.Organisation(
        id=id,
        name=kw.pop("name", id.title()),
        kind=gm.OrgKind(kind),
        size=gm.OrgSize(size) if size else None,
        incorporated_on=kw.pop("incorporated_on", date(2015, 1, 1)),
        **kw,
    )


def app(
    program_id: str,
    track: str | None,
    lead: gm.Organisation,
    *others: gm.Organisation,
    roles: tuple[str, ...] = (),
    **kw: Any,
) -> gm.Application:
    members = (
        gm.Member(lead, "lead"),
        *(gm.Member(o, roles[i] if i < len(roles) else "participant") for i, o in enumerate(others)),
    )
    return gm.Application(id=kw.pop("id", "app-1"), program=program_id, track=track, members=members, **kw)


def budget(**amounts: int | str) -> gm.Budget:
    return gm.Budget(**{k: Decimal(str(v)) for k, v in amounts.items()})


def judge(a: gm.Application, check: str, siblings: tuple[gm.Sibling, ...] = ()) -> CheckResult:
    report = check_eligibility(program(a.program), a, siblings)
    found = [r for r in report.results if r.check_id == check]
    assert found, f"{a.program} has no check {check} for track {a.track}: {[r.check_id for r in report.results]}"
    return found[0]


def fin(year: int, liabilities: int, equity: int) -> gm.Financials:
    return gm.Financials(year, Decimal(liabilities), Decimal(equity))


__all__ = ["app", "budget", "fin", "judge", "org", "program", "replace"]
