"""oscheck batch over 22 real public repositories: 1 vs 2 workers, cold vs warm cache,
the warm-index service vs an index in every worker, and the cross-repository saving.

    python benchmarks/batch_scaling.py [--mirrors /work/.mirror] [--work benchmarks/_work/batch] [--dask]

The repositories are one-commit local copies of each public repository's HEAD (made under
--work from snapshots; nothing is committed) scanned through ``file://`` URLs, every detector on,
offline (no registry or Hub requests, so the network does not blur the figures).

For 1 and 2 workers: a fresh cache folder; the license-index service is started first
(its start is timed on its own); the cold batch (clones and every detection); then the
warm batch (``--new-run``: the same portfolio again, everything from the cache). Then
the alternative: 2 workers that each load scancode's index themselves
(``OSCHECK_SCANCODE_SERVICE=0``). Memory is the peak PSS of the whole process tree
(coordinator, workers, service), sampled every 0.25 s. The cross-repository saving counts
scancode's content keys: the sum of each repository's distinct files against the
portfolio's distinct files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oscheck.batch import BatchOptions, run_batch
from oscheck.batch.runner import BatchSummary
from oscheck.detectors.scancode import content_key
from oscheck.detectors.scancode_service import ScancodeService
from oscheck.inventory import build_inventory
from oscheck.sources import open_source

REPOS = [
    "benjaminp/six",
    "chalk/chalk",
    "expressjs/cors",
    "expressjs/morgan",
    "expressjs/body-parser",
    "expressjs/serve-static",
    "jshttp/cookie",
    "jshttp/mime-types",
    "pallets/itsdangerous",
    "pallets/markupsafe",
    "tartley/colorama",
    "theskumar/python-dotenv",
    "pytest-dev/pluggy",
    "actions/upload-artifact",
    "spdx/spdx-spec",
    "psf/requests",
    "pypa/packaging",
    "python-attrs/attrs",
    "hynek/structlog",
    "tj/commander.js",
    "pallets/click",
    "pallets/flask",
]


def export_head(src: Path, dest: Path) -> int:
    """HEAD of the snapshot ``src`` as a one-commit repository at ``dest``; returns blobs missing
    from the snapshot (its largest files may be absent), which are left out."""
    work = dest.with_suffix(".tree")
    shutil.rmtree(work, ignore_errors=True)
    listing = subprocess.run(
        ["git", "--git-dir", str(src), "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True
    ).stdout
    missing = 0
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, blob = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        data = subprocess.run(["git", "--git-dir", str(src), "cat-file", "blob", blob.decode()], capture_output=True)
        if data.returncode != 0:
            missing += 1
            continue
        target = work / os.fsdecode(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.stdout)
    when = subprocess.run(
        ["git", "--git-dir", str(src), "log", "-1", "--format=%an%x00%ae%x00%ad", "--date=raw", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    name, email, date = when.split("\0")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
    }
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A", "-f"],
        ["commit", "-q", "--no-gpg-sign", "-m", "snapshot"],
    ):
        subprocess.run(["git", "-C", str(work), *args], check=True, env=env, capture_output=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(dest)], check=True)
    shutil.rmtree(work)
    return missing


def prepare(mirrors: Path, work: Path) -> tuple[Path, list[str]]:
    """Local one-commit repositories of each snapshot's HEAD, and a portfolio of one grantee each."""
    repos = work / "repos"
    repos.mkdir(parents=True, exist_ok=True)
    urls: list[str] = []
    for name in REPOS:
        src = mirrors / name.replace("/", "+") / "repo"
        dest = repos / (name.replace("/", "__") + ".git")
        if not dest.exists():
            if not src.exists():
                sys.exit(f"missing snapshot {src}: fetch github:{name} first")
            missing = export_head(src, dest)
            if missing:
                print(f"{name}: {missing} files absent from the snapshot, left out")
        urls.append(f"file://{dest}")
    lines = ["program: nipa-oss-ai-use-2026", "track: use", "timeout: 1800", "grantees:"]
    for i, (name, url) in enumerate(zip(REPOS, urls, strict=True)):
        lines += [f"  - id: B-{i:02d}", f"    name: {name}", "    repos:", f"      - {url}"]
    portfolio = work / "portfolio.yaml"
    portfolio.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return portfolio, urls


def distinct_keys(urls: list[str], cache: Path) -> tuple[int, int, int]:
    """(files scancode looks at, sum of per-repository distinct contents, portfolio-wide distinct)."""
    total, per_repo, everywhere = 0, 0, set()
    for url in urls:
        with open_source(url, None, cache).acquire() as tree:
            inventory = build_inventory(tree)
            keys = [content_key(f) for f in inventory.scannable()]
        total += len(keys)
        per_repo += len(set(keys))
        everywhere |= set(keys)
    return total, per_repo, len(everywhere)


