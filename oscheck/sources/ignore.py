"""Ignore patterns in gitignore syntax, as a scanned repository writes them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pathspec
import pathspec.util

_PATTERN = pathspec.util.lookup_pattern("gitwildmatch")


def gitignore_spec(lines: Iterable[str]) -> pathspec.PathSpec[Any]:
    """The patterns of ``lines``; a line git would not accept is dropped, as git drops it.

    (pathspec raises on e.g. a pattern ending in a lone backslash, where git ignores the
    line; one bad line in a repository's ignore file must not stop the scan.)
    """
    patterns = []
    for line in lines:
        try:
            patterns.append(_PATTERN(line))
        except (ValueError, TypeError, re.error):
            continue
    return pathspec.PathSpec(patterns)
