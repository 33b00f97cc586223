"""Reading the text formats of manifests, with line numbers for every problem.

The standard parsers (json, tomllib, PyYAML) do not say on which line a value sits, and
every finding must name its line, so :class:`Lines` finds the lines of keys in the text
itself. Every loader turns a syntax error into :class:`ParseFailure` with the line the
parser reported.
"""

from __future__ import annotations

import bisect
import json
import re
import tomllib
from typing import Any

import yaml

from oscheck import safeparse
from oscheck.detectors.dependencies.entries import ParseFailure

_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def load_json(text: str) -> Any:
    try:
        return safeparse.load_json(text)
    except safeparse.JsonRefused as exc:
        raise ParseFailure(f"invalid JSON: {exc.msg}", None) from None
    except json.JSONDecodeError as exc:
        raise ParseFailure(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None


def load_toml(text: str) -> dict[str, Any]:
    try:
        return safeparse.load_toml(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_AT.search(message)
        line = int(m.group(1)) if m else None
        raise ParseFailure(f"invalid TOML: {_TOML_AT.sub('', message).strip()}", line) from None


def load_yaml(text: str) -> Any:
    try:
        return safeparse.load_yaml(text)
    except yaml.YAMLError as exc:
        line, problem = safeparse.yaml_error_location(exc)
        raise ParseFailure(f"invalid YAML: {problem}", line) from None


# Searching for each package's line from its section's start is O(packages x size): a
# 1.2 MB Pipfile.lock of 20,000 packages took minutes. Searches may read the text this
# many times over in all; past that, later lines are left unknown (None).
_SEARCH_BUDGET_PASSES = 500
_KEY_LINE = re.compile(r"""^[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"':=][^:=\n]*?))[ \t]*[:=]""", re.MULTILINE)


class Lines:
    """Line numbers of offsets and of the first match of a pattern, in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._budget = _SEARCH_BUDGET_PASSES * max(len(text), 1)
        self._keys: dict[str, list[int]] | None = None

    def of_offset(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def find(self, pattern: str, start_line: int = 1) -> int | None:
        """The line of the first match of regular expression ``pattern`` at or after ``start_line``."""
        if self._budget <= 0:
            return None
        begin = self._starts[min(max(start_line, 1), len(self._starts)) - 1]
        m = re.compile(pattern, re.MULTILINE).search(self.text, begin)
        self._budget -= (m.end() if m else len(self.text)) - begin
        return self.of_offset(m.start()) if m else None

    def find_key(self, key: str, start_line: int = 1) -> int | None:
        """The line of ``"key"`` (JSON) or ``key =`` / ``key:`` (TOML, YAML) at or after ``start_line``.

        Keys are indexed in one pass; a key the index does not hold (a bare key with a
        colon in it) is searched for, within the budget.
        """
        if self._keys is None:
            self._keys = {}
            for m in _KEY_LINE.finditer(self.text):
                name = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
                self._keys.setdefault(name, []).append(self.of_offset(m.start()))
        found = self._keys.get(key)
        if found:
            at = bisect.bisect_left(found, start_line)
            if at < len(found):
                return found[at]
        k = re.escape(key)
        return self.find(rf"""^\s*(?:"{k}"|'{k}'|{k})\s*[:=]""", start_line)

    def find_section(self, header: str) -> int | None:
        """The line of a TOML/INI table header ``[header]`` or ``[[header]]``."""
        return self.find(rf"^\s*\[\[?\s*{re.escape(header)}\s*\]\]?\s*(#.*)?$")


_JSON_OBJECT_KEY = re.compile(r'^[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*:[ \t]*\{', re.MULTILINE)


def json_object_key_lines(text: str) -> dict[str, int]:
    """The line of the first ``"key": {`` of every key, in one pass (lock files have thousands)."""
    lines = Lines(text)
    out: dict[str, int] = {}
    for m in _JSON_OBJECT_KEY.finditer(text):
        out.setdefault(m.group(1), lines.of_offset(m.start(1)))
    return out


def as_str(value: Any) -> str | None:
    """A manifest value that should be a string, or None when it is not one."""
    return value if isinstance(value, str) else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
