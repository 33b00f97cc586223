"""MOD001–MOD099: open-weight verdicts of the models used, and the safety of their weight files.

The verdict (``policies/open-weight.yaml``) reads the license through the license
catalogue (``policies/licenses.yaml``, :func:`~oscheck.policy.licensing.classify`), which
knows SPDX ids, scancode keys and Hugging Face tags: a Hub tag becomes the catalogue's
SPDX id or ``LicenseRef-…`` (never the bare tag), the original tag is kept beside it.
Pickle globals are judged against the allow-list of ``policies/model-safety.yaml``.

:func:`annotate` puts the verdicts on the :class:`~oscheck.model.AIModel` observations
(license id, openness, conditions, the same for each ancestor) so that the report and the
SBOMs show what the rules judged; it is pure, like the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from oscheck.detectors.models import ModelProblem, ReferenceSearch, WeightFile
from oscheck.i18n import N_, LocalizedText, lt
from oscheck.model import AIModel, LicenseCategory, Location, ModelLineage, Observation, Openness, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.licensing import Classification, LicenseExpressionError, classify
from oscheck.policy.load import PolicySet
from oscheck.policy.rules import Hit, Source, rule

OPEN_WEIGHT_FILE = "open-weight.yaml"
SAFETY_FILE = "model-safety.yaml"

_CALL = Source(
    "seeds/msit-nipa-oss-ai-sw-2026-call.txt",
    "활용과제: 오픈소스(오픈웨이트) AI 활용 필수(외부 API 활용 불가)",
)
_OSAID = Source(
    "The Open Source AI Definition 1.0 (OSI)",
    "use, study, modify, share",
    "https://opensource.org/ai/open-source-ai-definition",
)
_MOF = Source(
    "The Model Openness Framework (arXiv:2403.13784)", "Class III Open Model", "https://arxiv.org/abs/2403.13784"
)
_HUB_LICENSES = Source("Hugging Face Hub: Licenses", "", "https://huggingface.co/docs/hub/repositories-licenses")
_HUB_GATED = Source("Hugging Face Hub: Gated models", "", "https://huggingface.co/docs/hub/models-gated")
_HUB_BASE = Source(
    "Hugging Face Hub: Model cards",
    "Specifying a base model",
    "https://huggingface.co/docs/hub/model-cards#specifying-a-base-model",
)
_PICKLE = Source("Hugging Face Hub: Pickle Scanning", "", "https://huggingface.co/docs/hub/security-pickle")
_TORCH = Source(
    "PyTorch torch.load(weights_only=True)",
    "torch/_weights_only_unpickler.py",
    "https://pytorch.org/docs/stable/generated/torch.load.html",
)
_SAFETENSORS = Source("safetensors format", "header", "https://github.com/huggingface/safetensors#format")
_GGUF = Source("GGUF specification", "file structure", "https://github.com/ggml-org/ggml/blob/master/docs/gguf.md")
_RESEARCH = Source("shared/research/ai-compliance.md", "(c) open-weight decision rules R1–R9")

# --- the policy data, typed once -------------------------------------------------------


@dataclass(frozen=True)
class OpenWeightPolicy:
    verdicts: dict[str, Openness]
    order: tuple[Openness, ...]
    hub_tags: dict[str, dict[str, Any]]
    license_names: dict[str, str]
    license_titles: tuple[tuple[re.Pattern[str], str], ...]
    extra: dict[str, str]  # LicenseRef -> category

    def rank(self, openness: Openness) -> int:
        """0 = most open; unknown ranks with none (callers handle it)."""
        return self.order.index(openness) if openness in self.order else -1


def open_weight_policy(policy: PolicySet) -> OpenWeightPolicy:
    def build() -> OpenWeightPolicy:
        data = policy.yaml(OPEN_WEIGHT_FILE) or {}
        return OpenWeightPolicy(
            verdicts={str(k): Openness(v) for k, v in (data.get("verdicts") or {}).items()},
            order=tuple(Openness(v) for v in data.get("order") or ()),
            hub_tags={str(k).lower(): dict(v or {}) for k, v in (data.get("hub_tags") or {}).items()},
            license_names={str(k).lower(): str(v) for k, v in (data.get("license_names") or {}).items()},
            license_titles=tuple(
                (re.compile(str(t["pattern"]), re.IGNORECASE), str(t["license"]))
                for t in data.get("license_titles") or ()
            ),
            extra={str(k): str(v.get("category")) for k, v in (data.get("extra_licenses") or {}).items()},
        )

    result: OpenWeightPolicy = policy.memo("open-weight", build)
    return result


@dataclass(frozen=True)
class SafetyPolicy:
    allowed: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    dangerous_modules: tuple[str, ...]
    dangerous_globals: frozenset[str]

    def allowed_global(self, name: str) -> bool:
        return name in self.allowed or any(p.match(name) for p in self.patterns)

    def dangerous(self, name: str) -> bool:
        if name in self.dangerous_globals:
            return True
        return any(name == m or name.startswith(m + ".") for m in self.dangerous_modules)


def safety_policy(policy: PolicySet) -> SafetyPolicy:
    def build() -> SafetyPolicy:
        data = policy.yaml(SAFETY_FILE) or {}
        return SafetyPolicy(
            allowed=frozenset(str(g) for g in data.get("allowed_globals") or ()),
            patterns=tuple(re.compile(str(p)) for p in data.get("allowed_patterns") or ()),
            dangerous_modules=tuple(str(m) for m in data.get("dangerous_modules") or ()),
            dangerous_globals=frozenset(str(g) for g in data.get("dangerous_globals") or ()),
        )

    result: SafetyPolicy = policy.memo("model-safety", build)
    return result


# --- the verdict ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenseReading:
    """A model's license as the policy reads it."""

    license: str | None  # SPDX expression or LicenseRef-…; None: no license
    openness: Openness
    category: LicenseCategory | None
    conditions: tuple[LocalizedText, ...] = ()
    how: str = "tag"  # tag | license_name | license_file | missing


