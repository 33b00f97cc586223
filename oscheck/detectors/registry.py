"""The detectors of a scan, in the order they run, listed explicitly.

A later detector may read the observations of an earlier one (the project license reads
the license files scancode detected), so order matters. ``--only GROUP`` runs the
detectors of that group (and what they need).
"""

from __future__ import annotations

from collections.abc import Sequence

from oscheck.detectors.ai_api import AIApiDetector
from oscheck.detectors.community import CommunityDetector
from oscheck.detectors.dependencies import DependencyDetector
from oscheck.detectors.interface import Detector
from oscheck.detectors.models import ModelsDetector
from oscheck.detectors.project_license import ProjectLicenseDetector
from oscheck.detectors.scancode import ScancodeDetector
from oscheck.detectors.spdx_headers import ReuseDetector, SpdxTagDetector

DETECTORS: tuple[type[Detector], ...] = (
    SpdxTagDetector,
    ReuseDetector,
    ScancodeDetector,
    ProjectLicenseDetector,
    ModelsDetector,
    DependencyDetector,
    AIApiDetector,  # after the dependency detector: reads its Component observations
    # Last: it reads the SBOM's components (contribution evidence).
    CommunityDetector,
)

# Groups a group needs to run first (their observations are read).
NEEDS: dict[str, tuple[str, ...]] = {}


def groups() -> list[str]:
    return sorted({d.group for d in DETECTORS})


def select(only: Sequence[str] | None) -> list[Detector]:
    """Instances of the detectors to run for ``--only`` (all when ``only`` is empty)."""
    if not only:
        return [d() for d in DETECTORS]
    wanted = set(only)
    for g in list(wanted):
        wanted.update(NEEDS.get(g, ()))
    return [d() for d in DETECTORS if d.group in wanted]
