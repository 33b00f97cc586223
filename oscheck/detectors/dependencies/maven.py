"""Maven: pom.xml, read with a safe XML parser that keeps line numbers.

A pom lists direct dependencies only; the transitive ones are decided by Maven's
resolver from every dependency's own pom, which oscheck does not fetch. Versions come
from the dependency itself, ``${properties}``, or ``<dependencyManagement>``; a version
defined only in a parent pom stays unknown (``requirement`` keeps what was written).

The XML of a scanned repository is untrusted: DOCTYPEs and entity declarations are
refused (no billion laughs, no external entities), as defusedxml does.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, ParseFailure, ProjectInfo
from oscheck.model import DependencyScope

_PROPERTY = re.compile(r"\$\{([^}]+)\}")
_SCOPES = {
    "compile": DependencyScope.RUNTIME.value,
    "runtime": DependencyScope.RUNTIME.value,
    "provided": DependencyScope.RUNTIME.value,  # linked at run time, supplied by the container
    "system": DependencyScope.RUNTIME.value,
    "test": DependencyScope.DEV.value,
}


@dataclass
class Element:
    tag: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def find(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Element]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str | None:
        child = self.find(tag)
        return child.text.strip() if child is not None and child.text.strip() else None


class _Forbidden(Exception):
    pass


def parse_xml(text: str) -> Element:
    """A tree of :class:`Element` with 1-based source lines; DTDs and entities are refused."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    root: list[Element] = []

    def start(name: str, _attrs: dict[str, str]) -> None:
        element = Element(name.rsplit(":", 1)[-1], parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)
        pieces.append([])

    # Text arrives in pieces (expat calls back once per line); "+=" on a 4 MB description
    # of newlines was quadratic, so pieces are joined once, when the element ends.
    pieces: list[list[str]] = []

    def end(_name: str) -> None:
        stack.pop().text = "".join(pieces.pop())

    def chars(data: str) -> None:
        if pieces:
            pieces[-1].append(data)

    def forbid(*_args: object) -> None:
        raise _Forbidden

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid  # type: ignore[assignment]
    try:
        parser.Parse(text.encode("utf-8"), True)
    except xml.parsers.expat.ExpatError as exc:
        raise ParseFailure(f"invalid XML: {xml.parsers.expat.errors.messages[exc.code]}", exc.lineno) from None
    except _Forbidden:
        raise ParseFailure(
            "DOCTYPE and entity declarations are not allowed in pom.xml", parser.CurrentLineNumber
        ) from None
    if not root:
        raise ParseFailure("empty XML document", 1)
    return root[0]


def parse_pom(path: str, text: str) -> ParsedFile:
    project = parse_xml(text)
    if project.tag != "project":
        raise ParseFailure(f"the root element is <{project.tag}>, not <project>", project.line)
    parent = project.find("parent")
    group = project.value("groupId") or (parent.value("groupId") if parent else None)
    artifact = project.value("artifactId")
    version = project.value("version") or (parent.value("version") if parent else None)
    props: dict[str, str] = {
        "project.groupId": group or "",
        "project.artifactId": artifact or "",
        "project.version": version or "",
        "pom.version": version or "",
    }
    if parent is not None:
        props["project.parent.version"] = parent.value("version") or ""
        props["project.parent.groupId"] = parent.value("groupId") or ""
    properties = project.find("properties")
    for p in properties.children if properties else []:
        props[p.tag] = p.text.strip()

    def interpolate(value: str | None) -> str | None:
        if value is None:
            return None
        for _ in range(10):  # properties may refer to properties; stop cycles
            new = _PROPERTY.sub(lambda m: props.get(m.group(1), m.group(0)), value)
            if new == value:
                break
            value = new
        return value

    managed: dict[str, str] = {}
    management = project.find("dependencyManagement")
    deps_table = management.find("dependencies") if management else None
    for dep in deps_table.findall("dependency") if deps_table else []:
        v = interpolate(dep.value("version"))
        if v:
            managed[f"{interpolate(dep.value('groupId'))}:{interpolate(dep.value('artifactId'))}"] = v
    entries: list[PackageEntry] = []
    table = project.find("dependencies")
    for dep in table.findall("dependency") if table else []:
        g, a = interpolate(dep.value("groupId")), interpolate(dep.value("artifactId"))
        if not g or not a:
            continue
        scope_name = (dep.value("scope") or "compile").lower()
        if scope_name == "import":
            continue  # a BOM: versions, not a dependency
        written = dep.value("version")
        v = interpolate(written) if written else managed.get(f"{g}:{a}")
        exact = v if v and "${" not in v and not v.startswith(("[", "(")) else None
        scope = _SCOPES.get(scope_name, DependencyScope.RUNTIME.value)
        if (dep.value("optional") or "").lower() == "true" and scope == DependencyScope.RUNTIME.value:
            scope = DependencyScope.OPTIONAL.value
        entries.append(
            PackageEntry(
                key=f"{g}:{a}",
                ecosystem="maven",
                name=f"{g}:{a}",
                version=exact,
                requirement=None if exact else (written or None),
                scope=scope,
                direct=True,
                line=dep.line,
            )
        )
    license_names = []
    licenses = project.find("licenses")
    for lic in licenses.findall("license") if licenses else []:
        name = lic.value("name")
        if name:
            license_names.append(name)
    info = ProjectInfo(
        f"{group}:{artifact}" if group and artifact else artifact,
        interpolate(version),
        ", ".join(license_names) if license_names else None,
        project.line,
    )
    return ParsedFile(
        path=path, format="pom.xml", ecosystem="maven", is_lock=False, entries=tuple(entries), project=info
    )
