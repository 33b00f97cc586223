"""Python manifests: requirements*.txt, pyproject.toml (PEP 621, PEP 735, Poetry), setup.cfg, Pipfile.

Manifests state what the project asks for (``requests>=2.31``); only an exact pin
(``==2.32.3``) gives a version. Requirement strings are parsed with ``packaging``, the
library pip itself uses, so what pip rejects is reported here too, with its line.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable, Iterator
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from oscheck.detectors.dependencies.entries import (
    PackageEntry,
    ParsedFile,
    ParseFailure,
    ParseProblem,
    ProjectInfo,
    Source,
)
from oscheck.detectors.dependencies.purls import pypi_name
from oscheck.detectors.dependencies.textutil import Lines, as_dict, as_list, as_str, load_toml
from oscheck.model import DependencyScope

RUNTIME = DependencyScope.RUNTIME.value
DEV = DependencyScope.DEV.value
OPTIONAL = DependencyScope.OPTIONAL.value

# Names of optional-dependency groups, requirements files and Poetry groups that hold
# development tools rather than features of the package.
_DEV_WORDS = re.compile(
    r"(^|[-_./])(dev|develop|development|test|tests|testing|lint|linting|docs?|typing|mypy|ci|style|bench|benchmarks?|build)([-_./]|$)",
    re.IGNORECASE,
)


def is_dev_name(name: str) -> bool:
    return bool(_DEV_WORDS.search(name))


def exact_version(specifier: str) -> str | None:
    """``==1.2.3`` (or ``===1.2.3``) -> ``1.2.3``; anything else is a range, not a version."""
    spec = specifier.strip()
    m = re.fullmatch(r"===?\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)", spec)
    if m and "*" not in m.group(1):
        return m.group(1)
    return None


def pep508_entry(
    text: str, *, key_prefix: str, scope: str | None, line: int | None, direct: bool = True
) -> PackageEntry:
    """One PEP 508 requirement string as an entry (raises InvalidRequirement)."""
    req = Requirement(text)
    version = exact_version(str(req.specifier)) if req.specifier else None
    source = Source.REGISTRY.value
    if req.url:
        source = Source.GIT.value if req.url.startswith("git+") else Source.URL.value
    name = pypi_name(req.name)
    # The requirement without its name: extras, versions and marker, as pip reads them.
    requirement = str(req)[len(req.name) :].strip()
    return PackageEntry(
        key=f"{key_prefix}{name}",
        ecosystem="pypi",
        name=name,
        version=version,
        requirement=requirement or None,
        scope=scope,
        direct=direct,
        line=line,
        source=source,
        download_url=req.url,
    )


# ---------------------------------------------------------------- requirements.txt

# Options pip accepts on a line of their own that do not name a requirement.
_GLOBAL_OPTIONS = {
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--prefer-binary",
    "--require-hashes",
    "--pre",
    "--trusted-host",
    "--use-feature",
    "-c",
    "--constraint",
}
_PER_REQUIREMENT = re.compile(r"\s+--(hash|global-option|config-settings|install-option)(=|\s+)\S+")
_COMMENT = re.compile(r"(^|\s)#.*$")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_WHEEL = re.compile(r"([A-Za-z0-9][A-Za-z0-9._]*?)-([0-9][A-Za-z0-9._+!]*?)-[^/]*\.whl$")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line number, joined line) with ``\\`` continuations and comments removed."""
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buf:
            start = number
        line = raw.rstrip()
        if line.endswith("\\"):
            buf.append(line[:-1])
            continue
        buf.append(line)
        joined = _COMMENT.sub("", " ".join(buf)).strip()
        buf = []
        if joined:
            yield start, joined
    if buf:
        joined = _COMMENT.sub("", " ".join(buf)).strip()
        if joined:
            yield start, joined


