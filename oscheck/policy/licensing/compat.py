"""Compatibility: inbound expression × outbound expression × use context × commercial → verdict.

The rules are data (``policies/compatibility.yaml``); this module only walks the two
expressions and applies the first matching rule to every (inbound, outbound) pair of
licenses:

* inbound AND: every part must fit (the worst verdict wins); inbound OR: the licensee
  picks the best branch, which is recorded in ``chosen``;
* outbound OR (a dual-licensed project, or ``GPL-2.0-or-later``): the project may pick
  the branch the inbound fits, also recorded; outbound AND: every part must be satisfied;
* ``X-or-later`` is the choice among the versions listed under ``or_later``;
* ``X WITH exception`` is judged as ``exceptions`` says (joining or leaving license sets,
  or a different category), else as ``X`` alone, with a note saying so;
* unknown licenses and ``LicenseRef-…`` are never compatible: the rules send them to review.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from oscheck.errors import PolicyError
from oscheck.i18n import N_, LocalizedText, _, lt
from oscheck.model import JsonValue, LicenseCategory
from oscheck.policy.licensing.catalogue import Catalogue, CommercialUse, load_catalogue
from oscheck.policy.licensing.expression import AllOf, AnyOf, Atom, Node, load_parser, render
from oscheck.policy.load import PolicySet, load_policy

COMPAT_FILE = "compatibility.yaml"


class UseContext(enum.Enum):
    """How the inbound material is used by the outbound work."""

    COMBINED = "combined"  # copied in or statically linked: one work
    DYNAMIC_LINK = "dynamic-link"  # linked or imported at run time (a dependency)
    AGGREGATE = "aggregate"  # a separate program shipped alongside
    NETWORK_SERVICE = "network-service"  # part of a service used over a network, not distributed
    MODEL = "model"  # model weights used by the product
    DATASET = "dataset"  # data used for training or evaluation


class Compatibility(enum.Enum):
    """The verdict of a compatibility check (exit codes 0, 4 and 1 of ``licenses check``)."""

    COMPATIBLE = "compatible"
    REVIEW = "review"
    INCOMPATIBLE = "incompatible"

    @property
    def rank(self) -> int:
        return _VERDICT_RANK[self]


_VERDICT_RANK = {Compatibility.COMPATIBLE: 0, Compatibility.REVIEW: 1, Compatibility.INCOMPATIBLE: 2}

# What a compatible or review verdict asks of you; rules name these keys.
CONDITIONS: dict[str, str] = {
    "keep-notices": N_("Keep its copyright notices and license text with every copy."),
    "source-offer": N_(
        "Offer the complete corresponding source of the copyleft part to everyone you distribute it to."
    ),
    "network-source-offer": N_("Offer the complete source to users who interact with it over a network."),
    "whole-under-outbound": N_("Distribute the combined work as a whole under the project's license."),
    "file-source": N_("Keep those files under their own license and make their source available."),
    "library-source": N_("Keep the library under its own license and make its source (with your changes) available."),
    "relink": N_("Let users replace the library with a modified version (dynamic linking does this)."),
    "relink-objects": N_("Provide the object files or build set-up users need to relink with a modified library."),
    "separate-program": N_("Keep it a separate program with its own license and source, not linked into the project."),
    "distribution-triggers": N_(
        "If you ever distribute it (an app, an image, an installer), its copyleft terms apply."
    ),
    "share-alike": N_("Share derived weights or data under the same license if you distribute them."),
    "license-copy": N_("Ship a copy of the license and its notice with the material."),
    "non-commercial-only": N_("Use it only non-commercially."),
    "read-terms": N_("Have a person read its terms for this use."),
}

# How a problem can be fixed; rules name these keys.
FIXES: dict[str, str] = {
    "replace": N_("Replace it with an alternative under a license that fits {outbound}."),
    "relicense": N_("Relicense the project under a license that accepts {inbound}."),
    "separate": N_(
        "Keep it a separate program (its own process, talking over a command line, socket or HTTP) instead of combining it."
    ),
    "permission": N_(
        "Ask its copyright holders for permission under other terms (an exception or a commercial license)."
    ),
    "comply": N_("Meet the conditions listed and record how for the reviewer."),
}

_EXCEPTION_NOTE = N_("The exception {exception} is not modelled; {license} was judged without it.")
_OR_LATER_NOTE = N_("{license} lets the licensee choose among {versions}.")


@dataclass(frozen=True)
class _Side:
    categories: frozenset[LicenseCategory] | None = None
    not_categories: frozenset[LicenseCategory] = frozenset()
    licenses: frozenset[str] | None = None  # catalogue keys and "@set" names
    not_licenses: frozenset[str] = frozenset()
    osi: bool | None = None
    fsf: bool | None = None
    commercial: frozenset[CommercialUse] | None = None


@dataclass(frozen=True)
class CompatRule:
    """One row of ``compatibility.yaml``."""

    id: str
    inbound: _Side
    outbound: _Side
    contexts: frozenset[UseContext] | None
    commercial: bool | None
    same_license: bool | None
    verdict: Compatibility
    reason_en: str
    reason_ko: str
    conditions: tuple[str, ...]
    fixes: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ExceptionEffect:
    contexts: frozenset[UseContext] | None
    join: frozenset[str]
    leave: frozenset[str]
    category: LicenseCategory | None
    source: str


@dataclass(frozen=True)
class CompatPolicy:
    """``compatibility.yaml``, typed and with every license id resolved to a catalogue key."""

    rules: tuple[CompatRule, ...]
    sets: Mapping[str, frozenset[str]]  # set name -> keys
    exceptions: Mapping[str, ExceptionEffect]  # exception key -> effect
    or_later: Mapping[str, tuple[str, ...]]  # key -> version keys
    contexts: Mapping[UseContext, LocalizedText]
    categories: Mapping[LicenseCategory, LocalizedText]
    dependency_default: UseContext = UseContext.DYNAMIC_LINK
    dependency_scopes: Mapping[str, UseContext] = field(default_factory=dict)  # scope -> context
    dependency_ecosystems: Mapping[str, Mapping[str, UseContext]] = field(default_factory=dict)

    def dependency_context(self, ecosystem: str, scope: str) -> UseContext:
        """How a dependency of ``ecosystem`` in ``scope`` is used (``dependency_contexts``)."""
        by_eco = self.dependency_ecosystems.get(ecosystem, {})
        return by_eco.get(scope) or self.dependency_scopes.get(scope) or self.dependency_default

    def sets_of(self, key: str) -> frozenset[str]:
        return frozenset("@" + name for name, keys in self.sets.items() if key in keys)


@dataclass(frozen=True)
class Reason:
    """Why one (inbound, outbound) pair got its verdict."""

    rule: str
    verdict: Compatibility
    inbound: str
    outbound: str
    message: LocalizedText
    conditions: tuple[LocalizedText, ...] = ()
    fixes: tuple[str, ...] = ()
    source: str = ""

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "rule": self.rule,
            "verdict": self.verdict.value,
            "inbound": self.inbound,
            "outbound": self.outbound,
            "message": {"en": self.message.en, "ko": self.message.ko},
            "conditions": [{"en": c.en, "ko": c.ko} for c in self.conditions],
            "fixes": list(self.fixes),
            "source": self.source,
        }


@dataclass(frozen=True)
class CompatibilityResult:
    """The verdict with its reasons and the OR branches chosen."""

    verdict: Compatibility
    inbound: str  # normalised
    outbound: str
    context: UseContext
    commercial: bool
    reasons: tuple[Reason, ...]
    chosen_inbound: str | None = None  # the inbound branch used, when an OR (or -or-later) was resolved
    chosen_outbound: str | None = None

    @property
    def conditions(self) -> tuple[LocalizedText, ...]:
        """Every condition of the deciding reasons, once."""
        return tuple(dict.fromkeys(c for r in self.reasons for c in r.conditions))

    @property
    def fixes(self) -> tuple[str, ...]:
        """The fix keys (``FIXES``) of the reasons that are not compatible, once."""
        return tuple(
            dict.fromkeys(f for r in self.reasons if r.verdict is not Compatibility.COMPATIBLE for f in r.fixes)
        )

    def fix_texts(self, inbound: str | None = None) -> tuple[LocalizedText, ...]:
        return tuple(
            lt(FIXES[f], inbound=inbound or self.inbound, outbound=self.outbound) for f in self.fixes if f in FIXES
        )

    @property
    def deciding(self) -> tuple[Reason, ...]:
        """The reasons whose verdict is the result's (what to show first)."""
        return tuple(r for r in self.reasons if r.verdict is self.verdict) or self.reasons

    def as_dict(self) -> dict[str, JsonValue]:
        """The JSON form of ``oscheck licenses check --format json``."""
        return {
            "verdict": self.verdict.value,
            "inbound": self.inbound,
            "outbound": self.outbound,
            "context": self.context.value,
            "commercial": self.commercial,
            "chosen": {"inbound": self.chosen_inbound, "outbound": self.chosen_outbound},
            "reasons": [r.as_dict() for r in self.reasons],
            "conditions": [{"en": c.en, "ko": c.ko} for c in self.conditions],
            "fixes": [{"key": k, "en": t.en, "ko": t.ko} for k, t in zip(self.fixes, self.fix_texts(), strict=True)],
        }


