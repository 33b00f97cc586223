"""SCN rules: what the scan could not look at, so nobody mistakes "not read" for "clean".

Every repository is untrusted input; these rules report the paths oscheck refused to
read or follow (DESIGN.md, security posture) and the files a detector could not finish.
"""

from __future__ import annotations

from collections.abc import Iterator

from oscheck.detectors.scancode import DetectionProblem
from oscheck.i18n import N_, lt
from oscheck.inventory import InventoryIssue
from oscheck.model import Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.rules import Hit, Source, rule

_DESIGN = Source("DESIGN.md", "Security posture")


def _issues(ctx: PolicyContext, issue: str) -> Iterator[InventoryIssue]:
    return (o for o in ctx.of_type(InventoryIssue) if o.issue == issue)


@rule(
    "SCN001",
    "file-too-large",
    Severity.WARNING,
    check="scan-integrity",
    title=N_("A file is larger than the size limit and was not scanned"),
    explanation=N_("Files over the limit are listed but not read, so licenses or API keys inside them are not seen."),
    fix=N_("Remove large data from the repository (use Git LFS or a release asset), or raise --max-file-size."),
    tags=("scan",),
    sources=(_DESIGN,),
)
def file_too_large(ctx: PolicyContext) -> Iterator[Hit]:
    for o in _issues(ctx, "oversized"):
        yield Hit(
            lt(
                "{path} ({mib} MiB) is over the size limit and was not scanned",
                path=o.location.path,
                mib=round(o.size / 2**20, 1),
            ),
            o.location,
            {"size": o.size, "key": o.location.path},
        )


@rule(
    "SCN002",
    "symlink-outside-repository",
    Severity.WARNING,
    check="scan-integrity",
    title=N_("A symbolic link points outside the repository"),
    explanation=N_(
        "Links that leave the repository are never followed: what they point at is not part of the published code, and following them could read the scanning machine's files."
    ),
    fix=N_("Replace the link with the file it points to, or remove it."),
    tags=("scan", "security"),
    sources=(_DESIGN,),
)
def symlink_outside(ctx: PolicyContext) -> Iterator[Hit]:
    for o in _issues(ctx, "symlink-outside-root"):
        yield Hit(
            lt(
                "{path} is a link to {target}, outside the repository; it was not followed",
                path=o.location.path,
                target=o.link_target,
            ),
            o.location,
            {"link_target": o.link_target, "key": o.location.path},
        )


@rule(
    "SCN003",
    "file-name-not-utf8",
    Severity.WARNING,
    check="scan-integrity",
    title=N_("A file name is not valid UTF-8"),
    explanation=N_("Such names display differently on every system and cannot be written into SBOMs exactly."),
    fix=N_("Rename the file with a UTF-8 name."),
    tags=("scan",),
    sources=(_DESIGN,),
)
def name_not_utf8(ctx: PolicyContext) -> Iterator[Hit]:
    for o in _issues(ctx, "invalid-utf8-name"):
        yield Hit(
            lt("{path}: the file name is not valid UTF-8", path=o.location.path), o.location, {"key": o.location.path}
        )


@rule(
    "SCN004",
    "submodule-not-scanned",
    Severity.NOTE,
    check="scan-integrity",
    title=N_("A git submodule was not scanned"),
    explanation=N_(
        "Submodules are other repositories; oscheck never fetches them, so their licenses are not part of this scan. A submodule URL on the local file system cannot be published at all."
    ),
    fix=N_("Scan the submodule's repository separately, or vendor the code you need with its license."),
    tags=("scan",),
    sources=(_DESIGN,),
)
def submodule(ctx: PolicyContext) -> Iterator[Hit]:
    for o in _issues(ctx, "submodule"):
        url = o.link_target or ""
        local = url.startswith(("file:", "/", "./", "../")) or url == ""
        yield Hit(
            lt("{path} is a submodule ({url}); it was not fetched or scanned", path=o.location.path, url=url or "?"),
            o.location,
            {"url": url, "key": o.location.path},
            severity=Severity.WARNING if local else None,
        )


@rule(
    "SCN005",
    "special-file",
    Severity.WARNING,
    check="scan-integrity",
    title=N_("A special file (FIFO, socket or device) is in the repository"),
    explanation=N_("Special files are never opened: reading one can hang or read from a device."),
    fix=N_("Remove the special file from the repository."),
    tags=("scan", "security"),
    sources=(_DESIGN,),
)
def special_file(ctx: PolicyContext) -> Iterator[Hit]:
    for o in _issues(ctx, "special-file"):
        yield Hit(
            lt("{path} is a special file and was not read", path=o.location.path), o.location, {"key": o.location.path}
        )


@rule(
    "SCN006",
    "detection-incomplete",
    Severity.WARNING,
    check="scan-integrity",
    title=N_("License detection did not finish on a file"),
    explanation=N_(
        "The file hit the per-file time limit or made the detector fail; its licenses are unknown, not absent."
    ),
    fix=N_(
        "Check the file by hand; if it is data, move it out of the repository or add it to .oscheckignore with a reason."
    ),
    tags=("scan", "license"),
    sources=(_DESIGN,),
)
def detection_incomplete(ctx: PolicyContext) -> Iterator[Hit]:
    for o in ctx.of_type(DetectionProblem):
        yield Hit(
            lt(
                "{path}: {detector} could not finish ({problem})",
                path=o.location.path,
                detector=o.detector,
                problem=o.problem,
            ),
            o.location,
            {"problem": o.problem, "detector": o.detector, "key": o.location.path},
        )


@rule(
    "SCN007",
    "file-unreadable",
    Severity.WARNING,
    check="scan-integrity",
    title=N_("A file could not be read"),
    explanation=N_("An unreadable file is not scanned; its licenses are unknown."),
    fix=N_("Check the file's permissions, or remove it."),
    tags=("scan",),
    sources=(_DESIGN,),
)
def unreadable(ctx: PolicyContext) -> Iterator[Hit]:
    for o in _issues(ctx, "unreadable"):
        yield Hit(
            lt("{path} could not be read ({error})", path=o.location.path, error=o.detail or "?"),
            o.location,
            {"key": o.location.path},
        )
