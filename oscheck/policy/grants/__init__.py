"""Grant programs as data and the pure engines that apply them.

``program`` types ``policies/programs/<id>.yaml``; ``eligibility`` judges an application
(ELG rules), ``scoring`` ranks and selects, ``gpu`` computes card equivalence and the
self-payment, ``obligations`` dates an agreement's duties (OBL rules). No I/O, no clock.
"""

from oscheck.policy.grants.catalog import GrantRule, all_grant_rules, get_grant_rule
from oscheck.policy.grants.eligibility import CheckResult, EligibilityReport, Outcome, check_eligibility
from oscheck.policy.grants.gpu import SelfPayment, convert_cards, h100_equivalent, is_youth_company, self_payment
from oscheck.policy.grants.obligations import (
    Agreement,
    ObligationStatus,
    PlannedObligation,
    obligation_status,
    plan_obligations,
)
from oscheck.policy.grants.program import GrantProgram, grant_program, grant_programs
from oscheck.policy.grants.scoring import Ranked, ScoreRow, rank_track, round_half_up

__all__ = [
    "Agreement",
    "CheckResult",
    "EligibilityReport",
    "GrantProgram",
    "GrantRule",
    "ObligationStatus",
    "Outcome",
    "PlannedObligation",
    "Ranked",
    "ScoreRow",
    "SelfPayment",
    "all_grant_rules",
    "check_eligibility",
    "convert_cards",
    "get_grant_rule",
    "grant_program",
    "grant_programs",
    "h100_equivalent",
    "is_youth_company",
    "obligation_status",
    "plan_obligations",
    "rank_track",
    "round_half_up",
    "self_payment",
]
