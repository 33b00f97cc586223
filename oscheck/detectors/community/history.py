"""Commit history in one ``git log`` pass: activity, authors, bus factor, outside share.

Speed matters (a verification body scans whole portfolios): git prints one short line
per commit (``%aE %aN %cs %P``: mailmapped author, commit day, parents) and Python folds
the lines into per-author counters as they stream in, so memory grows with the number of
authors, not commits. ``benchmarks/history_speed.py`` compares this with ``git shortlog
-sne`` and ``git log --format`` on the same 50,000-commit repository.

History is read up to the *scanned* commit, never HEAD, and a shallow clone gives
``unknown`` (``HistoryStatus.SHALLOW``), never zeros.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from oscheck.sources.gitcmd import git_command, safe_env

from .observations import GitHistory, HistoryStatus, ReleaseTags

GIT_TIMEOUT = 600.0
RECENT_DAYS = 90  # Scorecard's "Maintained" window
_FORMAT = "--format=%aE%x1f%aN%x1f%cs%x1f%P"
_BOT = re.compile(r"\[bot\]|^dependabot|^renovate|github-actions|pre-commit-ci|^greenkeeper")
_VERSION_TAG = re.compile(r"^(?:[A-Za-z][\w-]*[-/])?v?\d+(?:\.\d+)+(?:[-+.][\w.]+)?$")
# Addresses that say nothing about an employer (GitHub hides the real address behind them).
_UNATTRIBUTED_DOMAINS = ("users.noreply.github.com", "noreply.github.com", "localhost")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    source: str  # "declaration" | "default-12-months"


def default_period(today: date) -> Period:
    """The twelve calendar months up to ``today`` (the current month included)."""
    year, month = (today.year, today.month - 11) if today.month > 11 else (today.year - 1, today.month + 1)
    return Period(date(year, month, 1), today, "default-12-months")


def git_base(git_dir: Path) -> list[str]:
    """``--git-dir X`` for a bare repository, ``-C X`` for a work tree."""
    if (git_dir / "HEAD").is_file() and not (git_dir / ".git").exists():
        return ["--git-dir", str(git_dir)]
    return ["-C", str(git_dir)]


def run_git(args: Sequence[str], timeout: float = 60.0) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(git_command(args), capture_output=True, env=safe_env(), timeout=timeout, check=False)


def is_shallow(base: Sequence[str]) -> bool:
    out = run_git([*base, "rev-parse", "--is-shallow-repository"])
    return out.returncode == 0 and out.stdout.strip() == b"true"


def log_command(base: Sequence[str], commit: str, mailmap_from_commit: bool) -> list[str]:
    """The one ``git log`` this module runs (also used by the benchmark)."""
    extra = ["-c", f"mailmap.blob={commit}:.mailmap"] if mailmap_from_commit else []
    return git_command([*base, *extra, "log", "--no-color", _FORMAT, commit, "--"])


def _months(start: date, end: date) -> list[str]:
    out: list[str] = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def bus_factor(counts: Iterable[int]) -> int | None:
    """The smallest number of authors who made at least half of the commits (CHAOSS)."""
    ordered = sorted((c for c in counts if c > 0), reverse=True)
    total = sum(ordered)
    if not total:
        return None
    running = 0
    for i, c in enumerate(ordered, 1):
        running += c
        if running * 2 >= total:
            return i
    return len(ordered)  # pragma: no cover - the loop always returns


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower().strip(">") if "@" in email else ""


def _is_own(domain: str, own: Sequence[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in own)


class _Author:
    """Running counts of one author (slots: this is touched once per commit)."""

    __slots__ = ("first", "in_period", "name", "total")

    def __init__(self, first: str, name: str) -> None:
        self.total = 0
        self.in_period = 0
        self.first = first
        self.name = name


def unknown_history(
    status: HistoryStatus, reason: str, period: Period, commit: str | None, domains: Sequence[str]
) -> GitHistory:
    return GitHistory(
        detector="community",
        status=status,
        reason=reason,
        commit=commit,
        period_start=period.start,
        period_end=period.end,
        period_source=period.source,
        email_domains=tuple(domains),
    )


def analyse(lines: Iterable[str], *, commit: str, period: Period, today: date, domains: Sequence[str]) -> GitHistory:
    """Fold ``git log`` lines (``email\\x1fname\\x1fday\\x1fparents``) into a :class:`GitHistory`."""
    start, end = period.start.isoformat(), period.end.isoformat()
    recent_from = (today - timedelta(days=RECENT_DAYS)).isoformat()
    authors: dict[str, _Author] = {}
    per_month: dict[str, int] = {}
    bot_keys: dict[str, bool] = {}
    first_day = "9999-99-99"
    last_day = ""
    total = merges = bots = recent = 0
    for line in lines:
        # From the right: a name (or, pathologically, an address) may itself hold \x1f.
        parts = line.rstrip("\n").rsplit("\x1f", 2)
        if len(parts) != 3 or _as_date(parts[1]) is None:
            continue  # a commit date git could not print as YYYY-MM-DD (forged, year 0 or > 9999)
        head, day, parents = parts
        email, _sep, name = head.partition("\x1f")
        total += 1
        if day > last_day:
            last_day = day
        if day < first_day:
            first_day = day
        if " " in parents:
            merges += 1
            continue
        key = email.lower() or name
        is_bot = bot_keys.get(key)
        if is_bot is None:
            is_bot = bot_keys[key] = bool(_BOT.search(name.lower()) or _BOT.search(email.lower()))
        if is_bot:
            bots += 1
            continue
        entry = authors.get(key)
        if entry is None:
            entry = authors[key] = _Author(day, name)
        entry.total += 1
        if day < entry.first:
            entry.first = day
            entry.name = name
        if start <= day <= end:
            entry.in_period += 1
            month = day[:7]
            per_month[month] = per_month.get(month, 0) + 1
        if day >= recent_from:
            recent += 1
    if total == 0:
        return unknown_history(HistoryStatus.UNAVAILABLE, "no-commits", period, commit, domains)

    last_day_of_metrics = min(period.end, today)
    months = _months(period.start, last_day_of_metrics) if period.start <= last_day_of_metrics else []
    new_per_month: dict[str, int] = {}
    period_counts: dict[str, int] = {}
    domain_stats: dict[str, list[int]] = {}
    internal = external = unattributed = 0
    external_authors = 0
    for key, a in authors.items():
        if start <= a.first <= end:
            m = a.first[:7]
            new_per_month[m] = new_per_month.get(m, 0) + 1
        n = a.in_period
        if not n:
            continue
        period_counts[key] = n
        dom = _domain(key)
        stats = domain_stats.setdefault(dom or "(none)", [0, 0])
        stats[0] += n
        stats[1] += 1
        if not dom or dom.endswith(_UNATTRIBUTED_DOMAINS):
            unattributed += n
        elif domains and _is_own(dom, domains):
            internal += n
        else:
            external += n
            external_authors += 1
    in_period = sum(period_counts.values())
    top = sorted(period_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    last = date.fromisoformat(last_day)  # checked by _as_date above
    return GitHistory(
        detector="community",
        status=HistoryStatus.KNOWN,
        commit=commit,
        period_start=period.start,
        period_end=period.end,
        period_source=period.source,
        commits_total=total,
        commits_in_period=in_period,
        commits_last_90_days=recent,
        merge_commits=merges,
        bot_commits=bots,
        commits_per_month=tuple((m, per_month.get(m, 0)) for m in months),
        active_months=sum(1 for m in months if per_month.get(m)),
        months_in_period=len(months),
        authors_total=len(authors),
        authors_in_period=len(period_counts),
        new_contributors_per_month=tuple((m, new_per_month.get(m, 0)) for m in months),
        new_contributors_in_period=sum(new_per_month.values()),
        bus_factor=bus_factor(period_counts.values()),
        bus_factor_all=bus_factor(a.total for a in authors.values()),
        top_authors=tuple((authors[k].name, n) for k, n in top),
        first_commit_date=date.fromisoformat(first_day),
        last_commit_date=last,
        days_since_last_commit=max(0, (today - last).days),
        email_domains=tuple(domains),
        internal_commits=internal if domains else None,
        external_commits=external if domains else None,
        unattributed_commits=unattributed,
        external_share=round(external / in_period, 4) if domains and in_period else None,
        external_authors=external_authors if domains else None,
        domains=tuple((d, s[0], s[1]) for d, s in sorted(domain_stats.items(), key=lambda kv: (-kv[1][0], kv[0]))[:50]),
    )


def read_history(
    git_dir: Path,
    commit: str | None,
    *,
    period: Period,
    today: date,
    domains: Sequence[str],
    mailmap_from_commit: bool,
) -> GitHistory:
    """The history of ``commit`` in ``git_dir`` (one ``git log`` pass, streamed).

    The caller has checked that the repository is not shallow (see :func:`is_shallow`).
    """
    if commit is None:
        return unknown_history(HistoryStatus.UNAVAILABLE, "no-commits", period, None, domains)
    base = git_base(git_dir)
    env = safe_env()
    # Into a pipe git flushes after every commit unless told otherwise: twice the time.
    env["GIT_FLUSH"] = "0"
    proc = subprocess.Popen(
        log_command(base, commit, mailmap_from_commit),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdout is not None
    try:
        text = io.TextIOWrapper(proc.stdout, encoding="utf-8", errors="replace", newline="\n")
        history = analyse(text, commit=commit, period=period, today=today, domains=domains)
    finally:
        proc.stdout.close()
        try:
            code = proc.wait(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    if code != 0:
        return unknown_history(HistoryStatus.UNAVAILABLE, "git-failed", period, commit, domains)
    return history


def read_tags(git_dir: Path, commit: str | None, *, period: Period, shallow: bool) -> ReleaseTags:
    """Tags reachable from ``commit``: how many, how many look like versions, the newest."""
    if commit is None:
        return ReleaseTags(detector="community", status=HistoryStatus.UNAVAILABLE)
    if shallow:
        # actions/checkout fetches neither history nor tags by default: nothing to count.
        return ReleaseTags(detector="community", status=HistoryStatus.SHALLOW)
    out = run_git(
        [
            *git_base(git_dir),
            "for-each-ref",
            f"--merged={commit}",
            "--format=%(refname:strip=2)%1f%(creatordate:short)",
            "refs/tags",
        ]
    )
    if out.returncode != 0:
        return ReleaseTags(detector="community", status=HistoryStatus.UNAVAILABLE)
    tags: list[tuple[str, str]] = []
    for line in out.stdout.decode("utf-8", errors="replace").splitlines():
        name, _sep, day = line.partition("\x1f")
        if name:
            tags.append((name, day if _as_date(day) else ""))  # a forged tagger date counts as none
    versions = [(n, d) for n, d in tags if _VERSION_TAG.match(n)]
    newest = max(versions or tags, key=lambda t: t[1], default=None)
    start, end = period.start.isoformat(), period.end.isoformat()
    return ReleaseTags(
        detector="community",
        status=HistoryStatus.KNOWN,
        tags=len(tags),
        version_tags=len(versions),
        in_period=sum(1 for _n, d in versions if start <= d <= end),
        latest=newest[0] if newest else None,
        latest_date=_as_date(newest[1]) if newest else None,
    )


@functools.lru_cache(maxsize=8192)
def _as_date(day: str) -> date | None:
    """``YYYY-MM-DD`` from git as a date; ``None`` for anything else a forged object can hold."""
    if len(day) != 10:
        return None
    try:
        return date.fromisoformat(day)
    except ValueError:
        return None
