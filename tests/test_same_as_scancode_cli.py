"""oscheck's per-file license expressions equal the scancode CLI's on the same files.

Runs the real ``scancode -l`` once over every fixture tree; benchmarks/scan_vs_scancode.py
does the same on real public repositories.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES

from oscheck import ScanOptions, scan
from oscheck.detectors.scancode import FileLicense

pytestmark = pytest.mark.slow


def test_per_file_expressions_match_the_cli(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for name in ("apache-with-gpl-vendor", "headers-disagree", "license-variants", "chained-references", "no-license"):
        shutil.copytree(FIXTURES / name, tree / name)
    out = tmp_path / "scancode.json"
    scancode = Path(sys.executable).parent / "scancode"
    subprocess.run([str(scancode), "-l", "-n", "1", "--strip-root", "--json", str(out), "-q", str(tree)], check=True)
    expected = {
        f["path"]: f.get("detected_license_expression")
        for f in json.loads(out.read_text())["files"]
        if f["type"] == "file"
    }
    result = scan(str(tree), ScanOptions(jobs=1, only=("licenses",), use_cache=False))
    found = {o.location.path: o.expression for o in result.of_type(FileLicense)}
    got = {path: found.get(path) for path in expected}
    assert got == expected
    # the order-dependent chain: metadata.py follows the LICENSE already joined with its references
    assert got["chained-references/pkg/metadata.py"] == "apache-2.0 AND bsd-simplified"
    assert got["chained-references/pkg/fields.py"] == "unknown-license-reference AND (bsd-new OR apache-2.0)"
