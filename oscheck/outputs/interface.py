"""Emit: one module per output format; each renders a ScanResult and computes nothing new."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from typing import ClassVar

from oscheck.i18n import N_
from oscheck.model import ScanResult, Verdict


class OutputFormat(enum.Enum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"  # SARIF 2.1.0 for GitHub code scanning
    GITHUB = "github"  # GitHub Actions workflow commands (annotations)
    SPDX_JSON = "spdx-json"
    CYCLONEDX_JSON = "cyclonedx-json"

    @property
    def is_sbom(self) -> bool:
        return self.value in SBOM_FORMATS


# The verdict as people read it (message ids; translate before showing).
VERDICT_TEXT: dict[Verdict, str] = {Verdict.PASS: N_("pass"), Verdict.FAIL: N_("fail")}

# Values of OutputFormat members that are SBOMs (written to sbom/ by default).
SBOM_FORMATS: frozenset[str] = frozenset({"spdx-json", "cyclonedx-json", "spdx3-json"})

# Short names people type.
ALIASES: dict[str, str] = {
    "md": "markdown",
    "spdx": "spdx-json",
    "cyclonedx": "cyclonedx-json",
    "cdx": "cyclonedx-json",
    "spdx3": "spdx3-json",
}


class Formatter(ABC):
    format: ClassVar[OutputFormat]
    suffix: ClassVar[str]  # file name ending, e.g. ".json", ".spdx.json"

    @abstractmethod
    def render(self, result: ScanResult, lang: str = "en") -> str:
        """The whole document as text."""
