"""Output formats, by name. ``formatter(OutputFormat.JSON).render(result)``."""

from __future__ import annotations

from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.outputs.cyclonedx import CycloneDxJsonFormat
from oscheck.outputs.github import GithubFormat
from oscheck.outputs.interface import ALIASES, Formatter, OutputFormat
from oscheck.outputs.json_report import JsonFormat
from oscheck.outputs.markdown import MarkdownFormat
from oscheck.outputs.sarif import SarifFormat
from oscheck.outputs.spdx import SpdxJsonFormat
from oscheck.outputs.text import TextFormat

FORMATTERS: dict[OutputFormat, type[Formatter]] = {
    OutputFormat.TEXT: TextFormat,
    OutputFormat.JSON: JsonFormat,
    OutputFormat.MARKDOWN: MarkdownFormat,
    OutputFormat.SARIF: SarifFormat,
    OutputFormat.GITHUB: GithubFormat,
    OutputFormat.SPDX_JSON: SpdxJsonFormat,
    OutputFormat.CYCLONEDX_JSON: CycloneDxJsonFormat,
}


def formatter(fmt: OutputFormat) -> Formatter:
    return FORMATTERS[fmt]()


def parse_formats(value: str) -> list[OutputFormat]:
    """``json,spdx`` -> [JSON, SPDX_JSON]; an unknown name is an input error (exit 2)."""
    out: list[OutputFormat] = []
    known = sorted({f.value for f in OutputFormat} | set(ALIASES))
    for raw in value.split(","):
        name = ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if not name:
            continue
        try:
            fmt = OutputFormat(name)
        except ValueError:
            raise InputError(
                _("unknown format '{name}'; choose from {known}", name=raw.strip(), known=", ".join(known))
            ) from None
        if fmt not in out:
            out.append(fmt)
    return out


__all__ = ["FORMATTERS", "Formatter", "OutputFormat", "formatter", "parse_formats"]
