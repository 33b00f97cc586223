"""Evaluate: pure rules from observations and policy data to findings."""

from oscheck.policy.context import PolicyContext
from oscheck.policy.engine import evaluate
from oscheck.policy.load import PolicySet, load_policy
from oscheck.policy.programs import ProgramTrack, Requirement, program_track
from oscheck.policy.rules import Hit, Rule, Source, all_rules, get_rule, rule

__all__ = [
    "Hit",
    "PolicyContext",
    "PolicySet",
    "ProgramTrack",
    "Requirement",
    "Rule",
    "Source",
    "all_rules",
    "evaluate",
    "get_rule",
    "load_policy",
    "program_track",
    "rule",
]