def parse_requirements(path: str, text: str) -> ParsedFile:
    """A pip requirements file; ``-r`` includes are listed, not followed (each file is parsed on its own)."""
    scope = DEV if is_dev_name(path.rsplit("/", 1)[-1]) else RUNTIME
    entries: list[PackageEntry] = []
    problems: list[ParseProblem] = []
    includes: list[str] = []
    for number, line in logical_lines(text):
        if line.startswith("-"):
            option, _, value = line.partition(" ") if " " in line else line.partition("=")
            value = value.strip().lstrip("=").strip()
            if option in ("-r", "--requirement"):
                if value:
                    includes.append(value)
            elif option in ("-e", "--editable"):
                entry = _editable(value, scope, number)
                if entry is not None:
                    entries.append(entry)
            elif option.split("=", 1)[0] not in _GLOBAL_OPTIONS:
                problems.append(ParseProblem(f"unknown pip option '{option}'", number))
            continue
        requirement = _PER_REQUIREMENT.sub("", " " + line).strip()
        try:
            entries.append(pep508_entry(requirement, key_prefix="", scope=scope, line=number))
        except InvalidRequirement as exc:
            wheel = _WHEEL.search(requirement)
            if wheel:
                name = pypi_name(wheel.group(1))
                source = Source.URL.value if "://" in requirement else Source.PATH.value
                entries.append(
                    PackageEntry(
                        key=name,
                        ecosystem="pypi",
                        name=name,
                        version=wheel.group(2),
                        scope=scope,
                        direct=True,
                        line=number,
                        source=source,
                        download_url=requirement,
                    )
                )
            else:
                problems.append(ParseProblem(f"not a requirement: '{requirement}' ({_first_line(exc)})", number))
    return ParsedFile(
        path=path,
        format="requirements.txt",
        ecosystem="pypi",
        is_lock=False,
        entries=tuple(_unique(entries)),
        problems=tuple(problems),
        includes=tuple(includes),
    )


def _editable(value: str, scope: str, line: int) -> PackageEntry | None:
    """``-e git+https://…#egg=name`` is a dependency; ``-e .`` is the project itself."""
    egg = _EGG.search(value)
    if "://" not in value and not value.startswith("git+"):
        return None  # a local folder: first-party code, not a third-party component
    name = pypi_name(egg.group(1)) if egg else None
    if name is None:
        return None
    return PackageEntry(
        key=name,
        ecosystem="pypi",
        name=name,
        version=None,
        scope=scope,
        direct=True,
        line=line,
        source=Source.GIT.value if value.startswith(("git+", "hg+", "svn+", "bzr+")) else Source.URL.value,
        download_url=value.split("#", 1)[0],
    )


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _unique(entries: Iterable[PackageEntry]) -> list[PackageEntry]:
    """The first entry of each key (a name listed twice is one dependency)."""
    seen: dict[str, PackageEntry] = {}
    for e in entries:
        seen.setdefault(e.key, e)
    return list(seen.values())


# ---------------------------------------------------------------- pyproject.toml


