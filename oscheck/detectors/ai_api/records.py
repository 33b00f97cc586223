"""What one file says about AI API use, before the project-level resolution.

These records are the per-file answer that is cached by content hash, so they hold only
what the file's bytes determine: which SDK is used where, and how its endpoint is written
(a literal, an environment variable with or without a default, or something that cannot
be read statically). Resolving environment variables against ``.env`` and compose files,
``allowed_endpoints``, tests and local modules happens afterwards, for the whole project.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class EndpointRef:
    """How a client's endpoint is written in the code.

    ``kind``: ``literal`` (``value`` holds the URL, ``{?}`` marking parts that could not be
    read), ``env`` (``env`` names the variable, ``value`` its default in the code, if
    any), ``unresolved`` (``value`` is the expression's source text).
    """

    kind: str
    value: str | None = None
    env: str | None = None
    line: int | None = None
    via: str = "argument"  # argument, constant, parameter-default, module-attribute, ...


@dataclass(frozen=True)
class Step:
    """One link of the evidence chain: import -> client -> endpoint."""

    step: str
    line: int | None
    detail: str


@dataclass(frozen=True)
class RawUse:
    provider: str | None
    mode: str  # compatible | hosted | local
    via: str  # sdk, module-call, import, http, url, key, manifest, config
    symbol: str
    line: int
    chain: tuple[Step, ...] = ()
    endpoint: EndpointRef | None = None  # given explicitly in the code
    endpoint_env: tuple[str, ...] = ()  # the SDK reads these when no endpoint is given
    default: str | None = None  # the SDK's default base URL
    module: str | None = None  # the import root, to tell first-party modules of the same name
    model: str | None = None
    opaque_kwargs: bool = False  # ``**kwargs`` may set the endpoint
    secret: str | None = None  # keys only: the redacted token


@dataclass(frozen=True)
class LocalHint:
    """Evidence of self-hosted inference (a vLLM image, an Ollama client, ...)."""

    what: str  # python-module, client, package, image, port, env, key-value
    name: str
    line: int | None


@dataclass(frozen=True)
class EnvSet:
    """A value given to an environment variable by the project (``.env``, compose, code)."""

    name: str
    value: str
    line: int | None


@dataclass
class FileResult:
    language: str
    parse: str = "ast"  # ast, tree-sitter, token, manifest, config, skip
    parse_error: str | None = None
    uses: list[RawUse] = field(default_factory=list)
    local: list[LocalHint] = field(default_factory=list)
    env: list[EnvSet] = field(default_factory=list)
    mocked: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileResult:
        uses = []
        for u in data.get("uses", []):
            ep = u.get("endpoint")
            uses.append(
                RawUse(
                    **{
                        **u,
                        "chain": tuple(Step(**s) for s in u.get("chain", ())),
                        "endpoint": EndpointRef(**ep) if ep else None,
                        "endpoint_env": tuple(u.get("endpoint_env", ())),
                    }
                )
            )
        return cls(
            language=data["language"],
            parse=data.get("parse", "ast"),
            parse_error=data.get("parse_error"),
            uses=uses,
            local=[LocalHint(**x) for x in data.get("local", [])],
            env=[EnvSet(**x) for x in data.get("env", [])],
            mocked=bool(data.get("mocked", False)),
        )


def redact(token: str, prefix: str) -> str:
    """Never the key: its known prefix, a mask and its length."""
    return f"{prefix}****({len(token)} chars)"
