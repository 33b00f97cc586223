"""Models: declared and referenced models, their Hub metadata and the safety of their weight files."""

from oscheck.detectors.models.detector import (
    ModelProblem,
    ModelReference,
    ModelsDetector,
    ModelsOptions,
    ReferenceSearch,
    hub_purl,
)
from oscheck.detectors.models.weights import PickleScan, WeightFile

__all__ = [
    "ModelProblem",
    "ModelReference",
    "ModelsDetector",
    "ModelsOptions",
    "PickleScan",
    "ReferenceSearch",
    "WeightFile",
    "hub_purl",
]
