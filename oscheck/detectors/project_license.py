"""The project's own (outbound) license, as an SPDX expression, with where it was read.

Sources, each kept as evidence:

* ``license:`` in ``.oscheck.yml`` (what the grantee declares to the agency);
* the root license files (LICENSE, LICENCE, COPYING, UNLICENSE, ... with any extension),
  as scancode detected them;
* package metadata: ``pyproject.toml`` (PEP 639 ``license`` expression, the older
  ``license = {text=…}``, Poetry's ``license``), ``setup.cfg``, ``package.json``,
  ``Cargo.toml``.

The concluded expression prefers the declaration, then the license files, then metadata;
disagreements are kept so the policy can report them.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass
from typing import ClassVar

from oscheck import safeparse
from oscheck.detectors.interface import DetectContext, Detector
from oscheck.detectors.scancode import FileLicense
from oscheck.detectors.spdx_headers import SpdxLicenseTag, normalize_spdx
from oscheck.model import Location, Observation

LICENSE_FILE = re.compile(r"^(un)?licen[cs]e([-_.].*)?$|^copying([-_.].*)?$|^copyright(\.(txt|md))?$", re.IGNORECASE)


@dataclass(frozen=True)
class LicenseStatement:
    """One place that states the project's license."""

    source: str  # "declaration" | "license-file" | "package-metadata"
    path: str
    line: int | None
    expression: str  # as written or as detected
    spdx: str | None  # normalised SPDX expression; None when it is not one


@dataclass(frozen=True, kw_only=True)
class ProjectLicense(Observation):
    kind: ClassVar[str] = "project-license"
    spdx: str | None  # the concluded outbound license
    statements: tuple[LicenseStatement, ...]

    @property
    def disagreeing(self) -> list[LicenseStatement]:
        """Statements whose expression differs from the concluded one."""
        if self.spdx is None:
            return []
        return [s for s in self.statements if s.spdx is not None and s.spdx != self.spdx]


def is_root_license_file(path: str) -> bool:
    return "/" not in path and bool(LICENSE_FILE.match(path))


class ProjectLicenseDetector(Detector):
    id: ClassVar[str] = "project-license"
    group: ClassVar[str] = "licenses"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        statements: list[LicenseStatement] = []
        decl = ctx.declaration.license
        invalid: list[Observation] = []
        if decl:
            spdx, err = normalize_spdx(decl)
            statements.append(LicenseStatement("declaration", ".oscheck.yml", None, decl, spdx))
            if spdx is None:  # reported like an SPDX tag that does not parse (LIC004)
                invalid.append(
                    SpdxLicenseTag(
                        detector=self.id, location=Location(".oscheck.yml"), expression=decl, normalized=None, error=err
                    )
                )
        for fl in ctx.prior(FileLicense):
            path = fl.location.path or ""
            if is_root_license_file(path) and fl.spdx:
                statements.append(
                    LicenseStatement("license-file", path, fl.location.line, fl.expression or fl.spdx, fl.spdx)
                )
        statements += self._metadata(ctx)
        concluded = next((s.spdx for s in statements if s.source == "declaration" and s.spdx), None)
        if concluded is None:
            files = [s.spdx for s in statements if s.source == "license-file" and s.spdx]
            if files:
                concluded = files[0] if len(set(files)) == 1 else " AND ".join(sorted(set(files)))
        if concluded is None:
            concluded = next((s.spdx for s in statements if s.source == "package-metadata" and s.spdx), None)
        return [
            ProjectLicense(detector=self.id, location=Location(None), spdx=concluded, statements=tuple(statements)),
            *invalid,
        ]

    def _metadata(self, ctx: DetectContext) -> list[LicenseStatement]:
        out: list[LicenseStatement] = []
        inv = ctx.inventory
        readers = {
            "pyproject.toml": _pyproject_license,
            "setup.cfg": _setup_cfg_license,
            "package.json": _package_json_license,
            "Cargo.toml": _cargo_license,
        }
        for name, reader in readers.items():
            record = inv.get(name)
            if record is None or record.skipped is not None:
                continue
            text = inv.read_text(record)
            try:
                value = reader(text)
            except (ValueError, KeyError, TypeError, tomllib.TOMLDecodeError, configparser.Error):
                continue  # malformed manifests are reported by the manifest detector
            if value:
                line = _line_of(text, value)
                spdx, _err = normalize_spdx(value)
                out.append(LicenseStatement("package-metadata", name, line, value, spdx))
        return out


def _line_of(text: str, value: str) -> int | None:
    idx = text.find(value)
    return text.count("\n", 0, idx) + 1 if idx >= 0 else None


def _pyproject_license(text: str) -> str | None:
    data = safeparse.load_toml(text)
    lic = _at(data, "project", "license")
    if isinstance(lic, str):
        return lic  # PEP 639 expression
    if isinstance(lic, dict) and isinstance(lic.get("text"), str) and len(lic["text"]) < 200:
        return str(lic["text"])
    poetry = _at(data, "tool", "poetry", "license")
    return poetry if isinstance(poetry, str) else None


def _at(data: object, *keys: str) -> object:
    """``data[k1][k2]…`` through tables only: a manifest's author chooses every type."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _setup_cfg_license(text: str) -> str | None:
    cp = configparser.ConfigParser(interpolation=None)
    cp.read_string(text)
    value = cp.get("metadata", "license", fallback=None)
    return value.strip() if value and len(value) < 200 else None


def _package_json_license(text: str) -> str | None:
    lic = _at(safeparse.load_json(text), "license")
    if isinstance(lic, dict):
        lic = lic.get("type")
    return lic if isinstance(lic, str) else None


def _cargo_license(text: str) -> str | None:
    lic = _at(safeparse.load_toml(text), "package", "license")
    return lic if isinstance(lic, str) else None