# --- loading -------------------------------------------------------------------------------


def _fail(where: str, problem: str) -> PolicyError:
    return PolicyError(_("{path}: {where}: {problem}", path=COMPAT_FILE, where=where, problem=problem))


def _resolve(names: Any, catalogue: Catalogue, sets: Mapping[str, Any], where: str) -> frozenset[str]:
    out: set[str] = set()
    for name in names or ():
        name = str(name)
        if name.startswith("@"):
            if name[1:] not in sets:
                raise _fail(where, f"unknown set {name}")
            out.add(name)
            continue
        info = catalogue.get(name)
        if info is None:
            raise _fail(where, f"unknown license {name}")
        out.add(info.key)
    return frozenset(out)


def _side(data: Any, catalogue: Catalogue, sets: Mapping[str, Any], where: str) -> _Side:
    if data is None:
        return _Side()
    if not isinstance(data, dict):
        raise _fail(where, "expected a mapping")
    known = {"category", "not_category", "license", "not_license", "osi", "fsf", "commercial"}
    if set(data) - known:
        raise _fail(where, f"unknown keys {sorted(set(data) - known)}")
    try:
        return _Side(
            categories=frozenset(LicenseCategory(c) for c in data["category"]) if "category" in data else None,
            not_categories=frozenset(LicenseCategory(c) for c in data.get("not_category") or ()),
            licenses=_resolve(data["license"], catalogue, sets, where) if "license" in data else None,
            not_licenses=_resolve(data.get("not_license"), catalogue, sets, where),
            osi=data.get("osi"),
            fsf=data.get("fsf"),
            commercial=frozenset(CommercialUse(c) for c in data["commercial"]) if "commercial" in data else None,
        )
    except ValueError as exc:
        raise _fail(where, str(exc)) from None


