"""The portfolio: which grantees a verification body scans, and what of theirs.

The short form (every field but ``grantees[].id``, ``name`` and one repository or model is
optional)::

    program: nipa-oss-ai-use-2026        # default for every grantee
    grantees:
      - id: G-2026-001
        name: 한빛소프트
        track: use
        repos:
          - url: https://github.com/example/ko-civil-qa    # or file:// URL or local path
            ref: main
        models: [Qwen/Qwen2.5-7B-Instruct]

More fields (``docs/batch.md``): ``track``/``as_of``/``timeout``/``retries`` at the top;
per grantee ``program`` (override), ``organisation`` and ``application`` (registry ids);
per repository ``path`` (a local clone or mirror read instead of fetching ``url``);
models as Hub ids (``org/name@revision``), local folders (``./models/x``) or both
(``{id: org/name, path: ./copy}``: a local copy of a Hub model).

:func:`load_portfolio` checks the whole file before anything runs; a problem is one line
naming the file, the line and the field (exit 2). :meth:`Portfolio.units` expands it into
work units, one per repository or model.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from oscheck import safeparse
from oscheck.config import _TRACK_ALIASES
from oscheck.errors import InputError, PolicyError
from oscheck.i18n import _
from oscheck.policy import PolicySet, program_track
from oscheck.policy.programs import program_ids
from oscheck.sources import redact_url
from oscheck.sources.git import is_git_url

__all__ = ["Grantee", "LoadedPortfolio", "ModelSpec", "Portfolio", "RepoSpec", "TargetSpec", "load_portfolio"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
DEFAULT_TIMEOUT = 3600.0  # seconds per target
DEFAULT_RETRIES = 3  # further attempts after a transient clone failure


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RepoSpec(_Strict):
    """A repository: ``url`` (git URL, ``file://`` URL or a local path) and/or ``path``.

    ``path`` is a local clone or mirror read instead of fetching ``url``; the scan is then
    recorded under ``url``. Relative paths are relative to the portfolio file.
    """

    url: str | None = None
    path: str | None = None
    ref: str | None = None

    @model_validator(mode="after")
    def _some(self) -> RepoSpec:
        if not self.url and not self.path:
            raise ValueError("give 'url' (a git URL or a folder) or 'path' (a local clone)")
        if self.ref is not None and self.ref.startswith("-"):
            raise ValueError("'ref' must be a branch, tag or commit id")
        return self


class ModelSpec(_Strict):
    """A declared model: a Hub ``id`` (at ``revision``), a local folder ``path``, or both
    (a local copy of the Hub model, read from ``path`` and recorded under the Hub id)."""

    id: str | None = None
    revision: str | None = None
    path: str | None = None

    @model_validator(mode="after")
    def _some(self) -> ModelSpec:
        if not self.id and not self.path:
            raise ValueError("give 'id' (a Hugging Face model id) or 'path' (a local folder)")
        if self.id and not re.fullmatch(r"[A-Za-z0-9][\w.-]*/[\w.-]+", self.id):
            raise ValueError("'id' must look like organisation/name")
        return self


def _short_model(item: Any) -> Any:
    if not isinstance(item, str):
        return item
    if item.startswith((".", "/", "~")) or item.count("/") > 1:
        return {"path": item}
    ident, _sep, rev = item.partition("@")
    return {"id": ident, "revision": rev or None}


class Grantee(_Strict):
    """One funded organisation and what of theirs is scanned."""

    id: str = Field(description="the portfolio's id for the grantee (file names use it)")
    name: str
    program: str | None = None  # overrides the portfolio's program
    track: str | None = None
    organisation: str | None = None  # an organisation id of the registry
    application: str | None = None  # an application id of the registry
    repos: tuple[RepoSpec, ...] = ()
    models: tuple[ModelSpec, ...] = ()

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use letters, digits, '.', '_' and '-' (it names the output folder)")
        return value

    @field_validator("track", mode="before")
    @classmethod
    def _track(cls, value: Any) -> Any:
        return _TRACK_ALIASES.get(value.strip().lower(), value) if isinstance(value, str) else value

    @field_validator("repos", mode="before")
    @classmethod
    def _short_repos(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [{"url": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("models", mode="before")
    @classmethod
    def _short_models(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [_short_model(v) for v in value]
        return value

    @model_validator(mode="after")
    def _something(self) -> Grantee:
        if not self.repos and not self.models:
            raise ValueError("list at least one repository ('repos') or model ('models')")
        return self


class Portfolio(_Strict):
    program: str | None = None  # default program of every grantee
    track: str | None = None  # default track
    as_of: date | None = None  # judge dates as of this day (default: OSCHECK_TODAY or today)
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, description="seconds per target")
    retries: int = Field(default=DEFAULT_RETRIES, ge=0, le=10, description="retries of a transient clone failure")
    grantees: tuple[Grantee, ...] = Field(min_length=1)

    @field_validator("track", mode="before")
    @classmethod
    def _track(cls, value: Any) -> Any:
        return _TRACK_ALIASES.get(value.strip().lower(), value) if isinstance(value, str) else value


@dataclass(frozen=True)
class TargetSpec:
    """One thing to scan, as the portfolio names it (before any commit is resolved)."""

    key: str  # "<grantee id>/<stem>": unique in the portfolio, names the output files
    grantee: Grantee
    kind: str  # "repo" | "model"
    source: str  # what the worker reads: git URL, folder, or Hub id
    uri: str  # the URI the scan is recorded under
    ref: str | None
    program: str | None
    track: str | None
    line: int | None  # in the portfolio file

    @property
    def stem(self) -> str:
        return self.key.split("/", 1)[1]


@dataclass(frozen=True)
class LoadedPortfolio:
    portfolio: Portfolio
    path: Path
    digest: str  # sha256 of the normalised portfolio (the run is found by it and the day)
    targets: tuple[TargetSpec, ...]


def load_portfolio(path: Path, policy: PolicySet | None = None) -> LoadedPortfolio:
    """Read and check ``path``; ``InputError`` (exit 2) names the file, line and field."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(_("{path}: cannot read the portfolio ({error})", path=name, error=exc)) from None
    try:
        data, node = safeparse.load_yaml_with_node(text)
    except yaml.YAMLError as exc:
        line, problem = safeparse.yaml_error_location(exc)
        raise InputError(
            _("{path}{line}: invalid YAML ({problem})", path=name, line=f":{line}" if line else "", problem=problem)
        ) from None
    if not isinstance(data, dict):
        raise InputError(_("{path}: expected a mapping with 'grantees' at the top level", path=name))
    lines = _lines(node)
    try:
        portfolio = Portfolio.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
        raise _error(name, lines, loc, err["msg"]) from None
    targets = _targets(portfolio, path, lines, policy)
    canonical = json.dumps(portfolio.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return LoadedPortfolio(portfolio, path, digest, targets)


def _error(name: str, lines: dict[str, int], loc: list[str], problem: str) -> InputError:
    line = None
    for depth in range(len(loc), -1, -1):
        line = lines.get(".".join(loc[:depth]))
        if line:
            break
    where = f"{name}:{line}" if line else name
    return InputError(_("{where}: '{field}': {problem}", where=where, field=".".join(loc) or "(top)", problem=problem))


def _lines(node: yaml.Node | None) -> dict[str, int]:
    """Dotted path ("grantees.2.repos.0.ref") -> line number, for error messages."""
    lines: dict[str, int] = {}

    def walk(n: yaml.Node, prefix: str) -> None:
        if prefix:
            lines.setdefault(prefix, n.start_mark.line + 1)
        if isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, f"{prefix}.{i}" if prefix else str(i))
        elif isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    dotted = f"{prefix}.{key.value}" if prefix else str(key.value)
                    lines[dotted] = key.start_mark.line + 1
                    walk(value, dotted)

    if node is not None:
        walk(node, "")
    return lines


def _stem(value: str) -> str:
    stem = value.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem).lstrip(".") or "target"


