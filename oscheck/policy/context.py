"""Everything a rule's check may read. Built once per scan; nothing in it does I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from oscheck.config import Declaration
from oscheck.model import FileRecord, Observation, ObsT
from oscheck.policy.load import PolicySet
from oscheck.policy.programs import ProgramTrack


@dataclass(frozen=True)
class PolicyContext:
    observations: Sequence[Observation]
    files: Sequence[FileRecord]
    declaration: Declaration
    policy: PolicySet
    program: ProgramTrack
    today: date
    groups_run: frozenset[str]
    declaration_path: str | None = None  # where the declaration was read (for locations)

    def of_type(self, cls: type[ObsT]) -> list[ObsT]:
        return [o for o in self.observations if isinstance(o, cls)]

    @property
    def track(self) -> str | None:
        return self.program.track
