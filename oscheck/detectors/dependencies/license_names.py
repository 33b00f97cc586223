"""License texts from package metadata as SPDX expressions, through ``policies/license-names.yaml``.

A text that is a valid SPDX expression is normalised with license-expression. Any
other text maps only through the policy file's ``names`` and ``classifiers``; a name the
file does not list, or lists as ambiguous, stays unresolved. No rule in code decides
what a license name means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from oscheck.detectors.spdx_headers import normalize_spdx
from oscheck.errors import PolicyError
from oscheck.i18n import _

POLICY_FILE = "license-names.yaml"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().rstrip(".")).casefold()


@dataclass(frozen=True)
class Mapped:
    """The outcome of mapping one license text."""

    spdx: str | None
    declared: str | None  # the text as the source stated it (kept when not mapped)
    via: str | None = None  # "spdx" | "name" | "classifier"


@dataclass(frozen=True)
class LicenseNames:
    names: Mapping[str, str]  # normalised name -> SPDX id
    classifiers: Mapping[str, str]  # trove classifier -> SPDX id
    ambiguous: frozenset[str]  # normalised names and classifiers deliberately left unmapped

    def to_spdx(self, text: str | None) -> Mapped:
        """One license text (an SPDX expression or a name) as SPDX, or unresolved."""
        if text is None or not text.strip():
            return Mapped(None, None)
        raw = text.strip()
        declared = raw if len(raw) <= 200 and "\n" not in raw else raw.splitlines()[0][:200] + " …"
        if "\n" in raw or len(raw) > 200:
            return Mapped(None, declared)  # a whole license text: not a name
        if _norm(raw) in self.ambiguous:
            return Mapped(None, declared)
        mapped = self.names.get(_norm(raw))
        if mapped is not None:
            return Mapped(mapped, declared, "name")
        spdx, _error = normalize_spdx(raw)
        if spdx is not None:
            return Mapped(spdx, declared, "spdx")
        return Mapped(None, declared)

    def from_classifiers(self, classifiers: Iterable[str]) -> Mapped:
        """PyPI ``License ::`` classifiers: one SPDX id when they name exactly one license."""
        licenses = [c.strip() for c in classifiers if c.strip().startswith("License ::")]
        if not licenses:
            return Mapped(None, None)
        mapped = {self.classifiers.get(c) for c in licenses}
        declared = "; ".join(licenses)
        if None in mapped or len(mapped) != 1:
            return Mapped(None, declared)  # an ambiguous or unknown classifier, or several licenses
        return Mapped(next(iter(m for m in mapped if m is not None)), declared, "classifier")


@cache
def load_license_names(policy_dir: Path) -> LicenseNames:
    """Read and check ``license-names.yaml`` (every target must be a valid SPDX id)."""
    path = policy_dir / POLICY_FILE
    if not path.is_file():
        return LicenseNames({}, {}, frozenset())
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise PolicyError(_("{where}: invalid YAML in a policy file", where=path)) from None
    names: dict[str, str] = {}
    for spdx, entry in (data.get("names") or {}).items():
        _check_id(path, str(spdx))
        for name in (entry or {}).get("names") or []:
            names[_norm(str(name))] = str(spdx)
    classifiers: dict[str, str] = {}
    for classifier, spdx in (data.get("classifiers") or {}).items():
        _check_id(path, str(spdx))
        classifiers[str(classifier).strip()] = str(spdx)
    ambiguous = frozenset(_norm(str(a)) for a in data.get("ambiguous") or [])
    return LicenseNames(names, classifiers, ambiguous)


def _check_id(path: Path, spdx: str) -> None:
    normalized, error = normalize_spdx(spdx)
    if normalized != spdx:
        raise PolicyError(
            _("{path}: '{id}' is not an SPDX license id ({error})", path=path, id=spdx, error=error or normalized)
        )