def _build(policy: PolicySet) -> CompatPolicy:
    data = policy.yaml(COMPAT_FILE) or {}
    catalogue = load_catalogue(policy)
    raw_sets: dict[str, Any] = data.get("sets") or {}
    # Sets may include other sets ("@name"); expand to keys, in dependency order.
    sets: dict[str, frozenset[str]] = {}

    def expand(name: str, trail: tuple[str, ...] = ()) -> frozenset[str]:
        if name in sets:
            return sets[name]
        if name in trail:
            raise _fail(f"sets.{name}", "sets include each other in a cycle")
        keys: set[str] = set()
        for item in raw_sets[name] or ():
            item = str(item)
            if item.startswith("@"):
                if item[1:] not in raw_sets:
                    raise _fail(f"sets.{name}", f"unknown set {item}")
                keys |= expand(item[1:], (*trail, name))
            else:
                info = catalogue.get(item)
                if info is None:
                    raise _fail(f"sets.{name}", f"unknown license {item}")
                keys.add(info.key)
        sets[name] = frozenset(keys)
        return sets[name]

    for name in raw_sets:
        expand(name)

    exceptions: dict[str, ExceptionEffect] = {}
    for name, e in (data.get("exceptions") or {}).items():
        info = catalogue.get(str(name))
        if info is None or not info.is_exception:
            raise _fail(f"exceptions.{name}", "not a license exception of the catalogue")
        for s in [*(e.get("join") or ()), *(e.get("leave") or ())]:
            if s not in sets:
                raise _fail(f"exceptions.{name}", f"unknown set {s}")
        exceptions[info.key] = ExceptionEffect(
            contexts=frozenset(UseContext(c) for c in e["contexts"]) if "contexts" in e else None,
            join=frozenset("@" + s for s in e.get("join") or ()),
            leave=frozenset("@" + s for s in e.get("leave") or ()),
            category=LicenseCategory(e["category"]) if e.get("category") else None,
            source=str(e.get("source", "")),
        )

    or_later: dict[str, tuple[str, ...]] = {}
    for name, versions in (data.get("or_later") or {}).items():
        base = catalogue.get(str(name))
        if base is None:
            raise _fail(f"or_later.{name}", "unknown license")
        keys = []
        for v in versions:
            vi = catalogue.get(str(v))
            if vi is None:
                raise _fail(f"or_later.{name}", f"unknown license {v}")
            keys.append(vi.key)
        or_later[base.key] = tuple(keys)

    rules: list[CompatRule] = []
    seen: set[str] = set()
    for i, r in enumerate(data.get("rules") or []):
        rid = str(r.get("id", f"#{i}"))
        where = f"rules.{rid}"
        if rid in seen:
            raise _fail(where, "duplicate rule id")
        seen.add(rid)
        when = r.get("when") or {}
        reason = r.get("reason") or {}
        if not reason.get("en") or not reason.get("ko"):
            raise _fail(where, "a reason needs 'en' and 'ko'")
        if not str(r.get("source", "")).strip():
            raise _fail(where, "a rule needs a 'source'")
        for key in r.get("conditions") or ():
            if key not in CONDITIONS:
                raise _fail(where, f"unknown condition {key}")
        for key in r.get("fix") or ():
            if key not in FIXES:
                raise _fail(where, f"unknown fix {key}")
        try:
            rules.append(
                CompatRule(
                    id=rid,
                    inbound=_side(when.get("inbound"), catalogue, raw_sets, where),
                    outbound=_side(when.get("outbound"), catalogue, raw_sets, where),
                    contexts=frozenset(UseContext(c) for c in when["context"]) if "context" in when else None,
                    commercial=when.get("commercial"),
                    same_license=when.get("same_license"),
                    verdict=Compatibility(r["verdict"]),
                    reason_en=str(reason["en"]),
                    reason_ko=str(reason["ko"]),
                    conditions=tuple(r.get("conditions") or ()),
                    fixes=tuple(r.get("fix") or ()),
                    source=str(r["source"]),
                )
            )
        except (ValueError, KeyError) as exc:
            raise _fail(where, str(exc)) from None
    last = rules[-1] if rules else None
    if last is None or (last.inbound, last.outbound, last.contexts, last.commercial, last.same_license) != (
        _Side(),
        _Side(),
        None,
        None,
        None,
    ):
        raise _fail("rules", "the last rule must match everything (when: {}) so nothing is left undecided")

    def texts(section: str, enum_cls: Any) -> dict[Any, LocalizedText]:
        out = {}
        for k, v in (data.get(section) or {}).items():
            out[enum_cls(k)] = LocalizedText(en=str(v["en"]), ko=str(v["ko"]))
        return out

    deps = data.get("dependency_contexts") or {}
    try:
        dependency_default = UseContext(deps.get("default", UseContext.DYNAMIC_LINK.value))
        dependency_scopes = {str(k): UseContext(v) for k, v in (deps.get("scopes") or {}).items()}
        dependency_ecosystems = {
            str(eco): {str(k): UseContext(v) for k, v in (table or {}).items()}
            for eco, table in (deps.get("ecosystems") or {}).items()
        }
    except ValueError as exc:
        raise _fail("dependency_contexts", str(exc)) from None

    return CompatPolicy(
        dependency_default=dependency_default,
        dependency_scopes=dependency_scopes,
        dependency_ecosystems=dependency_ecosystems,
        rules=tuple(rules),
        sets=sets,
        exceptions=exceptions,
        or_later=or_later,
        contexts=texts("contexts", UseContext),
        categories=texts("categories", LicenseCategory),
    )


