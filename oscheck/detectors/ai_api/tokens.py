"""The fallback for files that do not parse (Python 2, templates, minified or broken JS).

A line-by-line scan for import statements of catalogue SDKs, endpoint arguments written as
literals, quoted API hosts and keys. Less exact than the parsers (it cannot follow names),
so every use it reports says ``parse: token`` and the file gets a note.
"""

from __future__ import annotations

import re

from oscheck.detectors.ai_api.catalogue import Catalogue, LanguageSpec
from oscheck.detectors.ai_api.common import Lines, host_uses, key_uses
from oscheck.detectors.ai_api.records import EndpointRef, FileResult, RawUse, Step

_PY_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([A-Za-z_][\w.]*))", re.M)
_JS_IMPORT = re.compile(r"""(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]{1,200})\1""")
_ENDPOINT = re.compile(
    r"""\b(base_url|api_base|openai_api_base|baseURL|baseUrl|azure_endpoint|endpoint|api_endpoint|server_url)\b"""
    r"""\s*[=:]\s*(?:(['"`])([^'"`\n]{0,500})\2|([^\s,)}\n]{1,200}))"""
)
_COMMENT = {"python": re.compile(r"^\s*#.*$", re.M), "javascript": re.compile(r"^\s*(//|/?\*).*$", re.M)}
_DOCSTRING = re.compile(r"""^[ \t]*[rRbBuU]{0,2}(\"\"\"|\'\'\').*?\1""", re.M | re.S)


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def token_scan(text: str, cat: Catalogue, language: str, parse: str = "token") -> FileResult:
    """Uses found without a parser; ``parse`` is ``token`` (or ``literal`` when the file
    parses but has no SDK import, so only its string literals matter)."""
    result = FileResult(language=language, parse=parse)
    if parse == "literal" and not (cat.host_regex.search(text) or cat.key_regex.search(text)):
        return result  # nothing to find in the literals
    lines = Lines(text)
    family = "python" if language == "python" else "javascript"
    # Blank out whole-line comments and statement-position docstrings (keeping offsets and
    # line breaks) so that mentions there do not count.
    code = _COMMENT[family].sub(_blank, text)
    if family == "python":
        code = _DOCSTRING.sub(_blank, code)
    spec: LanguageSpec = cat.python if family == "python" else cat.javascript
    endpoint = _first_endpoint(code, lines)
    seen: set[str] = set()
    for module, offset in _imports(code, family):
        mod = spec.module_for(module)
        if mod is None or mod.module in seen:
            continue
        seen.add(mod.module)
        line = lines.line(offset)
        client = next((c for c in spec.clients.values() if c.provider == mod.provider), None)
        chain = [Step("import", line, module)]
        if endpoint is not None and mod.mode == "compatible":
            chain.append(Step("endpoint", endpoint.line, f"{endpoint.value} ({endpoint.kind})"))
        result.uses.append(
            RawUse(
                provider=mod.provider,
                mode=mod.mode,
                via="import",
                symbol=mod.module,
                line=line,
                chain=tuple(chain),
                endpoint=endpoint if mod.mode == "compatible" else None,
                endpoint_env=client.endpoint_env if client else (),
                default=client.default if client else None,
                module=module.split(".")[0] if family == "python" else module,
            )
        )
    hosts_seen: set[tuple[int, str]] = set()
    for offset, _host, provider in cat.find_hosts(code):
        line = lines.line(offset)
        if (line, provider) in hosts_seen:
            continue
        hosts_seen.add((line, provider))
        # The host's neighbourhood on its line (lines of minified code are huge).
        start = max(code.rfind("\n", 0, offset) + 1, offset - 200)
        end = code.find("\n", offset)
        end = min(end if end >= 0 else len(code), offset + 500)
        result.uses.extend(host_uses(code[start:end], cat, line))
    result.uses.extend(key_uses(code, cat, lines))
    return result


def _imports(code: str, family: str) -> list[tuple[str, int]]:
    if family == "python":
        return [(m.group(1) or m.group(2), m.start()) for m in _PY_IMPORT.finditer(code)]
    return [(m.group(2), m.start()) for m in _JS_IMPORT.finditer(code)]


def _first_endpoint(code: str, lines: Lines) -> EndpointRef | None:
    m = _ENDPOINT.search(code)
    if m is None:
        return None
    line = lines.line(m.start())
    if m.group(3) is not None:
        return EndpointRef("literal", m.group(3), line=line, via="token")
    return EndpointRef("unresolved", m.group(4), line=line, via="token")
