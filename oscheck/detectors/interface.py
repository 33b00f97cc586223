"""The detect stage: independent detectors, each returning typed observations.

A detector reads the inventory (and, for history, the git repository behind the tree),
never the network unless its options say so, and never runs anything from the target.
Detectors run in the order of ``registry.DETECTORS``; a later one may read the
observations of earlier ones from ``ctx.observations`` (the project license reads the
license files that scancode detected).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from oscheck.config import Declaration
from oscheck.inventory import ContentCache, Inventory
from oscheck.model import FileRecord, Observation, ObsT
from oscheck.progress import NullProgress, Progress


@dataclass
class DetectContext:
    """What every detector may use."""

    inventory: Inventory
    declaration: Declaration
    cache: ContentCache
    jobs: int = 1
    progress: Progress = field(default_factory=NullProgress)
    today: date = field(default_factory=date.today)
    # --changed-since / --files: file-level detectors look only at these paths (None: all).
    only_paths: frozenset[str] | None = None
    # Detector-specific options from the CLI (e.g. "python_env", "offline"), by name.
    options: Mapping[str, Any] = field(default_factory=dict)
    # The policy folder of this scan: detectors read data from it (license names, API catalogues).
    policy_dir: Path | None = None
    observations: list[Observation] = field(default_factory=list)
    # Figures a detector wants in the report's stats (cache hits, seconds, ...).
    stats: dict[str, Any] = field(default_factory=dict)

    def selected(self, record: FileRecord) -> bool:
        return self.only_paths is None or record.path in self.only_paths

    def prior(self, cls: type[ObsT]) -> list[ObsT]:
        """Observations of an earlier detector."""
        return [o for o in self.observations if isinstance(o, cls)]


class Detector(ABC):
    """One kind of evidence. ``group`` is what ``--only`` selects."""

    id: ClassVar[str]
    group: ClassVar[str]

    @abstractmethod
    def detect(self, ctx: DetectContext) -> list[Observation]:
        """Observations about ``ctx.inventory``; problems become observations, not exceptions."""
