"""Publication, community and contribution evidence, from the clone and optionally the forge.

``files`` (community health files, README sections), ``history`` (one ``git log`` pass),
``github`` (a small REST client), ``forge`` (what the API adds), ``contributions``
(declared upstream links). The policy side is ``oscheck/policy/community.py``.
"""

from __future__ import annotations

from .detector import CommunityDetector
from .observations import (
    CommunityFile,
    Contribution,
    ContributionState,
    ForgeRepository,
    ForgeStatus,
    GitHistory,
    HistoryStatus,
    Presence,
    ReadmeInfo,
    ReleaseTags,
)

__all__ = [
    "CommunityDetector",
    "CommunityFile",
    "Contribution",
    "ContributionState",
    "ForgeRepository",
    "ForgeStatus",
    "GitHistory",
    "HistoryStatus",
    "Presence",
    "ReadmeInfo",
    "ReleaseTags",
]
