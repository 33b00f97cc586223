"""Detect: independent detectors that turn the inventory into observations."""

from oscheck.detectors.interface import DetectContext, Detector
from oscheck.detectors.registry import DETECTORS, groups, select

__all__ = ["DETECTORS", "DetectContext", "Detector", "groups", "select"]
