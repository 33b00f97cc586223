"""Which parser reads which file: one table, matched on the file name."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from oscheck.detectors.dependencies import cargo, golang, maven, npm, python_locks, python_manifests, yarn_pnpm
from oscheck.detectors.dependencies.entries import ParsedFile

Parser = Callable[[str, str], ParsedFile]


@dataclass(frozen=True)
class ManifestType:
    format: str
    ecosystem: str
    parse: Parser
    patterns: tuple[str, ...]  # fnmatch patterns on the base name


MANIFEST_TYPES: tuple[ManifestType, ...] = (
    ManifestType(
        "requirements.txt",
        "pypi",
        python_manifests.parse_requirements,
        ("requirements*.txt", "*-requirements.txt", "*_requirements.txt"),
    ),
    ManifestType("pyproject.toml", "pypi", python_manifests.parse_pyproject, ("pyproject.toml",)),
    ManifestType("setup.cfg", "pypi", python_manifests.parse_setup_cfg, ("setup.cfg",)),
    ManifestType("Pipfile", "pypi", python_manifests.parse_pipfile, ("Pipfile",)),
    ManifestType("Pipfile.lock", "pypi", python_locks.parse_pipfile_lock, ("Pipfile.lock",)),
    ManifestType("poetry.lock", "pypi", python_locks.parse_poetry_lock, ("poetry.lock",)),
    ManifestType("uv.lock", "pypi", python_locks.parse_uv_lock, ("uv.lock",)),
    ManifestType("package.json", "npm", npm.parse_package_json, ("package.json",)),
    ManifestType("package-lock.json", "npm", npm.parse_package_lock, ("package-lock.json", "npm-shrinkwrap.json")),
    ManifestType("yarn.lock", "npm", yarn_pnpm.parse_yarn_lock, ("yarn.lock",)),
    ManifestType("pnpm-lock.yaml", "npm", yarn_pnpm.parse_pnpm_lock, ("pnpm-lock.yaml",)),
    ManifestType("go.mod", "golang", golang.parse_go_mod, ("go.mod",)),
    ManifestType("go.sum", "golang", golang.parse_go_sum, ("go.sum",)),
    ManifestType("Cargo.toml", "cargo", cargo.parse_cargo_toml, ("Cargo.toml",)),
    ManifestType("Cargo.lock", "cargo", cargo.parse_cargo_lock, ("Cargo.lock",)),
    ManifestType("pom.xml", "maven", maven.parse_pom, ("pom.xml",)),
)

# Folders whose manifests are not the project's dependencies: installed packages, and
# test data (oscheck's own tests/fixtures hold the manifests of made-up projects).
SKIPPED_FOLDERS = frozenset({"node_modules", "fixtures", "__fixtures__", "testdata", "test-data", ".git"})


def manifest_type(path: str) -> ManifestType | None:
    """The manifest type of ``path``, or None; manifests under skipped folders are not read."""
    folders = path.split("/")[:-1]
    if any(f in SKIPPED_FOLDERS for f in folders):
        return None
    base = posixpath.basename(path)
    for mt in MANIFEST_TYPES:
        if any(fnmatch.fnmatchcase(base, p) for p in mt.patterns):
            return mt
    # requirements/dev.txt, requirements/base.txt
    if folders and folders[-1] == "requirements" and base.endswith(".txt"):
        return MANIFEST_TYPES[0]
    return None


def requirements_type() -> ManifestType:
    """The requirements parser, for files pulled in with ``-r`` whatever their name."""
    return MANIFEST_TYPES[0]
