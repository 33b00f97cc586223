"""Ignore patterns in gitignore syntax, as a scanned repository writes them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import pathspec
import pathspec.util

_PATTERN = pathspec.util.lookup_pattern("gitwildmatch")
# pathspec turns "*" into ".*?" regexes, and k of them in one segment backtrack in
# O(len**k) on a non-matching name: "*a*a*a*a*a*b" against a 64-character name takes
# 5 s per file. Real ignore files use one or two ("*.py[cod]", "*_pb2*.py").
_MAX_STARS = 3
log = logging.getLogger(__name__)


def gitignore_spec(lines: Iterable[str]) -> pathspec.PathSpec[Any]:
    """The patterns of ``lines``; a line git would not accept is dropped, as git drops it.

    (pathspec raises on e.g. a pattern ending in a lone backslash, where git ignores the
    line; one bad line in a repository's ignore file must not stop the scan.)
    """
    patterns = []
    for line in lines:
        if _too_many_stars(line):
            log.warning("ignore pattern with more than %d '*' in one path segment skipped: %.80s", _MAX_STARS, line)
            continue
        try:
            patterns.append(_PATTERN(line))
        except (ValueError, TypeError, re.error):
            continue
    return pathspec.PathSpec(patterns)


def _too_many_stars(line: str) -> bool:
    return any(seg.count("*") > _MAX_STARS for seg in line.split("/") if seg != "**")