def read_license(
    policy: PolicySet, tag: str | None, name: str | None = None, title: str | None = None
) -> LicenseReading:
    """The license of a model from its Hub tag, ``license_name`` or LICENSE title."""
    ow = open_weight_policy(policy)
    if tag and tag.lower() not in ("other",):
        entry = ow.hub_tags.get(tag.lower())
        if entry is None:
            found = _classified(policy, ow, tag, "tag")
            if found is not None:
                return found
            return LicenseReading(_licenseref(tag), Openness.UNKNOWN, None, how="tag")
        if entry.get("category"):
            category = LicenseCategory(entry["category"])
            return LicenseReading(entry.get("license"), ow.verdicts[category.value], category, how="tag")
        if tag.lower() == "unknown":
            return LicenseReading(None, Openness.UNKNOWN, LicenseCategory.UNKNOWN, how="tag")
        # a tag that names no license ("cc"): try the other evidence, else unknown
        fallback = _by_name_or_title(policy, ow, name, title)
        return fallback or LicenseReading(entry.get("license"), Openness.UNKNOWN, None, how="tag")
    found = _by_name_or_title(policy, ow, name, title)
    if found is not None:
        return found
    if tag:  # "other" that nothing resolves
        return LicenseReading(ow.hub_tags.get("other", {}).get("license"), Openness.UNKNOWN, None, how="tag")
    return LicenseReading(None, Openness.NOT_OPEN, None, how="missing")


def _by_name_or_title(
    policy: PolicySet, ow: OpenWeightPolicy, name: str | None, title: str | None
) -> LicenseReading | None:
    if name:
        spelled = ow.license_names.get(name.lower(), name)
        found = _classified(policy, ow, spelled, "license_name")
        if found is not None:
            return found
    if title:
        for pattern, spelled in ow.license_titles:
            if pattern.search(title):
                found = _classified(policy, ow, spelled, "license_file")
                if found is not None:
                    return found
    return None


def _classified(policy: PolicySet, ow: OpenWeightPolicy, expression: str, how: str) -> LicenseReading | None:
    if expression in ow.extra:
        category = LicenseCategory(ow.extra[expression])
        return LicenseReading(expression, ow.verdicts[category.value], category, how=how)
    try:
        c: Classification = classify(expression, policy)
    except LicenseExpressionError:
        return None
    if c.unknown and c.category is LicenseCategory.UNKNOWN:
        return None
    return LicenseReading(c.expression, ow.verdicts[c.category.value], c.category, c.conditions(), how)


