"""Dependency parsing: oscheck's parsers against scancode-toolkit's packagedcode, file by file.

    .venv/bin/python benchmarks/sbom_dependencies.py

Each parser runs in a fresh process on the fixture lock files and manifests of
tests/fixtures/sbom-*, so import cost and peak memory (max RSS) are those of a real
first parse. For packagedcode the handler's ``parse(path, package_only=True)`` is timed
(no license detection asked for) and we record whether the 1.4 GB license index got
loaded anyway. Then the dependency detector runs twice on this repository (cold and
with a warm cache) with --python-env and --offline, as ``make sbom`` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

CASES = [
    ("sbom-npm/package-lock.json", "npm_package_lock_json"),
    ("sbom-npm/package.json", "npm_package_json"),
    ("sbom-js-locks/yarn-classic/yarn.lock", "yarn_lock_v1"),
    ("sbom-js-locks/yarn-berry/yarn.lock", "yarn_lock_v2"),
    ("sbom-js-locks/pnpm/pnpm-lock.yaml", "pnpm_lock_yaml"),
    ("sbom-python-uv/uv.lock", None),
    ("sbom-python-uv/pyproject.toml", "pypi_pyproject_toml"),
    ("sbom-python-poetry/poetry.lock", "pypi_poetry_lock"),
    ("sbom-python-poetry/pyproject.toml", "pypi_poetry_pyproject_toml"),
    ("sbom-python-misc/requirements.txt", "pip_requirements"),
    ("sbom-python-misc/crawler/Pipfile.lock", "pipfile_lock"),
    ("sbom-python-misc/legacy/setup.cfg", "pypi_setup_cfg"),
    ("sbom-go/go.mod", "go_mod"),
    ("sbom-go/go.sum", "go_sum"),
    ("sbom-rust/Cargo.lock", "cargo_lock"),
    ("sbom-rust/Cargo.toml", "cargo_toml"),
    ("sbom-maven/pom.xml", "maven_pom"),
]

OURS = """
import json, resource, sys, time
t = time.perf_counter()
from oscheck.detectors.dependencies.parsers import manifest_type
rel, path = sys.argv[1], sys.argv[2]
pf = manifest_type(rel).parse(rel, open(path, encoding="utf-8").read())
print(json.dumps({"s": time.perf_counter() - t, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "deps": len(pf.entries), "licenses": sum(1 for e in pf.entries if e.license),
                  "edges": sum(len(e.depends_on) for e in pf.entries), "index": False}))
"""

PACKAGEDCODE = """
import json, resource, sys, time
t = time.perf_counter()
import packagedcode
import licensedcode.cache
handler = packagedcode.HANDLER_BY_DATASOURCE_ID[sys.argv[1]]
deps = licenses = edges = 0
for package in handler.parse(sys.argv[2], package_only=True):
    for d in package.dependencies:
        d = d if isinstance(d, dict) else d.to_dict()
        deps += 1
        resolved = d.get("resolved_package") or {}
        licenses += bool(resolved.get("declared_license_expression") or resolved.get("extracted_license_statement"))
        edges += len(resolved.get("dependencies") or [])
print(json.dumps({"s": time.perf_counter() - t, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "deps": deps, "licenses": licenses, "edges": edges,
                  "index": licensedcode.cache._LICENSE_CACHE is not None}))
"""


def run(code: str, *args: str) -> dict[str, float | int | bool] | None:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    print(
        f"{'file':42} {'ours s':>7} {'MB':>5} {'deps':>4} {'lic':>4} {'edges':>5} | {'pcode s':>7} {'MB':>5} {'deps':>4} {'lic':>4} {'edges':>5} {'index':>5} | {'time x':>6} {'mem x':>6}"
    )
    total_ours = total_theirs = 0.0
    for rel, handler in CASES:
        path = FIXTURES / rel
        ours = run(OURS, path.name if "/" not in rel.split("/", 1)[1] else rel.split("/", 1)[1], str(path))
        theirs = run(PACKAGEDCODE, handler, str(path)) if handler else None
        assert ours is not None, rel
        total_ours += float(ours["s"])
        line = f"{rel:42} {ours['s']:7.2f} {ours['rss']:5} {ours['deps']:4} {ours['licenses']:4} {ours['edges']:5} | "
        if theirs is None:
            line += f"{'(no parser)':>41} |"
        else:
            total_theirs += float(theirs["s"])
            line += (
                f"{theirs['s']:7.2f} {theirs['rss']:5} {theirs['deps']:4} {theirs['licenses']:4} {theirs['edges']:5} "
                f"{'yes' if theirs['index'] else 'no':>5} | {float(theirs['s']) / float(ours['s']):6.1f} "
                f"{float(theirs['rss']) / float(ours['rss']):6.1f}"
            )
        print(line)
    print(
        f"total seconds: oscheck {total_ours:.2f}, packagedcode {total_theirs:.2f} ({total_theirs / total_ours:.1f}x)"
    )

    sys.path.insert(0, str(ROOT))
    from oscheck import ScanOptions, scan

    with tempfile.TemporaryDirectory() as cache:
        options = ScanOptions(
            only=("dependencies",),
            jobs=1,
            cache_dir=Path(cache),
            detector_options={"python_env": sys.prefix, "offline": True},
        )
        for label in ("cold cache", "warm cache"):
            t = time.perf_counter()
            result = scan(str(ROOT), options)
            stats = result.stats["dependencies"]
            print(
                f"dependency detector on this repository, {label}: {time.perf_counter() - t:.2f} s for the whole scan, "
                f"{stats['seconds']:.2f} s in the detector, {stats['components']} components, "
                f"{stats['parse_cache_hits']} of {stats['manifests']} manifests from the cache"
            )


if __name__ == "__main__":
    main()
