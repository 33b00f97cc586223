"""LIC001–LIC002, LIC004–LIC005: the project's own license statements.

Whether inbound licenses are *compatible* with the project's license is LIC003 and the
license-policy rules; these rules only check that the project says what its license is,
says it consistently, and says it in valid SPDX.
"""

from __future__ import annotations

from collections.abc import Iterator

from oscheck.detectors.project_license import ProjectLicense
from oscheck.detectors.spdx_headers import SpdxLicenseTag
from oscheck.i18n import N_, lt
from oscheck.model import FileOrigin, Location, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.rules import Hit, Source, rule

_CALL = Source("seeds/msit-nipa-oss-ai-sw-2026-call.txt", "유의사항: 개발 결과물은 GitHub 등 공개 저장소에 공개")
_REUSE = Source("REUSE Specification 3.2", "License information", "https://reuse.software/spec-3.2/")
_SPDX = Source(
    "SPDX Specification 2.3",
    "Annex D: SPDX License Expressions",
    "https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/",
)


def _project(ctx: PolicyContext) -> ProjectLicense | None:
    found = ctx.of_type(ProjectLicense)
    return found[0] if found else None


@rule(
    "LIC001",
    "project-license-missing",
    Severity.ERROR,
    check="license",
    title=N_("The project has no license"),
    explanation=N_(
        "Code without a license may not be used, changed or shared by anyone; a publicly funded project must be published under an open-source license."
    ),
    fix=N_(
        "Add a LICENSE file with the full text of an OSI-approved license (e.g. Apache-2.0) and state it in .oscheck.yml (license: Apache-2.0)."
    ),
    requires=("licenses",),
    tags=("license",),
    sources=(_CALL,),
)
def project_license_missing(ctx: PolicyContext) -> Iterator[Hit]:
    project = _project(ctx)
    if project is not None and project.spdx is None:
        yield Hit(
            lt("No license file, license declaration or license metadata was found"),
            Location("README.md" if any(f.path == "README.md" for f in ctx.files) else None),
            {"key": "project"},
        )


@rule(
    "LIC002",
    "project-license-inconsistent",
    Severity.WARNING,
    check="license",
    title=N_("The project states different licenses in different places"),
    explanation=N_(
        "When the LICENSE file, the package metadata and the declaration disagree, users and reviewers cannot tell which license applies."
    ),
    fix=N_("Make the LICENSE file, the package metadata and .oscheck.yml name the same license."),
    requires=("licenses",),
    tags=("license",),
    sources=(_CALL,),
)
def project_license_inconsistent(ctx: PolicyContext) -> Iterator[Hit]:
    project = _project(ctx)
    if project is None:
        return
    for s in project.disagreeing:
        yield Hit(
            lt(
                "{path} says {found}, but the project's license is {expected}",
                path=s.path,
                found=s.spdx,
                expected=project.spdx,
            ),
            Location(s.path, s.line),
            {"source": s.source, "found": s.spdx, "expected": project.spdx, "key": f"{s.path}:{s.spdx}"},
        )


@rule(
    "LIC004",
    "spdx-tag-invalid",
    Severity.WARNING,
    check="license",
    title=N_("An SPDX-License-Identifier tag is not a valid SPDX expression"),
    explanation=N_("A tag that does not parse, or names an unknown license id, tells nobody the file's license."),
    fix=N_(
        "Use an id from the SPDX license list (https://spdx.org/licenses/) or a LicenseRef- id, joined with AND, OR and WITH."
    ),
    requires=("licenses",),
    tags=("license", "spdx"),
    sources=(_SPDX, _REUSE),
)
def spdx_tag_invalid(ctx: PolicyContext) -> Iterator[Hit]:
    for tag in ctx.of_type(SpdxLicenseTag):
        if tag.normalized is None:
            yield Hit(
                lt(
                    "'{expression}' is not a valid SPDX expression ({error})",
                    expression=tag.expression if len(tag.expression) <= 120 else tag.expression[:117] + "...",
                    error=tag.error or "?",
                ),
                tag.location,
                {"expression": tag.expression, "key": f"{tag.location.path}:{tag.expression}"},
            )


@rule(
    "LIC005",
    "file-license-differs",
    Severity.NOTE,
    check="license",
    title=N_("A project file's SPDX tag names a license other than the project's"),
    explanation=N_(
        "A first-party file under another license is legal only if that license fits the project's; reviewers need to see it."
    ),
    fix=N_(
        "If the file is yours, tag it with the project's license; if it is someone else's, keep their license and move it under a vendored folder."
    ),
    requires=("licenses",),
    tags=("license", "spdx"),
    sources=(_REUSE,),
)
def file_license_differs(ctx: PolicyContext) -> Iterator[Hit]:
    project = _project(ctx)
    if project is None or project.spdx is None:
        return
    for tag in ctx.of_type(SpdxLicenseTag):
        if tag.normalized and tag.origin is FileOrigin.FIRST_PARTY and tag.normalized != project.spdx:
            yield Hit(
                lt(
                    "the file is tagged {found}; the project's license is {expected}",
                    found=tag.normalized,
                    expected=project.spdx,
                ),
                tag.location,
                {"found": tag.normalized, "expected": project.spdx, "key": f"{tag.location.path}:{tag.normalized}"},
            )
