"""``classify(expression)``: what category an expression falls in, and what it asks of you.

AND takes the most restrictive part (every part applies); OR takes the least restrictive
branch (the licensee may choose it) and records the branch chosen. A ``WITH`` exception
can only loosen a copyleft license: the atom takes the less restrictive of the base
license's and the exception's category (``GPL-2.0-only WITH Classpath-exception-2.0`` is
weak copyleft). ``LicenseRef-…`` ids outside the catalogue are ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass

from oscheck.i18n import LocalizedText
from oscheck.model import LicenseCategory
from oscheck.policy.licensing.catalogue import Catalogue, LicenseInfo, Restrictions, load_catalogue
from oscheck.policy.licensing.expression import AllOf, Atom, Node, load_parser, render
from oscheck.policy.load import PolicySet, load_policy

_COPYLEFT = frozenset(
    {LicenseCategory.WEAK_COPYLEFT, LicenseCategory.STRONG_COPYLEFT, LicenseCategory.NETWORK_COPYLEFT}
)


@dataclass(frozen=True)
class Classification:
    """What one license expression is, taken as a whole."""

    expression: str  # the normalised SPDX expression
    category: LicenseCategory  # of the whole: AND → most restrictive part, OR → best branch
    osi_approved: bool  # every license of the chosen branch is OSI-approved
    fsf_free: bool  # every license of the chosen branch is free per the FSF
    licenses: tuple[LicenseInfo, ...]  # every license named, in order (exceptions apart)
    exceptions: tuple[LicenseInfo, ...]
    unknown: tuple[str, ...]  # LicenseRef-… ids and exceptions outside the catalogue
    restrictions: Restrictions  # of the chosen branch
    chosen: str | None = None  # the OR branch the category comes from; None without OR

    def conditions(self) -> tuple[LocalizedText, ...]:
        """What the chosen branch asks of you beyond keeping notices (both languages)."""
        return self.restrictions.conditions()

    @property
    def is_known(self) -> bool:
        return not self.unknown and self.category is not LicenseCategory.UNKNOWN


@dataclass(frozen=True)
class _Eff:
    category: LicenseCategory
    osi: bool
    fsf: bool
    restrictions: Restrictions
    node: Node
    chose: bool  # an OR was resolved somewhere below


def atom_category(atom: Atom, catalogue: Catalogue) -> LicenseCategory:
    """The atom's category; an exception may only loosen a copyleft base license."""
    if atom.license is None:
        return LicenseCategory.UNKNOWN
    base = atom.license.category
    if atom.exception is not None and base in _COPYLEFT:
        exc = atom.exception.category
        if exc is not LicenseCategory.UNKNOWN and catalogue.rank(exc) < catalogue.rank(base):
            return exc
    return base


def _effective(node: Node, catalogue: Catalogue) -> _Eff:
    if isinstance(node, Atom):
        info = node.license
        return _Eff(
            category=atom_category(node, catalogue),
            osi=bool(info and info.osi_approved) and node.exception_symbol is None,
            fsf=bool(info and info.fsf_free) and node.exception_symbol is None,
            restrictions=info.restrictions if info is not None else Restrictions(),
            node=node,
            chose=False,
        )
    parts = [_effective(i, catalogue) for i in node.items]
    if isinstance(node, AllOf):
        restrictions = Restrictions()
        for p in parts:
            restrictions = restrictions.merge(p.restrictions)
        return _Eff(
            category=max((p.category for p in parts), key=catalogue.rank),
            osi=all(p.osi for p in parts),
            fsf=all(p.fsf for p in parts),
            restrictions=restrictions,
            node=AllOf(tuple(p.node for p in parts)),
            chose=any(p.chose for p in parts),
        )
    best = min(parts, key=lambda p: (catalogue.rank(p.category), not p.osi, not p.fsf))
    return _Eff(best.category, best.osi, best.fsf, best.restrictions, best.node, chose=True)


def classify_node(node: Node, catalogue: Catalogue) -> Classification:
    """:func:`classify` for an already parsed expression."""
    eff = _effective(node, catalogue)
    licenses: dict[str, LicenseInfo] = {}
    exceptions: dict[str, LicenseInfo] = {}
    unknown: dict[str, None] = {}
    from oscheck.policy.licensing.expression import atoms

    for a in atoms(node):
        if a.license is None:
            unknown[a.symbol] = None
        else:
            licenses.setdefault(a.license.key, a.license)
        if a.exception is not None:
            exceptions.setdefault(a.exception.key, a.exception)
        if a.exception_symbol is not None:
            unknown[a.exception_symbol] = None
    return Classification(
        expression=render(node),
        category=eff.category,
        osi_approved=eff.osi,
        fsf_free=eff.fsf,
        licenses=tuple(licenses.values()),
        exceptions=tuple(exceptions.values()),
        unknown=tuple(unknown),
        restrictions=eff.restrictions,
        chosen=render(eff.node) if eff.chose else None,
    )


def classify(expression: str, policy: PolicySet | None = None) -> Classification:
    """Classify an SPDX expression, scancode expression or Hugging Face license tag.

    ``policy`` defaults to the stock policy folder. Raises ``LicenseExpressionError``
    (an ``InputError``, exit code 2) when the expression does not parse or names an id
    that is neither in the catalogue nor a ``LicenseRef-…``.

    >>> classify("MIT OR GPL-3.0-only").category
    <LicenseCategory.PERMISSIVE: 'permissive'>
    """
    policy = policy if policy is not None else load_policy()
    node = load_parser(policy).parse(expression)
    return classify_node(node, load_catalogue(policy))
