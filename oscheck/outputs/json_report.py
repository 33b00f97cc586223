"""The JSON report (``schema: oscheck-report/1``), documented in docs/json-report.md.

:func:`report_dict` is also what the store keeps for every scan and what the report site
reads, so the JSON document is the one serialised form of a :class:`ScanResult`.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections import Counter
from typing import Any, ClassVar

from oscheck.detectors.project_license import ProjectLicense
from oscheck.detectors.scancode import CopyrightNotice, FileLicense
from oscheck.detectors.spdx_headers import SpdxLicenseTag
from oscheck.model import Component, FileKind, FileOrigin, Finding, Observation, ScanResult
from oscheck.outputs.interface import Formatter, OutputFormat

SCHEMA = "oscheck-report/1"

# Observation kinds with their own section; every other kind goes under "evidence".
_OWN_SECTION = (FileLicense, CopyrightNotice, ProjectLicense, Component)


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, tuples and mappings as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "message": {"en": f.message.en, "ko": f.message.ko},
        "location": {"path": f.location.path, "line": f.location.line, "end_line": f.location.end_line},
        "data": to_jsonable(dict(f.data)),
        "fingerprint": f.fingerprint,
        "exempted": f.exempted,
    }


def observation_dict(o: Observation) -> dict[str, Any]:
    body: dict[str, Any] = to_jsonable(o)
    body["kind"] = o.kind
    return body


def report_dict(result: ScanResult) -> dict[str, Any]:
    t = result.target
    files = result.files
    kinds = Counter(f.kind.value for f in files)
    origins = Counter(f.origin.value for f in files)
    licenses = sorted(result.of_type(FileLicense), key=lambda o: o.location.path or "")
    tags = result.of_type(SpdxLicenseTag)
    project = result.of_type(ProjectLicense)
    evidence: dict[str, list[dict[str, Any]]] = {}
    for o in result.observations:
        if not isinstance(o, _OWN_SECTION):
            evidence.setdefault(o.kind, []).append(observation_dict(o))
    return {
        "schema": SCHEMA,
        "tool": {
            "name": "oscheck",
            "version": result.tool_version,
            "policy_version": result.policy_version,
            "detectors": list(result.detectors_run),
        },
        "target": {"kind": t.kind.value, "uri": t.uri, "ref": t.ref, "commit": t.commit, "dirty": t.dirty},
        "program": result.program,
        "track": result.track,
        "started_at": result.started_at.isoformat(),
        "finished_at": result.finished_at.isoformat(),
        "summary": {
            "verdict": result.summary.verdict.value,
            "errors": result.summary.errors,
            "warnings": result.summary.warnings,
            "notes": result.summary.notes,
            "exempted": result.summary.exempted,
        },
        "project_license": {
            "spdx": result.declared_license,
            "statements": to_jsonable(project[0].statements) if project else [],
        },
        "findings": [finding_dict(f) for f in result.sorted_findings()],
        "licenses": [
            {
                "path": o.location.path,
                "spdx": o.spdx,
                "expression": o.expression,
                "source": "scancode",
                "origin": o.origin.value,
                "lines": [[d.start_line, d.end_line] for d in o.detections],
                "percentage_of_license_text": o.percentage_of_license_text,
            }
            for o in licenses
        ]
        + [
            {
                "path": o.location.path,
                "spdx": o.normalized,
                "expression": o.expression,
                "source": "spdx-tag",
                "origin": o.origin.value,
                "lines": [[o.location.line, o.location.line]],
                "percentage_of_license_text": None,
            }
            for o in tags
        ],
        "copyrights": [
            {"path": c.location.path, "line": c.location.line, "statement": c.statement, "holders": list(c.holders)}
            for c in result.of_type(CopyrightNotice)
        ],
        "components": [observation_dict(c) for c in result.components],
        "models": evidence.pop("model", []),
        "files": {
            "total": len(files),
            "text": kinds.get(FileKind.TEXT.value, 0),
            "binary": kinds.get(FileKind.BINARY.value, 0),
            "vendored": origins.get(FileOrigin.VENDORED.value, 0),
            "generated": origins.get(FileOrigin.GENERATED.value, 0),
            "skipped": sum(1 for f in files if f.skipped is not None),
            "with_license": len({o.location.path for o in licenses} | {o.location.path for o in tags}),
        },
        "evidence": evidence,
        "stats": to_jsonable(dict(result.stats)),
    }


class JsonFormat(Formatter):
    format: ClassVar[OutputFormat] = OutputFormat.JSON
    suffix: ClassVar[str] = ".json"

    def render(self, result: ScanResult, lang: str = "en") -> str:
        return json.dumps(report_dict(result), ensure_ascii=False, indent=2) + "\n"