def _licenseref(tag: str) -> str:
    return "LicenseRef-hf-" + (re.sub(r"[^A-Za-z0-9.-]", "-", tag).strip("-") or "unknown")


@dataclass(frozen=True)
class Assessment:
    """The verdict on one model and why."""

    reading: LicenseReading
    own: Openness  # from the model's own license and files
    effective: Openness  # the least open of the model and its lineage
    reason: str | None  # why not open: no-weights, private, disabled, missing-license, proprietary, lineage
    lineage: tuple[ModelLineage, ...]
    looser_than: tuple[ModelLineage, ...]  # ancestors whose verdict is less open than the model's own


def assess(model: AIModel, policy: PolicySet) -> Assessment:
    ow = open_weight_policy(policy)
    reading = read_license(policy, model.license_tag, model.license_name, model.license_file_title)
    own, reason = reading.openness, None
    if reading.openness is Openness.NOT_OPEN:
        reason = "missing-license" if reading.how == "missing" else "proprietary"
    if model.source == "ollama" or model.card.get("unverified"):
        own, reason = Openness.UNKNOWN, None
    elif model.disabled:
        own, reason = Openness.NOT_OPEN, "disabled"
    elif model.private and model.source == "hub":
        own, reason = Openness.NOT_OPEN, "private"
    elif model.files_complete and not model.weights:
        own, reason = Openness.NOT_OPEN, "no-weights"
    lineage: list[ModelLineage] = []
    for a in model.lineage:
        if a.problem is None and (a.license_tag or a.license_name):
            r = read_license(policy, a.license_tag, a.license_name)
            lineage.append(replace(a, license=r.license, openness=r.openness))
        else:
            lineage.append(a)
    effective = own
    looser: list[ModelLineage] = []
    if own is not Openness.UNKNOWN:
        for a in lineage:
            if a.openness is Openness.UNKNOWN:
                continue
            if ow.rank(a.openness) > ow.rank(own):
                looser.append(a)
            if ow.rank(a.openness) > ow.rank(effective):
                effective = a.openness
    if effective is not own and reason is None:
        reason = "lineage"
    return Assessment(reading, own, effective, reason, tuple(lineage), tuple(looser))


def annotate(observations: Sequence[Observation], policy: PolicySet) -> tuple[Observation, ...]:
    """The observations with each model's license id, verdict and conditions filled in."""
    out: list[Observation] = []
    for o in observations:
        if isinstance(o, AIModel):
            a = assess(o, policy)
            out.append(
                replace(
                    o,
                    license=a.reading.license,
                    openness=a.effective,
                    conditions=tuple(c.en for c in a.reading.conditions),
                    lineage=a.lineage,
                )
            )
        else:
            out.append(o)
    return tuple(out)


# --- rules ---------------------------------------------------------------------------------


def _models(ctx: PolicyContext) -> Iterator[tuple[AIModel, Assessment]]:
    for m in ctx.of_type(AIModel):
        yield m, assess(m, ctx.policy)


def _where(ctx: PolicyContext, m: AIModel) -> Location:
    if m.location.path is not None:
        return m.location
    if m.used_at:
        return m.used_at[0]
    return Location(ctx.declaration_path) if m.declared and ctx.declaration_path else Location()


_GATED_MANUAL = N_("{model} is gated ({mode}): its files are released only after the owner's approval")
_GATED_AUTO = N_("{model} is gated ({mode}): its terms must be accepted before download")
_DANGEROUS = N_("{path} imports {name} when loaded: loading it would run code")
_UNRESOLVED = N_("{path} computes the name of a function to call when loaded: it cannot be checked")

_REASONS = {
    "no-weights": N_("no weight files are published"),
    "private": N_("the model is private"),
    "disabled": N_("the model has been disabled on the Hub"),
    "missing-license": N_("no license is given"),
    "proprietary": N_("its license is proprietary"),
    "lineage": N_("a model it is derived from is not open"),
}


