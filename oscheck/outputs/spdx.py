"""SPDX 2.3 JSON, built with spdx-tools and validated with its full validator before it is written.

What the document holds:

* the project as a package (files analysed, verification code, declared license, the
  license info found in its files), DESCRIBES-d by the document;
* every file with SHA-1 and SHA-256 and the licenses detected in it (scancode and
  ``SPDX-License-Identifier`` tags; ``NONE`` when detection ran and found nothing,
  ``NOASSERTION`` when it did not run), CONTAINS-ed by the project;
* every dependency as a package with its purl, version, checksums and declared license
  (``NOASSERTION`` when no source states one; the source of a license is in
  ``licenseComments``): the project DEPENDS_ON its runtime dependencies, dev
  dependencies are DEV_DEPENDENCY_OF it, optional ones OPTIONAL_DEPENDENCY_OF it, and
  packages DEPENDS_ON each other as the lock files say;
* every AI model as a package with a ``pkg:huggingface`` purl; a Hub license tag that is
  not an SPDX id becomes ``LicenseRef-huggingface-<tag>`` with the tag kept in the
  extracted licensing info;
* an extracted licensing info for every ``LicenseRef-`` used.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, ClassVar

from oscheck.i18n import _
from oscheck.model import AIModel, Component, DependencyScope, ScanResult
from oscheck.outputs.interface import Formatter, OutputFormat
from oscheck.outputs.sbom import TOOL_NAME, SbomFacts, SbomInvalid, hub_license_ref, model_purl, sbom_facts, slug

DOCUMENT_ID = "SPDXRef-DOCUMENT"
_ALGORITHMS = {"SHA-1": "SHA1", "SHA-256": "SHA256", "SHA-384": "SHA384", "SHA-512": "SHA512", "MD5": "MD5"}
_SCANCODE_DB = "https://scancode-licensedb.aboutcode.org/"


def spdx_id(kind: str, label: str, unique: str) -> str:
    """``SPDXRef-<kind>-<readable label>-<8 hex of unique>``: readable, stable and unique."""
    digest = hashlib.sha256(unique.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"SPDXRef-{kind}-{slug(label)[:48]}-{digest}"


def verification_code(sha1s: list[str]) -> str:
    """SPDX 2.3 §7.9: SHA-1 of the sorted, concatenated SHA-1 values of the package's files."""
    return hashlib.sha1("".join(sorted(s.lower() for s in sha1s)).encode()).hexdigest()  # noqa: S324 - the spec's algorithm


class SpdxJsonFormat(Formatter):
    format: ClassVar[OutputFormat] = OutputFormat.SPDX_JSON
    suffix: ClassVar[str] = ".spdx.json"

    def render(self, result: ScanResult, lang: str = "en") -> str:
        document = build_document(sbom_facts(result))
        from spdx_tools.spdx.jsonschema.document_converter import DocumentConverter
        from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

        messages = validate_full_spdx_document(document)
        if messages:
            raise SbomInvalid(
                _(
                    "the SPDX document failed validation ({count} messages; first: {first}); this is a bug in oscheck",
                    count=len(messages),
                    first=messages[0].validation_message,
                )
            )
        converted = DocumentConverter().convert(document)  # type: ignore[no-untyped-call]
        return json.dumps(converted, indent=2, ensure_ascii=False) + "\n"


def _license(expression: str | None) -> Any:
    from spdx_tools.common.spdx_licensing import spdx_licensing
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    if not expression:
        return SpdxNoAssertion()
    return spdx_licensing.parse(expression)


def _symbols(expression: str) -> list[str]:
    """The licenses named in an expression (``A AND B WITH E`` -> ``A``, ``B WITH E``)."""
    from spdx_tools.common.spdx_licensing import spdx_licensing

    return [str(s) for s in spdx_licensing.license_symbols(spdx_licensing.parse(expression), decompose=False)]


def _download(location: str | None) -> Any:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.validation.uri_validators import validate_download_location

    if location and not validate_download_location(location):
        return location
    return SpdxNoAssertion()


def _checksums(hashes: tuple[tuple[str, str], ...]) -> list[Any]:
    from spdx_tools.spdx.model.checksum import Checksum, ChecksumAlgorithm

    out = []
    for alg, value in hashes:
        name = _ALGORITHMS.get(alg)
        if name and re.fullmatch(r"[0-9a-f]+", value):
            out.append(Checksum(ChecksumAlgorithm[name], value))
    return out


