"""SARIF 2.1.0 for GitHub code scanning (``--format sarif``).

What GitHub reads (docs: "SARIF support for code scanning"): ``tool.driver`` with every
rule (id, name, short and full description, help, default level, ``properties.tags``),
results with ``ruleId``, ``level``, ``message`` and one physical location with a region,
``partialFingerprints.primaryLocationLineHash`` to track an alert across runs, and
``automationDetails.id`` whose part before the last ``/`` is the analysis category.

* Repository-level findings point at the README or the manifest, line 1
  (:mod:`oscheck.outputs.locations`): code scanning drops results without a location.
* The fingerprint is :attr:`Finding.fingerprint` (rule + path + identity data, no line
  numbers), so an alert survives edits above it; ``:N`` numbers repeated fingerprints, as
  GitHub's own line hashes do.
* Exempted findings are results with an external, accepted suppression carrying the
  exemption's reason: code scanning shows them as dismissed instead of losing them.
* Every document is validated against the OASIS SARIF 2.1.0 schema (a copy ships in
  ``outputs/schemas/``) before it is returned; an invalid document is a bug, never output.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, ClassVar
from urllib.parse import quote

from oscheck.i18n import translate
from oscheck.model import Finding, ScanResult, Severity, TargetKind
from oscheck.outputs.interface import Formatter, OutputFormat
from oscheck.outputs.locations import anchor, normalise_prefix, project_anchor
from oscheck.policy import Rule, all_rules

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/oscheck/oscheck"
RULES_DOC_URI = "https://github.com/oscheck/oscheck/blob/main/docs/rules.md"
SRCROOT = "%SRCROOT%"

# GitHub's own problem classes: oscheck's findings are compliance problems, not security ones.
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}


@cache
def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 JSON Schema shipped with oscheck."""
    text = resources.files("oscheck.outputs").joinpath("schemas/sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_sarif(doc: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``doc`` is not SARIF 2.1.0."""
    import jsonschema

    jsonschema.Draft7Validator(sarif_schema(), format_checker=jsonschema.FormatChecker()).validate(doc)


def artifact_uri(path: str) -> str:
    """A repository-relative path as a URI reference (spaces, ``#``, non-UTF-8 bytes escaped)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _rule_descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    def t(msgid: str, **kw: object) -> str:
        return translate(msgid, lang, **kw)

    title, why, fix = t(rule.title), t(rule.explanation), t(rule.fix)
    sources = [f"- {s}" + (f" <{s.url}>" if s.url else "") for s in rule.sources]
    markdown = [f"**{title}**", "", why, "", f"**{t('How to fix')}:** {fix}"]
    if sources:
        markdown += ["", f"{t('Sources')}:", "", *sources]
    tags = sorted({"compliance", rule.check_key, *rule.tags})
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": title},
        "fullDescription": {"text": why},
        "help": {"text": f"{why}\n\n{t('How to fix')}: {fix}", "markdown": "\n".join(markdown)},
        "helpUri": f"{RULES_DOC_URI}#{rule.id.lower()}",
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": _PROBLEM_SEVERITY[rule.severity],
            "check": rule.check_key,
        },
    }


def _unknown_rule(rule_id: str) -> dict[str, Any]:
    """A finding whose rule is not registered (a policy from another version): still a valid rule."""
    return {"id": rule_id, "shortDescription": {"text": rule_id}, "fullDescription": {"text": rule_id}}


class SarifFormat(Formatter):
    """SARIF 2.1.0. ``prefix`` makes paths repository-relative when a sub-folder was scanned."""

    format: ClassVar[OutputFormat] = OutputFormat.SARIF
    suffix: ClassVar[str] = ".sarif"

    def __init__(self, prefix: str = "") -> None:
        self.prefix = normalise_prefix(prefix)

    def document(self, result: ScanResult, lang: str = "en") -> dict[str, Any]:
        """The SARIF log as a dict (validated)."""
        rules = [_rule_descriptor(r, lang) for r in all_rules()]
        index = {r["id"]: i for i, r in enumerate(rules)}
        for f in result.findings:
            if f.rule_id not in index:
                index[f.rule_id] = len(rules)
                rules.append(_unknown_rule(f.rule_id))
        fallback = project_anchor(result)
        seen: dict[str, int] = {}
        results = [self._result(f, result, index, fallback, seen, lang) for f in result.sorted_findings()]
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "oscheck",
                    "fullName": "oscheck — open-source license and AI compliance scanner",
                    "version": result.tool_version,
                    "semanticVersion": result.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "automationDetails": {"id": self._automation_id(result)},
            "invocations": [
                {
                    "executionSuccessful": True,
                    "startTimeUtc": result.started_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "endTimeUtc": result.finished_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                }
            ],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "verdict": result.summary.verdict.value,
                "policyVersion": result.policy_version,
                "program": result.program,
                "track": result.track,
                "declaredLicense": result.declared_license,
                "errors": result.summary.errors,
                "warnings": result.summary.warnings,
                "notes": result.summary.notes,
                "exempted": result.summary.exempted,
            },
        }
        if result.target.kind is TargetKind.GIT and result.target.commit:
            run["versionControlProvenance"] = [
                {"repositoryUri": result.target.uri, "revisionId": result.target.commit}
                | ({"branch": result.target.ref} if result.target.ref else {})
            ]
        doc: dict[str, Any] = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
        validate_sarif(doc)
        return doc

    def render(self, result: ScanResult, lang: str = "en") -> str:
        return json.dumps(self.document(result, lang), ensure_ascii=False, indent=2) + "\n"

    def _automation_id(self, result: ScanResult) -> str:
        # The category (before the last "/") separates analyses of different folders and
        # programs; the last part names this run.
        folder = self.prefix.rstrip("/")
        category = "/".join(p for p in ("oscheck", folder, result.program or "default") if p)
        return f"{category}/{result.started_at.strftime('%Y-%m-%dT%H:%M:%SZ')}"

    def _result(
        self,
        finding: Finding,
        result: ScanResult,
        index: dict[str, int],
        fallback: str,
        seen: dict[str, int],
        lang: str,
    ) -> dict[str, Any]:
        where = anchor(finding, result, self.prefix, fallback)
        region: dict[str, Any] = {"startLine": where.start_line}
        if where.end_line is not None:
            region["endLine"] = where.end_line
        fp = finding.fingerprint
        seen[fp] = seen.get(fp, 0) + 1
        out: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "ruleIndex": index[finding.rule_id],
            "level": finding.severity.value,
            "message": {"text": finding.message.get(lang)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(where.path), "uriBaseId": SRCROOT},
                        "region": region,
                    }
                }
            ],
            "partialFingerprints": {
                "primaryLocationLineHash": f"{fp}:{seen[fp]}",
                "oscheckFingerprint/v1": fp,
            },
            "properties": {"projectLevel": where.project_level, "policyVersion": finding.policy_version},
        }
        if finding.exempted is not None:
            out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.exempted}]
        return out