@rule(
    "MOD001",
    "model-not-open",
    Severity.ERROR,
    check="open-weight",
    title=N_("A model the project uses is not open-weight"),
    explanation=N_(
        "The utilisation track requires open-source (open-weight) AI models: weights anyone can download under a license that lets you use them. A model without published weights, without a license, private, disabled or under proprietary terms does not qualify."
    ),
    fix=N_(
        "Replace the model with an open-weight model (e.g. Apache-2.0 or MIT licensed, weights on the Hub), or publish the weights with an open license."
    ),
    requires=("models",),
    tags=("models", "open-weight"),
    sources=(_CALL, _OSAID, _RESEARCH),
)
def model_not_open(ctx: PolicyContext) -> Iterator[Hit]:
    for m, a in _models(ctx):
        if a.effective is Openness.NOT_OPEN:
            reason = a.reason or "proprietary"
            yield Hit(
                _localized_reason(N_("{model} is not open-weight: {reason}"), m.id, reason),
                _where(ctx, m),
                {"key": m.id, "model": m.id, "reason": reason, "license": a.reading.license, "tag": m.license_tag},
            )


def _localized_reason(msgid: str, model: str, reason: str) -> LocalizedText:
    why = lt(_REASONS.get(reason, reason))
    en = lt(msgid, model=model, reason=why.en).en
    ko = lt(msgid, model=model, reason=why.ko).ko
    return LocalizedText(en=en, ko=ko)


def _joined(items: Sequence[LocalizedText]) -> LocalizedText:
    return LocalizedText(en=" ".join(i.en for i in items), ko=" ".join(i.ko for i in items))


@rule(
    "MOD002",
    "model-license-restricted",
    Severity.WARNING,
    check="open-weight",
    title=N_("A model's license restricts how it may be used"),
    explanation=N_(
        "Open-weight licenses such as Llama, Gemma and OpenRAIL publish the weights but add an acceptable-use policy, a user cap, naming or attribution duties; they are not OSI open source, and each condition binds the product built on the model."
    ),
    fix=N_(
        "Check each condition against the planned product and keep the license and the use policy with the delivery; prefer an OSI-licensed model where a condition cannot be met."
    ),
    requires=("models",),
    tags=("models", "open-weight", "license"),
    sources=(_CALL, _HUB_LICENSES, _OSAID),
)
def model_license_restricted(ctx: PolicyContext) -> Iterator[Hit]:
    for m, a in _models(ctx):
        if a.effective is not Openness.RESTRICTED:
            continue
        if a.own is Openness.RESTRICTED or not a.looser_than:
            conditions = a.reading.conditions
            head = lt("{model} ({license}) is open-weight with conditions:", model=m.id, license=_license_text(m, a))
        else:
            conditions = _ancestor_conditions(ctx, a)
            base = a.looser_than[0]
            head = lt(
                "{model} inherits the conditions of its base model {base} ({base_license}):",
                model=m.id,
                base=base.id,
                base_license=base.license or base.license_tag or "-",
            )
        text = _joined([head, *conditions]) if conditions else head
        yield Hit(
            text,
            _where(ctx, m),
            {
                "key": m.id,
                "model": m.id,
                "license": a.reading.license,
                "tag": m.license_tag,
                "conditions": [c.en for c in conditions],
            },
        )


def _ancestor_conditions(ctx: PolicyContext, a: Assessment) -> tuple[LocalizedText, ...]:
    out: list[LocalizedText] = []
    for anc in a.looser_than:
        r = read_license(ctx.policy, anc.license_tag, anc.license_name)
        out.extend(r.conditions)
    return tuple(dict.fromkeys(out))


def _license_text(m: AIModel, a: Assessment) -> str:
    if a.reading.license and m.license_tag and a.reading.license.lower() != m.license_tag.lower():
        return f"{a.reading.license}, Hub tag {m.license_tag}"
    return a.reading.license or m.license_tag or "-"


@rule(
    "MOD003",
    "model-license-non-commercial",
    Severity.ERROR,
    check="open-weight",
    title=N_("A model's license forbids commercial use"),
    explanation=N_(
        "Non-commercial and research-only licenses (CC-BY-NC, EXAONE NC, Qwen research, …) rule out a product that is sold or commercialised; the utilisation track commercialises its results. In a track that does not, it is a warning."
    ),
    fix=N_(
        "Use a model whose license allows commercial use, or obtain a commercial license from the model's owner and record it as an exemption."
    ),
    requires=("models",),
    tags=("models", "open-weight", "license"),
    sources=(_CALL, _HUB_LICENSES),
)
def model_license_non_commercial(ctx: PolicyContext) -> Iterator[Hit]:
    for m, a in _models(ctx):
        if a.effective is Openness.NON_COMMERCIAL:
            yield Hit(
                lt(
                    "{model} ({license}) may not be used commercially",
                    model=m.id,
                    license=_license_text(m, a),
                ),
                _where(ctx, m),
                {"key": m.id, "model": m.id, "license": a.reading.license, "tag": m.license_tag},
                severity=Severity.ERROR if ctx.program.commercial else Severity.WARNING,
            )