def load_compat(policy: PolicySet) -> CompatPolicy:
    """The typed compatibility rules of ``policy`` (built once per policy set)."""
    result: CompatPolicy = policy.memo("licensing.compat", lambda: _build(policy))
    return result


# --- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    key: str | None
    names: frozenset[str]
    category: LicenseCategory
    osi: bool
    fsf: bool
    commercial: CommercialUse


def _facts(atom: Atom, context: UseContext, cp: CompatPolicy, with_exception: bool) -> tuple[_Facts, str | None]:
    """What rules see of an atom; the second value names an exception that had no effect."""
    info = atom.license
    if info is None or (with_exception and atom.exception_symbol is not None):
        return _Facts(None, frozenset(), LicenseCategory.UNKNOWN, False, False, CommercialUse.ALLOWED), None
    names = frozenset({info.key}) | cp.sets_of(info.key)
    category = info.category
    ignored = None
    if with_exception and atom.exception is not None:
        effect = cp.exceptions.get(atom.exception.key)
        if effect is None:
            ignored = atom.exception.spdx
        elif effect.contexts is None or context in effect.contexts:
            names = (names | effect.join) - effect.leave
            category = effect.category or category
    return _Facts(info.key, names, category, info.osi_approved, info.fsf_free, info.restrictions.commercial), ignored


