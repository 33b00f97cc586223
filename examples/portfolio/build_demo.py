"""Build the demo portfolio's repositories and models, then scan them all with ``oscheck batch``.

``make demo`` runs this; it needs no network:

1. every folder under ``repos/`` becomes a real git repository under ``_build/`` (one
   commit, fixed author and date, so the commit ids are the same on every machine; a
   repository listed in ``histories.yaml`` gets its dated commits by several authors and
   its release tags instead), and
   every folder under ``models/`` is copied to ``_build/models/`` with a small weight file;
2. the registry file ``examples/registry/registry.yaml`` is imported into a fresh SQLite
   store ``_build/demo.sqlite3`` (two grantees link to its organisations and applications);
3. ``oscheck batch portfolio.yaml --offline`` scans every target into that store and writes
   each target's JSON report, Markdown and SBOMs (SPDX 2.3, CycloneDX 1.6) under
   ``reports/demo/<grantee id>/``.

Options: ``--db URL`` (another store), ``--jobs N``, ``--dask-local N``, ``--out DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = HERE / "_build"
OUT = ROOT / "reports" / "demo"
# 2026-05-04 10:00 KST, as the test fixtures: "six weeks before the as-of day".
_STAMP = "1777856400 +0900"
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Demo Builder",
    "GIT_AUTHOR_EMAIL": "demo@example.kr",
    "GIT_COMMITTER_NAME": "Demo Builder",
    "GIT_COMMITTER_EMAIL": "demo@example.kr",
    "GIT_AUTHOR_DATE": _STAMP,
    "GIT_COMMITTER_DATE": _STAMP,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def build_repo(src: Path, dest: Path, history: dict[str, Any] | None = None) -> Path:
    """``src`` committed as a new repository at ``dest`` (same commit ids on every machine)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=True)
    env = {**os.environ, **_GIT_ENV}

    def git(*args: str, extra: dict[str, str] | None = None) -> None:
        subprocess.run(["git", "-C", str(dest), *args], check=True, env={**env, **(extra or {})})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    if history is None:
        git("commit", "-q", "--no-gpg-sign", "-m", f"{src.name}: first public release")
        return dest
    git("commit", "-q", "--no-gpg-sign", "-m", f"{src.name}: first public release", extra=_who(history["start"]))
    changelog = dest / "CHANGELOG.md"
    for entry in history.get("commits", []):
        with changelog.open("a", encoding="utf-8") as fh:
            fh.write(f"- {entry['message']}\n")
        git("add", "CHANGELOG.md")
        git("commit", "-q", "--no-gpg-sign", "-m", str(entry["message"]), extra=_who(entry))
    for tag, position in (history.get("tags") or {}).items():
        back = len(history.get("commits", [])) - int(position)
        git("tag", str(tag), f"HEAD~{back}" if back else "HEAD")
    return dest


def _who(entry: dict[str, Any]) -> dict[str, str]:
    """GIT_AUTHOR_*/GIT_COMMITTER_* for ``{date: YYYY-MM-DD, author: "Name <mail>"}`` (10:00 KST)."""
    name, _, mail = str(entry["author"]).partition(" <")
    when = datetime.combine(date.fromisoformat(str(entry["date"])), time(10, 0), timezone(timedelta(hours=9)))
    stamp = f"{int(when.timestamp())} +0900"
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": mail.rstrip(">"),
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": mail.rstrip(">"),
        "GIT_COMMITTER_DATE": stamp,
    }


def safetensors(tensors: dict[str, tuple[str, list[int]]]) -> bytes:
    """A valid safetensors file of zero-filled tensors (header length, JSON header, data)."""
    sizes = {"F16": 2, "F32": 4}
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        n = sizes[dtype]
        for dim in shape:
            n *= dim
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\0" * offset


def build_model(src: Path, dest: Path) -> Path:
    """A model folder with a small weight file, committed like a Hub repository (a git repo)."""
    staged = dest.with_name(dest.name + ".src")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(src, staged)
    (staged / "model.safetensors").write_bytes(
        safetensors({"embed.weight": ("F16", [16, 8]), "classifier.weight": ("F32", [8, 3])})
    )
    build_repo(staged, dest)
    shutil.rmtree(staged)
    return dest


def build_sources(build: Path) -> None:
    """Every demo repository (with its history, if any) and model folder, under ``build``."""
    histories = yaml.safe_load((HERE / "histories.yaml").read_text(encoding="utf-8")) or {}
    for src in sorted(p for p in (HERE / "repos").iterdir() if p.is_dir()):
        build_repo(src, build / src.name, histories.get(src.name))
    for src in sorted(p for p in (HERE / "models").iterdir() if p.is_dir()):
        build_model(src, build / "models" / src.name)


def oscheck(*args: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "oscheck", *args], env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store URL (default: a fresh examples/portfolio/_build/demo.sqlite3)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--jobs", default=None)
    ap.add_argument("--dask-local", default=None)
    args = ap.parse_args(argv)

    build_sources(BUILD)
    db = args.db
    if db is None:
        path = BUILD / "demo.sqlite3"
        path.unlink(missing_ok=True)  # run ids from 1: the same demo on every machine
        db = str(path)
    if oscheck("registry", "--db", db, "init") != 0:
        return 2
    if oscheck("registry", "--db", db, "import", str(ROOT / "examples" / "registry" / "registry.yaml")) != 0:
        return 2
    shutil.rmtree(args.out, ignore_errors=True)
    batch = ["batch", str(HERE / "portfolio.yaml"), "--db", db, "--out", str(args.out), "--offline"]
    if args.jobs:
        batch += ["--jobs", args.jobs]
    if args.dask_local:
        batch += ["--dask-local", args.dask_local]
    os.environ.setdefault("SOURCE_DATE_EPOCH", _STAMP.split()[0])  # SBOM creation dates
    code = oscheck(*batch)
    # 1 means "findings" (the demo has non-compliant grantees on purpose); 2 and 3 are failures.
    if code in (0, 1):
        print(
            f"store: {db}\nreports and SBOMs: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
        )
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
