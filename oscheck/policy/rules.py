"""Rules: each one an id, a severity, texts in both languages, its source, and a pure check.

A rule is declared next to its check::

    @rule(
        "LIC001", "project-license-missing", Severity.ERROR, check="license",
        title=N_("The project has no license"),
        explanation=N_("Without a license nobody may use, change or share the code; …"),
        fix=N_("Add a LICENSE file with the license the grant asks for, e.g. Apache-2.0."),
        requires=("licenses",),
        sources=(Source("seeds/msit-nipa-oss-ai-sw-2026-call.txt", "유의사항"),),
    )
    def project_license_missing(ctx: PolicyContext) -> Iterator[Hit]:
        ...

The check yields :class:`Hit` objects; the engine stamps them with the rule's id,
severity (adjusted by the program's requirement level) and the policy version. Checks do
no I/O and read no clock: ``ctx.today`` is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oscheck.i18n import LocalizedText, lt
from oscheck.model import JsonValue, Location, Severity

if TYPE_CHECKING:
    from oscheck.policy.context import PolicyContext


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a program's source text (``seeds/…``) or a public reference."""

    document: str
    section: str = ""
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.document} — {self.section}" if self.section else self.document


@dataclass(frozen=True)
class Hit:
    """A rule's check found something. ``severity`` overrides the rule's default when set."""

    message: LocalizedText
    location: Location = field(default_factory=Location)
    data: Mapping[str, JsonValue] = field(default_factory=dict)
    severity: Severity | None = None


Check = Callable[["PolicyContext"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str  # stable: LIC001, API003, ...
    name: str  # kebab-case, for SARIF and humans
    severity: Severity  # the default level
    check_key: str  # the program requirement this rule serves (license, external-api, ...)
    title: str  # message id: one line
    explanation: str  # message id: why it matters
    fix: str  # message id: what to do
    requires: tuple[str, ...]  # detector groups whose observations it reads
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    check: Check

    def text(self, which: str) -> LocalizedText:
        """``title``, ``explanation`` or ``fix`` in both languages."""
        msgid: str = getattr(self, which)
        return lt(msgid)

    @property
    def prefix(self) -> str:
        return self.id.rstrip("0123456789")


_RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    name: str,
    severity: Severity,
    *,
    check: str,
    title: str,
    explanation: str,
    fix: str,
    requires: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    sources: tuple[Source, ...] = (),
) -> Callable[[Check], Check]:
    """Register the decorated function as the check of rule ``rule_id``."""

    def register(fn: Check) -> Check:
        if rule_id in _RULES and _RULES[rule_id].check is not fn:
            raise ValueError(f"rule id {rule_id} is declared twice")
        _RULES[rule_id] = Rule(
            id=rule_id,
            name=name,
            severity=severity,
            check_key=check,
            title=title,
            explanation=explanation,
            fix=fix,
            requires=requires,
            tags=tags,
            sources=sources,
            check=fn,
        )
        return fn

    return register


def all_rules() -> list[Rule]:
    """Every rule, sorted by id (imports every rule module first)."""
    from oscheck.policy import catalog

    catalog.load()
    return [_RULES[k] for k in sorted(_RULES)]


def get_rule(rule_id: str) -> Rule:
    from oscheck.policy import catalog

    catalog.load()
    return _RULES[rule_id]


__all__ = ["Check", "Hit", "Rule", "Source", "all_rules", "get_rule", "rule"]
