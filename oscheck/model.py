"""Frozen types shared by every stage of the pipeline.

acquire -> inventory -> detect -> evaluate -> record -> emit

A reader should be able to follow one type from the detector that makes it to the
formatter that prints it: detectors return :class:`Observation` subclasses, the policy
turns them into :class:`Finding` objects, and :class:`ScanResult` carries both, with the
facts computed once, to the store and to every output format.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from oscheck.i18n import LocalizedText

__all__ = [
    "AIModel",
    "Component",
    "DatasetRef",
    "DependencyScope",
    "FileKind",
    "FileOrigin",
    "FileRecord",
    "Finding",
    "JsonValue",
    "LicenseCategory",
    "LocalizedText",
    "Location",
    "ModelFile",
    "ModelLineage",
    "Observation",
    "Openness",
    "ScanResult",
    "ScanSummary",
    "Severity",
    "SkipReason",
    "Target",
    "TargetKind",
    "Verdict",
]

JsonValue = Any  # JSON-serialisable data kept as evidence: str, int, float, bool, None, lists, dicts


class Severity(enum.Enum):
    """How serious a finding is; the three SARIF levels."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for --fail-on and for ordering."""
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.NOTE: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Verdict(enum.Enum):
    PASS = "pass"  # noqa: S105
    FAIL = "fail"


class TargetKind(enum.Enum):
    LOCAL = "local"  # a folder on disk (a git work tree or not)
    GIT = "git"  # a git URL cloned into the cache
    MODEL = "model"  # a Hugging Face model id or a local model folder


@dataclass(frozen=True)
class Target:
    """What was scanned. ``uri`` never contains credentials (see sources.redact_url)."""

    kind: TargetKind
    uri: str
    ref: str | None = None
    commit: str | None = None
    dirty: bool = False  # a work tree with uncommitted changes


@dataclass(frozen=True)
class Location:
    """A place in the target; ``path`` is POSIX and relative to the target root."""

    path: str | None = None
    line: int | None = None
    end_line: int | None = None

    def __str__(self) -> str:
        if self.path is None:
            return "(project)"
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}"


class FileKind(enum.Enum):
    TEXT = "text"
    BINARY = "binary"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"
    SPECIAL = "special"  # fifo, socket, device: never opened


class FileOrigin(enum.Enum):
    """Whose code a file is; vendored code keeps its own licenses."""

    FIRST_PARTY = "first-party"
    VENDORED = "vendored"
    GENERATED = "generated"


class SkipReason(enum.Enum):
    """Why a file was listed but its content not read."""

    OVERSIZED = "oversized"
    SYMLINK = "symlink"
    SYMLINK_OUTSIDE_ROOT = "symlink-outside-root"
    SUBMODULE = "submodule"
    SPECIAL_FILE = "special-file"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class FileRecord:
    """One file of the inventory.

    ``sha256`` keys every cache; ``sha1`` is what SPDX requires for files. Both are
    ``None`` for files whose content was not read (see ``skipped``).
    """

    path: str
    size: int
    kind: FileKind
    origin: FileOrigin = FileOrigin.FIRST_PARTY
    sha256: str | None = None
    sha1: str | None = None
    mode: int | None = None
    skipped: SkipReason | None = None
    link_target: str | None = None  # for symlinks and submodules, never followed
    path_is_valid_utf8: bool = True

    @property
    def is_scannable(self) -> bool:
        return self.skipped is None and self.kind is FileKind.TEXT


@dataclass(frozen=True, kw_only=True)
class Observation:
    """Something a detector saw. Each detector defines subclasses with typed fields.

    ``kind`` names the subclass in outputs and the store; ``detector`` is the id of the
    detector that produced it.
    """

    kind: ClassVar[str] = "observation"
    detector: str
    location: Location = field(default_factory=Location)


ObsT = TypeVar("ObsT", bound=Observation)


class DependencyScope(enum.Enum):
    RUNTIME = "runtime"
    DEV = "dev"
    OPTIONAL = "optional"


@dataclass(frozen=True, kw_only=True)
class Component(Observation):
    """A third-party package the project depends on (one SBOM entry).

    ``license`` is an SPDX expression, or ``None`` when unknown (``NOASSERTION`` in SBOMs);
    ``license_source`` says where it came from (lock file, manifest, installed metadata,
    registry) so a reader can judge it.
    """

    kind: ClassVar[str] = "component"
    ecosystem: str  # pypi, npm, golang, cargo, maven, ...
    name: str
    version: str | None
    purl: str
    scope: DependencyScope = DependencyScope.RUNTIME
    direct: bool = True
    license: str | None = None
    license_source: str | None = None
    homepage: str | None = None
    download_url: str | None = None
    hashes: tuple[tuple[str, str], ...] = ()  # (algorithm, hex digest)
    depends_on: tuple[str, ...] = ()  # purls
    manifest: str | None = None  # path of the manifest or lock file it came from
    requirement: str | None = None  # the constraint as declared (">=2.31,<3", "^4.1.2"), when there is one
    license_declared: str | None = None  # the license text as the source stated it, before SPDX mapping


class LicenseCategory(enum.Enum):
    """What a license allows, in the words the verification body uses (licenses.yaml)."""

    PERMISSIVE = "permissive"
    WEAK_COPYLEFT = "weak-copyleft"
    STRONG_COPYLEFT = "strong-copyleft"
    NETWORK_COPYLEFT = "network-copyleft"
    NON_COMMERCIAL = "non-commercial"
    USE_RESTRICTED = "use-restricted"  # responsible-AI licenses, acceptable-use policies, user caps
    SOURCE_AVAILABLE = "source-available"
    PROPRIETARY = "proprietary"
    PUBLIC_DOMAIN = "public-domain"
    UNKNOWN = "unknown"


