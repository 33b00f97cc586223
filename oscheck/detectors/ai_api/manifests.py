"""Manifests that declare AI SDKs: requirements, pyproject, Pipfile, package.json, go.mod, Maven, Gradle.

Read minimally, for SDK names only (the full manifest parsers belong to the dependency
detector). When that detector has run, its ``Component`` observations are used instead
for the manifests it covered.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from typing import Any

from oscheck import safeparse
from oscheck.detectors.ai_api.catalogue import Catalogue, PackageSpec
from oscheck.detectors.ai_api.records import FileResult, LocalHint, RawUse, Step
from oscheck.detectors.dependencies.textutil import Lines

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_GO_REQ = re.compile(r"^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}/[^\s]+)\s+v[0-9]", re.M)
_MAVEN = re.compile(
    r"<groupId>\s*([^<\s]+)\s*</groupId>\s*<artifactId>\s*([^<\s]+)\s*</artifactId>|"
    r"<artifactId>\s*([^<\s]+)\s*</artifactId>\s*<groupId>\s*([^<\s]+)\s*</groupId>",
    re.S,
)
_GRADLE = re.compile(r"""['"]([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+)(?::[^'"]*)?['"]""")


def manifest_kind(path: str) -> str | None:
    base = path.rsplit("/", 1)[-1].lower()
    if base.endswith((".txt", ".in")) and ("requirements" in base or base.startswith(("constraints", "requires"))):
        return "requirements"
    return {
        "pyproject.toml": "pyproject",
        "pipfile": "pipfile",
        "package.json": "package.json",
        "go.mod": "go.mod",
        "pom.xml": "pom",
        "build.gradle": "gradle",
        "build.gradle.kts": "gradle",
    }.get(base)


def normalize_pypi(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def scan_manifest(kind: str, text: str, cat: Catalogue) -> FileResult:
    result = FileResult(language="manifest", parse="manifest")
    try:
        found = list(_names(kind, text))
    except (ValueError, TypeError, KeyError, AttributeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        result.parse = "token"
        result.parse_error = f"{type(exc).__name__}: {str(exc)[:120]}"
        found = list(_requirements(text, "pypi"))
    for ecosystem, name, line in found:
        key = normalize_pypi(name) if ecosystem == "pypi" else name.lower()
        spec = cat.packages.get((ecosystem, key))
        if spec is not None:
            result.uses.append(manifest_use(spec, name, line, kind))
        elif (ecosystem == "pypi" and key in cat.local_pypi) or (ecosystem == "npm" and name in cat.local_npm):
            result.local.append(LocalHint("package", name, line))
    return result


def manifest_use(spec: PackageSpec, name: str, line: int | None, where: str) -> RawUse:
    return RawUse(
        provider=spec.provider,
        mode=spec.mode if spec.mode != "router" else "compatible",
        via="manifest",
        symbol=f"{spec.ecosystem}:{spec.name}",
        line=line or 1,
        chain=(Step("dependency", line, f"{where}: {name}"),),
        module="router" if spec.mode == "router" else spec.name,
    )


def _line_of(text: str, needle: str) -> int:
    idx = text.find(needle)
    return text.count("\n", 0, idx) + 1 if idx >= 0 else 1


def _names(kind: str, text: str) -> Iterator[tuple[str, str, int]]:
    if kind == "requirements":
        yield from _requirements(text, "pypi")
    elif kind in ("pyproject", "pipfile"):
        data = safeparse.load_toml(text)
        yield from ((e, n, _line_of(text, n)) for e, n in _toml_names(data))
    elif kind == "package.json":
        data = safeparse.load_json(text)
        if isinstance(data, dict):
            for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
                deps = data.get(section)
                if isinstance(deps, dict):
                    for name in deps:
                        yield "npm", str(name), _line_of(text, f'"{name}"')
    elif kind in ("go.mod", "pom", "gradle"):
        # Line numbers by bisection: counting newlines from the top for every match was
        # O(matches x size) (a 3 MB build.gradle of coordinates: a minute).
        line_at = Lines(text).of_offset
        if kind == "go.mod":
            for m in _GO_REQ.finditer(text):
                yield "go", m.group(1), line_at(m.start(1))
        elif kind == "pom":
            for m in _MAVEN.finditer(text):
                group, artifact = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                yield "maven", f"{group}:{artifact}", line_at(m.start())
        else:
            for m in _GRADLE.finditer(text):
                yield "maven", f"{m.group(1)}:{m.group(2)}", line_at(m.start())


def _requirements(text: str, ecosystem: str) -> Iterator[tuple[str, str, int]]:
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        m = _REQ_NAME.match(line)
        if m:
            yield ecosystem, m.group(1), i


def _toml_names(data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    project = data.get("project") or {}
    specs: list[Any] = list(project.get("dependencies") or [])
    for group in (project.get("optional-dependencies") or {}).values():
        specs += list(group or [])
    for group in (data.get("dependency-groups") or {}).values():
        specs += [s for s in group or [] if isinstance(s, str)]
    for s in specs:
        m = _REQ_NAME.match(str(s))
        if m:
            yield "pypi", m.group(1)
    poetry = (data.get("tool") or {}).get("poetry") or {}
    tables = [poetry.get("dependencies") or {}, poetry.get("dev-dependencies") or {}]
    tables += [(g or {}).get("dependencies") or {} for g in (poetry.get("group") or {}).values()]
    tables += [data.get("packages") or {}, data.get("dev-packages") or {}]  # Pipfile
    for table in tables:
        if isinstance(table, dict):
            for name in table:
                if name != "python":
                    yield "pypi", str(name)
