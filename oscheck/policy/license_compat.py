"""LIC003, LIC010–LIC015: may this project, under its license, contain or use that?

Every inbound license — a file's detected license or SPDX tag, a dependency, a model, a
dataset — is checked against the project's outbound license (``ProjectLicense``) with
``policies/compatibility.yaml``. Each finding names the thing, its license, the project's
license, the use context, why, and how to fix it, in English and Korean.

Use contexts come from data too: files in the repository are a ``combined`` work;
dependencies take theirs from ``dependency_contexts`` in compatibility.yaml (ecosystem
and scope); models are ``model`` and datasets ``dataset``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from oscheck.detectors.project_license import ProjectLicense
from oscheck.detectors.scancode import FileLicense
from oscheck.detectors.spdx_headers import SpdxLicenseTag
from oscheck.i18n import N_, LocalizedText, lt, translate
from oscheck.model import AIModel, Component, DatasetRef, FileOrigin, JsonValue, Location, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.licensing import LicenseExpressionError, classify_node, load_catalogue, load_parser
from oscheck.policy.licensing.compat import Compatibility, CompatibilityResult, UseContext, check_nodes, load_compat
from oscheck.policy.licensing.expression import Node
from oscheck.policy.rules import Hit, Source, rule

_CALL = Source("seeds/msit-nipa-oss-ai-sw-2026-call.txt", "유의사항: 개발 결과물은 오픈소스 라이선스로 공개")
_FSF = Source("FSF license list", "GPL-compatibility", "https://www.gnu.org/licenses/license-list.html")
_MATRIX = Source("FSF GPL FAQ", "Compatibility matrix", "https://www.gnu.org/licenses/gpl-faq.html#AllCompatibility")
_OSADL = Source(
    "OSADL open source license obligations checklist and compatibility matrix", "", "https://www.osadl.org/"
)
_APACHE = Source(
    "Apache Software Foundation", "Third-party license policy", "https://www.apache.org/legal/resolved.html"
)
_OSD = Source("Open Source Initiative", "The Open Source Definition", "https://opensource.org/osd")
_COMPAT = Source("policies/compatibility.yaml", "rules (each with its own source)")

_KIND = {
    "file": N_("The file {name}"),
    "dependency": N_("The dependency {name}"),
    "model": N_("The model {name}"),
    "dataset": N_("The dataset {name}"),
}


@dataclass(frozen=True)
class _Inbound:
    """One thing the project contains or uses, with its license and how it is used."""

    kind: str  # file | dependency | model | dataset
    name: str
    license: str | None  # the expression as observed; None: no license information
    context: UseContext
    location: Location
    key: str  # identity for the finding's fingerprint
    vendored: bool = False


def _outbound(ctx: PolicyContext) -> str | None:
    found = ctx.of_type(ProjectLicense)
    return found[0].spdx if found else None


def _commercial(ctx: PolicyContext) -> bool:
    return ctx.declaration.commercial if ctx.declaration.commercial is not None else ctx.program.commercial


def _dependency_context(ctx: PolicyContext, component: Component) -> UseContext:
    return load_compat(ctx.policy).dependency_context(component.ecosystem, component.scope.value)


def _files(ctx: PolicyContext) -> Iterator[_Inbound]:
    seen: set[tuple[str, str]] = set()
    items: list[tuple[Location, str, FileOrigin]] = []
    for tag in ctx.of_type(SpdxLicenseTag):
        if tag.normalized:
            items.append((tag.location, tag.normalized, tag.origin))
    for fl in ctx.of_type(FileLicense):
        if fl.spdx:
            first = min((d.start_line for d in fl.detections), default=None)
            items.append((Location(fl.location.path, first), fl.spdx, fl.origin))
    for loc, expr, origin in items:
        path = loc.path or ""
        if (path, expr) in seen:
            continue
        seen.add((path, expr))
        yield _Inbound(
            "file", path, expr, UseContext.COMBINED, loc, f"{path}:{expr}", vendored=origin is FileOrigin.VENDORED
        )


def _dependencies(ctx: PolicyContext) -> Iterator[_Inbound]:
    for c in ctx.of_type(Component):
        name = f"{c.name}@{c.version}" if c.version else c.name
        yield _Inbound(
            "dependency",
            name,
            c.license,
            _dependency_context(ctx, c),
            Location(c.manifest) if c.manifest else c.location,
            c.purl,
        )


def _models(ctx: PolicyContext) -> Iterator[_Inbound]:
    for m in ctx.of_type(AIModel):
        where = m.used_at[0] if m.used_at else (m.location if m.location.path else Location(ctx.declaration_path))
        yield _Inbound("model", m.id, m.license or m.license_tag, UseContext.MODEL, where, f"model:{m.id}")


def _datasets(ctx: PolicyContext) -> Iterator[_Inbound]:
    for d in ctx.of_type(DatasetRef):
        where = d.location if d.location.path else Location(ctx.declaration_path)
        yield _Inbound("dataset", d.id, d.license or d.license_tag, UseContext.DATASET, where, f"dataset:{d.id}")


@dataclass(frozen=True)
class _Judged:
    item: _Inbound
    result: CompatibilityResult | None  # None: the license is missing or unreadable
    problem: str | None = None  # why the license could not be read


def _judge(ctx: PolicyContext, items: Iterator[_Inbound]) -> Iterator[_Judged]:
    outbound = _outbound(ctx)
    if outbound is None:
        return  # LIC001 / LIC015 report a missing project license
    parser = load_parser(ctx.policy)
    try:
        out_node = parser.parse(outbound)
    except LicenseExpressionError:
        return  # LIC004 / LIC015 report an unreadable project license
    commercial = _commercial(ctx)
    cache: dict[tuple[str, UseContext], CompatibilityResult] = {}
    for item in items:
        if not item.license or item.license.strip().lower() in ("noassertion", "none", "unknown", "other"):
            yield _Judged(item, None)
            continue
        key = (item.license, item.context)
        if key not in cache:
            try:
                node: Node = parser.parse(item.license)
            except LicenseExpressionError as exc:
                yield _Judged(item, None, exc.message)
                continue
            cache[key] = check_nodes(node, out_node, item.context, commercial, ctx.policy)
        yield _Judged(item, cache[key])


def _both(msgid: str, **params: str | LocalizedText) -> LocalizedText:
    """``lt`` whose parameters may themselves be texts in both languages."""

    def one(lang: str) -> str:
        values = {k: (v.get(lang) if isinstance(v, LocalizedText) else v) for k, v in params.items()}
        return translate(msgid, lang, **values)

    return LocalizedText(en=one("en"), ko=one("ko"))


def _what(item: _Inbound) -> LocalizedText:
    return _both(_KIND[item.kind], name=item.name)


def _join(texts: tuple[LocalizedText, ...], sep: str = " ") -> LocalizedText:
    return LocalizedText(en=sep.join(t.en for t in texts), ko=sep.join(t.ko for t in texts))


def _data(j: _Judged, outbound: str) -> dict[str, JsonValue]:
    r = j.result
    data: dict[str, JsonValue] = {
        "kind": j.item.kind,
        "component": j.item.name,
        "license": j.item.license,
        "project_license": outbound,
        "context": j.item.context.value,
        "key": j.item.key,
    }
    if j.item.kind == "file":
        data["vendored"] = j.item.vendored
    if r is not None:
        data.update(
            {
                "verdict": r.verdict.value,
                "chosen": {"inbound": r.chosen_inbound, "outbound": r.chosen_outbound},
                "rules": [x.rule for x in r.reasons],
                "reasons": [x.message.en for x in r.reasons],
                "sources": list(dict.fromkeys(x.source for x in r.reasons)),
                "conditions": [c.en for c in r.conditions],
                "fixes": list(r.fixes),
            }
        )
    if j.problem:
        data["problem"] = j.problem
    return data


def _incompatible(ctx: PolicyContext, items: Iterator[_Inbound]) -> Iterator[Hit]:
    outbound = _outbound(ctx) or ""
    for j in _judge(ctx, items):
        r = j.result
        if r is None or r.verdict is not Compatibility.INCOMPATIBLE:
            continue
        ctx_label = _context_label(ctx, r.context)
        yield Hit(
            _both(
                N_(
                    "{what} is under {license}, which the project's license {project} cannot accept ({context}). {why} How to fix: {fix}"
                ),
                what=_what(j.item),
                license=j.item.license or "",
                project=outbound,
                context=ctx_label,
                why=_join(tuple(x.message for x in r.deciding)),
                fix=_join(r.fix_texts(j.item.license), " / "),
            ),
            j.item.location,
            _data(j, outbound),
        )


def _context_label(ctx: PolicyContext, context: UseContext) -> LocalizedText:
    return load_compat(ctx.policy).contexts.get(context, LocalizedText(context.value, context.value))


@rule(
    "LIC003",
    "file-license-incompatible",
    Severity.ERROR,
    check="license-compatibility",
    title=N_("A file's license is incompatible with the project's license"),
    explanation=N_(
        "A file copied into the repository (vendored or not) becomes part of the project's work; if its license cannot be relicensed or combined under the project's license, the project cannot be published as declared."
    ),
    fix=N_(
        "Replace the file, move it out into a separately distributed program, relicense the project, or get the copyright holders' permission; if the verification body accepted it, record an exemption with a reason and an expiry date."
    ),
    requires=("licenses",),
    tags=("license", "compatibility"),
    sources=(_FSF, _MATRIX, _OSADL, _COMPAT),
)
def file_license_incompatible(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _incompatible(ctx, _files(ctx))


@rule(
    "LIC010",
    "dependency-license-incompatible",
    Severity.ERROR,
    check="license-compatibility",
    title=N_("A dependency's license is incompatible with the project's license"),
    explanation=N_(
        "A runtime dependency is linked or imported by the project; copyleft, non-commercial or proprietary terms can then reach the project or forbid what its license allows."
    ),
    fix=N_(
        "Replace the dependency, run it as a separate program, relicense the project, or get permission from its copyright holders."
    ),
    requires=("dependencies",),
    tags=("license", "compatibility", "dependencies"),
    sources=(_FSF, _MATRIX, _APACHE, _COMPAT),
)
def dependency_license_incompatible(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _incompatible(ctx, _dependencies(ctx))


@rule(
    "LIC011",
    "model-license-incompatible",
    Severity.ERROR,
    check="license-compatibility",
    title=N_("A model's license does not allow the project's use of it"),
    explanation=N_(
        "Model weights come with their own license; non-commercial or otherwise restricted weights cannot be used in a commercial product or redistributed under an open-source license."
    ),
    fix=N_(
        "Use a model under an open license (e.g. Apache-2.0 or MIT weights), or obtain a license from the model's owner."
    ),
    requires=("models",),
    tags=("license", "compatibility", "models"),
    sources=(
        Source(
            "Creative Commons BY-NC 4.0", "§1(i), §2(a)(1)", "https://creativecommons.org/licenses/by-nc/4.0/legalcode"
        ),
        _OSD,
        _COMPAT,
    ),
)
def model_license_incompatible(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _incompatible(ctx, _models(ctx))


@rule(
    "LIC012",
    "dataset-license-incompatible",
    Severity.ERROR,
    check="license-compatibility",
    title=N_("A dataset's license does not allow the project's use of it"),
    explanation=N_(
        "Training and evaluation data keep their license; non-commercial data cannot be used for a commercial result."
    ),
    fix=N_(
        "Use data under an open license (CC-BY-4.0, CC0-1.0, CDLA-Permissive-2.0) or obtain a license from its owner."
    ),
    requires=("models",),
    tags=("license", "compatibility", "datasets"),
    sources=(
        Source("Creative Commons BY-NC 4.0", "§1(i)", "https://creativecommons.org/licenses/by-nc/4.0/legalcode"),
        _COMPAT,
    ),
)
def dataset_license_incompatible(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _incompatible(ctx, _datasets(ctx))


def _all_items(ctx: PolicyContext) -> Iterator[_Inbound]:
    if "licenses" in ctx.groups_run:
        yield from _files(ctx)
    if "dependencies" in ctx.groups_run:
        yield from _dependencies(ctx)
    if "models" in ctx.groups_run:
        yield from _models(ctx)
        yield from _datasets(ctx)


@rule(
    "LIC013",
    "license-conditions-need-review",
    Severity.WARNING,
    check="license-compatibility",
    title=N_("A license allows the use only under conditions a person must confirm"),
    explanation=N_(
        "Some licenses allow a use only with conditions — Llama and Gemma terms, responsible-AI licenses, LGPL static linking, non-commercial terms in a non-commercial project — or cannot be judged without reading them."
    ),
    fix=N_(
        "Check each condition listed, record how the project meets it for the verification body, or replace the component."
    ),
    tags=("license", "compatibility"),
    sources=(
        Source(
            "Llama 3.1 Community License",
            "§1.b, §2",
            "https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE",
        ),
        Source("Gemma Terms of Use", "§3", "https://ai.google.dev/gemma/terms"),
        _COMPAT,
    ),
)
def license_conditions_need_review(ctx: PolicyContext) -> Iterator[Hit]:
    outbound = _outbound(ctx) or ""
    for j in _judge(ctx, _all_items(ctx)):
        r = j.result
        if r is None or r.verdict is not Compatibility.REVIEW:
            continue
        if _unknown_only(j):
            continue  # LIC014
        conditions = r.conditions or tuple(x.message for x in r.deciding)
        yield Hit(
            _both(
                N_(
                    "{what} is under {license}: allowed in a {project} project ({context}) only if a person confirms: {conditions} Why: {why}"
                ),
                what=_what(j.item),
                license=j.item.license or "",
                project=outbound,
                context=_context_label(ctx, r.context),
                conditions=_join(conditions),
                why=_join(tuple(x.message for x in r.deciding)),
            ),
            j.item.location,
            _data(j, outbound),
        )


# A dependency without license information is DEP002's finding and a model's is MOD004's:
# one fact, one finding. LIC014 keeps what only it can say (a LicenseRef, a file's text).
_REPORTED_ELSEWHERE = frozenset({"dependency", "model"})


def _unknown_only(j: _Judged) -> bool:
    """The review comes from unknown licenses alone (reported by LIC014)."""
    return j.result is not None and all(x.rule in ("unknown-inbound", "unknown-outbound") for x in j.result.deciding)


@rule(
    "LIC014",
    "license-unknown",
    Severity.WARNING,
    check="license-compatibility",
    title=N_("A license is unknown or could not be identified"),
    explanation=N_(
        "A LicenseRef, an unidentified license text or missing license metadata is never treated as compatible: nobody can tell whether the project may use it."
    ),
    fix=N_(
        "Find the component's real license (its LICENSE file, package metadata or model card), declare it, or replace the component."
    ),
    tags=("license", "compatibility"),
    sources=(Source("research/licenses.md", "(d) 4: never turn unknown into a pass"), _COMPAT),
)
def license_unknown(ctx: PolicyContext) -> Iterator[Hit]:
    outbound = _outbound(ctx) or ""
    for j in _judge(ctx, _all_items(ctx)):
        if j.result is not None and not _unknown_only(j):
            continue
        if j.result is not None and j.result.verdict is not Compatibility.REVIEW:
            continue
        if j.item.license is None and j.item.kind in _REPORTED_ELSEWHERE:
            continue
        # scancode's generic references ("see LICENSE") in first-party files are mostly
        # noise (SCTK #2878): shown, but as notes.
        severity = Severity.NOTE if j.item.kind == "file" and not j.item.vendored else None
        if j.result is None:
            problem: str | LocalizedText = j.problem if j.problem else lt("no license information")
            message = _both(
                N_("{what} has no license that can be identified ({problem}); it cannot be judged against {project}."),
                what=_what(j.item),
                problem=problem,
                project=outbound,
            )
        else:
            unknown = _unknown_names(j)
            message = _both(
                N_(
                    "{what} is under {license}, whose terms are unknown ({unknown}); a person must read them before it can be used in a {project} project."
                ),
                what=_what(j.item),
                license=j.item.license or "",
                unknown=", ".join(unknown) or (j.item.license or ""),
                project=outbound,
            )
        yield Hit(message, j.item.location, _data(j, outbound), severity=severity)


def _unknown_names(j: _Judged) -> list[str]:
    r = j.result
    if r is None:
        return []
    return list(dict.fromkeys(x.inbound for x in r.deciding if x.rule == "unknown-inbound"))


@rule(
    "LIC015",
    "outbound-license-not-open",
    Severity.ERROR,
    check="license",
    title=N_("A development-track project must be published under an OSI-approved license"),
    explanation=N_(
        "The development track publishes its results as open source; a license that OSI has not approved (or none at all) does not make the code open source."
    ),
    fix=N_(
        "License the project under an OSI-approved license such as Apache-2.0 or MIT and declare it in .oscheck.yml (license: Apache-2.0)."
    ),
    requires=("licenses",),
    tags=("license",),
    sources=(_CALL, _OSD),
)
def outbound_license_not_open(ctx: PolicyContext) -> Iterator[Hit]:
    if ctx.track != "dev":
        return
    found = ctx.of_type(ProjectLicense)
    project = found[0] if found else None
    if project is None:
        return
    where = Location(ctx.declaration_path) if ctx.declaration_path else Location(None)
    if project.spdx is None:
        stated = [s.expression for s in project.statements if s.expression]
        if stated:  # stated, but not as an SPDX expression (a missing license is LIC001)
            yield Hit(
                _both(
                    N_("The project's license '{license}' is not an SPDX expression of an OSI-approved license."),
                    license=stated[0],
                ),
                where,
                {"license": stated[0], "key": "outbound"},
            )
        return
    try:
        c = classify_node(load_parser(ctx.policy).parse(project.spdx), load_catalogue(ctx.policy))
    except LicenseExpressionError as exc:
        yield Hit(
            _both(
                N_("The project's license '{license}' cannot be read: {error}"), license=project.spdx, error=exc.message
            ),
            where,
            {"license": project.spdx, "key": "outbound"},
        )
        return
    if not c.osi_approved:
        yield Hit(
            _both(
                N_(
                    "The project's license {license} ({category}) is not OSI-approved, so the development track's open-source publication requirement is not met."
                ),
                license=project.spdx,
                category=c.category.value,
            ),
            where,
            {"license": project.spdx, "category": c.category.value, "osi_approved": False, "key": "outbound"},
        )
