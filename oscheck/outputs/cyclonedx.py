"""CycloneDX 1.6 JSON, built with cyclonedx-python-lib and checked with its strict validator.

* ``metadata``: the tool (oscheck and its version), the project as ``metadata.component``
  (bom-ref ``project``), the scanned commit and target as properties, the time
  (``SOURCE_DATE_EPOCH`` when set);
* ``components``: every dependency as a ``library`` with its purl (the bom-ref), version,
  hashes and license (an SPDX id, or an expression); dev dependencies have scope
  ``excluded`` ("not part of the runtime"), optional ones ``optional``;
* every AI model as a ``machine-learning-model`` component with a ``modelCard``. The
  library has no model-card classes yet, so the card is added to the serialised JSON by
  bom-ref and the whole document is validated against the 1.6 schema afterwards;
* ``dependencies``: the graph, the project depending on its direct dependencies (and on
  those no other component depends on) and on its models.

A Hub license tag that is not an SPDX id is kept as a license *name* (CycloneDX allows
free-text names), never forced into an id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from oscheck.i18n import _
from oscheck.model import AIModel, Component, DependencyScope, ScanResult
from oscheck.outputs.interface import Formatter, OutputFormat
from oscheck.outputs.sbom import TOOL_NAME, TOOL_URL, SbomFacts, SbomInvalid, model_purl, sbom_facts

_HASHES = {"SHA-1": "SHA_1", "SHA-256": "SHA_256", "SHA-384": "SHA_384", "SHA-512": "SHA_512", "MD5": "MD5"}
PROJECT_REF = "project"


class CycloneDxJsonFormat(Formatter):
    format: ClassVar[OutputFormat] = OutputFormat.CYCLONEDX_JSON
    suffix: ClassVar[str] = ".cdx.json"

    def render(self, result: ScanResult, lang: str = "en") -> str:
        from cyclonedx.output.json import JsonV1Dot6
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator

        facts = sbom_facts(result)
        bom = build_bom(facts)
        document = json.loads(JsonV1Dot6(bom).output_as_string())
        add_model_cards(document, facts.models)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
        if error is not None:
            raise SbomInvalid(
                _(
                    "the CycloneDX document failed validation ({error}); this is a bug in oscheck",
                    error=str(error)[:300],
                )
            )
        return text


def _licenses(expression: str | None, name: str | None = None) -> list[Any]:
    from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression

    from oscheck.detectors.spdx_headers import normalize_spdx

    if expression:
        normalized, _error = normalize_spdx(expression)
        if normalized is not None and " " not in normalized and not normalized.startswith("LicenseRef-"):
            return [DisjunctiveLicense(id=normalized)]
        return [LicenseExpression(normalized or expression)]
    if name:
        return [DisjunctiveLicense(name=name)]
    return []


def _hashes(hashes: tuple[tuple[str, str], ...]) -> list[Any]:
    from cyclonedx.model import HashAlgorithm, HashType

    return [HashType(alg=HashAlgorithm[_HASHES[a]], content=v) for a, v in hashes if a in _HASHES]


def _properties(items: Mapping[str, str | None]) -> list[Any]:
    from cyclonedx.model import Property

    return [Property(name=f"oscheck:{k}", value=v) for k, v in items.items() if v]


def _component(c: Component) -> Any:
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentScope, ComponentType
    from packageurl import PackageURL

    scope = {
        DependencyScope.RUNTIME: ComponentScope.REQUIRED,
        DependencyScope.OPTIONAL: ComponentScope.OPTIONAL,
        DependencyScope.DEV: ComponentScope.EXCLUDED,
    }[c.scope]
    refs = []
    if c.download_url and c.download_url.startswith(("http://", "https://")):
        refs.append(ExternalReference(type=ExternalReferenceType.DISTRIBUTION, url=XsUri(c.download_url)))
    if c.homepage:
        refs.append(ExternalReference(type=ExternalReferenceType.WEBSITE, url=XsUri(c.homepage)))
    purl = PackageURL.from_string(c.purl)
    grouped = c.ecosystem in ("maven", "npm") and purl.namespace  # "@scope"/"ms", "org.group"/"artifact"
    return CdxComponent(
        type=ComponentType.LIBRARY,
        name=purl.name if grouped else c.name,
        group=purl.namespace if grouped else None,
        version=c.version,
        bom_ref=c.purl,
        purl=purl,
        scope=scope,
        hashes=_hashes(c.hashes),
        licenses=_licenses(c.license),
        external_references=refs,
        properties=_properties(
            {
                "ecosystem": c.ecosystem,
                "scope": c.scope.value,
                "direct": "true" if c.direct else "false",
                "manifest": c.manifest,
                "requirement": c.requirement,
                "license-source": c.license_source,
                "license-declared": c.license_declared if c.license_declared != c.license else None,
            }
        ),
    )


def _model_component(m: AIModel) -> Any:
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentType
    from packageurl import PackageURL

    from oscheck.detectors.spdx_headers import normalize_spdx

    spdx = normalize_spdx(m.license)[0] if m.license else None
    tag_spdx = normalize_spdx(m.license_tag)[0] if m.license_tag else None
    licenses = _licenses(spdx or tag_spdx, None if spdx or tag_spdx else (m.license_tag or m.license))
    purl = model_purl(m)
    refs = []
    if m.source == "hub":
        refs.append(ExternalReference(type=ExternalReferenceType.WEBSITE, url=XsUri(f"https://huggingface.co/{m.id}")))
    if m.license_link and m.license_link.startswith(("http://", "https://")):
        refs.append(ExternalReference(type=ExternalReferenceType.LICENSE, url=XsUri(m.license_link)))
    group, _, name = m.id.rpartition("/") if m.source == "hub" else ("", "", m.id)
    return CdxComponent(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=name or m.id,
        group=group or None,
        version=m.revision,
        bom_ref=purl,
        purl=PackageURL.from_string(purl),
        licenses=licenses,
        hashes=_hashes(tuple(("SHA-256", w.sha256) for w in m.weights if w.sha256)[:1]),
        external_references=refs,
        properties=_properties(
            {
                "model-source": m.source,
                "license-tag": m.license_tag,
                "openness": m.openness.value,
                "gated": m.gated,
                "declared": "true" if m.declared else "false",
            }
        ),
    )


def build_bom(facts: SbomFacts) -> Any:
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentType

    tool = CdxComponent(type=ComponentType.APPLICATION, name=TOOL_NAME, version=facts.tool_version)
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri

    tool.external_references.add(ExternalReference(type=ExternalReferenceType.WEBSITE, url=XsUri(TOOL_URL)))
    project = CdxComponent(
        type=ComponentType.APPLICATION,
        name=facts.name,
        version=facts.version or (facts.commit[:12] if facts.commit else None),
        bom_ref=PROJECT_REF,
        licenses=_licenses(facts.license),
        properties=_properties({"commit": facts.commit, "revision": facts.revision}),
    )
    metadata = BomMetaData(
        component=project,
        timestamp=facts.created,
        properties=_properties(
            {"commit": facts.commit, "dirty": "true" if facts.dirty else None, "source": facts.download_location}
        ),
    )
    metadata.tools.components.add(tool)
    bom = Bom(serial_number=uuid.UUID(facts.serial_number.removeprefix("urn:uuid:")), metadata=metadata)
    by_purl: dict[str, Any] = {}
    for c in facts.components:
        by_purl[c.purl] = _component(c)
        bom.components.add(by_purl[c.purl])
    models = []
    for m in facts.models:
        mc = _model_component(m)
        if str(mc.bom_ref) in by_purl:
            continue
        by_purl[str(mc.bom_ref)] = mc
        models.append(mc)
        bom.components.add(mc)
    bom.register_dependency(project, [by_purl[c.purl] for c in facts.roots] + models)
    for c in facts.components:
        bom.register_dependency(by_purl[c.purl], [by_purl[d] for d in c.depends_on if d in by_purl])
    for mc in models:
        bom.register_dependency(mc, [])
    return bom


_CONSIDERATION_LISTS = ("users", "useCases", "technicalLimitations", "performanceTradeoffs")


def model_card(m: AIModel) -> dict[str, Any]:
    """The CycloneDX 1.6 ``modelCard`` of a model, from the facts the model detector gathered.

    ``AIModel.card`` may carry CycloneDX-shaped ``considerations`` (lists of strings) and
    ``performanceMetrics`` (``{"type", "value", "slice"?}``); anything else is left out so
    that the card always validates.
    """
    parameters: dict[str, Any] = {}
    if m.task:
        parameters["task"] = m.task
    if m.model_type:
        parameters["architectureFamily"] = m.model_type
    if m.architecture:
        parameters["modelArchitecture"] = m.architecture
    if m.datasets:
        parameters["datasets"] = [{"type": "dataset", "name": d} for d in m.datasets]
    card: dict[str, Any] = {}
    if parameters:
        card["modelParameters"] = parameters
    raw = dict(m.card or {})
    metrics = []
    for item in raw.get("performanceMetrics") or raw.get("metrics") or []:
        if isinstance(item, Mapping) and isinstance(item.get("type"), str) and item.get("value") is not None:
            metric = {"type": item["type"], "value": str(item["value"])}
            if isinstance(item.get("slice"), str):
                metric["slice"] = item["slice"]
            metrics.append(metric)
    if metrics:
        card["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    considerations: dict[str, Any] = {}
    source = raw.get("considerations") if isinstance(raw.get("considerations"), Mapping) else raw
    for key in _CONSIDERATION_LISTS:
        values = source.get(key) if isinstance(source, Mapping) else None
        if isinstance(values, list | tuple) and all(isinstance(v, str) for v in values) and values:
            considerations[key] = list(values)
    if m.conditions:
        considerations.setdefault("technicalLimitations", [])
        considerations["technicalLimitations"] += [f"license condition: {c}" for c in m.conditions]
    if considerations:
        card["considerations"] = considerations
    lineage = [f"{a.relation} of {a.id}" + (f"@{a.revision}" if a.revision else "") for a in m.lineage]
    if lineage:
        card["properties"] = [{"name": "oscheck:lineage", "value": "; ".join(lineage)}]
    return card


def add_model_cards(document: dict[str, Any], models: tuple[AIModel, ...]) -> None:
    """Put each model's card on its serialised component, found by bom-ref."""
    by_ref = {model_purl(m): m for m in models}
    for component in document.get("components", []):
        model = by_ref.get(component.get("bom-ref"))
        if model is not None and component.get("type") == "machine-learning-model":
            card = model_card(model)
            component["modelCard"] = {"bom-ref": f"{component['bom-ref']}#model-card", **card}
