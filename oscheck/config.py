"""The project declaration: ``.oscheck.yml`` or ``[tool.oscheck]`` in ``pyproject.toml``.

A grantee writes this file first; the short form in DESIGN.md must work::

    program: nipa-oss-ai-use-2026
    track: use
    license: Apache-2.0
    models:
      - Qwen/Qwen2.5-7B-Instruct
      - id: meta-llama/Llama-3.1-8B-Instruct
        revision: 0e9e39f249a16976918f6564b8830bc894c89659
      - ./models/ko-intent-clf
    datasets: [klue/klue]
    contributions: [https://github.com/vllm-project/vllm/pull/12345]
    exemptions:
      - rule: LIC003
        path: third_party/legacy/**
        reason: 검증기관 확인 완료 (2026-06-30)
        until: 2026-12-31

Errors name the file, the line and the field (exit code 2).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from oscheck import safeparse
from oscheck.errors import ConfigError
from oscheck.i18n import _

CONFIG_FILENAMES = (".oscheck.yml", ".oscheck.yaml")

# A track id of the chosen program (checked against policies/programs/<id>.yaml when the
# scan starts); the two tracks of the 2026 NIPA call accept the words grantees use.
Track = str
# Words grantees are likely to write for the two tracks of the 2026 call.
_TRACK_ALIASES = {
    "dev": "dev",
    "development": "dev",
    "개발": "dev",
    "개발과제": "dev",
    "use": "use",
    "utilization": "use",
    "utilisation": "use",
    "활용": "use",
    "활용과제": "use",
}


_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?")
_REVISION = re.compile(r"[\w][\w./-]*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelDecl(_Strict):
    """A declared model: a Hugging Face id (optionally at a revision) or a local folder."""

    id: str | None = None
    revision: str | None = None
    path: str | None = None

    @field_validator("id")
    @classmethod
    def _hub_id(cls, value: str | None) -> str | None:
        if value is not None and not _HUB_ID.fullmatch(value):
            raise ValueError("a Hugging Face id looks like 'org/name' (letters, digits, '-', '_', '.')")
        return value

    @field_validator("revision")
    @classmethod
    def _revision(cls, value: str | None) -> str | None:
        if value is not None and not _REVISION.fullmatch(value):
            raise ValueError("a revision is a commit id, branch or tag (e.g. main, v1.0, 0e9e39f…)")
        return value

    @model_validator(mode="after")
    def _one_of(self) -> ModelDecl:
        if bool(self.id) == bool(self.path):
            raise ValueError("give either 'id' (a Hugging Face model id) or 'path' (a local folder)")
        return self

    @property
    def is_local(self) -> bool:
        return self.path is not None

    @property
    def ref(self) -> str:
        return self.path if self.path is not None else f"{self.id}" + (f"@{self.revision}" if self.revision else "")


class DatasetDecl(_Strict):
    id: str
    revision: str | None = None
    license: str | None = None


class Exemption(_Strict):
    """A finding the verification body accepted, with a reason and an expiry date."""

    rule: str
    path: str | None = None
    reason: str
    until: date | None = None

    def applies(self, rule_id: str, path: str | None, today: date) -> bool:
        if self.rule != rule_id:
            return False
        if self.until is not None and today > self.until:
            return False
        if self.path is None:
            return True
        if path is None:
            return False
        return fnmatch.fnmatchcase(path, self.path) or path.startswith(self.path.rstrip("*").rstrip("/") + "/")


class Period(_Strict):
    """The funded period (협약 기간): community history metrics are computed over it."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError("'start' must not be after 'end'")
        return self


