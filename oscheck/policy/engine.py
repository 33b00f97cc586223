"""Evaluate: observations + policy -> findings. Pure: the same input gives the same findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from oscheck.config import Exemption
from oscheck.i18n import lt
from oscheck.model import Finding, Location, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.rules import Rule, all_rules

# Findings one rule reports in one file; the rest become one "and N more" finding. A file
# generated to hold 100,000 API calls would otherwise give 100,000 findings (and gigabytes
# of report); nobody reads past the first hundred, and the count is kept.
MAX_FINDINGS_PER_RULE_AND_FILE = 100


def evaluate(ctx: PolicyContext, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Run every rule whose detector groups ran and whose program requirement is not off."""
    findings: list[Finding] = []
    for rule in rules if rules is not None else all_rules():
        if rule.requires and not set(rule.requires) <= ctx.groups_run:
            continue
        requirement = ctx.program.requirement(rule.check_key)
        per_file: Counter[str] = Counter()
        held_back: dict[str, tuple[int, Severity]] = {}
        for hit in rule.check(ctx):
            level = requirement.level(hit.severity or rule.severity)
            if level is None:
                continue
            path = hit.location.path
            if path is not None:
                per_file[path] += 1
                if per_file[path] > MAX_FINDINGS_PER_RULE_AND_FILE:
                    n, worst = held_back.get(path, (0, level))
                    held_back[path] = (n + 1, max(worst, level, key=lambda s: s.rank))
                    continue
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=level,
                    message=hit.message,
                    location=hit.location,
                    data=dict(hit.data),
                    policy_version=ctx.policy.version,
                    exempted=_exemption(ctx.declaration.exemptions, rule.id, path, ctx),
                )
            )
        for path, (n, worst) in sorted(held_back.items()):
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=worst,
                    message=lt("{path}: {count} more findings of this rule in this file", path=path, count=n),
                    location=Location(path),
                    data={"key": f"{path}:more", "more": n},
                    policy_version=ctx.policy.version,
                    exempted=_exemption(ctx.declaration.exemptions, rule.id, path, ctx),
                )
            )
    return sorted(findings, key=Finding.sort_key)


def _exemption(exemptions: Iterable[Exemption], rule_id: str, path: str | None, ctx: PolicyContext) -> str | None:
    for ex in exemptions:
        if ex.applies(rule_id, path, ctx.today):
            return ex.reason
    return None
