"""License expressions: parse (with license-expression), normalise, walk.

Accepted spellings, case-insensitive: SPDX ids (``GPL-2.0-or-later``), deprecated SPDX ids
(``GPL-2.0+``, ``GPL-2.0``), scancode keys (``gpl-2.0-plus``), the catalogue's aliases
(Hugging Face license tags such as ``llama3.1`` or ``openrail++``), ``AND``/``OR``/``WITH``
with parentheses, a trailing ``+`` ("or any later version"), and ``LicenseRef-…`` ids,
which stay *unknown* (never silently compatible). Anything else is an error that names the
unknown ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oscheck import safeparse
from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.policy.licensing.catalogue import Catalogue, LicenseInfo, load_catalogue
from oscheck.policy.load import PolicySet


class LicenseExpressionError(InputError):
    """An expression that does not parse or names licenses nobody knows (exit code 2)."""


@dataclass(frozen=True)
class Atom:
    """One license, optionally with an exception; ``license is None`` for an unknown LicenseRef."""

    symbol: str  # as written (normalised spelling for known licenses)
    license: LicenseInfo | None
    exception: LicenseInfo | None = None
    exception_symbol: str | None = None  # an exception not in the catalogue (AdditionRef-…)
    or_later: bool = False  # "X+" where the catalogue has no "X-or-later" entry

    @property
    def base(self) -> str:
        if self.license is None:
            return self.symbol
        spdx = self.license.spdx
        if self.or_later:
            return spdx[: -len("-only")] + "-or-later" if spdx.endswith("-only") else spdx + "+"
        return spdx

    @property
    def spdx(self) -> str:
        """The SPDX rendering: ``GPL-2.0-only WITH Classpath-exception-2.0``."""
        exc = self.exception.spdx if self.exception is not None else self.exception_symbol
        return f"{self.base} WITH {exc}" if exc else self.base

    @property
    def known(self) -> bool:
        return self.license is not None and self.exception_symbol is None


@dataclass(frozen=True)
class AllOf:
    """``A AND B``: every part applies."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    """``A OR B``: the licensee chooses one."""

    items: tuple[Node, ...]


Node = Atom | AllOf | AnyOf


def render(node: Node, parent: str | None = None) -> str:
    """SPDX form with parentheses only where the operator changes."""
    if isinstance(node, Atom):
        return node.spdx
    op = "AND" if isinstance(node, AllOf) else "OR"
    text = f" {op} ".join(render(i, op) for i in node.items)
    return f"({text})" if parent is not None and parent != op else text


def atoms(node: Node) -> list[Atom]:
    """Every atom, left to right."""
    if isinstance(node, Atom):
        return [node]
    out: list[Atom] = []
    for item in node.items:
        out += atoms(item)
    return out


class Parser:
    """license-expression does the syntax; the catalogue resolves every name.

    The ``Licensing`` has no symbols on purpose: names are looked up in the catalogue
    (SPDX ids first, then scancode keys and aliases), so one spelling never means two
    licenses and building the parser costs nothing.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        from license_expression import Licensing

        self.catalogue = catalogue
        self._licensing = Licensing()

    def parse(self, expression: str) -> Node:
        """The expression as a tree of atoms (``LicenseExpressionError`` when it is not one)."""
        from license_expression import ExpressionError

        text = " ".join(expression.split())
        if not text:
            raise LicenseExpressionError(_("empty license expression"))
        too_big = safeparse.expression_problem(text)
        if too_big:
            raise LicenseExpressionError(
                _(
                    "'{expression}' is not a valid license expression: {error}",
                    expression=text[:80] + "…",
                    error=too_big,
                )
            )
        try:
            parsed = self._licensing.parse(text, validate=False, strict=False, simple=False)
        except ExpressionError as exc:
            raise LicenseExpressionError(
                _("'{expression}' is not a valid license expression: {error}", expression=text, error=exc)
            ) from None
        except Exception as exc:  # license_expression raises a few unrelated types
            raise LicenseExpressionError(
                _("'{expression}' is not a valid license expression: {error}", expression=text, error=exc)
            ) from None
        if parsed is None:
            raise LicenseExpressionError(_("empty license expression"))
        unknown: list[str] = []
        node = self._convert(parsed, unknown, text)
        if unknown:
            raise LicenseExpressionError(
                _(
                    "'{expression}': unknown license id(s): {ids}; use SPDX ids (https://spdx.org/licenses/), scancode keys or LicenseRef-…",
                    expression=text,
                    ids=", ".join(dict.fromkeys(unknown)),
                )
            )
        return node

    def _convert(self, expr: Any, unknown: list[str], text: str) -> Node:
        from license_expression import LicenseSymbol, LicenseWithExceptionSymbol

        if isinstance(expr, LicenseWithExceptionSymbol):
            base = self._license_atom(str(expr.license_symbol.key), unknown, text)
            exc_name = str(expr.exception_symbol.key)
            exc = self.catalogue.get(exc_name)
            if not isinstance(base, Atom):
                raise LicenseExpressionError(
                    _("'{expression}': WITH needs a single license on its left", expression=text)
                )
            if exc is not None and exc.is_exception:
                return Atom(base.symbol, base.license, exception=exc, or_later=base.or_later)
            if exc is not None:
                raise LicenseExpressionError(
                    _(
                        "'{expression}': {name} is a license, not an exception; it cannot follow WITH",
                        expression=text,
                        name=exc_name,
                    )
                )
            if _is_ref(exc_name):
                return Atom(base.symbol, base.license, exception_symbol=exc_name, or_later=base.or_later)
            unknown.append(exc_name)
            return base
        if isinstance(expr, LicenseSymbol):
            return self._license_atom(str(expr.key), unknown, text)
        items = tuple(self._convert(a, unknown, text) for a in expr.args)
        op = type(expr).__name__.upper()
        flat: list[Node] = []
        cls = AllOf if op == "AND" else AnyOf
        for item in items:  # (A AND B) AND C == A AND B AND C
            flat.extend(item.items if isinstance(item, cls) else (item,))
        return cls(tuple(flat))

    def _license_atom(self, name: str, unknown: list[str], text: str) -> Node:
        info = self.catalogue.get(name)
        or_later = False
        if info is None and name.endswith("+"):
            info = self.catalogue.get(name[:-1] + "-or-later") or self.catalogue.get(name[:-1] + "-plus")
            if info is None:
                info = self.catalogue.get(name[:-1])
                or_later = info is not None
        if info is None:
            if _is_ref(name):
                return Atom(name, None)
            unknown.append(name)
            return Atom(name, None)
        if info.equivalent:
            # a composite scancode key (gpl-2.0-classpath) stands for base WITH exception
            return self.parse(info.equivalent)
        if info.is_exception:
            raise LicenseExpressionError(
                _("'{expression}': {name} is a license exception; write it after WITH", expression=text, name=name)
            )
        return Atom(info.spdx, info, or_later=or_later)


def _is_ref(name: str) -> bool:
    return name.startswith(("LicenseRef-", "DocumentRef-", "AdditionRef-"))


def load_parser(policy: PolicySet) -> Parser:
    """The parser for ``policy``'s catalogue (built once per policy set)."""
    result: Parser = policy.memo("licensing.parser", lambda: Parser(load_catalogue(policy)))
    return result
