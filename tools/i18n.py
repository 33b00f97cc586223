"""Message catalogue tooling: find every message id in the code, list what Korean lacks.

    python tools/i18n.py missing [AREA]   # print .po entries for ids with no Korean yet
    python tools/i18n.py check            # exit 1 if any id lacks Korean or a placeholder differs

Message ids are the first string argument of ``_()``, ``lt()``, ``N_()``, ``translate()``
and the formatters' local ``t()``; ids in Jinja templates are the strings inside
``{{ _("…") }}`` / ``{% trans %}`` calls of ``oscheck/**/templates``.
"""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CALLS = {"_", "lt", "N_", "translate", "t"}
_TEMPLATE_CALL = re.compile(r"""\b_\(\s*(['"])(.+?)\1""", re.S)


def message_ids() -> dict[str, list[str]]:
    """msgid -> places it is used."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "oscheck").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name not in _CALLS:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                found.setdefault(arg.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in sorted((ROOT / "oscheck").rglob("templates/**/*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for m in _TEMPLATE_CALL.finditer(text):
                msgid = m.group(2).replace("\\'", "'").replace('\\"', '"')
                found.setdefault(msgid, []).append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def problems() -> list[str]:
    from oscheck.i18n import catalogue

    catalogue.cache_clear()
    ko = catalogue("ko")
    out = []
    for msgid, places in sorted(message_ids().items()):
        if msgid not in ko:
            out.append(f"missing Korean: {msgid!r} ({places[0]})")
        elif placeholders(msgid) != placeholders(ko[msgid]):
            out.append(f"placeholders differ: {msgid!r} vs {ko[msgid]!r} ({places[0]})")
    return out


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "check"
    if cmd == "check":
        errs = problems()
        for e in errs:
            print(e)
        return 1 if errs else 0
    if cmd == "missing":
        from oscheck.i18n import catalogue

        area = argv[2] if len(argv) > 2 else ""
        ko = catalogue("ko")
        for msgid, places in sorted(message_ids().items()):
            if msgid in ko or (area and not any(area in p for p in places)):
                continue
            print(f'#: {places[0]}\nmsgid {_po_quote(msgid)}\nmsgstr ""\n')
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