def _targets(
    portfolio: Portfolio, path: Path, lines: dict[str, int], policy: PolicySet | None
) -> tuple[TargetSpec, ...]:
    from oscheck.sources.hf_hub import DEFAULT_ENDPOINT

    base = path.resolve().parent
    name = str(path)
    out: list[TargetSpec] = []
    seen_ids: dict[str, int] = {}
    seen_uris: dict[str, str] = {}

    def local(p: str) -> str:
        return str((base / Path(p).expanduser()).resolve())

    for g_index, g in enumerate(portfolio.grantees):
        at = ["grantees", str(g_index)]
        if g.id in seen_ids:
            raise _error(name, lines, [*at, "id"], _("duplicate grantee id (also grantee {n})", n=seen_ids[g.id] + 1))
        seen_ids[g.id] = g_index
        program = g.program or portfolio.program
        track = g.track or portfolio.track
        if not program:
            raise _error(name, lines, [*at, "program"], _("no program: set 'program' at the top or on the grantee"))
        if policy is not None:
            try:
                program_track(policy, program, track)
            except PolicyError as exc:
                bad_track = program in program_ids(policy)
                field = "track" if bad_track else "program"
                own = g.track if bad_track else g.program
                raise _error(name, lines, [*at, field] if own else [field], exc.message) from None
        stems: set[str] = set()

        def add(
            kind: str,
            source: str,
            uri: str,
            ref: str | None,
            loc: list[str],
            label: str,
            g: Grantee = g,
            program: str = program,
            track: str | None = track,
            stems: set[str] = stems,
        ) -> None:
            stem = _stem(label)
            n = 2
            while stem in stems:
                stem, n = f"{_stem(label)}-{n}", n + 1
            stems.add(stem)
            if uri in seen_uris:
                raise _error(
                    name,
                    lines,
                    loc,
                    _("'{uri}' is listed twice (also {other})", uri=redact_url(uri), other=seen_uris[uri]),
                )
            seen_uris[uri] = f"{g.id}/{stem}"
            out.append(
                TargetSpec(
                    key=f"{g.id}/{stem}",
                    grantee=g,
                    kind=kind,
                    source=source,
                    uri=uri,
                    ref=ref,
                    program=program,
                    track=track,
                    line=lines.get(".".join(loc)),
                )
            )

        for r_index, repo in enumerate(g.repos):
            loc = [*at, "repos", str(r_index)]
            url = repo.url
            if url is not None and not is_git_url(url):
                url = local(url)  # a folder given as 'url'
            source = local(repo.path) if repo.path else str(url)
            add("repo", source, redact_url(url) if url else source, repo.ref, loc, repo.url or repo.path or "")
        for m_index, model in enumerate(g.models):
            loc = [*at, "models", str(m_index)]
            if model.path:
                source = local(model.path)
                uri = f"{DEFAULT_ENDPOINT}/{model.id}" if model.id else source
            else:
                source = f"{model.id}@{model.revision}" if model.revision else str(model.id)
                uri = f"{DEFAULT_ENDPOINT}/{model.id}"
            add("model", source, uri, model.revision, loc, model.id or model.path or "")
    return tuple(out)