@rule(
    "MOD004",
    "model-license-unknown",
    Severity.WARNING,
    check="open-weight",
    title=N_("A model's license could not be identified"),
    explanation=N_(
        "The Hub tag is 'unknown' or 'other' and neither the card's license_name nor the LICENSE file names a known license, or the model could not be read at all; nobody can tell whether it may be used."
    ),
    fix=N_("Read the model's license and declare it in .oscheck.yml, or choose a model with a standard license tag."),
    requires=("models",),
    tags=("models", "open-weight", "license"),
    sources=(_HUB_LICENSES, _RESEARCH),
)
def model_license_unknown(ctx: PolicyContext) -> Iterator[Hit]:
    for m, a in _models(ctx):
        if a.effective is not Openness.UNKNOWN or m.card.get("unverified") in ("not-found", "revision-not-found"):
            continue
        if m.source == "ollama":
            msg = lt(
                "{model} is an Ollama library name: its license cannot be checked here; declare the Hugging Face model it packages",
                model=m.id,
            )
        elif m.card.get("unverified"):
            msg = lt(
                "{model} could not be checked on the Hugging Face Hub ({reason})",
                model=m.id,
                reason=str(m.card["unverified"]),
            )
        else:
            msg = lt(
                "{model}: license '{tag}' is not a license oscheck can identify",
                model=m.id,
                tag=m.license_tag or m.license_name or "-",
            )
        yield Hit(msg, _where(ctx, m), {"key": m.id, "model": m.id, "tag": m.license_tag})


@rule(
    "MOD005",
    "model-license-looser-than-base",
    Severity.WARNING,
    check="open-weight",
    title=N_("A derived model claims a looser license than its base model"),
    explanation=N_(
        "A fine-tune, adapter, merge or quantisation inherits its base model's license terms; a re-upload tagged Apache-2.0 on top of a Llama or non-commercial base does not lift them. The effective license is the most restrictive one of the lineage."
    ),
    fix=N_(
        "Treat the model under its base model's license (conditions, commercial use), or use a derivative of an openly licensed base."
    ),
    requires=("models",),
    tags=("models", "open-weight", "lineage"),
    sources=(_HUB_BASE, _RESEARCH),
)
def model_license_looser_than_base(ctx: PolicyContext) -> Iterator[Hit]:
    for m, a in _models(ctx):
        for anc in a.looser_than[:1]:  # the nearest: where the looser tag was put on
            yield Hit(
                lt(
                    "{model} is tagged {license} but is a {relation} of {base} ({base_license})",
                    model=m.id,
                    license=a.reading.license or m.license_tag or "-",
                    relation=anc.relation,
                    base=anc.id,
                    base_license=anc.license or anc.license_tag or "-",
                ),
                _where(ctx, m),
                {
                    "key": f"{m.id}<{anc.id}",
                    "model": m.id,
                    "base": anc.id,
                    "relation": anc.relation,
                    "license": a.reading.license,
                    "base_license": anc.license,
                    "effective": a.effective.value,
                },
            )


@rule(
    "MOD006",
    "model-undeclared",
    Severity.WARNING,
    check="open-weight",
    title=N_("The code loads a model that is not declared"),
    explanation=N_(
        "The list of models a funded project submits must contain every model it uses; a model loaded in code or configuration but missing from .oscheck.yml is missing from that list and from the open-weight check."
    ),
    fix=N_("Add the model to models: in .oscheck.yml (a Hub id with its revision, or the local folder)."),
    requires=("models",),
    tags=("models", "declaration"),
    sources=(_CALL, _RESEARCH),
)
def model_undeclared(ctx: PolicyContext) -> Iterator[Hit]:
    for m in ctx.of_type(AIModel):
        if not m.declared and m.used_at:
            first = m.used_at[0]
            yield Hit(
                lt("{where} loads {model}, which .oscheck.yml does not declare", where=str(first), model=m.id),
                first,
                {"key": m.id, "model": m.id, "places": [str(u) for u in m.used_at]},
            )


