"""Where a finding points in tools that need a file and a line (SARIF, GitHub annotations).

Code scanning and annotations show nothing without a location, and repository-level
findings ("no license", "no CONTRIBUTING") have none; common practice, which we follow,
is to point them at the README or the manifest, line 1.

``prefix`` is the scanned folder relative to the repository root (the action's ``path``
input) so that paths become repository-relative, as GitHub expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from oscheck.model import Finding, ScanResult

# In order of preference: what a reader opens first, then the declaration and manifests.
PROJECT_ANCHORS = (
    "README.md",
    "README.rst",
    "README.txt",
    "README",
    ".oscheck.yml",
    ".oscheck.yaml",
    "pyproject.toml",
    "package.json",
    "setup.cfg",
    "setup.py",
    "Cargo.toml",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "LICENSE",
)


@dataclass(frozen=True)
class Anchor:
    """A repository-relative path and a 1-based line range."""

    path: str
    start_line: int
    end_line: int | None
    project_level: bool  # the finding had no path of its own


def project_anchor(result: ScanResult) -> str:
    """The file repository-level findings point at: README, else the declaration or a manifest."""
    paths = {f.path for f in result.files}
    for name in PROJECT_ANCHORS:
        if name in paths:
            return name
    for path in sorted(paths):
        if "/" not in path and path.lower().startswith("readme"):
            return path
    # Nothing suitable exists (an empty repository): GitHub still needs a path.
    return "README.md"


def normalise_prefix(prefix: str) -> str:
    """``./sub/dir/`` -> ``sub/dir/``; ``.`` or empty -> empty."""
    parts = [p for p in prefix.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts) + "/" if parts else ""


def anchor(finding: Finding, result: ScanResult, prefix: str = "", fallback: str | None = None) -> Anchor:
    """Where ``finding`` is shown; ``fallback`` is :func:`project_anchor` computed once by the caller."""
    loc = finding.location
    if loc.path is None:
        path = fallback if fallback is not None else project_anchor(result)
        return Anchor(normalise_prefix(prefix) + path, 1, None, True)
    start = loc.line if loc.line is not None and loc.line > 0 else 1
    end = loc.end_line if loc.end_line is not None and loc.end_line >= start else None
    return Anchor(normalise_prefix(prefix) + loc.path, start, end, False)
