"""Only-changed mode (``--changed-since``, ``--files``): which files are scanned anyway.

File-level detectors honour ``ctx.selected(record)``; project-level rules still run and
need their evidence, whatever changed. The project license, for one, is read from the
root license files as scancode detected them: without them every partial scan would
report "no license". Those files are added to the selection here; a detector whose
project-level conclusion needs other files adds its patterns to ``PROJECT_EVIDENCE``.
"""

from __future__ import annotations

from oscheck.config import CONFIG_FILENAMES
from oscheck.detectors.project_license import is_root_license_file
from oscheck.inventory import Inventory

# Root files that project-level conclusions read (besides the root license files).
PROJECT_EVIDENCE: frozenset[str] = frozenset(CONFIG_FILENAMES)


def with_project_evidence(only_paths: frozenset[str] | None, inventory: Inventory) -> frozenset[str] | None:
    """``only_paths`` plus the files project-level rules need; ``None`` (scan all) stays ``None``."""
    if only_paths is None:
        return None
    evidence = {f.path for f in inventory.files if is_root_license_file(f.path) or f.path in PROJECT_EVIDENCE}
    return only_paths | evidence
