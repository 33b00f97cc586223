"""oscheck's license scan against the scancode CLI, on the same tree, in the same run.

    python benchmarks/scan_vs_scancode.py REPO_PATH [--jobs N] [--work DIR] [--rescan-scancode]

REPO_PATH is a git work tree (never committed here: use a public repository you fetched).
Both tools see the files of its HEAD commit: scancode scans a ``git archive`` export,
oscheck scans a clone of the repository (so it reads the same tracked files). Runs:

1. ``scancode -l -n N --json`` on the export (the issue's peer command; oscheck also
   detects copyrights, so it does more work; ``--scancode-args "-l -c"`` makes them equal);
2. oscheck cold: ``oscheck scan --jobs N --only licenses`` with an empty cache;
3. oscheck warm: the same command again;
4. oscheck after one changed file: one source file edited and committed, scanned again.

For each it prints wall time, peak memory (largest single process RSS and the summed PSS
of the process tree, sampled every 0.1 s) and the ratio to scancode's wall time. scancode
has no cache: its re-scan costs a full scan (``--rescan-scancode`` measures that too).
Then it compares the per-file detected license expressions (scancode keys) and prints
every file where they differ.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass
class Run:
    name: str
    wall: float
    max_rss_mib: float
    peak_pss_mib: float
    returncode: int


def measure(name: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``argv``, sampling the memory of its whole process tree until it exits."""
    started = time.monotonic()
    proc = psutil.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = 0.0
    max_rss = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, max_rss
        while not stop.is_set():
            try:
                procs = [proc, *proc.children(recursive=True)]
            except psutil.Error:
                break
            pss = 0.0
            for p in procs:
                try:
                    info = p.memory_full_info()
                except psutil.Error:
                    continue
                pss += getattr(info, "pss", info.rss)
                max_rss = max(max_rss, info.rss)
            peak_pss = max(peak_pss, pss)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.monotonic() - started
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return Run(name, wall, max_rss / 2**20, peak_pss / 2**20, proc.returncode)


def _service_memory(cache: Path) -> tuple[float, float] | None:
    """(max RSS, summed PSS) in MiB of the running license-index service and its workers."""
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if "scancode_service" in cmd and str(cache) in cmd:
            procs = [p, *p.children(recursive=True)]
            infos = [q.memory_full_info() for q in procs]
            return max(i.rss for i in infos) / 2**20, sum(getattr(i, "pss", i.rss) for i in infos) / 2**20
    return None


def scancode_expressions(path: Path) -> dict[str, str | None]:
    doc = json.loads(path.read_text())
    return {f["path"]: f.get("detected_license_expression") for f in doc["files"] if f["type"] == "file"}


def oscheck_expressions(doc: dict[str, Any], files: set[str]) -> dict[str, str | None]:
    found = {lic["path"]: lic["expression"] for lic in doc["licenses"] if lic["source"] == "scancode"}
    return {p: found.get(p) for p in files}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", type=Path)
    ap.add_argument("--jobs", "-n", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--rescan-scancode", action="store_true", help="also time scancode on the changed tree")
    ap.add_argument("--scancode-args", default="-l", help='scancode scan options (default "-l")')
    args = ap.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="oscheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    export, clone, cache = work / "export", work / "clone", work / "cache"
    for p in (export, clone, cache):
        shutil.rmtree(p, ignore_errors=True)
    export.mkdir()
    subprocess.run(f"git -C {args.repo} archive HEAD | tar -x -C {export}", shell=True, check=True)
    subprocess.run(["git", "clone", "-q", str(args.repo), str(clone)], check=True)
    commit = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    n_files = len(
        subprocess.run(
            ["git", "-C", str(clone), "ls-files"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    )
    print(f"repository {args.repo} @ {commit[:12]}, {n_files} files, {args.jobs} processes")

    env = {**os.environ, "OSCHECK_CACHE_DIR": str(cache), "OSCHECK_SCANCODE_SERVICE": "1"}
    env.pop("CI", None)
    sc_json, os_json = work / "scancode.json", work / "oscheck.json"
    scancode = [
        str(VENV_BIN / "scancode"),
        "-l",
        "-c",
        "-n",
        str(args.jobs),
        "--strip-root",
        "--json",
        str(sc_json),
        str(export),
    ]
    oscheck = [
        sys.executable,
        "-m",
        "oscheck",
        "scan",
        str(clone),
        "--jobs",
        str(args.jobs),
        "--only",
        "licenses",
        "--format",
        "json",
        "--output",
        str(os_json),
        "--fail-on",
        "never",
        "-q",
    ]
    os_env = {**env, "PYTHONPATH": str(ROOT)}

    runs = [measure(f"scancode {args.scancode_args} (no cache)", scancode, env)]
    runs.append(measure("oscheck cold cache", oscheck, os_env))
    cold_doc = json.loads(os_json.read_text())
    runs.append(measure("oscheck warm cache", oscheck, os_env))

    # One changed file: the largest Python (or any text) source file gets a new comment line.
    sources = sorted((p for p in clone.rglob("*.py") if ".git" not in p.parts), key=lambda p: p.stat().st_size)
    target = sources[len(sources) // 2] if sources else next(p for p in clone.rglob("*") if p.is_file())
    with target.open("a") as fh:
        fh.write("\n# changed by the benchmark\n")
    subprocess.run(
        ["git", "-C", str(clone), "commit", "-qam", "bench: one changed file"],
        check=True,
        env={
            **env,
            "GIT_AUTHOR_NAME": "b",
            "GIT_AUTHOR_EMAIL": "b@b",
            "GIT_COMMITTER_NAME": "b",
            "GIT_COMMITTER_EMAIL": "b@b",
        },
    )
    runs.append(measure(f"oscheck after 1 changed file ({target.relative_to(clone)})", oscheck, os_env))
    if args.rescan_scancode:
        shutil.copy(target, export / target.relative_to(clone))
        runs.append(measure(f"scancode {args.scancode_args} after 1 changed file", scancode, env))

    # The service that oscheck left running (warm index) is part of what it costs: show it, stop it.
    service_mem = _service_memory(cache)
    subprocess.run([sys.executable, "-m", "oscheck", "service", "stop"], env=os_env, check=False, capture_output=True)

    base = runs[0].wall
    print(f"\n{'run':<60} {'wall s':>8} {'ratio':>7} {'max RSS MiB':>12} {'peak PSS MiB':>13}")
    for r in runs:
        print(f"{r.name:<60} {r.wall:8.2f} {r.wall / base:7.3f} {r.max_rss_mib:12.0f} {r.peak_pss_mib:13.0f}")
    if service_mem:
        print(
            f"{'  license-index service left running (idle)':<60} {'':>8} {'':>7} {service_mem[0]:12.0f} "
            f"{service_mem[1]:13.0f}"
        )
    stats = cold_doc.get("stats", {})
    print(
        f"\noscheck cold: {stats.get('scancode_scanned')} files scanned, {stats.get('scancode_files')} files, "
        f"detector {stats.get('scancode_seconds')} s"
    )

    # Per-file license expressions, on the files both tools saw.
    sc = scancode_expressions(sc_json)
    osc = oscheck_expressions(cold_doc, set(sc))
    differ = sorted(p for p in sc if (sc[p] or None) != (osc[p] or None))
    print(f"\nper-file license expressions: {len(sc)} files compared, {len(differ)} differ")
    for p in differ:
        print(f"  {p}: scancode={sc[p]!r} oscheck={osc[p]!r}")
    return 0 if not differ else 1


if __name__ == "__main__":
    raise SystemExit(main())
