"""Plain text for the terminal: one line per finding, then the verdict."""

from __future__ import annotations

from typing import ClassVar

from oscheck.i18n import translate
from oscheck.model import ScanResult
from oscheck.outputs.interface import VERDICT_TEXT, Formatter, OutputFormat


def _clean(text: str) -> str:
    """No terminal control characters from repository-provided text."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


class TextFormat(Formatter):
    format: ClassVar[OutputFormat] = OutputFormat.TEXT
    suffix: ClassVar[str] = ".txt"

    def render(self, result: ScanResult, lang: str = "en") -> str:
        def t(msgid: str, **kw: object) -> str:
            return translate(msgid, lang, **kw)

        target = result.target
        head = f"oscheck {result.tool_version}: {_clean(target.uri)}"
        if target.commit:
            head += f" @ {target.commit[:12]}" + (" (+" + t("uncommitted changes") + ")" if target.dirty else "")
        if result.program:
            head += f" [{result.program}{'/' + result.track if result.track else ''}]"
        lines = [head, t("Project license: {license}", license=result.declared_license or t("none found"))]
        for f in result.sorted_findings():
            mark = f" [{t('exempted')}: {_clean(f.exempted)}]" if f.exempted else ""
            lines.append(
                f"{f.severity.value:<7} {f.rule_id:<7} {_clean(str(f.location))}: {_clean(f.message.get(lang))}{mark}"
            )
        s = result.summary
        lines.append(
            t(
                "Verdict: {verdict} — {errors} errors, {warnings} warnings, {notes} notes ({files} files)",
                verdict=t(VERDICT_TEXT[s.verdict]),
                errors=s.errors,
                warnings=s.warnings,
                notes=s.notes,
                files=len(result.files),
            )
        )
        return "\n".join(lines) + "\n"