class Declaration(_Strict):
    """What a project declares about itself; every field is optional."""

    program: str | None = None
    track: Track | None = None
    license: str | None = Field(default=None, description="the project's outbound SPDX expression")
    models: tuple[ModelDecl, ...] = ()
    datasets: tuple[DatasetDecl, ...] = ()
    contributions: tuple[str, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    commercial: bool | None = Field(
        default=None, description="whether the result is commercialised (None: as the track implies)"
    )
    allowed_endpoints: tuple[str, ...] = Field(
        default=(), description="self-hosted inference hosts the grantee declares as their own"
    )
    email_domains: tuple[str, ...] = Field(default=(), description="the grantee's own e-mail domains")
    ignore: tuple[str, ...] = Field(default=(), description="extra gitignore-style patterns to skip")
    period: Period | None = Field(
        default=None, description="the funded period {start, end}; default: the 12 months before the scan"
    )

    @field_validator("track", mode="before")
    @classmethod
    def _track_alias(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _TRACK_ALIASES.get(value.strip().lower(), value)
        return value

    @field_validator("models", mode="before")
    @classmethod
    def _short_models(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return value
        out: list[Any] = []
        for item in value:
            if isinstance(item, str):
                out.append({"path": item} if _looks_like_path(item) else _split_revision(item))
            else:
                out.append(item)
        return out

    @field_validator("datasets", mode="before")
    @classmethod
    def _short_datasets(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return value
        return [_split_revision(v) if isinstance(v, str) else v for v in value]

    def with_overrides(self, **overrides: Any) -> Declaration:
        """A copy with the CLI's options applied (``None`` means "not given")."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if not given:
            return self
        data = self.model_dump()
        data.update(given)
        try:
            return Declaration.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            raise ConfigError(_("--{field}: {problem}", field=field, problem=err["msg"])) from None


def _looks_like_path(value: str) -> bool:
    return value.startswith((".", "/", "~")) or value.count("/") > 1


def _split_revision(value: str) -> dict[str, str]:
    if "@" in value:
        ident, rev = value.split("@", 1)
        return {"id": ident, "revision": rev}
    return {"id": value}


@dataclass(frozen=True)
class LoadedDeclaration:
    declaration: Declaration
    source: str | None  # the file it came from, relative to the root; None when absent
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line number


def load_declaration(root: Path, explicit: Path | None = None) -> LoadedDeclaration:
    """Find and parse the project's declaration under ``root``.

    ``explicit`` (``--config``) wins; then ``.oscheck.yml``; then ``[tool.oscheck]`` in
    ``pyproject.toml``. A project without any gets an empty declaration.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(_("{path}: configuration file not found", path=explicit))
        return _load_yaml(explicit, str(explicit))
    for name in CONFIG_FILENAMES:
        candidate = root / name
        if candidate.is_file() and not candidate.is_symlink():
            return _load_yaml(candidate, name)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        return parse_pyproject_declaration(pyproject.read_text(encoding="utf-8", errors="replace"))
    return LoadedDeclaration(Declaration(), None)


def parse_pyproject_declaration(text: str) -> LoadedDeclaration:
    """``[tool.oscheck]`` of a pyproject.toml's text; an empty declaration when there is none.

    An invalid pyproject.toml is the manifest detector's business (it becomes a finding
    there), so it gives an empty declaration here rather than an error.
    """
    try:
        data = safeparse.load_toml(text)
    except tomllib.TOMLDecodeError:
        return LoadedDeclaration(Declaration(), None)
    tool = data.get("tool")
    section = tool.get("oscheck") if isinstance(tool, dict) else None
    if isinstance(section, dict):
        return LoadedDeclaration(_validate(section, "pyproject.toml [tool.oscheck]", {}), "pyproject.toml")
    return LoadedDeclaration(Declaration(), None)


def parse_declaration_text(text: str, name: str) -> LoadedDeclaration:
    """Parse declaration YAML given as text (used for remote targets read from git)."""
    try:
        data, node = safeparse.load_yaml_with_node(text)
    except yaml.YAMLError as exc:
        line, problem = safeparse.yaml_error_location(exc)
        raise ConfigError(
            _("{path}{line}: invalid YAML ({problem})", path=name, line=f":{line}" if line else "", problem=problem)
        ) from None
    if data is None:
        return LoadedDeclaration(Declaration(), name)
    if not isinstance(data, dict):
        raise ConfigError(_("{path}: expected a mapping of settings at the top level", path=name))
    lines = _key_lines(node)
    return LoadedDeclaration(_validate(data, name, lines), name, lines)


def _load_yaml(path: Path, name: str) -> LoadedDeclaration:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("{path}: cannot read ({error})", path=name, error=exc)) from None
    return parse_declaration_text(text, name)


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[str(key.value)] = key.start_mark.line + 1
                _nested_lines(value, str(key.value), lines)
    return lines


def _nested_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[f"{prefix}.{i}"] = item.start_mark.line + 1
            _nested_lines(item, f"{prefix}.{i}", lines)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[f"{prefix}.{key.value}"] = key.start_mark.line + 1
                _nested_lines(value, f"{prefix}.{key.value}", lines)


def _validate(data: dict[str, Any], name: str, lines: dict[str, int]) -> Declaration:
    try:
        return Declaration.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
        dotted = ".".join(loc)
        line = None
        for depth in range(len(loc), 0, -1):
            line = lines.get(".".join(loc[:depth]))
            if line:
                break
        where = f"{name}:{line}" if line else name
        raise ConfigError(
            _("{where}: '{field}': {problem}", where=where, field=dotted or "(top)", problem=err["msg"])
        ) from None
