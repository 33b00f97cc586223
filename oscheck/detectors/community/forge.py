"""Forge facts a clone cannot give: visibility, archived, issues and responses, releases.

A handful of calls per repository (Scorecard's design notes that tokens, not CPU, limit
batch runs): the repository, its community profile, the owner's ``.github`` repository
tree (organisation defaults), releases; with a token also issues, issue comments and
closed pull requests of the funded period, each listing capped at a few pages.
"""

from __future__ import annotations

import dataclasses
import os
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from oscheck.sources.gitcmd import redact_url

from .files import ITEMS, find_items
from .github import ForgeError, GitHubClient
from .history import Period, git_base, run_git
from .observations import Contribution, ContributionState, ForgeRepository, ForgeStatus

# GitHub community profile "files" keys -> our item names.
_PROFILE_ITEMS = {
    "code_of_conduct": "code-of-conduct",
    "code_of_conduct_file": "code-of-conduct",
    "contributing": "contributing",
    "issue_template": "issue-template",
    "pull_request_template": "pull-request-template",
    "readme": "readme",
    "license": "license",
}
_INSIDERS = {"OWNER", "MEMBER", "COLLABORATOR"}
_SLUG = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def github_slug(url: str, extra_hosts: Iterable[str] = ()) -> str | None:
    """``owner/repo`` of a GitHub URL (https, ssh or scp-like); ``None`` for other hosts."""
    url = url.strip()
    hosts = {"github.com", "www.github.com", *extra_hosts}
    m = re.match(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$", url)  # git@github.com:o/r.git
    if m and "://" not in url:
        host, path = m.group(1).lower(), m.group(2)
    else:
        parts = urlsplit(url)
        host, path = (parts.hostname or "").lower(), parts.path
    if host not in hosts:
        return None
    slug = path.strip("/").removesuffix(".git")
    slug = "/".join(slug.split("/")[:2])
    return slug if _SLUG.match(slug) else None


def find_slug(git_dir: Path | None, target_uri: str, option: object) -> str | None:
    """The GitHub repository to ask about: option, git target URL, ``origin``, Actions."""
    if isinstance(option, str) and _SLUG.match(option):
        return option
    server = os.environ.get("GITHUB_SERVER_URL")
    extra = [urlsplit(server).hostname or ""] if server else []
    slug = github_slug(target_uri, extra)
    if slug:
        return slug
    if git_dir is not None:
        out = run_git([*git_base(git_dir), "remote", "get-url", "origin"])
        if out.returncode == 0:
            slug = github_slug(redact_url(out.stdout.decode("utf-8", "replace").strip()), extra)
            if slug:
                return slug
    if os.environ.get("GITHUB_ACTIONS") == "true":
        repo = os.environ.get("GITHUB_REPOSITORY", "")
        if _SLUG.match(repo):
            return repo
    return None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _in(period: Period, moment: datetime | None) -> bool:
    return moment is not None and period.start <= moment.astimezone(UTC).date() <= period.end


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def collect(client: GitHubClient, slug: str, period: Period) -> ForgeRepository:
    """Everything the API says about ``slug``; what could not be fetched is in ``skipped``."""
    skipped: list[str] = []
    fields: dict[str, Any] = {}
    try:
        repo = client.get(f"/repos/{slug}")
    except ForgeError as exc:
        return _result(client, slug, ForgeStatus.FAILED, fields, [exc.code])
    if repo.status != 200 or not isinstance(repo.body, dict):
        # Without a token a private repository answers 404 too: either way, not public.
        fields["reachable"] = False
        return _result(client, slug, ForgeStatus.PARTIAL, fields, ["not-found"])
    body = repo.body
    fields.update(
        reachable=True,
        visibility=body.get("visibility") or ("private" if body.get("private") else "public"),
        archived=_bool(body.get("archived")),
        fork=_bool(body.get("fork")),
        has_issues=_bool(body.get("has_issues")),
        has_discussions=_bool(body.get("has_discussions")),
        stars=_int(body.get("stargazers_count")),
        forks=_int(body.get("forks_count")),
        open_issues=_int(body.get("open_issues_count")),
    )
    owner = slug.split("/", 1)[0]
    steps: list[tuple[str, Callable[[], None]]] = [
        ("community-profile", lambda: _community(client, slug, owner, fields)),
        ("releases", lambda: _releases(client, slug, fields)),
    ]
    if client.authenticated:
        steps += [
            ("issues", lambda: _issues(client, slug, period, fields)),
            ("pulls", lambda: _pulls(client, slug, period, fields)),
        ]
    else:
        skipped += ["issues:no-token", "pulls:no-token"]
    for name, step in steps:
        try:
            step()
        except ForgeError as exc:
            skipped.append(f"{name}:{exc.code}")
    status = ForgeStatus.PARTIAL if skipped else ForgeStatus.OK
    return _result(client, slug, status, fields, skipped)


def _result(
    client: GitHubClient, slug: str, status: ForgeStatus, fields: dict[str, Any], skipped: Sequence[str]
) -> ForgeRepository:
    return ForgeRepository(
        detector="community",
        status=status,
        slug=slug,
        api_url=client.api_url,
        authenticated=client.authenticated,
        skipped=tuple(skipped),
        rate_limit_remaining=client.remaining,
        requests=client.requests,
        **fields,
    )


def _community(client: GitHubClient, slug: str, owner: str, fields: dict[str, Any]) -> None:
    confirmed: dict[str, str] = {}
    profile = client.get(f"/repos/{slug}/community/profile")
    files = profile.body.get("files") if profile.status == 200 and isinstance(profile.body, dict) else None
    if isinstance(files, dict):
        for key, item in _PROFILE_ITEMS.items():
            if key in files:
                present = files.get(key) is not None
                if present or confirmed.get(item) != "present":
                    confirmed[item] = "present" if present else "absent"
    # The owner's .github repository supplies defaults for repositories that lack them.
    tree = client.get(f"/repos/{owner}/.github/git/trees/HEAD", {"recursive": 1})
    org_items: list[str] = []
    if tree.status == 200 and isinstance(tree.body, dict) and isinstance(tree.body.get("tree"), list):
        paths = [t.get("path", "") for t in tree.body["tree"] if isinstance(t, dict) and t.get("type") == "blob"]
        found = find_items(p for p in paths if isinstance(p, str))
        org_items = [i.name for i in ITEMS if i.org_default and found[i.name]]
        org_known = True
    else:
        org_known = tree.status in (404, 409)  # no (public, non-empty) .github repository: no defaults
    for it in ITEMS:
        if not it.org_default:
            continue
        if it.name in org_items:
            confirmed[it.name] = "present"
        elif org_known and it.name not in confirmed:
            confirmed[it.name] = "absent"
    fields["community"] = tuple(sorted(confirmed.items()))
    fields["org_defaults"] = tuple(org_items)


def _releases(client: GitHubClient, slug: str, fields: dict[str, Any]) -> None:
    resp = client.get(f"/repos/{slug}/releases", {"per_page": 100})
    if resp.status != 200 or not isinstance(resp.body, list):
        return
    published = [r for r in resp.body if isinstance(r, dict) and not r.get("draft")]
    fields["releases"] = len(published)
    dated = [(r, _when(r.get("published_at") or r.get("created_at"))) for r in published]
    dated = [(r, d) for r, d in dated if d is not None]
    if dated:
        newest, when = max(dated, key=lambda rd: rd[1] or datetime.min.replace(tzinfo=UTC))
        fields["latest_release"] = str(newest.get("tag_name") or newest.get("name") or "")
        fields["latest_release_date"] = when.date() if when else None


def _login(obj: Any) -> tuple[str, bool]:
    user = obj.get("user") if isinstance(obj, dict) else None
    if not isinstance(user, dict):
        return "", False
    login = str(user.get("login") or "")
    return login, user.get("type") == "Bot" or login.endswith("[bot]")


def _issues(client: GitHubClient, slug: str, period: Period, fields: dict[str, Any]) -> None:
    since = f"{period.start.isoformat()}T00:00:00Z"
    issues, _more = client.paginate(f"/repos/{slug}/issues", {"state": "all", "since": since}, max_pages=5)
    mine = [
        i for i in issues if isinstance(i, dict) and "pull_request" not in i and _in(period, _when(i.get("created_at")))
    ]
    fields["issues_opened_in_period"] = len(mine)
    fields["issues_closed_in_period"] = sum(1 for i in mine if _in(period, _when(i.get("closed_at"))))
    comments, _more = client.paginate(
        f"/repos/{slug}/issues/comments", {"since": since, "sort": "created", "direction": "asc"}, max_pages=10
    )
    by_issue: dict[str, list[dict[str, Any]]] = {}
    for c in comments:
        if isinstance(c, dict) and isinstance(c.get("issue_url"), str):
            by_issue.setdefault(c["issue_url"].rstrip("/").rsplit("/", 1)[-1], []).append(c)
    hours: list[float] = []
    unanswered = 0
    for issue in mine:
        author, _bot = _login(issue)
        opened = _when(issue.get("created_at"))
        first = None
        for c in sorted(by_issue.get(str(issue.get("number")), []), key=lambda c: str(c.get("created_at"))):
            login, bot = _login(c)
            if login and login != author and not bot:
                first = _when(c.get("created_at"))
                break
        if first is None or opened is None:
            unanswered += 1
        else:
            hours.append(max(0.0, (first - opened).total_seconds() / 3600))
    fields["issues_responded"] = len(hours)
    fields["issues_unanswered"] = unanswered
    fields["median_first_response_hours"] = round(statistics.median(hours), 2) if hours else None


def _pulls(client: GitHubClient, slug: str, period: Period, fields: dict[str, Any]) -> None:
    pulls, _more = client.paginate(
        f"/repos/{slug}/pulls", {"state": "closed", "sort": "updated", "direction": "desc"}, max_pages=5
    )
    external = 0
    for p in pulls:
        if not isinstance(p, dict) or not _in(period, _when(p.get("merged_at"))):
            continue
        _login_name, bot = _login(p)
        if not bot and str(p.get("author_association", "")) not in _INSIDERS:
            external += 1
    fields["external_prs_merged"] = external


def contribution_state(client: GitHubClient, c: Contribution) -> Contribution:
    """``c`` with its state (merged, open, closed, completed) from the API; unchanged on failure."""
    if not c.valid or c.host != "github.com" or c.number is None or c.type not in ("pull", "issue"):
        return c
    path = f"/repos/{c.owner}/{c.repo}/{'pulls' if c.type == 'pull' else 'issues'}/{c.number}"
    resp = client.get(path)
    if resp.status != 200 or not isinstance(resp.body, dict):
        return c
    body = resp.body
    state = ContributionState.UNKNOWN
    pull = body.get("pull_request") if c.type == "issue" else body
    if isinstance(pull, dict) and (pull.get("merged_at") or pull.get("merged") is True):
        state = ContributionState.MERGED
    elif body.get("state") == "open":
        state = ContributionState.OPEN
    elif body.get("state") == "closed":
        reason = body.get("state_reason")
        completed = c.type == "issue" and reason == "completed"
        state = ContributionState.COMPLETED if completed else ContributionState.CLOSED
    title = body.get("title")
    return dataclasses.replace(c, state=state, title=str(title)[:300] if isinstance(title, str) else None)


def forge_off(reason: str) -> ForgeRepository:
    return ForgeRepository(detector="community", status=ForgeStatus.OFF, skipped=(reason,))
