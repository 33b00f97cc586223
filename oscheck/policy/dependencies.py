"""DEP rules: the dependency inventory behind the SBOM is complete and says what it knows.

The utilisation track must submit "the list of open-source models and SW used"; every
other track is asked for it in reviews. These rules report what keeps that list from
being complete or correct: manifests oscheck could not read, dependencies whose
license no source states, and dependencies without a pinned version. Whether a
dependency's license is *compatible* is the license-compatibility rules' business.
"""

from __future__ import annotations

from collections.abc import Iterator

from oscheck.detectors.dependencies import ManifestProblem, UnresolvedLicense, UnresolvedReason
from oscheck.detectors.dependencies.purls import from_registry
from oscheck.i18n import N_, LocalizedText, lt
from oscheck.model import Component, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.rules import Hit, Source, rule

_CALL_USE = Source("seeds/msit-nipa-oss-ai-sw-2026-call.txt", "활용과제: 활용한 오픈소스 모델 및 SW 목록 제출")
_SPDX = Source(
    "SPDX Specification 2.3",
    "7.15 Declared license field (NOASSERTION)",
    "https://spdx.github.io/spdx-spec/v2.3/package-information/",
)
_CDX = Source("CycloneDX 1.6", "components, dependencies", "https://cyclonedx.org/docs/1.6/json/")


@rule(
    "DEP001",
    "manifest-malformed",
    Severity.ERROR,
    check="sbom",
    title=N_("A dependency manifest or lock file cannot be read"),
    explanation=N_(
        "Dependencies listed in a file that does not parse are missing from the SBOM, and package managers will fail on it too."
    ),
    fix=N_("Fix the file at the line shown (or regenerate the lock file with its package manager) and scan again."),
    requires=("dependencies",),
    tags=("sbom", "dependencies"),
    sources=(_CALL_USE, _CDX),
)
def manifest_malformed(ctx: PolicyContext) -> Iterator[Hit]:
    for o in ctx.of_type(ManifestProblem):
        yield Hit(
            lt("{where}: {problem}", where=str(o.location), problem=o.problem),
            o.location,
            {"format": o.format, "problem": o.problem, "key": f"{o.location.path}:{o.problem}"},
        )


# One complete sentence per reason, so that each reads naturally in Korean.
_REASONS: dict[UnresolvedReason, str] = {
    UnresolvedReason.NO_VERSION: N_(
        "{package}: no lock file or installed environment pins a version, so its license cannot be looked up"
    ),
    UnresolvedReason.NOT_FROM_REGISTRY: N_(
        "{package} comes from a git repository or URL, not a registry; its license is not stated anywhere oscheck reads"
    ),
    UnresolvedReason.NO_REGISTRY: N_(
        "{package}: the lock file does not state licenses and oscheck does not query this ecosystem's registry"
    ),
    UnresolvedReason.OFFLINE: N_("{package}: offline mode, and the registry's answer is not in the cache"),
    UnresolvedReason.NOT_FOUND: N_("{package} is not in the registry"),
    UnresolvedReason.REGISTRY_ERROR: N_("{package}: the registry did not answer ({detail})"),
    UnresolvedReason.NO_LICENSE: N_("{package}: its metadata states no license"),
    UnresolvedReason.NOT_SPDX: N_(
        "{package}: its metadata says '{declared}', which does not identify one SPDX license"
    ),
}


def unresolved_message(o: UnresolvedLicense) -> LocalizedText:
    package = f"{o.name} {o.version}" if o.version else o.name
    return lt(_REASONS[o.reason], package=package, declared=o.declared or "", detail=o.detail or "?")


@rule(
    "DEP002",
    "dependency-license-unresolved",
    Severity.WARNING,
    check="sbom",
    title=N_("A dependency's license is unknown (NOASSERTION in the SBOM)"),
    explanation=N_(
        "A dependency whose license no source states cannot be checked for compatibility, and the SBOM must say NOASSERTION for it instead of a license."
    ),
    fix=N_(
        "Pin the dependency with a lock file, scan with --python-env or without --offline, or find its license and record it with an exemption that names it."
    ),
    requires=("dependencies",),
    tags=("sbom", "dependencies", "license"),
    sources=(_CALL_USE, _SPDX),
)
def dependency_license_unresolved(ctx: PolicyContext) -> Iterator[Hit]:
    for o in ctx.of_type(UnresolvedLicense):
        yield Hit(
            unresolved_message(o),
            o.location,
            {
                "purl": o.purl,
                "reason": o.reason.value,
                "declared": o.declared,
                "tried": list(o.tried),
                "key": o.purl,
            },
        )


@rule(
    "DEP003",
    "dependency-not-pinned",
    Severity.NOTE,
    check="dependencies",
    title=N_("A dependency is declared without a pinned version"),
    explanation=N_(
        "Without a lock file (or an exact pin) the SBOM cannot say which version ships, and a later install may bring a version under another license."
    ),
    fix=N_(
        "Commit the lock file of your package manager (uv.lock, poetry.lock, package-lock.json, …) or pin exact versions."
    ),
    requires=("dependencies",),
    tags=("sbom", "dependencies"),
    sources=(_CALL_USE,),
)
def dependency_not_pinned(ctx: PolicyContext) -> Iterator[Hit]:
    for c in ctx.of_type(Component):
        # A git or URL dependency is pinned by its URL (the purl's vcs_url/download_url).
        if c.version is None and c.detector == "dependencies" and from_registry(c.purl):
            yield Hit(
                lt(
                    "{name} is declared as '{requirement}' in {path} and no lock file pins it",
                    name=c.name,
                    requirement=c.requirement or "*",
                    path=c.manifest or "?",
                ),
                c.location,
                {"purl": c.purl, "requirement": c.requirement, "key": c.purl},
            )