def _model_license(model: AIModel) -> tuple[str | None, dict[str, str]]:
    """The model's license expression for SPDX, and the LicenseRefs it needs (id -> the Hub tag)."""
    from oscheck.detectors.spdx_headers import normalize_spdx

    if model.license:
        normalized, _error = normalize_spdx(model.license)
        if normalized is not None:
            return normalized, {}
        if re.fullmatch(r"LicenseRef-[A-Za-z0-9.-]+", model.license):
            return model.license, {model.license: model.license_tag or model.license}
    if model.license_tag and model.license_tag.lower() not in ("unknown", ""):
        normalized, _error = normalize_spdx(model.license_tag)
        if normalized is not None:
            return normalized, {}
        ref = hub_license_ref(model.license_tag)
        return ref, {ref: model.license_tag}
    return None, {}


def build_document(facts: SbomFacts) -> Any:
    """The spdx-tools ``Document`` for ``facts`` (validated by the caller)."""
    from spdx_tools.spdx.model.actor import Actor, ActorType
    from spdx_tools.spdx.model.checksum import Checksum, ChecksumAlgorithm
    from spdx_tools.spdx.model.document import CreationInfo, Document
    from spdx_tools.spdx.model.file import File
    from spdx_tools.spdx.model.package import (
        ExternalPackageRef,
        ExternalPackageRefCategory,
        Package,
        PackagePurpose,
        PackageVerificationCode,
    )
    from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.model.spdx_none import SpdxNone

    creation = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id=DOCUMENT_ID,
        name=facts.name,
        document_namespace=facts.namespace,
        creators=[Actor(ActorType.TOOL, f"{TOOL_NAME}-{facts.tool_version}")],
        created=facts.created.replace(tzinfo=None),
        creator_comment=f"Generated by {TOOL_NAME} from revision {facts.revision}.",
    )
    license_refs: dict[str, tuple[str, str, list[str]]] = {}  # id -> (name, text, cross refs)

    def note_refs(expression: str) -> None:
        for ref in re.findall(r"LicenseRef-[A-Za-z0-9.-]+", expression):
            if ref in license_refs:
                continue
            if ref.startswith("LicenseRef-scancode-"):
                key = ref.removeprefix("LicenseRef-scancode-")
                license_refs[ref] = (
                    key,
                    f"A license detected by ScanCode Toolkit as '{key}', which has no SPDX id; its text is in the ScanCode LicenseDB.",
                    [f"{_SCANCODE_DB}{key}.html"],
                )
            else:
                license_refs[ref] = (
                    ref,
                    f"A license that has no SPDX id, named '{ref.removeprefix('LicenseRef-')}'.",
                    [],
                )

    # ------------------------------------------------------------ the project and its files
    # Stable across commits, so that two SBOMs of one project can be compared relationship by relationship.
    project_id = f"SPDXRef-Project-{slug(facts.name)[:60]}"
    files: list[Any] = []
    relationships: list[Any] = [Relationship(DOCUMENT_ID, RelationshipType.DESCRIBES, project_id)]
    found_in_files: set[str] = set()
    for record in facts.files:
        symbols: list[str] = []
        for expression in facts.file_licenses.get(record.path, ()):
            note_refs(expression)
            for symbol in _symbols(expression):
                if symbol not in symbols:
                    symbols.append(symbol)
        found_in_files.update(symbols)
        info: list[Any] = [_license(s) for s in symbols]
        if not info:
            info = [SpdxNone()] if facts.licenses_scanned else [SpdxNoAssertion()]
        copyrights = facts.file_copyrights.get(record.path)
        name = record.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        file_id = spdx_id("File", name.rsplit("/", 1)[-1], record.path)
        files.append(
            File(
                name=f"./{name}",
                spdx_id=file_id,
                checksums=[
                    Checksum(ChecksumAlgorithm.SHA1, record.sha1 or ""),
                    Checksum(ChecksumAlgorithm.SHA256, record.sha256 or ""),
                ],
                license_concluded=SpdxNoAssertion(),
                license_info_in_file=info,
                copyright_text="\n".join(copyrights)
                if copyrights
                else (SpdxNone() if facts.licenses_scanned else SpdxNoAssertion()),
            )
        )
        relationships.append(Relationship(project_id, RelationshipType.CONTAINS, file_id))
    if facts.license:
        note_refs(facts.license)
    project = Package(
        spdx_id=project_id,
        name=facts.name,
        download_location=_download(facts.download_location),
        version=facts.version or (facts.commit[:12] if facts.commit else None),
        files_analyzed=bool(files),
        verification_code=PackageVerificationCode(verification_code([f.sha1 or "" for f in facts.files]))
        if files
        else None,
        license_concluded=SpdxNoAssertion(),
        license_declared=_license(facts.license),
        license_info_from_files=[_license(s) for s in sorted(found_in_files)]
        or ([SpdxNone()] if facts.licenses_scanned and files else [SpdxNoAssertion()]),
        copyright_text=SpdxNoAssertion(),
        source_info=f"git commit {facts.commit}{' with uncommitted changes' if facts.dirty else ''}"
        if facts.commit
        else None,
        primary_package_purpose=PackagePurpose.SOURCE,
    )

    # ------------------------------------------------------------ dependencies
    packages: list[Any] = [project]
    ids: dict[str, str] = {}
    for c in facts.components:
        ids[c.purl] = spdx_id("Package", f"{c.ecosystem}-{c.name}-{c.version or ''}", c.purl)
    for c in facts.components:
        if c.license:
            note_refs(c.license)
        packages.append(
            Package(
                spdx_id=ids[c.purl],
                name=c.name,
                download_location=_download(c.download_url),
                version=c.version,
                files_analyzed=False,
                checksums=_checksums(c.hashes),
                homepage=c.homepage,
                source_info=_source_info(c),
                license_concluded=SpdxNoAssertion(),
                license_declared=_license(c.license),
                license_comment=_license_comment(c),
                copyright_text=SpdxNoAssertion(),
                external_references=[ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", c.purl)],
                primary_package_purpose=PackagePurpose.LIBRARY,
            )
        )
    for c in facts.roots:
        if c.scope is DependencyScope.DEV:
            relationships.append(Relationship(ids[c.purl], RelationshipType.DEV_DEPENDENCY_OF, project_id))
        elif c.scope is DependencyScope.OPTIONAL:
            relationships.append(Relationship(ids[c.purl], RelationshipType.OPTIONAL_DEPENDENCY_OF, project_id))
        else:
            relationships.append(Relationship(project_id, RelationshipType.DEPENDS_ON, ids[c.purl]))
    for c in facts.components:
        for target in c.depends_on:
            if target in ids:
                relationships.append(Relationship(ids[c.purl], RelationshipType.DEPENDS_ON, ids[target]))

    # ------------------------------------------------------------ models
    model_tags: dict[str, str] = {}
    for m in facts.models:
        model_expression, refs = _model_license(m)
        model_tags.update(refs)
        if model_expression:
            note_refs(model_expression)
        purl = model_purl(m)
        model_id = spdx_id("Model", m.id, purl)
        homepage: str | None = f"https://huggingface.co/{m.id}" if m.source == "hub" else None
        packages.append(
            Package(
                spdx_id=model_id,
                name=m.id,
                download_location=_download(homepage),
                version=m.revision,
                files_analyzed=False,
                checksums=[Checksum(ChecksumAlgorithm.SHA256, w.sha256) for w in m.weights[:1] if w.sha256],
                homepage=homepage,
                supplier=Actor(ActorType.ORGANIZATION, m.supplier) if m.supplier else None,
                license_concluded=SpdxNoAssertion(),
                license_declared=_license(model_expression),
                license_comment=f"Hugging Face license tag: {m.license_tag}" if m.license_tag else None,
                copyright_text=SpdxNoAssertion(),
                external_references=[ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)],
                primary_package_purpose=PackagePurpose.OTHER,
                comment="machine-learning model" + (f" ({m.task})" if m.task else ""),
            )
        )
        relationships.append(Relationship(project_id, RelationshipType.DEPENDS_ON, model_id))

    return Document(
        creation_info=creation,
        packages=packages,
        files=files,
        relationships=sorted(relationships, key=_relationship_key),
        extracted_licensing_info=_extracted(license_refs, model_tags, facts.models),
    )


