"""Evaluate: observations + policy -> findings. Pure: the same input gives the same findings."""

from __future__ import annotations

from collections.abc import Iterable

from oscheck.config import Exemption
from oscheck.model import Finding
from oscheck.policy.context import PolicyContext
from oscheck.policy.rules import Rule, all_rules


def evaluate(ctx: PolicyContext, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Run every rule whose detector groups ran and whose program requirement is not off."""
    findings: list[Finding] = []
    for rule in rules if rules is not None else all_rules():
        if rule.requires and not set(rule.requires) <= ctx.groups_run:
            continue
        requirement = ctx.program.requirement(rule.check_key)
        for hit in rule.check(ctx):
            level = requirement.level(hit.severity or rule.severity)
            if level is None:
                continue
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=level,
                    message=hit.message,
                    location=hit.location,
                    data=dict(hit.data),
                    policy_version=ctx.policy.version,
                    exempted=_exemption(ctx.declaration.exemptions, rule.id, hit.location.path, ctx),
                )
            )
    return sorted(findings, key=Finding.sort_key)


def _exemption(exemptions: Iterable[Exemption], rule_id: str, path: str | None, ctx: PolicyContext) -> str | None:
    for ex in exemptions:
        if ex.applies(rule_id, path, ctx.today):
            return ex.reason
    return None
