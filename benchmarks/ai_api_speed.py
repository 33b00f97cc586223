"""Speed of the ``ai-api`` detector on a real repository, against semgrep in the same run.

    python benchmarks/ai_api_speed.py REPO [--semgrep PATH] [--rules benchmarks/semgrep_ai_api.yml]
    python benchmarks/ai_api_speed.py --write-rules      # regenerate the semgrep rules from the catalogue

Prints, for oscheck: files per second of the whole detector (every file kind, cold cache,
one process) and Python files per second per core (CPU time of reading and scanning the
``.py`` files); for semgrep (``--jobs 1``, the same tree, rules generated from
``policies/ai-apis.yaml``: SDK imports, client constructors and API hosts for Python and
JavaScript/TypeScript): files per second; then the ratio and both findings counts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oscheck.config import Declaration  # noqa: E402
from oscheck.detectors.ai_api import AIApiDetector, AIApiUse, _Scanners, file_kind, scan_file  # noqa: E402
from oscheck.detectors.ai_api.catalogue import load_catalogue  # noqa: E402
from oscheck.detectors.interface import DetectContext  # noqa: E402
from oscheck.inventory import ContentCache, build_inventory  # noqa: E402
from oscheck.sources import open_source  # noqa: E402

RULES = Path(__file__).resolve().parent / "semgrep_ai_api.yml"


def semgrep_rules() -> dict[str, Any]:
    """Semgrep rules equivalent to what the detector looks for, from the same catalogue."""
    import re

    cat = load_catalogue()
    py_imports: list[dict[str, str]] = []
    for m in cat.python.modules:
        py_imports += [{"pattern": f"import {m.module}"}, {"pattern": f"from {m.module} import $X"}]
    py_clients = [{"pattern": f"{c.symbol}(...)"} for c in cat.python.clients.values()]
    py_clients += [{"pattern": f'{f.symbol}("{v}", ...)'} for f in cat.python.factories for v in f.values]
    js_modules = sorted({m.module for m in cat.javascript.modules})
    js_import = (
        r"""(?:from\s*|require\(\s*|import\(\s*)['"](?:""" + "|".join(re.escape(m) for m in js_modules) + r""")['"]"""
    )
    hosts = sorted({h for p in cat.providers.values() for h in p.hosts})
    host_rx = "|".join(re.escape(h).replace(r"\*", r"[a-z0-9.-]*") for h in hosts)
    return {
        "rules": [
            {
                "id": "ai-api-python-import",
                "languages": ["python"],
                "severity": "ERROR",
                "message": "SDK of a hosted AI API imported",
                "pattern-either": py_imports,
            },
            {
                "id": "ai-api-python-client",
                "languages": ["python"],
                "severity": "ERROR",
                "message": "client of a hosted AI API created",
                "pattern-either": py_clients,
            },
            {
                "id": "ai-api-js-import",
                "languages": ["javascript", "typescript"],
                "severity": "ERROR",
                "message": "SDK of a hosted AI API imported",
                "pattern-regex": js_import,
            },
            {
                "id": "ai-api-host",
                "languages": ["python", "javascript", "typescript"],
                "severity": "ERROR",
                "message": "hosted AI API host in code",
                "patterns": [{"pattern": '"$S"'}, {"metavariable-regex": {"metavariable": "$S", "regex": host_rx}}],
            },
        ]
    }


def run_oscheck(repo: str) -> dict[str, Any]:
    source = open_source(repo, None, Path("/tmp/oscheck-bench-cache"))
    with source.acquire() as tree:
        inventory = build_inventory(tree)
        ctx = DetectContext(
            inventory=inventory,
            declaration=Declaration(),
            cache=ContentCache(Path("/tmp/oscheck-bench-cache"), enabled=False),
        )
        load_catalogue()  # parsing the YAML is a one-off cost, not per file
        wall, cpu = time.perf_counter(), time.process_time()
        observations = AIApiDetector().detect(ctx)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        uses = [o for o in observations if isinstance(o, AIApiUse)]
        considered = ctx.stats["ai-api"]["files"]
        # Python alone, per core: CPU time of reading and scanning every .py file.
        scanners = _Scanners(load_catalogue())
        py = [r for r in inventory.scannable() if file_kind(r.path) == "python"]
        read_cpu = time.process_time()
        contents = [inventory.read(record) for record in py]
        read_cpu = time.process_time() - read_cpu
        py_cpu = time.process_time()
        for data in contents:
            scan_file("python", data, scanners)
        py_cpu = time.process_time() - py_cpu
    by_class: dict[str, int] = {}
    for u in uses:
        by_class[u.classification.value] = by_class.get(u.classification.value, 0) + 1
    return {
        "files": considered,
        "seconds": wall,
        "cpu_seconds": cpu,
        "files_per_second": considered / wall,
        "python_files": len(py),
        "python_files_per_cpu_second": len(py) / py_cpu if py_cpu else float("inf"),
        "python_files_per_cpu_second_with_reads": len(py) / (py_cpu + read_cpu) if py_cpu + read_cpu else float("inf"),
        "findings": len(uses),
        "by_class": by_class,
    }


def run_semgrep(semgrep: str, repo: str, rules: Path) -> dict[str, Any]:
    cmd = [semgrep, "scan", "--config", str(rules), "--json", "--metrics=off", "--disable-version-check"]
    cmd += ["--jobs", "1", "--timeout", "0", "--max-target-bytes", "0", "--quiet", repo]
    wall = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    if proc.returncode not in (0, 1):
        return {"error": proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]}
    doc = json.loads(proc.stdout)
    scanned = len(doc.get("paths", {}).get("scanned", []))
    return {
        "files": scanned,
        "seconds": wall,
        "files_per_second": scanned / wall if wall else 0.0,
        "findings": len(doc.get("results", [])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", nargs="?")
    parser.add_argument("--semgrep", default=shutil.which("semgrep") or "semgrep")
    parser.add_argument("--rules", type=Path, default=RULES)
    parser.add_argument("--write-rules", action="store_true")
    args = parser.parse_args()
    if args.write_rules:
        RULES.write_text(
            "# Generated by benchmarks/ai_api_speed.py --write-rules from policies/ai-apis.yaml.\n"
            + yaml.safe_dump(semgrep_rules(), sort_keys=False, width=200),
            encoding="utf-8",
        )
        print(f"wrote {RULES}")
        return 0
    if not args.repo:
        parser.error("REPO is required")
    ours = run_oscheck(args.repo)
    print(
        f"oscheck ai-api: {ours['files']} files in {ours['seconds']:.2f} s "
        f"({ours['files_per_second']:.0f} files/s, {ours['cpu_seconds']:.2f} s CPU, 1 process); "
        f"{ours['findings']} uses {ours['by_class']}"
    )
    print(
        f"oscheck ai-api, Python only: {ours['python_files']} files, "
        f"{ours['python_files_per_cpu_second']:.0f} files per CPU second "
        f"({ours['python_files_per_cpu_second_with_reads']:.0f} counting the reads from the work tree)"
    )
    theirs = run_semgrep(args.semgrep, args.repo, args.rules)
    if "error" in theirs:
        print(f"semgrep could not run: {theirs['error']}")
        return 1
    print(
        f"semgrep --jobs 1: {theirs['files']} files in {theirs['seconds']:.2f} s "
        f"({theirs['files_per_second']:.0f} files/s); {theirs['findings']} findings"
    )
    print(
        f"ratio (oscheck files/s / semgrep files/s): {ours['files_per_second'] / theirs['files_per_second']:.1f}x; "
        f"wall-time ratio (semgrep / oscheck): {theirs['seconds'] / ours['seconds']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