def _relationship_key(r: Any) -> tuple[str, str, str]:
    return (str(r.spdx_element_id), r.relationship_type.name, str(r.related_spdx_element_id))


def _source_info(c: Component) -> str | None:
    if not c.manifest:
        return "found in the installed Python environment (--python-env)"
    text = f"declared in {c.manifest}"
    return text + (f" as '{c.requirement}'" if c.requirement else "")


def _license_comment(c: Component) -> str | None:
    if c.license and c.license_source:
        stated = (
            f" (stated as '{c.license_declared}')" if c.license_declared and c.license_declared != c.license else ""
        )
        return f"License from {c.license_source}{stated}."
    if c.license_declared:
        return f"The package metadata states '{c.license_declared}', which does not identify one SPDX license."
    return None


def _extracted(
    refs: dict[str, tuple[str, str, list[str]]], model_tags: dict[str, str], models: tuple[AIModel, ...]
) -> list[Any]:
    from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo

    out = []
    for ref in sorted(refs):
        name, text, cross = refs[ref]
        comment = None
        if ref in model_tags:
            tag = model_tags[ref]
            model = next((m for m in models if m.license_tag == tag or m.license == ref), None)
            name = (model.license_name if model and model.license_name else None) or tag
            text = f"The Hugging Face Hub license tag '{tag}', which is not an SPDX license id."
            if model and model.license_link:
                cross = [model.license_link] if model.license_link.startswith(("http://", "https://")) else []
            comment = f"original Hub license tag: {tag}"
        out.append(
            ExtractedLicensingInfo(
                license_id=ref, extracted_text=text, license_name=name, cross_references=cross, comment=comment
            )
        )
    return out