def parse_pyproject(path: str, text: str) -> ParsedFile:
    """PEP 621 ``[project]``, PEP 735 ``[dependency-groups]``, ``[tool.poetry]``, uv and PDM dev groups."""
    data = load_toml(text)
    lines = Lines(text)
    entries: list[PackageEntry] = []
    problems: list[ParseProblem] = []
    project = as_dict(data.get("project"))
    poetry = as_dict(as_dict(data.get("tool")).get("poetry"))

    def strings(items: Any, section: str, scope: str) -> None:
        start = lines.find_section(section) or 1
        for item in as_list(items):
            if not isinstance(item, str):
                continue  # {include-group = "..."} tables of PEP 735
            line = lines.find(rf"""["']{re.escape(item)}["']""", start) or lines.find(
                rf"""["']{re.escape(item)}""", start
            )
            try:
                entries.append(pep508_entry(item, key_prefix="", scope=scope, line=line))
            except InvalidRequirement as exc:
                problems.append(ParseProblem(f"not a requirement: '{item}' ({_first_line(exc)})", line))

    strings(project.get("dependencies"), "project", RUNTIME)
    for group, items in as_dict(project.get("optional-dependencies")).items():
        strings(items, "project.optional-dependencies", DEV if is_dev_name(group) else OPTIONAL)
    for _group, items in as_dict(data.get("dependency-groups")).items():
        strings(items, "dependency-groups", DEV)
    tool = as_dict(data.get("tool"))
    strings(as_dict(tool.get("uv")).get("dev-dependencies"), "tool.uv", DEV)
    for _group, items in as_dict(as_dict(tool.get("pdm")).get("dev-dependencies")).items():
        strings(items, "tool.pdm.dev-dependencies", DEV)

    if poetry:
        entries.extend(_poetry_table(poetry.get("dependencies"), "tool.poetry.dependencies", RUNTIME, lines))
        entries.extend(_poetry_table(poetry.get("dev-dependencies"), "tool.poetry.dev-dependencies", DEV, lines))
        for group, table in as_dict(poetry.get("group")).items():
            scope = RUNTIME if group == "main" else DEV
            section = f"tool.poetry.group.{group}.dependencies"
            entries.extend(_poetry_table(as_dict(table).get("dependencies"), section, scope, lines))

    name = as_str(project.get("name")) or as_str(poetry.get("name"))
    version = as_str(project.get("version")) or as_str(poetry.get("version"))
    license_value = project.get("license") if "license" in project else poetry.get("license")
    license_text = as_str(license_value) or as_str(as_dict(license_value).get("text"))
    info = ProjectInfo(name, version, license_text, lines.find_key("name")) if name or version else None
    return ParsedFile(
        path=path,
        format="pyproject.toml",
        ecosystem="pypi",
        is_lock=False,
        entries=tuple(_merge_scopes(entries)),
        project=info,
        problems=tuple(problems),
    )


def _merge_scopes(entries: Iterable[PackageEntry]) -> list[PackageEntry]:
    """A package listed in several groups keeps its first line and its strongest scope."""
    rank = {RUNTIME: 0, OPTIONAL: 1, DEV: 2}
    out: dict[str, PackageEntry] = {}
    for e in entries:
        seen = out.get(e.key)
        if seen is None:
            out[e.key] = e
        elif rank.get(e.scope or RUNTIME, 0) < rank.get(seen.scope or RUNTIME, 0):
            out[e.key] = PackageEntry(**{**seen.__dict__, "scope": e.scope})
    return list(out.values())


def poetry_exact(constraint: str) -> str | None:
    """Poetry reads a bare ``1.2.3`` as ``==1.2.3``."""
    c = constraint.strip()
    if re.fullmatch(r"[0-9][A-Za-z0-9.+!_-]*", c):
        return c
    return exact_version(c)


def _poetry_table(table: Any, section: str, scope: str, lines: Lines) -> Iterator[PackageEntry]:
    start = lines.find_section(section) or 1
    for raw_name, spec in as_dict(table).items():
        if raw_name.lower() == "python":
            continue  # the interpreter constraint, not a package
        name = pypi_name(raw_name)
        specs = spec if isinstance(spec, list) else [spec]
        first = specs[0] if specs else None
        constraint = first if isinstance(first, str) else as_str(as_dict(first).get("version"))
        table_spec = as_dict(first)
        source = Source.REGISTRY.value
        url = None
        if "git" in table_spec:
            source, url = Source.GIT.value, as_str(table_spec.get("git"))
        elif "url" in table_spec:
            source, url = Source.URL.value, as_str(table_spec.get("url"))
        elif "path" in table_spec:
            source = Source.PATH.value
        entry_scope = OPTIONAL if table_spec.get("optional") is True and scope == RUNTIME else scope
        yield PackageEntry(
            key=name,
            ecosystem="pypi",
            name=name,
            version=poetry_exact(constraint) if constraint and len(specs) == 1 else None,
            requirement=constraint,
            scope=entry_scope,
            direct=True,
            line=lines.find_key(raw_name, start),
            source=source,
            download_url=url,
        )


