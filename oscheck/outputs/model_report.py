"""``oscheck model``: one model's verdict as JSON or text, rendered from a ScanResult.

JSON (``schema: oscheck-model/1``): ``id``, ``revision``, ``verdict`` (open, restricted,
non-commercial, not-open, unknown), ``license`` (SPDX id or ``LicenseRef-…``),
``license_tag`` (the Hub tag as written), ``conditions``, ``gated``, ``weights`` (files
with format, size, sha256 and what the inspection found), ``lineage``, ``findings``.
"""

from __future__ import annotations

import json
from typing import Any

from oscheck.detectors.models import WeightFile
from oscheck.i18n import _
from oscheck.model import AIModel, ScanResult
from oscheck.outputs.json_report import finding_dict


def model_report_dict(result: ScanResult, lang: str = "en") -> dict[str, Any]:
    models = result.of_type(AIModel)
    m = models[0] if models else None
    inspected = {w.location.path: w for w in result.of_type(WeightFile)}
    weights = []
    for f in m.weights if m else ():
        w = inspected.get(f.path) or inspected.get(f"{m.id}/{f.path}" if m else "")
        entry: dict[str, Any] = {"path": f.path, "format": f.format, "size": f.size, "sha256": f.sha256}
        if w is not None:
            entry.update(
                {
                    "inspected": w.inspected,
                    "inspected_format": w.format,
                    "globals": list(w.globals),
                    "problems": list(w.problems),
                    "not_inspected_reason": w.not_inspected_reason,
                }
            )
        weights.append(entry)
    return {
        "schema": "oscheck-model/1",
        "tool": {"name": "oscheck", "version": result.tool_version, "policy_version": result.policy_version},
        "id": m.id if m else result.target.uri,
        "source": m.source if m else None,
        "revision": m.revision if m else result.target.commit,
        "purl": m.purl if m else None,
        "url": m.url if m else None,
        "verdict": m.openness.value if m else "unknown",
        "license": m.license if m else None,
        "license_tag": m.license_tag if m else None,
        "license_name": m.license_name if m else None,
        "conditions": list(m.conditions) if m else [],
        "gated": m.gated if m else None,
        "private": m.private if m else False,
        "task": m.task if m else None,
        "library": m.library if m else None,
        "architecture": m.architecture if m else None,
        "datasets": list(m.datasets) if m else [],
        "weights": weights,
        "files": [f.path for f in m.files] if m else [],
        "lineage": [
            {
                "id": a.id,
                "revision": a.revision,
                "relation": a.relation,
                "depth": a.depth,
                "child": a.child,
                "license": a.license,
                "license_tag": a.license_tag,
                "verdict": a.openness.value,
                "gated": a.gated,
                "problem": a.problem,
            }
            for a in (m.lineage if m else ())
        ],
        "findings": [finding_dict(f) for f in result.sorted_findings()],
        "summary": {
            "errors": result.summary.errors,
            "warnings": result.summary.warnings,
            "notes": result.summary.notes,
        },
    }


def model_report_json(result: ScanResult, lang: str = "en") -> str:
    return json.dumps(model_report_dict(result, lang), indent=2, ensure_ascii=False) + "\n"


def model_report_text(result: ScanResult, lang: str = "en") -> str:
    d = model_report_dict(result, lang)
    lines = [
        f"{d['id']}@{d['revision'] or '-'}",
        _("verdict: {verdict}", verdict=d["verdict"]),
        _("license: {license} (tag: {tag})", license=d["license"] or "-", tag=d["license_tag"] or "-"),
    ]
    if d["gated"]:
        lines.append(_("gated: {mode}", mode=d["gated"]))
    for c in d["conditions"]:
        lines.append(f"  - {c}")
    lines.append(_("weights: {n} files", n=len(d["weights"])))
    for w in d["weights"][:20]:
        lines.append(f"  {w['path']} ({w['format']})")
    for a in d["lineage"]:
        lines.append(
            _(
                "base: {id} ({relation}, {license}, {verdict})",
                id=a["id"],
                relation=a["relation"],
                license=a["license"] or a["license_tag"] or a["problem"] or "-",
                verdict=a["verdict"],
            )
        )
    for f in result.sorted_findings():
        lines.append(f"{f.severity.value:7} {f.rule_id} {f.message.get(lang)}")
    return "\n".join(lines) + "\n"
