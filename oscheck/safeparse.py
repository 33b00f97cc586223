"""YAML, TOML and JSON from places we do not trust: scanned repositories, model cards, declarations.

Every parser here fails the same way on hostile text: with the format's own error type
(``yaml.YAMLError``, ``tomllib.TOMLDecodeError``, ``json.JSONDecodeError``), which callers
already turn into one line or a finding, never with ``RecursionError`` or a hang.

``yaml.safe_load`` never runs code, but it still lets a 1 KB file of nested aliases (the
"billion laughs" shape) stand for 10**11 values: loading is quick because aliases share one
object, and then the first walk over the data never ends. Every untrusted document is
therefore composed first, its expanded size counted over the node graph (linear in the
text: each node is measured once), and only then constructed from the same nodes.
Deep nesting, which makes PyYAML recurse past Python's limit, is reported the same way.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from typing import Any

import yaml

# Not CSafeLoader: its composer recurses in C and crashes the process (SIGSEGV) on a
# document nested 100,000 deep, where the Python composer raises RecursionError.
_BaseLoader = yaml.SafeLoader

# Aliases may add this many values beyond the ones written out: far above what anchors in
# CI files, compose files or lock files use, far below what would stall a scan.
MAX_ALIAS_EXPANSION = 1_000_000


class YamlRefused(yaml.YAMLError):
    """Valid YAML syntax that is refused: alias expansion, nesting, or a value Python rejects.

    (An integer of 5,000 digits or a 31st of February parse as YAML but raise ``ValueError``
    when constructed.)
    """

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = _Mark(line - 1) if line is not None else None


class JsonRefused(json.JSONDecodeError):
    """Valid JSON syntax that is refused: nesting past the recursion limit, or a value Python rejects."""


class _Mark:
    """Just enough of ``yaml.Mark`` for callers that read ``problem_mark.line``."""

    def __init__(self, line: int) -> None:
        self.line = line


def yaml_error_location(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line and the short problem of a YAML error, for one-line messages."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["invalid YAML"])[0]
    return line, str(problem)


def check_yaml(node: yaml.Node) -> None:
    """Raise :class:`YamlRefused` when aliases in ``node`` expand past the bound or loop."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    written = 0

    def size(n: yaml.Node, depth: int) -> int:
        nonlocal written
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise YamlRefused("an alias refers to the collection that contains it", n.start_mark.line + 1)
        if depth > 500:
            raise YamlRefused("nested more than 500 levels deep", n.start_mark.line + 1)
        written += 1
        total = 1
        if isinstance(n, yaml.SequenceNode):
            in_progress.add(key)
            total += sum(size(item, depth + 1) for item in n.value)
            in_progress.discard(key)
        elif isinstance(n, yaml.MappingNode):
            in_progress.add(key)
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
            in_progress.discard(key)
        sizes[key] = total
        if total - written > MAX_ALIAS_EXPANSION:
            raise YamlRefused(
                f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values: an alias bomb",
                n.start_mark.line + 1,
            )
        return total

    size(node, 0)


def _composed(text: str | bytes) -> Iterator[tuple[yaml.SafeLoader, yaml.Node]]:
    loader = _BaseLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                check_yaml(node)
                yield loader, node
    except RecursionError:
        raise YamlRefused("nested too deeply to read") from None
    finally:
        loader.dispose()


def compose_yaml(text: str | bytes) -> yaml.Node | None:
    """The first document's node graph, checked (``None`` for an empty document)."""
    for _loader, node in _composed(text):
        return node
    return None


def compose_all_yaml(text: str | bytes) -> list[yaml.Node]:
    """Every document's node graph, checked."""
    return [node for _loader, node in _composed(text)]


def load_yaml_with_node(text: str | bytes) -> tuple[Any, yaml.Node | None]:
    """The first document as Python data, and its nodes (for line numbers of keys)."""
    for loader, node in _composed(text):
        try:
            return loader.construct_document(node), node
        except RecursionError:
            raise YamlRefused("nested too deeply to read") from None
        except (ValueError, OverflowError) as exc:  # int(), datetime(), float() of a scalar
            raise YamlRefused(f"unusable value: {_short(exc)}") from None
    return None, None


def load_yaml(text: str | bytes) -> Any:
    """``yaml.safe_load`` for untrusted text, with the alias and depth bounds."""
    return load_yaml_with_node(text)[0]


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with nesting past Python's recursion limit as a ``TOMLDecodeError``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply to read") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer past int_max_str_digits
        raise tomllib.TOMLDecodeError(f"unusable value: {_short(exc)}") from None


def load_json(text: str | bytes) -> Any:
    """``json.loads``, with nesting past Python's recursion limit as a ``JSONDecodeError``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise JsonRefused("nested too deeply to read", _doc(text), 0) from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer past int_max_str_digits
        raise JsonRefused(f"unusable value: {_short(exc)}", _doc(text), 0) from None


def _doc(text: str | bytes) -> str:
    return text if isinstance(text, str) else text.decode("utf-8", errors="replace")


def _short(exc: Exception) -> str:
    return str(exc).split(";", 1)[0][:120]


# A license expression is written by people: real ones are a few licenses long. The
# license-expression library recurses once per level of parentheses.
MAX_EXPRESSION_CHARS = 4096
MAX_EXPRESSION_DEPTH = 32


def expression_problem(text: str) -> str | None:
    """Why a license expression is too large to parse safely, or ``None``."""
    if len(text) > MAX_EXPRESSION_CHARS:
        return f"longer than {MAX_EXPRESSION_CHARS:,} characters"
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    if deepest > MAX_EXPRESSION_DEPTH:
        return f"parentheses nested more than {MAX_EXPRESSION_DEPTH} deep"
    return None