# ---------------------------------------------------------------- setup.cfg


def parse_setup_cfg(path: str, text: str) -> ParsedFile:
    """setuptools' declarative config: ``install_requires``, ``extras_require``, ``tests_require``."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=path)
    except configparser.ParsingError as exc:
        line = exc.errors[0][0] if exc.errors else None
        raise ParseFailure(f"invalid setup.cfg: {_first_line(exc)}", line) from None
    except configparser.Error as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ParseFailure(f"invalid setup.cfg: {_first_line(exc)}", int(m.group(1)) if m else None) from None
    lines = Lines(text)
    entries: list[PackageEntry] = []
    problems: list[ParseProblem] = []

    def add(value: str, section: str, scope: str) -> None:
        start = lines.find_section(section) or 1
        for item in _cfg_list(value):
            line = lines.find(re.escape(item), start)
            try:
                entries.append(pep508_entry(item, key_prefix="", scope=scope, line=line))
            except InvalidRequirement as exc:
                problems.append(ParseProblem(f"not a requirement: '{item}' ({_first_line(exc)})", line))

    if parser.has_section("options"):
        options = parser["options"]
        add(options.get("install_requires", ""), "options", RUNTIME)
        add(options.get("tests_require", ""), "options", DEV)
        add(options.get("setup_requires", ""), "options", DEV)
    if parser.has_section("options.extras_require"):
        for group, value in parser["options.extras_require"].items():
            add(value, "options.extras_require", DEV if is_dev_name(group) else OPTIONAL)
    meta = parser["metadata"] if parser.has_section("metadata") else None
    info = None
    if meta is not None and (meta.get("name") or meta.get("version")):
        info = ProjectInfo(meta.get("name"), meta.get("version"), meta.get("license"), lines.find_key("name"))
    return ParsedFile(
        path=path,
        format="setup.cfg",
        ecosystem="pypi",
        is_lock=False,
        entries=tuple(_merge_scopes(entries)),
        project=info,
        problems=tuple(problems),
    )


def _cfg_list(value: str) -> list[str]:
    if value.strip().startswith(("file:", "attr:")):
        return []  # read from another file or from code, which we never run
    items: list[str] = []
    for raw in value.splitlines():
        item = _COMMENT.sub("", raw).strip()
        if item:
            items.append(item)  # one per line: a ";" starts an environment marker, not a new item
    return items


# ---------------------------------------------------------------- Pipfile


def parse_pipfile(path: str, text: str) -> ParsedFile:
    """Pipenv's manifest: ``[packages]`` and ``[dev-packages]`` (versions come from Pipfile.lock)."""
    data = load_toml(text)
    lines = Lines(text)
    entries: list[PackageEntry] = []
    for section, scope in (("packages", RUNTIME), ("dev-packages", DEV)):
        start = lines.find_section(section) or 1
        for raw_name, spec in as_dict(data.get(section)).items():
            name = pypi_name(raw_name)
            constraint = spec if isinstance(spec, str) else as_str(as_dict(spec).get("version"))
            table = as_dict(spec)
            source = (
                Source.GIT.value if "git" in table else Source.PATH.value if "path" in table else Source.REGISTRY.value
            )
            entries.append(
                PackageEntry(
                    key=name,
                    ecosystem="pypi",
                    name=name,
                    version=exact_version(constraint) if constraint else None,
                    requirement=None if constraint in (None, "*") else constraint,
                    scope=scope,
                    direct=True,
                    line=lines.find_key(raw_name, start),
                    source=source,
                    download_url=as_str(table.get("git")),
                )
            )
    return ParsedFile(
        path=path, format="Pipfile", ecosystem="pypi", is_lock=False, entries=tuple(_merge_scopes(entries))
    )
