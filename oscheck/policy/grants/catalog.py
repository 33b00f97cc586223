"""ELG… and OBL… rules: stable ids for the generic checks that program files parameterise.

A program file names a rule and gives its parameters and its source text::

    eligibility:
      - id: debt-ratio
        rule: ELG011
        params: {min_percent: 1000, years: 2}
        source: {section: "5. 기타 유의사항 — 제외대상", quote: "…부채비율이 최근 2년 연속 1,000% 이상…"}

The rule's code is generic (``eligibility.py``); which program uses it, with which
numbers, is data. ``oscheck rules`` and ``docs/rules.md`` list these rules next to the scan
rules. ``ELG001``–``ELG099`` eligibility, ``OBL001``–``OBL099`` obligations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from oscheck.policy.rules import Source

if TYPE_CHECKING:
    from oscheck.policy.grants.eligibility import EligibilityContext, RuleOutcome

__all__ = ["GrantRule", "all_grant_rules", "get_grant_rule", "grant_rule", "rule_ids"]

Evaluator = Callable[["EligibilityContext", Any], "RuleOutcome"]


@dataclass(frozen=True)
class GrantRule:
    id: str
    name: str  # kebab-case
    title: str  # message ids (English), Korean in locale/ko/registry.po
    explanation: str
    fix: str
    sources: tuple[Source, ...]
    params: type[BaseModel] | None = None  # eligibility: the parameters a program gives
    evaluate: Evaluator | None = None  # eligibility: the check; obligations: None (generic dates)

    @property
    def kind(self) -> str:
        return "eligibility" if self.id.startswith("ELG") else "obligation"

    def check_params(self, params: Mapping[str, Any]) -> Any:
        return self.params.model_validate(dict(params)) if self.params is not None else None


_RULES: dict[str, GrantRule] = {}


def grant_rule(
    rule_id: str,
    name: str,
    *,
    title: str,
    explanation: str,
    fix: str,
    sources: tuple[Source, ...],
    params: type[BaseModel] | None = None,
) -> Callable[[Evaluator], Evaluator]:
    """Register an eligibility check (decorator)."""

    def register(fn: Evaluator) -> Evaluator:
        _add(GrantRule(rule_id, name, title, explanation, fix, sources, params, fn))
        return fn

    return register


def obligation_rule(
    rule_id: str, name: str, *, title: str, explanation: str, fix: str, sources: tuple[Source, ...]
) -> GrantRule:
    """Register an obligation kind; its dates come from the program file."""
    r = GrantRule(rule_id, name, title, explanation, fix, sources)
    _add(r)
    return r


def _add(r: GrantRule) -> None:
    if r.id in _RULES and _RULES[r.id] != r:
        raise ValueError(f"grant rule id {r.id} is declared twice")
    _RULES[r.id] = r


def _load() -> None:
    from oscheck.policy.grants import eligibility, obligations  # noqa: F401


def all_grant_rules() -> list[GrantRule]:
    _load()
    return [_RULES[k] for k in sorted(_RULES)]


def rule_ids() -> frozenset[str]:
    _load()
    return frozenset(_RULES)


def get_grant_rule(rule_id: str) -> GrantRule:
    _load()
    return _RULES[rule_id]
