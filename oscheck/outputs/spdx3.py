"""SPDX 3.0.1 JSON-LD with the AI and Dataset profiles, built with ``spdx-python-model``.

spdx-python-model's bindings follow 3.0.1 exactly (spdx-tools' SPDX 3 writer does not),
so the document validates against the SPDX 3.0.1 JSON schema:

* each model is an ``ai_AIPackage`` (purl ``pkg:huggingface/…``, commit as version, Hub
  page as download location, task as ``ai_domain``, architecture as ``ai_typeOfModel``,
  the card's limitations and intended uses), its license a
  ``simplelicensing_LicenseExpression`` linked by ``hasDeclaredLicense`` (the catalogue's
  SPDX id or ``LicenseRef-…``, never a bare Hub tag; the tag is kept in a comment);
* each base model is an ``ai_AIPackage`` too, linked ``ancestorOf`` its derivative;
* each dataset is a ``dataset_DatasetPackage``, linked from the model by ``trainedOn``;
* every other component (dependencies) is a ``software_Package`` the project ``dependsOn``.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from oscheck.model import AIModel, Component, DatasetRef, ScanResult
from oscheck.outputs.interface import Formatter, OutputFormat

NOASSERTION = "NOASSERTION"


class Spdx3Format(Formatter):
    format: ClassVar[OutputFormat] = OutputFormat.SPDX3_JSON
    suffix: ClassVar[str] = ".spdx3.json"

    def render(self, result: ScanResult, lang: str = "en") -> str:
        return json.dumps(spdx3_document(result), indent=2, ensure_ascii=False) + "\n"


def spdx3_document(result: ScanResult) -> dict[str, Any]:
    """The scan's models, datasets and components as an SPDX 3.0.1 JSON-LD document."""
    from spdx_python_model import v3_0_1 as spdx

    namespace = _namespace(result)
    created = (result.finished_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    objects = spdx.SHACLObjectSet()
    tool_agent = spdx.SoftwareAgent(_id=f"{namespace}/agent/oscheck", name="oscheck")
    creation = spdx.CreationInfo(
        _id="_:creationinfo",
        specVersion="3.0.1",
        created=created,
        createdBy=[tool_agent],
    )
    tool_agent.creationInfo = creation
    tool = spdx.Tool(
        _id=f"{namespace}/tool/oscheck-{result.tool_version}",
        creationInfo=creation,
        name=f"oscheck {result.tool_version}",
    )
    creation.createdUsing = [tool]
    elements: list[Any] = [tool_agent, tool]
    suppliers: dict[str, Any] = {}
    licenses: dict[str, Any] = {}

    def supplier(name: str | None) -> Any:
        if not name:
            return None
        if name not in suppliers:
            suppliers[name] = spdx.Organization(
                _id=f"{namespace}/organization/{_slug(name)}", creationInfo=creation, name=name
            )
            elements.append(suppliers[name])
        return suppliers[name]

    def license_expr(expression: str) -> Any:
        if expression not in licenses:
            licenses[expression] = spdx.simplelicensing_LicenseExpression(
                _id=f"{namespace}/license/{_slug(expression)}",
                creationInfo=creation,
                simplelicensing_licenseExpression=expression,
            )
            elements.append(licenses[expression])
        return licenses[expression]

    def relate(src: Any, kind: str, targets: list[Any], comment: str | None = None) -> None:
        rel = spdx.Relationship(
            _id=f"{namespace}/relationship/{_digest(src._id, kind, *[t._id for t in targets])}",
            creationInfo=creation,
            from_=src,
            relationshipType=spdx.RelationshipType.NAMED_INDIVIDUALS[kind],
            to=targets,
        )
        if comment:
            rel.comment = comment
        elements.append(rel)

    datasets: dict[str, Any] = {}

    def dataset(ref_id: str, license_id: str | None = None) -> Any:
        key = ref_id.lower()
        if key not in datasets:
            pkg = spdx.dataset_DatasetPackage(
                _id=f"{namespace}/dataset/{_slug(ref_id)}",
                creationInfo=creation,
                name=ref_id,
                software_primaryPurpose=spdx.software_SoftwarePurpose.data,
                software_downloadLocation=f"https://huggingface.co/datasets/{ref_id}" if "/" in ref_id else NOASSERTION,
                dataset_datasetType=[spdx.dataset_DatasetType.noAssertion],
            )
            datasets[key] = pkg
            elements.append(pkg)
            if license_id:
                relate(pkg, "hasDeclaredLicense", [license_expr(license_id)])
        return datasets[key]

    for d in result.of_type(DatasetRef):
        dataset(d.id, d.license)

    models: dict[str, Any] = {}
    roots: list[Any] = []
    for m in result.of_type(AIModel):
        pkg = _ai_package(spdx, namespace, creation, m.id, m.revision, m.url, m.purl, supplier(m.supplier))
        if m.task:
            pkg.ai_domain = [m.task]
        kinds = [k for k in (m.architecture, m.model_type) if k]
        if kinds:
            pkg.ai_typeOfModel = kinds
        limitation, uses = _card_text(m.card.get("technicalLimitations")), _card_text(m.card.get("useCases"))
        if limitation:
            pkg.ai_limitation = limitation
        if uses:
            pkg.ai_informationAboutApplication = uses
        notes = [f"open-weight verdict: {m.openness.value}"]
        if m.license_tag:
            notes.append(f"Hugging Face license tag: {m.license_tag}")
        if m.gated:
            notes.append(f"gated: {m.gated}")
        notes.extend(f"condition: {c}" for c in m.conditions)
        pkg.comment = "; ".join(notes)
        hashes = [w.sha256 for w in m.weights if w.sha256]
        if hashes:
            pkg.verifiedUsing = [
                spdx.Hash(algorithm=spdx.HashAlgorithm.sha256, hashValue=h, comment=w.path)
                for w, h in ((w, w.sha256) for w in m.weights if w.sha256)
            ]
        models[m.id.lower()] = pkg
        elements.append(pkg)
        roots.append(pkg)
        if m.license:
            relate(pkg, "hasDeclaredLicense", [license_expr(m.license)])
        trained = [dataset(d) for d in m.datasets]
        if trained:
            relate(pkg, "trainedOn", trained)
        for anc in m.lineage:
            key = anc.id.lower()
            if key not in models:
                base = _ai_package(spdx, namespace, creation, anc.id, anc.revision, None, None, None)
                if anc.license:
                    relate(base, "hasDeclaredLicense", [license_expr(anc.license)])
                base.comment = f"open-weight verdict: {anc.openness.value}" + (
                    f"; Hugging Face license tag: {anc.license_tag}" if anc.license_tag else ""
                )
                models[key] = base
                elements.append(base)
            child = models.get((anc.child or m.id).lower(), pkg)
            relate(models[key], "ancestorOf", [child], comment=f"base_model_relation: {anc.relation}")

    for c in result.of_type(Component):
        pkg = spdx.software_Package(
            _id=f"{namespace}/package/{_slug(c.purl)}",
            creationInfo=creation,
            name=c.name,
            software_packageVersion=c.version or NOASSERTION,
            software_downloadLocation=c.download_url or NOASSERTION,
            software_packageUrl=c.purl,
            software_primaryPurpose=spdx.software_SoftwarePurpose.library,
        )
        elements.append(pkg)
        roots.append(pkg)
        if c.license:
            relate(pkg, "hasDeclaredLicense", [license_expr(c.license)])

    document = spdx.SpdxDocument(
        _id=f"{namespace}/document",
        creationInfo=creation,
        name=f"oscheck ML-BOM of {result.target.uri}",
        profileConformance=[
            spdx.ProfileIdentifierType.core,
            spdx.ProfileIdentifierType.software,
            spdx.ProfileIdentifierType.ai,
            spdx.ProfileIdentifierType.dataset,
            spdx.ProfileIdentifierType.simpleLicensing,
        ],
        dataLicense=license_expr("CC0-1.0"),
        rootElement=roots or [tool],
        element=list(elements),
    )
    objects.add(document)
    for e in elements:
        objects.add(e)
    data: dict[str, Any] = spdx.JSONLDSerializer().serialize_data(objects)
    return data


def _ai_package(
    spdx: Any,
    namespace: str,
    creation: Any,
    model_id: str,
    revision: str | None,
    url: str | None,
    purl: str | None,
    supplied_by: Any,
) -> Any:
    pkg = spdx.ai_AIPackage(
        _id=f"{namespace}/model/{_slug(model_id)}",
        creationInfo=creation,
        name=model_id,
        software_packageVersion=revision or NOASSERTION,
        software_downloadLocation=url or NOASSERTION,
        software_primaryPurpose=spdx.software_SoftwarePurpose.model,
    )
    if purl:
        pkg.software_packageUrl = purl
    if supplied_by is not None:
        pkg.suppliedBy = supplied_by
    return pkg


def _card_text(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, list | tuple) and value:
        return " ".join(str(v) for v in value)
    return None


def _namespace(result: ScanResult) -> str:
    basis = f"{result.target.uri}@{result.target.commit or ''}@{result.started_at.isoformat()}"
    return f"https://spdx.org/spdxdocs/oscheck-{hashlib.sha256(basis.encode()).hexdigest()[:16]}"


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", value)[:120] + "-" + hashlib.sha256(value.encode()).hexdigest()[:8]


def _digest(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:16]
