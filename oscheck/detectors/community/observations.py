"""What the community detector saw: files, README sections, tags, history, forge data.

Every fact that could not be established is ``None`` (or :attr:`Presence.UNKNOWN`), never
zero or "absent": a shallow clone has no history to count, and a community file that a
GitHub organisation provides by default lives in its ``.github`` repository, not in the
clone. The policy and the report keep the three states apart.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from oscheck.model import JsonValue, Observation

__all__ = [
    "CommunityFile",
    "Contribution",
    "ContributionState",
    "ForgeRepository",
    "ForgeStatus",
    "GitHistory",
    "HistoryStatus",
    "Presence",
    "ReadmeInfo",
    "ReleaseTags",
]


class Presence(enum.Enum):
    """Whether a community file exists: found, confirmed missing, or not knowable from here."""

    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"  # not in the clone, and the organisation's defaults were not checked


@dataclass(frozen=True, kw_only=True)
class CommunityFile(Observation):
    """One community health item (``readme``, ``contributing``, ``ci``, …).

    ``source`` says where it was found: ``repository`` (the clone), ``organisation``
    (the owner's ``.github`` repository, through the forge API) or ``forge`` (GitHub's
    community profile). ``details`` holds what the content shows (a security contact, …).
    """

    kind: ClassVar[str] = "community-file"
    item: str
    status: Presence
    paths: tuple[str, ...] = ()
    source: str | None = None
    org_default_possible: bool = False  # GitHub can inherit it from the owner's .github repository
    details: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ReadmeInfo(Observation):
    """The sections a README has (install, usage, license), in Korean or English."""

    kind: ClassVar[str] = "readme"
    paths: tuple[str, ...]
    sections: tuple[str, ...]  # of "install", "usage", "license"
    languages: tuple[str, ...]  # "ko", "en"
    mentions_license: bool  # the word appears anywhere (repolinter's readme-references-license)


class HistoryStatus(enum.Enum):
    KNOWN = "known"
    SHALLOW = "shallow"  # a shallow clone: history metrics unknown
    UNAVAILABLE = "unavailable"  # no git repository, or no commits


@dataclass(frozen=True, kw_only=True)
class ReleaseTags(Observation):
    """Tags reachable from the scanned commit (``None`` counts when history is not known)."""

    kind: ClassVar[str] = "release-tags"
    status: HistoryStatus
    tags: int | None = None
    version_tags: int | None = None  # v1.2, 1.2.3, …
    in_period: int | None = None
    latest: str | None = None
    latest_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class GitHistory(Observation):
    """Commit activity and authorship up to the scanned commit, over the funded period.

    Dates are commit dates in the committer's time zone (when a change landed); authors
    are identities after ``.mailmap``, keyed by e-mail; merge and bot commits are counted
    apart and left out of the authorship figures.
    """

    kind: ClassVar[str] = "git-history"
    status: HistoryStatus
    reason: str | None = None  # "shallow-clone", "not-a-git-repository", "no-commits", "git-failed"
    commit: str | None = None
    period_start: date
    period_end: date
    period_source: str  # "declaration" | "default-12-months"
    commits_total: int | None = None
    commits_in_period: int | None = None
    commits_last_90_days: int | None = None
    merge_commits: int | None = None
    bot_commits: int | None = None
    commits_per_month: tuple[tuple[str, int], ...] | None = None  # ("2026-05", 12), every month of the period
    active_months: int | None = None
    months_in_period: int | None = None
    authors_total: int | None = None
    authors_in_period: int | None = None
    new_contributors_per_month: tuple[tuple[str, int], ...] | None = None
    new_contributors_in_period: int | None = None
    bus_factor: int | None = None  # over the period (CHAOSS Contributor Absence Factor)
    bus_factor_all: int | None = None  # over the whole history
    top_authors: tuple[tuple[str, int], ...] | None = None  # period commits of the five most active
    first_commit_date: date | None = None
    last_commit_date: date | None = None
    days_since_last_commit: int | None = None
    email_domains: tuple[str, ...] = ()  # the grantee's, from the declaration
    internal_commits: int | None = None
    external_commits: int | None = None
    unattributed_commits: int | None = None  # no domain, or GitHub's no-reply addresses
    external_share: float | None = None  # None: no email_domains declared, or no commits
    external_authors: int | None = None
    domains: tuple[tuple[str, int, int], ...] | None = None  # (domain, commits, authors) in the period


class ForgeStatus(enum.Enum):
    OK = "ok"
    PARTIAL = "partial"  # some calls skipped (no token, rate limit, budget); see ``skipped``
    OFF = "off"  # not asked for (no token and no --forge), or no GitHub repository known
    FAILED = "failed"  # the API could not be reached


@dataclass(frozen=True, kw_only=True)
class ForgeRepository(Observation):
    """What the GitHub REST API says about the repository (all ``None`` when not asked).

    ``skipped`` lists codes for what was not fetched: ``disabled``, ``no-remote``,
    ``issues:no-token``, ``pulls:no-token``, ``rate-limit``, ``budget``, ``not-found``,
    ``community-profile``, ``org-defaults``, ``error``.
    """

    kind: ClassVar[str] = "forge-repository"
    status: ForgeStatus
    slug: str | None = None
    api_url: str | None = None
    authenticated: bool = False
    reachable: bool | None = None  # the repository answered (404 without a token: not public)
    visibility: str | None = None
    archived: bool | None = None
    fork: bool | None = None
    has_issues: bool | None = None
    has_discussions: bool | None = None
    stars: int | None = None
    forks: int | None = None
    open_issues: int | None = None
    issues_opened_in_period: int | None = None
    issues_closed_in_period: int | None = None
    median_first_response_hours: float | None = None
    issues_responded: int | None = None
    issues_unanswered: int | None = None
    external_prs_merged: int | None = None
    releases: int | None = None
    latest_release: str | None = None
    latest_release_date: date | None = None
    community: tuple[tuple[str, str], ...] = ()  # (item, "present"/"absent") confirmed by the API
    org_defaults: tuple[str, ...] = ()  # items the owner's .github repository provides
    skipped: tuple[str, ...] = ()
    rate_limit_remaining: int | None = None
    requests: int = 0


class ContributionState(enum.Enum):
    MERGED = "merged"
    OPEN = "open"
    CLOSED = "closed"  # closed without being merged (a pull request) or as not planned
    COMPLETED = "completed"  # an issue closed as done
    UNKNOWN = "unknown"


@dataclass(frozen=True, kw_only=True)
class Contribution(Observation):
    """One upstream contribution the project declares (``contributions:`` in .oscheck.yml)."""

    kind: ClassVar[str] = "contribution"
    url: str
    host: str | None = None
    owner: str | None = None
    repo: str | None = None
    type: str = "unknown"  # pull, issue, discussion, merge-request, commit, unknown
    number: int | None = None
    valid: bool = False  # a recognisable pull request / issue / discussion address
    state: ContributionState = ContributionState.UNKNOWN
    title: str | None = None
