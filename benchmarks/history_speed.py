"""Community history analysis against plain git on the same repository, in the same run.

    python benchmarks/history_speed.py [--commits 50000] [--authors 400] [--repeat 5] [--repo PATH]

Without ``--repo`` it generates a repository with ``git fast-import`` (``--commits``
commits by ``--authors`` people over six years, each changing one file, with a
``.mailmap`` merging some identities) in a temporary folder. It then times, best of
``--repeat``:

1. oscheck: ``read_history`` (one ``git log`` pass parsed in Python into activity,
   authors, first-time contributors, bus factor and outside share);
2. oscheck, the whole history part of the community detector (shallow check, history,
   release tags);
3. ``git shortlog -sne HEAD`` (distinct authors with mailmap: the issue's peer);
4. ``git log --format=%aE%x1f%aN%x1f%cs%x1f%P HEAD`` (the same output, unparsed);
5. ``git log --format='%H %an %ae %ad' HEAD`` (a typical log format);

Git's output goes to a regular file, where it is fully buffered (its fastest case).
It prints each time with the ratio of oscheck's analysis to each git command.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oscheck.detectors.community.history import (  # noqa: E402
    Period,
    git_base,
    is_shallow,
    read_history,
    read_tags,
)

START = 1_577_836_800  # 2020-01-01T00:00:00Z


def generate(repo: Path, commits: int, authors: int, seed: int = 7) -> None:
    """A repository of ``commits`` linear commits written with ``git fast-import``."""
    rnd = random.Random(seed)
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(repo)], check=True)
    people = [
        (f"Developer {i}", f"dev{i}@{rnd.choice(['acme.kr', 'contrib.org', 'gmail.com', 'uni.ac.kr'])}")
        for i in range(authors)
    ]
    weights = [1.0 / (i + 1) for i in range(authors)]  # a few people make most commits, as in real projects
    span = 6 * 365 * 86400
    mailmap = "".join(f"{n} <{e}> <old{i}@legacy.example>\n" for i, (n, e) in enumerate(people[:20]))
    chunks: list[bytes] = []
    for i in range(commits):
        name, email = rnd.choices(people, weights)[0]
        if i % 50 == 0 and i // 50 < 20:
            email = f"old{i // 50}@legacy.example"
        when = START + span * i // commits
        msg = f"change {i}\n".encode()
        body = f"line {i}\n".encode()
        chunks.append(b"commit refs/heads/main\n")
        chunks.append(f"author {name} <{email}> {when} +0900\ncommitter {name} <{email}> {when} +0900\n".encode())
        chunks.append(b"data %d\n%s" % (len(msg), msg))
        if i == 0:
            mm = mailmap.encode()
            chunks.append(b"M 100644 inline .mailmap\ndata %d\n%s\n" % (len(mm), mm))
        chunks.append(b"M 100644 inline src/f%d.txt\ndata %d\n%s\n" % (i % 500, len(body), body))
        if i and i % 5000 == 0:
            chunks.append(b"reset refs/tags/v0.%d.0\nfrom refs/heads/main\n\n" % (i // 5000))
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input=b"".join(chunks), check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "main"], check=True)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def git_run(repo: Path, *args: str) -> None:
    # Into a regular file: git buffers fully there (to a pipe or /dev/null it flushes per
    # commit), so this is the fastest these commands can be, the hardest baseline.
    with tempfile.TemporaryFile() as out:
        subprocess.run(["git", "-C", str(repo), *args], stdout=out, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commits", type=int, default=50_000)
    ap.add_argument("--authors", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--repo", type=Path, help="an existing work tree instead of a generated one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.repo
        if repo is None:
            repo = Path(tmp) / "repo"
            t = time.perf_counter()
            generate(repo, args.commits, args.authors)
            print(f"generated {args.commits} commits in {time.perf_counter() - t:.1f} s")
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        period = Period(date(2025, 1, 1), date(2025, 12, 31), "declaration")
        today = date(2026, 1, 10)
        result = read_history(repo, head, period=period, today=today, domains=("acme.kr",), mailmap_from_commit=False)
        print(
            f"history: {result.commits_total} commits, {result.authors_total} authors, "
            f"bus factor {result.bus_factor_all}, {result.commits_in_period} in the period"
        )

        def ours() -> None:
            read_history(repo, head, period=period, today=today, domains=("acme.kr",), mailmap_from_commit=False)

        def ours_all() -> None:
            shallow = is_shallow(git_base(repo))
            ours()
            read_tags(repo, head, period=period, shallow=shallow)

        timings = {
            "oscheck read_history": best(ours, args.repeat),
            "oscheck detector history part": best(ours_all, args.repeat),
            "git shortlog -sne HEAD": best(lambda: git_run(repo, "shortlog", "-sne", "HEAD"), args.repeat),
            "git log --format=%aE%x1f%aN%x1f%cs%x1f%P": best(
                lambda: git_run(repo, "log", "--format=%aE%x1f%aN%x1f%cs%x1f%P", "HEAD"), args.repeat
            ),
            "git log --format='%H %an %ae %ad'": best(
                lambda: git_run(repo, "log", "--format=%H %an %ae %ad", "HEAD"), args.repeat
            ),
        }
    ours_t = timings["oscheck read_history"]
    width = max(len(k) for k in timings)
    print(f"\n{'command':<{width}}  {'best s':>8}  oscheck read_history / command")
    for name, seconds in timings.items():
        print(f"{name:<{width}}  {seconds:8.3f}  {ours_t / seconds:6.2f}x")


if __name__ == "__main__":
    main()