class PssPeak:
    """Peak PSS (MiB) of this process's descendants and of processes using ``marker`` (the service)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.peak = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PssPeak:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _pids(self) -> set[int]:
        parents: dict[int, int] = {}
        marked: set[int] = set()
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
                if self.marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    marked.add(pid)
            except (OSError, ValueError, IndexError):
                continue
        tree = {os.getpid()} | marked
        grew = True
        while grew:
            grew = False
            for pid, ppid in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return tree

    def _run(self) -> None:
        while not self.stop.wait(0.25):
            total = 0
            for pid in self._pids():
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            total += int(line.split()[1])
                            break
                except OSError:
                    continue
            self.peak = max(self.peak, total / 1024)


def timed(portfolio: Path, options: BatchOptions, marker: str) -> tuple[float, float, BatchSummary]:
    with PssPeak(marker) as mem:
        started = time.monotonic()
        summary = run_batch(portfolio, options)
        seconds = time.monotonic() - started
    bad = [o for o in summary.outcomes if o.status != "ok"]
    if bad:
        print(f"  {len(bad)} targets not scanned: {[(o.key, o.error) for o in bad]}")
    return seconds, mem.peak, summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "_work" / "batch")
    ap.add_argument("--dask", action="store_true", help="also a Dask LocalCluster of 2 workers")
    ap.add_argument(
        "--configs",
        default="1,2,inproc",
        help="which of 1, 2, inproc, dask to run (comma-separated; default 1,2,inproc)",
    )
    args = ap.parse_args()
    work = args.work.resolve()
    portfolio, urls = prepare(args.mirrors, work)
    os.environ.pop("OSCHECK_TODAY", None)
    rows: list[tuple[str, float, float, BatchSummary]] = []

    def config(label: str, jobs: int, service: bool, dask: bool = False) -> dict[str, float]:
        cache = work / f"cache-{label}"
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        db = work / f"{label}.sqlite3"
        db.unlink(missing_ok=True)
        os.environ["OSCHECK_SCANCODE_SERVICE"] = "1" if service else "0"
        out: dict[str, float] = {}
        start = 0.0
        if service:
            t0 = time.monotonic()
            ScancodeService.start_or_connect(cache, jobs).close()
            start = time.monotonic() - t0
        options = BatchOptions(
            db=str(db), jobs=jobs, cache_dir=cache, dask_local=jobs if dask else None, offline=True, formats=()
        )
        cold, cold_mem, s = timed(portfolio, options, str(cache))
        rows.append((f"{label} cold", cold, cold_mem, s))
        out.update(start=start, cold=cold, cold_mem=cold_mem)
        d = s.dedup
        out.update(files=d["scancode_files"], scanned=d["scancode_scanned"], hits=d["scancode_cache_hits"])
        out["scancode_s"] = sum(o.stats.get("scancode_ms", 0) for o in s.outcomes) / 1000
        warm_options = replace(options, new_run=True)
        warm, warm_mem, s2 = timed(portfolio, warm_options, str(cache))
        rows.append((f"{label} warm", warm, warm_mem, s2))
        out.update(warm=warm, warm_mem=warm_mem)
        if service:
            svc = ScancodeService.connect(cache)
            if svc is not None:
                svc.stop()
        print(
            f"{label} (load average {os.getloadavg()[0]:.1f}): service start {start:.1f} s, cold {cold:.1f} s (peak PSS {cold_mem:.0f} MiB), "
            f"warm {warm:.1f} s (peak PSS {warm_mem:.0f} MiB); scancode: {out['files']:.0f} files, "
            f"{out['scanned']:.0f} detected, {out['hits']:.0f} from the cache",
            flush=True,
        )
        return out

    total, per_repo, distinct = distinct_keys(urls, work / "cache-keys")
    print(
        f"{len(urls)} repositories; scancode content keys: {total} files, {per_repo} distinct per repository, {distinct} distinct in the portfolio"
    )
    chosen = set(args.configs.split(",")) | ({"dask"} if args.dask else set())
    one = config("1-worker", 1, service=True) if "1" in chosen else None
    two = config("2-workers", 2, service=True) if "2" in chosen else None
    inproc = config("2-workers-in-process-index", 2, service=False) if "inproc" in chosen else None
    dask = config("dask-local-2", 2, service=True, dask=True) if "dask" in chosen else None
    print()
    print("| configuration | cold | warm | peak PSS cold |")
    print("|---|---:|---:|---:|")
    for label, seconds, mem, _s in rows:
        print(
            f"| {label} | {seconds:.1f} s | | {mem:.0f} MiB |"
            if "cold" in label
            else f"| {label} | | {seconds:.1f} s | {mem:.0f} MiB |"
        )
    print()
    if one and two:
        print(f"speed-up 1 -> 2 workers, cold (service started before): {one['cold'] / two['cold']:.2f}x")
        print(
            "speed-up 1 -> 2 workers, cold incl. service start: "
            f"{(one['cold'] + one['start']) / (two['cold'] + two['start']):.2f}x"
        )
        print(f"speed-up 1 -> 2 workers, warm: {one['warm'] / two['warm']:.2f}x")
    if two:
        print(f"warm / cold (2 workers): {two['warm'] / two['cold']:.3f}x")
    if two and inproc:
        print(
            f"index in every worker vs the service (2 workers, cold incl. service start): "
            f"{inproc['cold'] / (two['cold'] + two['start']):.2f}x time, {inproc['cold_mem'] / two['cold_mem']:.2f}x peak PSS"
        )
    if two and dask:
        print(
            f"Dask LocalCluster(2) vs process pool(2), cold: {dask['cold'] / two['cold']:.2f}x, "
            f"warm: {dask['warm'] / two['warm']:.2f}x"
        )
    base = one or two
    if base:
        saved = per_repo - distinct
        per_file = base["scancode_s"] / max(1, base["scanned"])
        print(
            f"cross-repository deduplication: {saved} of {per_repo} per-repository distinct files "
            f"({saved / per_repo:.1%}) are duplicates of another repository's; detected in the cold run: "
            f"{base['scanned']:.0f}; at {per_file * 1000:.0f} ms of scancode time per detected file that saves "
            f"about {saved * per_file:.1f} s"
        )


if __name__ == "__main__":
    main()