def _side_matches(side: _Side, f: _Facts) -> bool:
    if side.categories is not None and f.category not in side.categories:
        return False
    if f.category in side.not_categories:
        return False
    if side.licenses is not None and not (side.licenses & f.names):
        return False
    if side.not_licenses & f.names:
        return False
    if side.osi is not None and f.osi != side.osi:
        return False
    if side.fsf is not None and f.fsf != side.fsf:
        return False
    return side.commercial is None or f.commercial in side.commercial


class _Fmt(string.Formatter):
    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)


@dataclass(frozen=True)
class _Outcome:
    verdict: Compatibility
    reasons: tuple[Reason, ...]
    inbound: Node
    outbound: Node
    chose_in: bool = False
    chose_out: bool = False
    weight: int = 0  # number of conditions: the lighter of two equal verdicts wins an OR


@dataclass
class _Evaluator:
    cp: CompatPolicy
    catalogue: Catalogue
    context: UseContext
    commercial: bool
    _memo: dict[tuple[str, str], _Outcome] = field(default_factory=dict)

    def pair(self, a: Atom, b: Atom) -> _Outcome:
        cache_key = (a.spdx, b.spdx)
        if cache_key in self._memo:
            return self._memo[cache_key]
        fin, ignored = _facts(a, self.context, self.cp, with_exception=True)
        fout, _ignored = _facts(b, self.context, self.cp, with_exception=False)
        rule = next(r for r in self.cp.rules if self._matches(r, fin, fout))
        ctx_label = self.cp.contexts.get(self.context, LocalizedText(self.context.value, self.context.value))
        fmt = _Fmt()
        message = LocalizedText(
            en=fmt.format(rule.reason_en, inbound=a.spdx, outbound=b.spdx, context=ctx_label.en),
            ko=fmt.format(rule.reason_ko, inbound=a.spdx, outbound=b.spdx, context=ctx_label.ko),
        )
        conditions = [lt(CONDITIONS[c]) for c in rule.conditions]
        if a.license is not None and rule.verdict is not Compatibility.INCOMPATIBLE:
            conditions += list(a.license.restrictions.conditions())
        reasons = [
            Reason(
                rule=rule.id,
                verdict=rule.verdict,
                inbound=a.spdx,
                outbound=b.spdx,
                message=message,
                conditions=tuple(dict.fromkeys(conditions)),
                fixes=rule.fixes,
                source=rule.source,
            )
        ]
        if ignored is not None and a.license is not None:
            reasons.append(
                Reason(
                    rule="exception-not-modelled",
                    verdict=rule.verdict,
                    inbound=a.spdx,
                    outbound=b.spdx,
                    message=lt(_EXCEPTION_NOTE, exception=ignored, license=a.license.spdx),
                    source="research/licenses.md (d) 5: judge the base license, show the exception",
                )
            )
        out = _Outcome(rule.verdict, tuple(reasons), a, b, weight=len(conditions))
        self._memo[cache_key] = out
        return out

    def _matches(self, r: CompatRule, fin: _Facts, fout: _Facts) -> bool:
        if r.contexts is not None and self.context not in r.contexts:
            return False
        if r.commercial is not None and r.commercial != self.commercial:
            return False
        if r.same_license is not None and (fin.key is not None and fin.key == fout.key) != r.same_license:
            return False
        return _side_matches(r.inbound, fin) and _side_matches(r.outbound, fout)

    def expand(self, node: Node) -> Node:
        """Replace each ``X-or-later`` atom by the OR of the versions it allows."""
        if isinstance(node, Atom):
            info = node.license
            if info is None:
                return node
            versions = self.cp.or_later.get(info.key)
            if versions is None and node.or_later:
                versions = self.cp.or_later.get(_or_later_key(info.spdx, self.catalogue) or "")
            if not versions:
                return node
            return AnyOf(
                tuple(
                    Atom(
                        self.catalogue.licenses[v].spdx,
                        self.catalogue.licenses[v],
                        node.exception,
                        node.exception_symbol,
                    )
                    for v in versions
                )
            )
        items = tuple(self.expand(i) for i in node.items)
        return AllOf(items) if isinstance(node, AllOf) else AnyOf(items)

    def inbound(self, node: Node, out: Node) -> _Outcome:
        if isinstance(node, Atom):
            return self.outbound(node, out)
        parts = [self.inbound(i, out) for i in node.items]
        if isinstance(node, AllOf):
            return _all(parts, inbound=True)
        return _any(parts, inbound=True)

    def outbound(self, a: Atom, node: Node) -> _Outcome:
        if isinstance(node, Atom):
            return self.pair(a, node)
        parts = [self.outbound(a, i) for i in node.items]
        if isinstance(node, AllOf):
            return _all(parts, inbound=False)
        return _any(parts, inbound=False)


