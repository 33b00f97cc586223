"""GPU arithmetic of the rental program: card equivalence, youth companies, self-payment.

Requests are made in H100 cards; the agency may allocate A100 or H200 instead at
1 H100 = 4 A100 = 1 H200 (``gpu.equivalence`` of the program file). The self-payment is
per card and month, paid up front for the whole period; public bodies pay nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.policy.grants.model import Organisation, age_on
from oscheck.policy.grants.program import GpuDef, GrantProgram

__all__ = ["SelfPayment", "convert_cards", "h100_equivalent", "is_youth_company", "self_payment"]


def _per_h100(gpu: GpuDef, card: str) -> Decimal:
    try:
        return gpu.equivalence[card]
    except KeyError:
        raise InputError(
            _("unknown GPU card '{card}'; known cards: {cards}", card=card, cards=", ".join(gpu.equivalence))
        ) from None


def h100_equivalent(gpu: GpuDef, card: str, count: int) -> Decimal:
    """How many H100 cards ``count`` cards of ``card`` stand for (4 A100 -> 1)."""
    return Decimal(count) / _per_h100(gpu, card)


def convert_cards(gpu: GpuDef, h100: Decimal, card: str) -> Decimal:
    """The number of ``card`` cards allocated for ``h100`` requested H100 cards (1 H100 -> 4 A100)."""
    return h100 * _per_h100(gpu, card)


def is_youth_company(org: Organisation, announced: date, max_age: int) -> bool | None:
    """청년기업: a corporation with a representative (one of them, if joint) aged ``max_age`` or
    younger (만 나이) on the call date. ``None`` when no representative's birth date is known."""
    if not org.is_corporation or org.kind.value != "company":
        return False
    births = [p.birth_date for p in org.representatives if p.birth_date is not None]
    if not births:
        return None
    return any(age_on(b, announced) <= max_age for b in births)


@dataclass(frozen=True)
class SelfPayment:
    per_card_month: Decimal
    total: Decimal
    youth: bool | None  # None: unknown (no birth date), charged at the general rate
    free: bool  # a public body


def self_payment(program: GrantProgram, org: Organisation, card: str, count: int, months: int) -> SelfPayment:
    """The self-payment (자부담금) for ``count`` cards of ``card`` over ``months`` whole months."""
    gpu = program.gpu
    if gpu is None:
        raise InputError(_("program '{program}' has no GPU self-payment", program=program.id))
    if org.kind.value in gpu.free_kinds:
        return SelfPayment(Decimal(0), Decimal(0), None, True)
    if card not in gpu.self_payment:
        _per_h100(gpu, card)
        raise InputError(
            _("unknown GPU card '{card}'; known cards: {cards}", card=card, cards=", ".join(gpu.self_payment))
        )
    youth = is_youth_company(org, program.call.announced, gpu.youth_max_age)
    rate = gpu.self_payment[card]["youth" if youth else "general"]
    return SelfPayment(rate, rate * count * months, youth, False)
