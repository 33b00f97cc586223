"""sbom/oscheck.spdx.json and sbom/oscheck.cdx.json: oscheck's own SBOMs, valid and current.

"Current" (docs/sbom.md): a fresh generation from this checkout and the installed
environment lists the same packages (purl, version, declared license) with the same
relationships between them and to the project, and the same CycloneDX components and
dependency graph. File lists and checksums, times, namespaces, serial numbers and the
tool version are left out: they change with every commit, and comparing them would
force a regeneration after every unrelated change. Regenerate with ``make sbom``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT

from oscheck import ScanOptions, scan
from oscheck.outputs import OutputFormat, formatter

SPDX = ROOT / "sbom" / "oscheck.spdx.json"
CDX = ROOT / "sbom" / "oscheck.cdx.json"
HINT = "sbom/ is stale: run `make sbom` and commit sbom/ (docs/sbom.md, 'Dogfooding')"


def test_committed_sboms_are_valid() -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    assert validate_full_spdx_document(parse_file(str(SPDX))) == []
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(CDX.read_text(encoding="utf-8")) is None
    spdx = json.loads(SPDX.read_text(encoding="utf-8"))
    assert spdx["name"] == "oscheck" and spdx["packages"][0]["licenseDeclared"] == "Apache-2.0"
    assert any(f["fileName"] == "./oscheck/scan.py" for f in spdx["files"])  # files with license detection ran
    assert not any(f["fileName"].startswith("./sbom/") for f in spdx["files"])  # .oscheckignore


def spdx_view(doc: dict[str, Any]) -> tuple[set[tuple[Any, ...]], set[tuple[str, str, str]]]:
    packages = {
        (
            p["SPDXID"],
            p["name"],
            p.get("versionInfo"),
            p["licenseDeclared"],
            tuple(r["referenceLocator"] for r in p.get("externalRefs", [])),
        )
        for p in doc["packages"][1:]
    }
    ids = {p["SPDXID"] for p in doc["packages"]}
    relationships = {
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
        for r in doc["relationships"]
        if r["spdxElementId"] in ids and r["relatedSpdxElement"] in ids
    }
    return packages, relationships


def cdx_view(doc: dict[str, Any]) -> tuple[set[tuple[Any, ...]], set[tuple[str, tuple[str, ...]]]]:
    components = {
        (c["bom-ref"], c.get("version"), c.get("scope"), json.dumps(c.get("licenses", []), sort_keys=True))
        for c in doc["components"]
    }
    graph = {(d["ref"], tuple(sorted(d.get("dependsOn", [])))) for d in doc["dependencies"]}
    return components, graph


@pytest.mark.skipif(not (Path(sys.prefix) / "pyvenv.cfg").is_file(), reason="needs the project's virtual environment")
def test_committed_sboms_are_current(tmp_path: Path) -> None:
    result = scan(
        str(ROOT),
        ScanOptions(
            only=("dependencies",),
            jobs=1,
            cache_dir=tmp_path / "cache",
            detector_options={"python_env": sys.prefix, "offline": True},
        ),
    )
    fresh_spdx = json.loads(formatter(OutputFormat.SPDX_JSON).render(result))
    fresh_cdx = json.loads(formatter(OutputFormat.CYCLONEDX_JSON).render(result))
    committed_spdx = json.loads(SPDX.read_text(encoding="utf-8"))
    committed_cdx = json.loads(CDX.read_text(encoding="utf-8"))
    assert spdx_view(committed_spdx) == spdx_view(fresh_spdx), HINT
    assert cdx_view(committed_cdx) == cdx_view(fresh_cdx), HINT
