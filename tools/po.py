"""Write a .po file from a Python dict of {msgid: Korean} (keeps quoting right).

python tools/po.py oscheck/locale/ko/core.po translations.py
"""

from __future__ import annotations

import runpy
import sys


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_po(path: str, entries: dict[str, str], area: str) -> None:
    lines = [
        f"# Korean messages of oscheck ({area}).",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: ko\\n"',
        "",
    ]
    for msgid in sorted(entries):
        lines += [f"msgid {quote(msgid)}", f"msgstr {quote(entries[msgid])}", ""]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def read_po(path: str) -> dict[str, str]:
    from babel.messages.pofile import read_po as _read

    with open(path, "rb") as fh:
        cat = _read(fh, locale="ko")
    return {str(m.id): str(m.string) for m in cat if m.id}


if __name__ == "__main__":
    target, source = sys.argv[1], sys.argv[2]
    new = runpy.run_path(source)["KO"]
    try:
        merged = read_po(target)
    except FileNotFoundError:
        merged = {}
    merged.update(new)
    write_po(target, merged, target.rsplit("/", 1)[-1].removesuffix(".po"))
