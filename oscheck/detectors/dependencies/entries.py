"""What one manifest or lock file says, before it becomes :class:`oscheck.model.Component` s.

Each parser turns the bytes of one file into a :class:`ParsedFile`: the packages it lists
(:class:`PackageEntry`, with the edges between them when the file is a lock file), the
project it describes, and the problems it has, each with a line number. Parsed files
are cached by content hash as JSON (``to_json``/``from_json``), so a re-scan parses
nothing that has not changed.

The observations at the end of this module are what the detector reports besides the
components themselves: malformed manifests, licenses that could not be resolved, and
the manifests that were read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, ClassVar

from oscheck.model import Observation

# Bump when the shape of ParsedFile changes: cached parses of the old shape are ignored.
PARSE_FORMAT = 4  # 4: entries without a nameable package URL are problems


class Source(enum.Enum):
    """Where a package comes from; only registry packages can be looked up in a registry."""

    REGISTRY = "registry"
    GIT = "git"
    URL = "url"
    PATH = "path"


@dataclass(frozen=True)
class PackageEntry:
    """One package as a file lists it.

    ``key`` is unique within the file and is what ``depends_on`` refers to. ``scope`` and
    ``direct`` are ``None`` when the file does not say (a lock file that does not mark dev
    packages, a requirements file that has no graph); the graph step fills them in.
    """

    key: str
    ecosystem: str  # purl type: pypi, npm, golang, cargo, maven
    name: str  # npm "@scope/name", maven "group:artifact", go module path
    version: str | None
    requirement: str | None = None
    scope: str | None = None  # a DependencyScope value
    direct: bool | None = None
    line: int | None = None
    license: str | None = None  # as the file states it, not normalised
    hashes: tuple[tuple[str, str], ...] = ()
    depends_on: tuple[str, ...] = ()
    source: str = Source.REGISTRY.value
    download_url: str | None = None
    replaces: str | None = None  # go.mod replace: the module this one stands in for
    # How dependents ask for it ("debug@^4.3.7" in yarn.lock), to match a manifest's
    # requirement to one of several locked versions of the same name.
    descriptors: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "ecosystem": self.ecosystem,
            "name": self.name,
            "version": self.version,
            "requirement": self.requirement,
            "scope": self.scope,
            "direct": self.direct,
            "line": self.line,
            "license": self.license,
            "hashes": [list(h) for h in self.hashes],
            "depends_on": list(self.depends_on),
            "source": self.source,
            "download_url": self.download_url,
            "replaces": self.replaces,
            "descriptors": list(self.descriptors),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PackageEntry:
        return cls(
            key=d["key"],
            ecosystem=d["ecosystem"],
            name=d["name"],
            version=d["version"],
            requirement=d["requirement"],
            scope=d["scope"],
            direct=d["direct"],
            line=d["line"],
            license=d["license"],
            hashes=tuple((a, h) for a, h in d["hashes"]),
            depends_on=tuple(d["depends_on"]),
            source=d["source"],
            download_url=d["download_url"],
            replaces=d["replaces"],
            descriptors=tuple(d["descriptors"]),
        )


@dataclass(frozen=True)
class ProjectInfo:
    """The package the manifest itself describes (the project, not a dependency)."""

    name: str | None
    version: str | None = None
    license: str | None = None  # as written
    line: int | None = None


@dataclass(frozen=True)
class ParseProblem:
    """Something in the file that is not what its format allows; ``line`` is 1-based."""

    message: str
    line: int | None = None


@dataclass(frozen=True)
class ParsedFile:
    """Everything one parser read from one file."""

    path: str
    format: str  # the parser's name: "package-lock.json", "uv.lock", "requirements.txt", ...
    ecosystem: str
    is_lock: bool
    entries: tuple[PackageEntry, ...] = ()
    project: ProjectInfo | None = None
    problems: tuple[ParseProblem, ...] = ()
    includes: tuple[str, ...] = ()  # files this one pulls in (requirements "-r other.txt"), relative to it
    # True when the lock file itself names the project's direct dependencies (entries
    # carry direct=True/False); False when they must come from the manifest beside it.
    states_direct: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "ecosystem": self.ecosystem,
            "is_lock": self.is_lock,
            "entries": [e.to_json() for e in self.entries],
            "project": None
            if self.project is None
            else {
                "name": self.project.name,
                "version": self.project.version,
                "license": self.project.license,
                "line": self.project.line,
            },
            "problems": [{"message": p.message, "line": p.line} for p in self.problems],
            "includes": list(self.includes),
            "states_direct": self.states_direct,
        }

    @classmethod
    def from_json(cls, path: str, d: dict[str, Any]) -> ParsedFile:
        project = d["project"]
        return cls(
            path=path,
            format=d["format"],
            ecosystem=d["ecosystem"],
            is_lock=d["is_lock"],
            entries=tuple(PackageEntry.from_json(e) for e in d["entries"]),
            project=None if project is None else ProjectInfo(**project),
            problems=tuple(ParseProblem(p["message"], p["line"]) for p in d["problems"]),
            includes=tuple(d["includes"]),
            states_direct=d["states_direct"],
        )


class ParseFailure(Exception):
    """A file that cannot be read at all (broken JSON, invalid TOML); becomes a ParseProblem."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class UnresolvedReason(enum.Enum):
    """Why a dependency's license is unknown (``NOASSERTION`` in the SBOMs)."""

    NO_VERSION = "no-version"  # the manifest gives a range, no lock file or environment pins it
    NOT_FROM_REGISTRY = "not-from-registry"  # a git, URL or path dependency
    NO_REGISTRY = "no-registry"  # an ecosystem whose registry oscheck does not query
    OFFLINE = "offline"  # offline mode and nothing cached
    NOT_FOUND = "not-found"  # the registry does not know this name and version
    REGISTRY_ERROR = "registry-error"  # the registry did not answer usefully
    NO_LICENSE = "no-license"  # the metadata states no license
    NOT_SPDX = "not-spdx"  # the metadata states a license that maps to no SPDX expression


@dataclass(frozen=True, kw_only=True)
class ManifestProblem(Observation):
    """A manifest or lock file that is malformed; what could be read of it is still used."""

    kind: ClassVar[str] = "manifest-problem"
    format: str
    problem: str


@dataclass(frozen=True, kw_only=True)
class PackageManifest(Observation):
    """A manifest or lock file that was read, and the project it describes."""

    kind: ClassVar[str] = "package-manifest"
    format: str
    ecosystem: str
    is_lock: bool
    name: str | None = None
    version: str | None = None
    license: str | None = None  # the project's license as written in the manifest
    spdx: str | None = None  # the same as SPDX (through license-names.yaml), when it maps
    packages: int = 0


@dataclass(frozen=True, kw_only=True)
class UnresolvedLicense(Observation):
    """A dependency whose license no source could state as an SPDX expression."""

    kind: ClassVar[str] = "unresolved-license"
    purl: str
    name: str
    version: str | None
    reason: UnresolvedReason
    declared: str | None = None  # the license text a source gave that is not SPDX
    detail: str | None = None  # e.g. the registry's error
    tried: tuple[str, ...] = field(default_factory=tuple)  # the sources consulted