@rule(
    "MOD007",
    "model-declared-unused",
    Severity.NOTE,
    check="open-weight",
    title=N_("A declared model is never loaded by the code"),
    explanation=N_(
        "A model in .oscheck.yml that no code or configuration loads may be outdated, or loaded in a way oscheck cannot see (a computed name)."
    ),
    fix=N_("Remove the model from .oscheck.yml if it is no longer used; otherwise nothing to do."),
    requires=("models",),
    tags=("models", "declaration"),
    sources=(_RESEARCH,),
)
def model_declared_unused(ctx: PolicyContext) -> Iterator[Hit]:
    if not ctx.of_type(ReferenceSearch):
        return  # `oscheck model` and scans without the code search
    for m in ctx.of_type(AIModel):
        if m.declared and not m.used_at:
            yield Hit(
                lt("{model} is declared but no code or configuration loads it", model=m.id),
                Location(ctx.declaration_path) if ctx.declaration_path else Location(),
                {"key": m.id, "model": m.id},
            )


@rule(
    "MOD008",
    "model-not-found",
    Severity.ERROR,
    check="open-weight",
    title=N_("A model could not be found"),
    explanation=N_(
        "A declared Hub id (or revision) that does not exist, or a local model folder that is not in the repository, cannot be checked or listed; a model the code loads that the Hub does not know may be private or misspelt."
    ),
    fix=N_(
        "Correct the id, revision or path in .oscheck.yml; for a private model, scan with HF_TOKEN set to a token that can read it."
    ),
    requires=("models",),
    tags=("models",),
    sources=(_RESEARCH,),
)
def model_not_found(ctx: PolicyContext) -> Iterator[Hit]:
    for p in ctx.of_type(ModelProblem):
        if p.reason in ("not-found", "revision-not-found", "local-not-found", "invalid-id"):
            yield Hit(
                _problem_text(p),
                p.location
                if p.location.path
                else Location(ctx.declaration_path)
                if ctx.declaration_path
                else Location(),
                {"key": p.model, "model": p.model, "reason": p.reason, "declared": p.declared},
                severity=Severity.ERROR if p.declared else Severity.WARNING,
            )


def _problem_text(p: ModelProblem) -> LocalizedText:
    texts = {
        "not-found": N_(
            "{model}: model not found on the Hugging Face Hub (or private: set HF_TOKEN to a token that can read it)"
        ),
        "revision-not-found": N_("{model}: the declared revision was not found on the Hugging Face Hub"),
        "local-not-found": N_("{model}: no such file or folder in the repository"),
        "invalid-id": N_("{model}: not a Hugging Face model id (expected org/name)"),
        "unreachable": N_("{model}: the Hugging Face Hub could not be reached; the model was not checked"),
        "offline-not-cached": N_("{model}: offline, and the model is not in the local Hugging Face cache"),
    }
    if p.reason not in texts:
        return LocalizedText(en=p.message, ko=p.message)
    return lt(texts[p.reason], model=p.model)


@rule(
    "MOD009",
    "model-gated",
    Severity.WARNING,
    check="open-weight",
    title=N_("A model's weights are gated on the Hub"),
    explanation=N_(
        "Manually gated models are downloaded only after the owner approves each request, so others cannot reproduce the product freely; automatically gated ones need only a click-through acceptance of the terms (a note)."
    ),
    fix=N_(
        "Keep the approval (or accepted terms) on record, and make sure the license allows redistribution of what you ship; prefer an ungated model where possible."
    ),
    requires=("models",),
    tags=("models", "open-weight"),
    sources=(_HUB_GATED, _RESEARCH),
)
def model_gated(ctx: PolicyContext) -> Iterator[Hit]:
    for m in ctx.of_type(AIModel):
        if m.gated in ("manual", "auto"):
            yield Hit(
                lt(_GATED_MANUAL if m.gated == "manual" else _GATED_AUTO, model=m.id, mode=m.gated),
                _where(ctx, m),
                {"key": m.id, "model": m.id, "gated": m.gated},
                severity=Severity.WARNING if m.gated == "manual" else Severity.NOTE,
            )


