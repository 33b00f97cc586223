"""Markdown for people: the GitHub job summary and the report's Markdown form.

GitHub keeps at most 1 MiB of summary per step, so the findings table stops at
``MAX_ROWS`` rows and says how many more there are.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from oscheck.detectors.scancode import FileLicense
from oscheck.i18n import translate
from oscheck.model import ScanResult, Severity, Verdict
from oscheck.outputs.interface import Formatter, OutputFormat

MAX_ROWS = 200
_ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.NOTE: "🔵"}


def md_escape(text: str) -> str:
    """Repository-provided text must not become Markdown or HTML."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    out = out.replace("`", "\\`").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")
    return " ".join(out.split())


class MarkdownFormat(Formatter):
    format: ClassVar[OutputFormat] = OutputFormat.MARKDOWN
    suffix: ClassVar[str] = ".md"

    def render(self, result: ScanResult, lang: str = "en") -> str:
        def t(msgid: str, **kw: object) -> str:
            return translate(msgid, lang, **kw)

        s = result.summary
        verdict = t("✅ compliant") if s.verdict is Verdict.PASS else t("❌ not compliant")
        target = result.target
        commit = f" @ `{target.commit[:12]}`" if target.commit else ""
        lines = [
            f"## oscheck: {verdict}",
            "",
            f"{t('Target')}: `{md_escape(target.uri)}`{commit}"
            + (f" · {t('program')} `{result.program}`" if result.program else "")
            + (f" · {t('track')} `{result.track}`" if result.track else ""),
            "",
            f"| {t('Errors')} | {t('Warnings')} | {t('Notes')} | {t('Exempted')} | {t('Project license')} |",
            "|---:|---:|---:|---:|---|",
            f"| {s.errors} | {s.warnings} | {s.notes} | {s.exempted} | "
            f"{md_escape(result.declared_license or t('none found'))} |",
            "",
        ]
        findings = result.sorted_findings()
        if findings:
            lines += [
                f"### {t('Findings')}",
                "",
                f"| | {t('Rule')} | {t('Location')} | {t('Message')} |",
                "|---|---|---|---|",
            ]
            for f in findings[:MAX_ROWS]:
                note = f" ({t('exempted')}: {md_escape(f.exempted)})" if f.exempted else ""
                lines.append(
                    f"| {_ICON[f.severity]} | `{f.rule_id}` | {md_escape(str(f.location))} | "
                    f"{md_escape(f.message.get(lang))}{note} |"
                )
            if len(findings) > MAX_ROWS:
                lines.append("")
                lines.append(t("… and {n} more findings in the JSON report.", n=len(findings) - MAX_ROWS))
            lines.append("")
        counts = Counter(o.spdx or o.expression or "?" for o in result.of_type(FileLicense))
        if counts:
            lines += [f"### {t('Licenses found in files')}", "", f"| {t('License')} | {t('Files')} |", "|---|---:|"]
            for lic, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"| {md_escape(lic)} | {n} |")
            lines.append("")
        lines.append(
            f"<sub>oscheck {result.tool_version} · {t('policy')} {result.policy_version} · "
            f"{len(result.files)} {t('files')}</sub>"
        )
        return "\n".join(lines) + "\n"
