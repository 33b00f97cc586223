"""API001–API007: the no-external-API rule of the utilization track.

The detector (``detectors/ai_api``) has already classified every use as ``external``,
``local``, ``review`` or ``test-only`` from the data in ``policies/ai-apis.yaml``; these
rules only say what each class means. In the use track the program requires
``external-api`` (external use is an error); elsewhere the engine caps it at a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from oscheck.detectors.ai_api import AIApiParseFallback, AIApiUse, Classification, LocalInference
from oscheck.i18n import N_, lt
from oscheck.model import JsonValue, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.rules import Hit, Source, rule

_CALL = Source(
    "seeds/msit-nipa-oss-ai-sw-2026-call.txt",
    "활용과제: 오픈소스(오픈웨이트) AI 활용 필수(외부 API 활용 불가)",
)
_RESEARCH = Source("shared/research/ai-compliance.md", "(b) Detection catalog; How to tell local use from external use")
_OPENAI_SDK = Source(
    "openai-python src/openai/_client.py",
    "base_url argument, then OPENAI_BASE_URL, then https://api.openai.com/v1",
    "https://github.com/openai/openai-python/blob/main/src/openai/_client.py",
)

# One sentence per reason the detector gives (the location is shown next to it).
_REASON = {
    "catalogue-host": N_("{symbol} calls {provider}'s hosted API at {endpoint}"),
    "sdk-default": N_("{symbol} uses {provider}'s hosted API (the SDK's default endpoint)"),
    "hosted-sdk": N_("{symbol} is {provider}'s SDK, which only talks to {provider}'s hosted API"),
    "key-committed": N_("an API key for {provider} is committed ({secret})"),
    "declared-endpoint": N_("{symbol} points at {endpoint}, declared in allowed_endpoints"),
    "local-endpoint": N_("{symbol} points at a self-hosted endpoint {endpoint}"),
    "local-route": N_("{symbol} routes to a self-hosted server ({provider})"),
    "proxy-for-hosted-sdk": N_(
        "{symbol} is {provider}'s SDK pointed at {endpoint}; a local proxy may still forward to the hosted API"
    ),
    "unknown-host": N_("{symbol} points at {endpoint}, which is neither local nor declared"),
    "unresolved-endpoint": N_("the endpoint of {symbol} cannot be determined from the code"),
    "env-not-set": N_("the endpoint of {symbol} comes from an environment variable the repository does not set"),
    "opaque-arguments": N_("{symbol} gets its settings from **kwargs; the endpoint cannot be read"),
    "unknown-model": N_("{symbol} picks its provider from a model name that is not a literal"),
    "no-code-use": N_("{symbol} is declared, but no use of it was found in the code"),
    "routed-to-hosted": N_("{symbol} routes model {model} to {provider}'s hosted API"),
    "declared-sdk-used": N_("{symbol} is declared; its use at {endpoint} is classified {classification}"),
    "tests-with-mocks": N_("{symbol} ({provider}) is used in tests that mock the network"),
}


def _data(use: AIApiUse) -> Mapping[str, JsonValue]:
    data: dict[str, Any] = {
        "provider": use.provider,
        "provider_name": use.provider_name,
        "classification": use.classification.value,
        "reason": use.reason,
        "via": use.via,
        "symbol": use.symbol,
        "language": use.language,
        "endpoint": use.endpoint,
        "endpoint_source": use.endpoint_source,
        "parse": use.parse,
        "chain": [{"step": s.step, "path": s.path, "line": s.line, "detail": s.detail} for s in use.chain],
        "key": use.key,
    }
    if use.open_weights_served:
        data["open_weights_served"] = True  # still external: a third party hosts the model
    if use.model:
        data["model"] = use.model
    if use.secret:
        data["secret"] = use.secret  # redacted by the detector: prefix and length only
    return data


def _message(use: AIApiUse) -> Any:
    return lt(
        _REASON.get(use.reason, _REASON["unresolved-endpoint"]),
        provider=use.provider_name,
        model=use.model or "?",
        classification=use.classification.value,
        symbol=use.symbol,
        endpoint=use.endpoint or "?",
        secret=use.secret or "",
    )


def _hits(ctx: PolicyContext, wanted: Classification, keys: bool | None = None) -> Iterator[Hit]:
    for use in ctx.of_type(AIApiUse):
        if use.classification is not wanted:
            continue
        if keys is not None and (use.via == "key") is not keys:
            continue
        yield Hit(_message(use), use.location, _data(use))


@rule(
    "API001",
    "external-ai-api",
    Severity.ERROR,
    check="external-api",
    title=N_("The code calls a proprietary hosted AI API"),
    explanation=N_(
        "Utilization-track projects must build on open-weight models they run themselves; calling a hosted AI API (OpenAI, Anthropic, Gemini, HyperCLOVA X, or open weights served by Groq, Together or the Hugging Face API) breaks the grant's terms."
    ),
    fix=N_(
        "Serve an open-weight model yourself (vLLM, Ollama, llama.cpp, TGI) and point the client at it (base_url=http://localhost:8000/v1); if the endpoint is already your own, declare its host in .oscheck.yml allowed_endpoints."
    ),
    requires=("ai-api",),
    tags=("ai-api",),
    sources=(_CALL, _RESEARCH),
)
def external_ai_api(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _hits(ctx, Classification.EXTERNAL, keys=False)


@rule(
    "API002",
    "ai-api-endpoint-unknown",
    Severity.WARNING,
    check="external-api",
    title=N_("An AI client's endpoint cannot be determined"),
    explanation=N_(
        "The client can talk to a self-hosted server or to a hosted API depending on a value that is set outside the code, or at an address that is neither local nor declared; a reviewer has to decide."
    ),
    fix=N_(
        "Write the endpoint where it can be read (a literal, a constant, or a default in os.getenv), set it in a committed .env or compose file, or declare your own inference host in .oscheck.yml allowed_endpoints."
    ),
    requires=("ai-api",),
    tags=("ai-api",),
    sources=(_RESEARCH, _OPENAI_SDK),
)
def ai_api_endpoint_unknown(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _hits(ctx, Classification.REVIEW)


@rule(
    "API003",
    "ai-api-self-hosted",
    Severity.NOTE,
    check="external-api",
    title=N_("An AI client points at a self-hosted endpoint"),
    explanation=N_(
        "An OpenAI-compatible client aimed at your own server (loopback, private address, cluster service, or a host declared in allowed_endpoints) is allowed; it is recorded as evidence for the reviewer."
    ),
    fix=N_("Nothing to do; keep the endpoint pointing at your own inference server."),
    requires=("ai-api",),
    tags=("ai-api", "evidence"),
    sources=(_RESEARCH,),
)
def ai_api_self_hosted(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _hits(ctx, Classification.LOCAL)


@rule(
    "API004",
    "ai-api-test-only",
    Severity.NOTE,
    check="external-api",
    title=N_("An AI API is used only in tests that mock the network"),
    explanation=N_("Tests that replace the hosted API with mocks do not call it; they are recorded as evidence."),
    fix=N_("Nothing to do; make sure the product code does not call the hosted API."),
    requires=("ai-api",),
    tags=("ai-api", "evidence"),
    sources=(_RESEARCH,),
)
def ai_api_test_only(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _hits(ctx, Classification.TEST_ONLY)


@rule(
    "API005",
    "ai-api-key-committed",
    Severity.ERROR,
    check="external-api",
    title=N_("An API key for a hosted AI service is committed"),
    explanation=N_(
        "A key in the repository shows that a hosted AI API is used, and anyone who reads the repository can spend on it."
    ),
    fix=N_(
        "Revoke the key at the provider, remove it from the repository and its history, and stop using the hosted API."
    ),
    requires=("ai-api",),
    tags=("ai-api", "secret"),
    sources=(_CALL, _RESEARCH),
)
def ai_api_key_committed(ctx: PolicyContext) -> Iterator[Hit]:
    yield from _hits(ctx, Classification.EXTERNAL, keys=True)


@rule(
    "API006",
    "ai-api-parse-fallback",
    Severity.NOTE,
    check="external-api",
    title=N_("A file did not parse; its AI API uses come from a token scan"),
    explanation=N_(
        "Python 2 code, templates and minified bundles cannot be parsed; a token scan still finds SDK imports, API hosts and keys, but cannot follow names to an endpoint."
    ),
    fix=N_(
        "If the file is yours, make it parse (Python 3, plain JavaScript); otherwise mark it vendored or generated."
    ),
    requires=("ai-api",),
    tags=("ai-api",),
    sources=(_RESEARCH,),
)
def ai_api_parse_fallback(ctx: PolicyContext) -> Iterator[Hit]:
    for f in ctx.of_type(AIApiParseFallback):
        yield Hit(
            lt("did not parse as {language} ({error}); a token scan was used", language=f.language, error=f.error),
            f.location,
            {"language": f.language, "error": f.error, "key": f.language},
        )


@rule(
    "API007",
    "self-hosted-inference",
    Severity.NOTE,
    check="external-api",
    title=N_("The repository runs or calls a self-hosted inference server"),
    explanation=N_(
        "vLLM, Ollama, llama.cpp or TGI images, packages and settings are evidence that the project serves open-weight models itself."
    ),
    fix=N_("Nothing to do."),
    requires=("ai-api",),
    tags=("ai-api", "evidence"),
    sources=(_RESEARCH,),
)
def self_hosted_inference(ctx: PolicyContext) -> Iterator[Hit]:
    for e in ctx.of_type(LocalInference):
        yield Hit(
            lt("self-hosted inference ({what}: {name})", what=e.what, name=e.name),
            e.location,
            {"what": e.what, "name": e.name, "classification": "local", "key": f"{e.what}:{e.name}"},
        )