@rule(
    "MOD010",
    "model-unpublished",
    Severity.ERROR,
    check="open-weight",
    title=N_("A model is private or disabled on the Hub"),
    explanation=N_(
        "A private or disabled model is not published: nobody else can download it, so it is not open-weight and cannot be reproduced."
    ),
    fix=N_("Publish the model (make it public) or use a public open-weight model."),
    requires=("models",),
    tags=("models", "open-weight"),
    sources=(_CALL, _RESEARCH),
)
def model_unpublished(ctx: PolicyContext) -> Iterator[Hit]:
    for m in ctx.of_type(AIModel):
        if m.source == "hub" and (m.private or m.disabled):
            yield Hit(
                lt("{model} is disabled on the Hugging Face Hub", model=m.id)
                if m.disabled
                else lt("{model} is private on the Hugging Face Hub", model=m.id),
                _where(ctx, m),
                {"key": m.id, "model": m.id, "private": m.private, "disabled": m.disabled},
            )


@rule(
    "MOD011",
    "model-unverified",
    Severity.WARNING,
    check="open-weight",
    title=N_("A model could not be checked on the Hub"),
    explanation=N_(
        "The Hub could not be reached, or oscheck ran offline without the model in its cache; the model's license and weights were not checked."
    ),
    fix=N_("Run the scan again with network access to the Hub (or once online, then offline with HF_HUB_OFFLINE=1)."),
    requires=("models",),
    tags=("models",),
    sources=(_RESEARCH,),
)
def model_unverified(ctx: PolicyContext) -> Iterator[Hit]:
    for p in ctx.of_type(ModelProblem):
        if p.reason in ("unreachable", "offline-not-cached"):
            yield Hit(
                _problem_text(p),
                p.location
                if p.location.path
                else Location(ctx.declaration_path)
                if ctx.declaration_path
                else Location(),
                {"key": p.model, "model": p.model, "reason": p.reason},
            )


# --- weight-file safety -----------------------------------------------------------------------


@rule(
    "MOD020",
    "pickle-global-dangerous",
    Severity.ERROR,
    check="model-safety",
    title=N_("A weight file would run dangerous code when loaded"),
    explanation=N_(
        "Pickle-based weight files (.bin, .pt, .pth, .ckpt, .pkl) can import and call any Python function while loading; this one calls a function that runs commands, opens files or sockets, or evaluates code. Loading it with torch.load or pickle gives its author control of the machine."
    ),
    fix=N_(
        "Do not load the file. Delete it and obtain the weights as safetensors from a trusted source; rotate credentials if it was ever loaded."
    ),
    requires=("models",),
    tags=("models", "security", "pickle"),
    sources=(_PICKLE, _TORCH),
)
def pickle_global_dangerous(ctx: PolicyContext) -> Iterator[Hit]:
    safety = safety_policy(ctx.policy)
    for w in ctx.of_type(WeightFile):
        for g in w.globals:
            if not safety.allowed_global(g) and safety.dangerous(g):
                yield Hit(
                    lt(_DANGEROUS if g != "?" else _UNRESOLVED, path=w.location.path or "?", name=g),
                    w.location,
                    {"key": f"{w.location.path}:{g}", "global": g, "format": w.format},
                )


@rule(
    "MOD021",
    "pickle-global-not-allowed",
    Severity.ERROR,
    check="model-safety",
    title=N_("A weight file imports a function outside the allow-list"),
    explanation=N_(
        "A weight file should only rebuild tensors (torch tensor rebuilders, OrderedDict, numpy arrays). Any other global is code that runs at load time; an allow-list is used because deny-lists of dangerous functions have known bypasses."
    ),
    fix=N_(
        "Convert the weights to safetensors, or load them only with torch.load(weights_only=True); if the global is harmless, add it to policies/model-safety.yaml with a reason."
    ),
    requires=("models",),
    tags=("models", "security", "pickle"),
    sources=(_PICKLE, _TORCH),
)
def pickle_global_not_allowed(ctx: PolicyContext) -> Iterator[Hit]:
    safety = safety_policy(ctx.policy)
    for w in ctx.of_type(WeightFile):
        for g in w.globals:
            if not safety.allowed_global(g) and not safety.dangerous(g):
                yield Hit(
                    lt(
                        "{path} imports {name}, which is not on the allow-list of tensor rebuilders",
                        path=w.location.path or "?",
                        name=g,
                    ),
                    w.location,
                    {"key": f"{w.location.path}:{g}", "global": g, "format": w.format},
                )


