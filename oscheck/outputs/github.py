"""GitHub Actions workflow commands (``--format github``): annotations on the files.

``::error file=…,line=…,endLine=…,title=…::message`` (and ``warning``, ``notice``), as in
GitHub's "Workflow commands" reference. GitHub keeps at most 10 error and 10 warning
annotations per step (the Checks API limit; we apply the same cap to notices), so the
most severe findings are annotated first and one plain line says how many were left to
the job summary. Exempted findings are not annotated.

Escaping follows the runner's own rules (``toolkit/packages/core/src/command.ts``): in
the message ``%``, ``\\r`` and ``\\n`` are percent-encoded; in properties also ``:`` and ``,``.
"""

from __future__ import annotations

from typing import ClassVar

from oscheck.i18n import translate
from oscheck.model import Finding, ScanResult, Severity
from oscheck.outputs.interface import VERDICT_TEXT, Formatter, OutputFormat
from oscheck.outputs.locations import anchor, normalise_prefix, project_anchor
from oscheck.policy import all_rules

ANNOTATION_LIMIT = 10  # per severity and per step
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file``, ``title``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: str | int | None) -> str:
    """``::command k=v,…::message`` with every part escaped; ``None`` properties are left out."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def annotation_lines(
    result: ScanResult,
    lang: str = "en",
    prefix: str = "",
    limit: int = ANNOTATION_LIMIT,
) -> tuple[list[str], int]:
    """The annotation lines (at most ``limit`` per severity, most severe first) and how many were left out."""
    titles = {r.id: translate(r.title, lang) for r in all_rules()}
    fallback = project_anchor(result)
    used = dict.fromkeys(Severity, 0)
    lines: list[str] = []
    left_out = 0
    active: list[Finding] = [f for f in result.sorted_findings() if f.exempted is None]
    for f in active:
        if used[f.severity] >= limit:
            left_out += 1
            continue
        used[f.severity] += 1
        where = anchor(f, result, prefix, fallback)
        title = f"{f.rule_id} {titles.get(f.rule_id, '')}".strip()
        lines.append(
            workflow_command(
                _COMMAND[f.severity],
                f.message.get(lang),
                file=where.path,
                line=where.start_line,
                endLine=where.end_line,
                title=title,
            )
        )
    return lines, left_out


class GithubFormat(Formatter):
    """Annotations for the log of a GitHub Actions step, then a one-line summary."""

    format: ClassVar[OutputFormat] = OutputFormat.GITHUB
    suffix: ClassVar[str] = ".github.txt"

    def __init__(self, prefix: str = "", limit: int = ANNOTATION_LIMIT) -> None:
        self.prefix = normalise_prefix(prefix)
        self.limit = limit

    def render(self, result: ScanResult, lang: str = "en") -> str:
        def t(msgid: str, **kw: object) -> str:
            return translate(msgid, lang, **kw)

        lines, left_out = annotation_lines(result, lang, self.prefix, self.limit)
        if left_out:
            lines.append(
                t(
                    "{n} more findings are not annotated (GitHub shows at most {limit} errors and {limit} warnings per step); see the job summary or the report.",
                    n=left_out,
                    limit=self.limit,
                )
            )
        s = result.summary
        lines.append(
            t(
                "oscheck: {verdict} — {errors} errors, {warnings} warnings, {notes} notes, {exempted} exempted",
                verdict=t(VERDICT_TEXT[s.verdict]),
                errors=s.errors,
                warnings=s.warnings,
                notes=s.notes,
                exempted=s.exempted,
            )
        )
        return "\n".join(lines) + "\n"
