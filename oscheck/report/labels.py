"""Words for the values the report shows (severities, statuses, check keys, …), as message ids.

Templates call ``label(kind, value)``; an unknown value is shown as written, so a value added
by a later version of a detector still appears (in English) instead of disappearing.
"""

from __future__ import annotations

from oscheck.i18n import N_

__all__ = ["LABELS", "label_id"]

LABELS: dict[str, dict[str, str]] = {
    "severity": {"error": N_("Error"), "warning": N_("Warning"), "note": N_("Note")},
    "check": {
        "scan-integrity": N_("Scan integrity"),
        "license": N_("Project license"),
        "license-compatibility": N_("License compatibility"),
        "dependencies": N_("Dependency inventory"),
        "sbom": N_("Software bill of materials (SBOM)"),
        "external-api": N_("No external AI API"),
        "open-weight": N_("Open-weight models"),
        "model-safety": N_("Model file safety"),
        "publication": N_("Public repository"),
        "community": N_("Community operation"),
        "contributions": N_("Upstream contributions"),
    },
    "requirement": {"required": N_("Required"), "reported": N_("Reported"), "off": N_("Not assessed")},
    "obligation": {"upcoming": N_("Upcoming"), "due": N_("Open now"), "overdue": N_("Overdue"), "done": N_("Done")},
    "eligibility": {
        "pass": N_("Eligible"),
        "fail": N_("Not eligible"),
        "unknown": N_("Unknown"),
        "not-applicable": N_("Not applicable"),
    },
    "decision": {"selected": N_("Selected"), "not-selected": N_("Not selected")},
    "openness": {
        "open": N_("Open weights"),
        "restricted": N_("Open weights with restrictions"),
        "non-commercial": N_("Non-commercial only"),
        "not-open": N_("Not open"),
        "unknown": N_("Unknown"),
    },
    "api": {
        "external": N_("External (hosted) API"),
        "local": N_("Self-hosted"),
        "review": N_("To review"),
        "test-only": N_("Tests only"),
    },
    "community-file": {"present": N_("Present"), "absent": N_("Missing"), "unknown": N_("Unknown")},
    "community-item": {
        "license": N_("License"),
        "readme": N_("README"),
        "contributing": N_("Contribution guide"),
        "code-of-conduct": N_("Code of conduct"),
        "security": N_("Security policy"),
        "support": N_("Support guide"),
        "governance": N_("Governance / maintainers"),
        "changelog": N_("Changelog"),
        "issue-template": N_("Issue template"),
        "pull-request-template": N_("Pull request template"),
        "citation": N_("Citation file"),
        "ci": N_("Continuous integration"),
    },
    "origin": {"first-party": N_("Own code"), "vendored": N_("Third-party (vendored)"), "generated": N_("Generated")},
    "kind": {"file": N_("File"), "dependency": N_("Dependency"), "model": N_("Model"), "dataset": N_("Dataset")},
    "scan": {"ok": N_("Scanned"), "failed": N_("Scan failed")},
    "scope": {"runtime": N_("Runtime"), "dev": N_("Development"), "optional": N_("Optional"), "test": N_("Test")},
    "member": {"lead": N_("Lead"), "participant": N_("Participant"), "demand": N_("Demand organisation")},
}


def label_id(kind: str, value: str | None) -> str | None:
    """The message id for ``value`` of ``kind``; ``None`` when there is none (show the value)."""
    if value is None:
        return None
    return LABELS.get(kind, {}).get(value)
