"""What both SBOM formats say, computed once from a ScanResult: the project, its
dependencies and their graph, its models and files, the time and the identifiers.

Reproducibility: with ``SOURCE_DATE_EPOCH`` set, the creation time is that moment and
every identifier (SPDX document namespace, CycloneDX serial number) is derived from
the target, the commit and the content, so the same input gives byte-identical SBOMs.
Without it, the time is when the scan started; identifiers are derived all the same.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from oscheck.detectors.dependencies import PackageManifest
from oscheck.detectors.scancode import CopyrightNotice, FileLicense
from oscheck.detectors.spdx_headers import SpdxLicenseTag, normalize_spdx
from oscheck.errors import OscheckError
from oscheck.model import AIModel, Component, FileRecord, ScanResult, TargetKind

TOOL_NAME = "oscheck"
TOOL_URL = "https://github.com/oscheck/oscheck"
# The SPDX namespace prefix: our own site, then the target and revision (never a local path).
NAMESPACE_BASE = f"{TOOL_URL}/spdxdocs"
# Root manifests in the order their project name is preferred for the SBOM's subject.
_PROJECT_MANIFESTS = ("pyproject.toml", "package.json", "Cargo.toml", "pom.xml", "go.mod", "setup.cfg")


class SbomInvalid(OscheckError):
    """The SBOM we built does not pass its standard's validator: a bug in oscheck, never written out."""


@dataclass(frozen=True)
class SbomFacts:
    name: str
    version: str | None
    license: str | None  # the project's declared license, a valid SPDX expression or None
    commit: str | None
    dirty: bool
    download_location: str | None  # a git URL for remote targets; None for local folders
    created: datetime
    revision: str  # the commit, or a digest of the content for trees outside git
    namespace: str
    serial_number: str  # urn:uuid:..., derived
    components: tuple[Component, ...]
    roots: tuple[Component, ...]  # direct dependencies, and those no other component depends on
    models: tuple[AIModel, ...]
    files: tuple[FileRecord, ...]
    file_licenses: dict[str, tuple[str, ...]]  # path -> SPDX expressions found in the file
    file_copyrights: dict[str, tuple[str, ...]]
    licenses_scanned: bool  # whether file license detection ran (NONE vs NOASSERTION)
    tool_version: str


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-") or "project"


def creation_time(result: ScanResult) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return result.started_at.astimezone(UTC).replace(microsecond=0)


def _project_name(result: ScanResult) -> tuple[str, str | None, str | None]:
    """Name, version and license (as written) of the root manifest, else the target's folder name."""
    manifests = [
        m for m in result.of_type(PackageManifest) if m.location.path and "/" not in m.location.path and m.name
    ]
    for fmt in _PROJECT_MANIFESTS:
        for m in manifests:
            if m.format == fmt and m.name:
                return m.name, m.version, m.spdx
    stem = result.target.uri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    return stem or "project", None, None


def _content_digest(files: tuple[FileRecord, ...]) -> str:
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path):
        h.update(f.path.encode("utf-8", "surrogateescape") + b"\0" + (f.sha256 or "-").encode() + b"\n")
    return h.hexdigest()


def sbom_facts(result: ScanResult) -> SbomFacts:
    name, version, manifest_license = _project_name(result)
    files = tuple(sorted((f for f in result.files if f.sha1 and f.sha256), key=lambda f: f.path))
    commit = result.target.commit
    if commit and not result.target.dirty:
        revision = commit
    elif commit:
        revision = f"{commit}-dirty-{_content_digest(files)[:12]}"
    else:
        revision = f"content-{_content_digest(files)[:16]}"
    remote = result.target.kind is TargetKind.GIT
    subject = slug(result.target.uri.split("://", 1)[-1]) if remote else slug(name)
    namespace = f"{NAMESPACE_BASE}/{subject}-{revision}"
    components = tuple(sorted(result.components, key=lambda c: c.purl))
    by_purl = {c.purl for c in components}
    children = {p for c in components for p in c.depends_on if p in by_purl}
    roots = tuple(c for c in components if c.direct or c.purl not in children)
    licenses: dict[str, list[str]] = {}
    for fl in result.of_type(FileLicense):
        if fl.location.path and fl.spdx:
            licenses.setdefault(fl.location.path, []).append(fl.spdx)
    for tag in result.of_type(SpdxLicenseTag):
        if tag.location.path and tag.normalized:
            licenses.setdefault(tag.location.path, []).append(tag.normalized)
    copyrights: dict[str, list[str]] = {}
    for c in result.of_type(CopyrightNotice):
        if c.location.path:
            copyrights.setdefault(c.location.path, []).append(c.statement)
    # The concluded project license (declaration, LICENSE files), else the root manifest's.
    declared = None
    for candidate in (result.declared_license, manifest_license):
        if candidate and normalize_spdx(candidate)[0] is not None:
            declared = normalize_spdx(candidate)[0]
            break
    return SbomFacts(
        name=name,
        version=version,
        license=declared,
        commit=commit,
        dirty=result.target.dirty,
        download_location=f"git+{result.target.uri}@{commit}" if remote and commit else None,
        created=creation_time(result),
        revision=revision,
        namespace=namespace,
        serial_number=uuid.uuid5(uuid.NAMESPACE_URL, namespace).urn,
        components=components,
        roots=roots,
        models=tuple(sorted(result.models, key=lambda m: (m.id, m.revision or ""))),
        files=files,
        file_licenses={p: tuple(dict.fromkeys(v)) for p, v in licenses.items()},
        file_copyrights={p: tuple(dict.fromkeys(v)) for p, v in copyrights.items()},
        licenses_scanned="licenses" in {d for d in _groups(result)},
        tool_version=result.tool_version,
    )


def _groups(result: ScanResult) -> set[str]:
    """Detector groups that ran (from detector ids; scancode is the file-license detector)."""
    return {"licenses"} if "scancode" in result.detectors_run else set()


def model_purl(model: AIModel) -> str:
    """``pkg:huggingface/org/name@revision`` (purl spec), or the observation's own purl."""
    if model.purl:
        return model.purl
    from packageurl import PackageURL

    if model.source == "hub":
        namespace, _, name = model.id.rpartition("/")
        return str(PackageURL("huggingface", namespace or None, name, model.revision or None).to_string())
    return str(PackageURL("generic", None, posixpath.basename(model.id.rstrip("/")) or "model", None).to_string())


def hub_license_ref(tag: str) -> str:
    """A Hub license tag that is not an SPDX id, as an SPDX ``LicenseRef-``."""
    return "LicenseRef-huggingface-" + slug(tag)