class Openness(enum.Enum):
    """The open-weight verdict of a model (policies/open-weight.yaml)."""

    OPEN = "open"
    RESTRICTED = "restricted"
    NON_COMMERCIAL = "non-commercial"
    NOT_OPEN = "not-open"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ModelFile:
    """A file of a model repository or folder (weights, config, card, license)."""

    path: str
    size: int | None = None
    sha256: str | None = None
    format: str | None = None  # safetensors, pytorch-pickle, pickle, gguf, onnx, h5, msgpack, ...


@dataclass(frozen=True)
class ModelLineage:
    """One ancestor of a model (``base_model``), nearest first."""

    id: str
    revision: str | None = None
    relation: str = "unknown"  # finetune, adapter, quantized, merge, unknown
    license: str | None = None  # SPDX expression or LicenseRef-
    depth: int = 1


@dataclass(frozen=True, kw_only=True)
class AIModel(Observation):
    """A model the project declares or uses; one ML-BOM entry.

    Produced by the model detectors, rendered by the SBOM formats (CycloneDX
    ``machine-learning-model`` with a model card, SPDX package with ``pkg:huggingface``).
    """

    kind: ClassVar[str] = "model"
    id: str  # "org/name" on the Hub, or the folder path relative to the repository
    source: str  # "hub" | "local"
    revision: str | None = None  # the commit sha the Hub returned (pinned)
    purl: str | None = None  # pkg:huggingface/org/name@sha
    declared: bool = False  # listed in .oscheck.yml or --model
    used_at: tuple[Location, ...] = ()  # where the code loads it
    license: str | None = None  # SPDX expression or LicenseRef-…; None: unknown
    license_tag: str | None = None  # the original Hub tag (llama3.1, other, unknown, …)
    license_name: str | None = None
    license_link: str | None = None
    openness: Openness = Openness.UNKNOWN
    conditions: tuple[str, ...] = ()  # what the license asks (attribution, AUP, user cap, …)
    gated: str | None = None  # "auto" | "manual" | None
    private: bool = False
    disabled: bool = False
    supplier: str | None = None
    task: str | None = None  # pipeline tag
    library: str | None = None
    architecture: str | None = None  # config.architectures[0]
    model_type: str | None = None  # config.model_type
    datasets: tuple[str, ...] = ()
    weights: tuple[ModelFile, ...] = ()
    files: tuple[ModelFile, ...] = ()  # every file (weights included)
    lineage: tuple[ModelLineage, ...] = ()
    card: Mapping[str, JsonValue] = field(default_factory=dict)  # considerations, use cases, metrics


@dataclass(frozen=True, kw_only=True)
class DatasetRef(Observation):
    """A dataset the project declares or a model was trained on."""

    kind: ClassVar[str] = "dataset"
    id: str
    source: str = "hub"  # "hub" | "local" | "url"
    revision: str | None = None
    license: str | None = None
    license_tag: str | None = None
    declared: bool = False


@dataclass(frozen=True)
class Finding:
    """What the policy concluded. The same fields appear in JSON, SARIF, HTML and the store."""

    rule_id: str
    severity: Severity
    message: LocalizedText
    location: Location = field(default_factory=Location)
    data: Mapping[str, JsonValue] = field(default_factory=dict)
    policy_version: str = ""
    exempted: str | None = None  # the exemption's reason when an exemption applies

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: rule, path and the finding's identity data.

        Line numbers are left out on purpose so that an edit above a finding does not
        turn it into a "new" finding when two scans are compared.
        """
        key = self.data.get("key") if isinstance(self.data, Mapping) else None
        basis = "\x1f".join([self.rule_id, self.location.path or "", str(key or self.message.en)])
        return hashlib.sha256(basis.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def sort_key(self) -> tuple[int, str, str, int]:
        return (-self.severity.rank, self.rule_id, self.location.path or "", self.location.line or 0)


@dataclass(frozen=True)
class ScanSummary:
    verdict: Verdict
    errors: int
    warnings: int
    notes: int
    exempted: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding], fail_on: Severity | None) -> ScanSummary:
        """Count active findings; the verdict fails when any reaches ``fail_on``.

        ``fail_on=None`` means "never fail" (``--fail-on never``).
        """
        active = [f for f in findings if f.exempted is None]
        counts = {s: sum(1 for f in active if f.severity is s) for s in Severity}
        failing = fail_on is not None and any(f.severity.at_least(fail_on) for f in active)
        return cls(
            verdict=Verdict.FAIL if failing else Verdict.PASS,
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            notes=counts[Severity.NOTE],
            exempted=sum(1 for f in findings if f.exempted is not None),
        )


@dataclass(frozen=True)
class ScanResult:
    """Everything one scan produced; outputs only render it."""

    target: Target
    program: str | None
    track: str | None
    declared_license: str | None
    files: tuple[FileRecord, ...]
    observations: tuple[Observation, ...]
    findings: tuple[Finding, ...]
    summary: ScanSummary
    tool_version: str
    policy_version: str
    started_at: datetime
    finished_at: datetime
    detectors_run: tuple[str, ...] = ()
    scan_date: date | None = None
    stats: Mapping[str, JsonValue] = field(default_factory=dict)

    def of_type(self, cls: type[ObsT]) -> list[ObsT]:
        """All observations of one type, in detector order."""
        return [o for o in self.observations if isinstance(o, cls)]

    @property
    def components(self) -> list[Component]:
        return self.of_type(Component)

    @property
    def models(self) -> list[AIModel]:
        return self.of_type(AIModel)

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)


def observations_of(observations: Sequence[Observation], cls: type[ObsT]) -> Iterator[ObsT]:
    """Iterate the observations of one type (used by policy rules)."""
    for o in observations:
        if isinstance(o, cls):
            yield o