@rule(
    "MOD022",
    "weights-pickle-only",
    Severity.WARNING,
    check="model-safety",
    title=N_("A model's weights are published only in a pickle format"),
    explanation=N_(
        "Pickle-based formats can carry code; safetensors (or GGUF) hold only tensors and cannot run anything when loaded."
    ),
    fix=N_(
        "Use or publish the safetensors version of the weights (transformers' save_pretrained writes it by default)."
    ),
    requires=("models",),
    tags=("models", "security", "pickle"),
    sources=(_SAFETENSORS, _RESEARCH),
)
def weights_pickle_only(ctx: PolicyContext) -> Iterator[Hit]:
    pickle_like = ("pytorch", "pickle", "npy", "npz", "nemo")
    for m in ctx.of_type(AIModel):
        formats = {w.format for w in m.weights if w.format and not w.format.endswith("-index")}
        if formats and formats <= set(pickle_like):
            yield Hit(
                lt(
                    "{model} has weights only in pickle formats ({formats})",
                    model=m.id,
                    formats=", ".join(sorted(formats)),
                ),
                _where(ctx, m),
                {"key": m.id, "model": m.id, "formats": sorted(formats)},
            )


@rule(
    "MOD023",
    "weights-invalid",
    Severity.ERROR,
    check="model-safety",
    title=N_("A weight file is malformed"),
    explanation=N_(
        "A safetensors header that is truncated or points outside the file, a GGUF file with a wrong magic or version, or a pickle that does not parse is a broken or tampered file; loaders may crash or misread it."
    ),
    fix=N_("Download the file again from its source and compare its sha256 with the one the Hub lists."),
    requires=("models",),
    tags=("models", "security"),
    sources=(_SAFETENSORS, _GGUF),
)
def weights_invalid(ctx: PolicyContext) -> Iterator[Hit]:
    for w in ctx.of_type(WeightFile):
        for problem in w.problems[:5]:
            yield Hit(
                lt("{path} ({format}): {problem}", path=w.location.path or "?", format=w.format, problem=problem),
                w.location,
                {"key": f"{w.location.path}:{problem[:60]}", "format": w.format, "problem": problem},
            )


@rule(
    "MOD024",
    "weights-flagged-by-hub",
    Severity.ERROR,
    check="model-safety",
    title=N_("The Hub's security scan flagged a file of a model"),
    explanation=N_(
        "The Hugging Face Hub scans uploaded files for malicious pickles and malware; a flagged file must not be loaded."
    ),
    fix=N_("Do not use the flagged files; use a version of the model without them."),
    requires=("models",),
    tags=("models", "security"),
    sources=(_PICKLE,),
)
def weights_flagged_by_hub(ctx: PolicyContext) -> Iterator[Hit]:
    for m in ctx.of_type(AIModel):
        for path in m.flagged_files:
            yield Hit(
                lt("{model}: the Hub flagged {path}", model=m.id, path=path),
                _where(ctx, m),
                {"key": f"{m.id}:{path}", "model": m.id, "file": path},
            )


@rule(
    "MOD025",
    "weights-not-inspected",
    Severity.NOTE,
    check="model-safety",
    title=N_("A weight file could not be inspected"),
    explanation=N_(
        "Git LFS pointers, files above the size limit of a remote scan, and formats oscheck does not read (ONNX, Keras, TFLite) are listed without a safety check."
    ),
    fix=N_("Scan a work tree with the LFS files fetched, or check these files with the tool of their format."),
    requires=("models",),
    tags=("models", "security"),
    sources=(_RESEARCH,),
)
def weights_not_inspected(ctx: PolicyContext) -> Iterator[Hit]:
    for w in ctx.of_type(WeightFile):
        if not w.inspected and w.not_inspected_reason != "format-not-inspected":
            yield Hit(
                lt(
                    "{path} was not inspected ({reason})",
                    path=w.location.path or "?",
                    reason=w.not_inspected_reason or "?",
                ),
                w.location,
                {"key": w.location.path or "", "reason": w.not_inspected_reason},
            )


__all__ = [
    "Assessment",
    "LicenseReading",
    "annotate",
    "assess",
    "open_weight_policy",
    "read_license",
    "safety_policy",
]
