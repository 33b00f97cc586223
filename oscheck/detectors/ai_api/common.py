"""Helpers every language scanner shares: keys in text, host literals, line numbers."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from oscheck.detectors.ai_api.catalogue import Catalogue
from oscheck.detectors.ai_api.records import RawUse, Step, redact

# The scheme is bounded so that a long run of letters cannot make this quadratic.
_URL = re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,15}://[^\s'\"`<>)\]}]{1,2000}")


class Lines:
    """Byte or character offset -> 1-based line number."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            self._starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


def is_placeholder(value: str, cat: Catalogue) -> bool:
    low = value.strip().strip("'\"").lower()
    if len(low) < 8:
        return True
    return any(p in low for p in cat.key_placeholders)


def key_uses(
    text: str, cat: Catalogue, lines: Lines | None, where: str = "literal", line: int | None = None
) -> Iterator[RawUse]:
    """API keys with a provider's prefix anywhere in ``text`` (never returned in clear)."""
    for m in cat.key_regex.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-"):
            continue
        token = m.group(0)
        spec = cat.key_provider(token)
        if spec is None or is_placeholder(token[len(spec.prefix) :], cat):
            continue
        at = line if line is not None else (lines.line(m.start()) if lines is not None else 1)
        shown = redact(token, spec.prefix)
        yield RawUse(
            provider=spec.provider,
            mode="hosted",
            via="key",
            symbol=spec.prefix,
            line=at,
            chain=(Step("key", at, f"{where}: {shown}"),),
            secret=shown,
        )


def host_uses(text: str, cat: Catalogue, line: int, via: str = "url") -> Iterator[RawUse]:
    """Catalogue API hosts named in one string (a URL or a bare host)."""
    seen: set[str] = set()
    for _offset, host, provider in cat.find_hosts(text):
        if provider in seen:
            continue
        seen.add(provider)
        url = next((u for u in _URL.findall(text) if host in u.lower()), host).split("?")[0]
        yield RawUse(
            provider=provider,
            mode="hosted",
            via=via,
            symbol=host,
            line=line,
            chain=(Step("endpoint", line, _short(url)),),
        )


_SECRET_ASSIGN = re.compile(
    r"""(?i)((?:api[_-]?key|apikey|token|secret|password|authorization|bearer)["']?\s*[:=]\s*)(["'])[^"'\n]{4,}\2"""
)
_USERINFO = re.compile(r"(://)[^/@\s'\"]+@")
_QUERY = re.compile(r"(://[^\s'\"]*?)\?[^\s'\"]*")


def scrub(text: str, cat: Catalogue) -> str:
    """``text`` safe to show: keys, credential arguments, URL passwords and queries masked."""
    if not text:
        return text
    out = cat.key_regex.sub(lambda m: redact(m.group(0), (cat.key_provider(m.group(0)) or _NO_KEY).prefix), text)
    out = _SECRET_ASSIGN.sub(lambda m: f"{m.group(1)}{m.group(2)}****{m.group(2)}", out)
    out = _USERINFO.sub(r"\1****@", out)
    return _QUERY.sub(r"\1?…", out)


class _NoKey:
    prefix = ""


_NO_KEY = _NoKey()


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


short = _short
