"""Dependencies: manifests and lock files of every ecosystem, as SBOM components.

One module per ecosystem parser (``python_manifests``, ``python_locks``, ``npm``,
``yarn_pnpm``, ``golang``, ``cargo``, ``maven``), the graph step (``graph``), the license
sources (``python_env``, ``registries``, ``license_names``, ``resolve``) and the detector
that runs them (``detector``). See docs/sbom.md.
"""

from oscheck.detectors.dependencies.detector import DependencyDetector
from oscheck.detectors.dependencies.entries import (
    ManifestProblem,
    PackageManifest,
    UnresolvedLicense,
    UnresolvedReason,
)

__all__ = ["DependencyDetector", "ManifestProblem", "PackageManifest", "UnresolvedLicense", "UnresolvedReason"]