def _or_later_key(spdx: str, catalogue: Catalogue) -> str | None:
    info = catalogue.get(spdx.removesuffix("-only") + "-or-later")
    return info.key if info is not None else None


def _all(parts: list[_Outcome], *, inbound: bool) -> _Outcome:
    worst = max(p.verdict.rank for p in parts)
    verdict = next(p.verdict for p in parts if p.verdict.rank == worst)
    reasons = tuple(dict.fromkeys(r for p in parts for r in p.reasons))
    return _Outcome(
        verdict=verdict,
        reasons=reasons,
        inbound=AllOf(tuple(p.inbound for p in parts)) if inbound else parts[0].inbound,
        outbound=parts[0].outbound if inbound else AllOf(tuple(p.outbound for p in parts)),
        chose_in=any(p.chose_in for p in parts),
        chose_out=any(p.chose_out for p in parts),
        weight=sum(p.weight for p in parts),
    )


def _any(parts: list[_Outcome], *, inbound: bool) -> _Outcome:
    best = min(enumerate(parts), key=lambda ip: (ip[1].verdict.rank, ip[1].weight, ip[0]))[1]
    return replace(best, chose_in=best.chose_in or inbound, chose_out=best.chose_out or not inbound)


def check_nodes(
    inbound: Node, outbound: Node, context: UseContext, commercial: bool, policy: PolicySet
) -> CompatibilityResult:
    """:func:`check` for already parsed expressions."""
    ev = _Evaluator(load_compat(policy), load_catalogue(policy), context, commercial)
    ex_in, ex_out = ev.expand(inbound), ev.expand(outbound)
    outcome = ev.inbound(ex_in, ex_out)
    notes = [
        Reason(
            rule="or-later",
            verdict=Compatibility.COMPATIBLE,
            inbound=a.spdx,
            outbound=render(outbound),
            message=lt(
                _OR_LATER_NOTE,
                license=a.spdx,
                versions=", ".join(render(v) for v in _versions(ev, a)),
            ),
            source="GPL-3.0 §14 / GPL-2.0 §9 ('or any later version')",
        )
        for a in _or_later_atoms(ev, inbound, outbound)
    ]
    return CompatibilityResult(
        verdict=outcome.verdict,
        inbound=render(inbound),
        outbound=render(outbound),
        context=context,
        commercial=commercial,
        reasons=outcome.reasons + tuple(notes),
        chosen_inbound=render(outcome.inbound) if outcome.chose_in else None,
        chosen_outbound=render(outcome.outbound) if outcome.chose_out else None,
    )


def _or_later_atoms(ev: _Evaluator, *nodes: Node) -> list[Atom]:
    from oscheck.policy.licensing.expression import atoms

    return [a for n in nodes for a in atoms(n) if isinstance(ev.expand(a), AnyOf)]


def _versions(ev: _Evaluator, a: Atom) -> tuple[Node, ...]:
    expanded = ev.expand(a)
    return expanded.items if isinstance(expanded, AnyOf) else (expanded,)


def check(
    inbound: str,
    outbound: str,
    context: UseContext = UseContext.COMBINED,
    commercial: bool = False,
    policy: PolicySet | None = None,
) -> CompatibilityResult:
    """May a work under ``outbound`` use material under ``inbound`` in ``context``?

    Raises ``LicenseExpressionError`` (exit 2) for an unknown or malformed expression.
    """
    policy = policy if policy is not None else load_policy()
    parser = load_parser(policy)
    return check_nodes(parser.parse(inbound), parser.parse(outbound), context, commercial, policy)
