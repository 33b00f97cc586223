"""The GitHub REST client and what the forge adds, against a local server that answers like GitHub."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fake_github import Answer, fake_github, profile_body, repo_body
from test_community import COMMUNITY_FILES, DECL, TODAY, active_commits, build, com, one, run

from oscheck.detectors.community import Contribution, ContributionState, ForgeRepository, ForgeStatus
from oscheck.detectors.community.contributions import parse_contribution
from oscheck.detectors.community.forge import collect, contribution_state, github_slug
from oscheck.detectors.community.github import BudgetExhausted, GitHubClient, RateLimited
from oscheck.detectors.community.history import Period
from oscheck.model import Severity

PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31), "declaration")
SLUG = "acme/infer"


@pytest.fixture(autouse=True)
def _no_api_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GITHUB_API_URL", "GITHUB_TOKEN", "GITHUB_ACTIONS", "GITHUB_SERVER_URL"):
        monkeypatch.delenv(var, raising=False)


def _issue(number: int, author: str, created: str, closed: str | None = None, pr: bool = False) -> dict[str, object]:
    body: dict[str, object] = {
        "number": number,
        "title": f"issue {number}",
        "user": {"login": author, "type": "User"},
        "state": "closed" if closed else "open",
        "created_at": created,
        "closed_at": closed,
        "comments": 1,
    }
    if pr:
        body["pull_request"] = {"url": f"https://api.github.com/repos/{SLUG}/pulls/{number}", "merged_at": None}
    return body


def _comment(number: int, login: str, created: str, bot: bool = False) -> dict[str, object]:
    return {
        "id": number * 100 + len(login),
        "issue_url": f"https://api.github.com/repos/{SLUG}/issues/{number}",
        "user": {"login": login, "type": "Bot" if bot else "User"},
        "created_at": created,
        "body": "thanks",
    }


def _serve_full_repo(gh: object) -> None:
    from fake_github import FakeGitHub

    assert isinstance(gh, FakeGitHub)
    gh.add(f"/repos/{SLUG}", repo_body(SLUG, has_discussions=False))
    gh.add(f"/repos/{SLUG}/community/profile", profile_body(readme=True, contributing=True, code_of_conduct_file=True))
    gh.add(
        f"/repos/{SLUG}/releases",
        [
            {"tag_name": "v0.2.0", "draft": False, "published_at": "2026-06-01T00:00:00Z"},
            {"tag_name": "v0.3.0-rc", "draft": True, "published_at": None},
            {"tag_name": "v0.1.0", "draft": False, "published_at": "2026-03-01T00:00:00Z"},
        ],
    )
    # Page 1 links to page 2 (as GitHub does); issue 4 is a pull request and is left out.
    page2 = f"{gh.url}/repos/{SLUG}/issues?state=all&page=2"
    gh.add(
        f"/repos/{SLUG}/issues?per_page=100&state=all&since=2026-01-01T00%3A00%3A00Z",
        Answer(
            [
                _issue(1, "user-a", "2026-02-01T00:00:00Z", closed="2026-02-03T00:00:00Z"),
                _issue(2, "user-b", "2026-03-01T00:00:00Z"),
            ],
            headers={"Link": f'<{page2}>; rel="next", <{page2}>; rel="last"'},
        ),
    )
    gh.add(
        f"/repos/{SLUG}/issues?state=all&page=2",
        [
            _issue(3, "user-c", "2026-04-01T00:00:00Z"),
            _issue(4, "user-d", "2026-04-02T00:00:00Z", pr=True),
            _issue(5, "old", "2025-05-01T00:00:00Z"),
        ],
    )
    gh.add(
        f"/repos/{SLUG}/issues/comments",
        [
            _comment(1, "user-a", "2026-02-01T01:00:00Z"),  # the author's own follow-up: not a response
            _comment(1, "maintainer", "2026-02-01T10:00:00Z"),  # 10 h
            _comment(2, "dependabot[bot]", "2026-03-01T00:10:00Z", bot=True),  # bots do not count
            _comment(2, "maintainer", "2026-03-03T00:00:00Z"),  # 48 h
            # issue 3: unanswered
        ],
    )
    gh.add(
        f"/repos/{SLUG}/pulls",
        [
            {
                "number": 9,
                "user": {"login": "outsider", "type": "User"},
                "author_association": "CONTRIBUTOR",
                "merged_at": "2026-05-01T00:00:00Z",
                "state": "closed",
            },
            {
                "number": 8,
                "user": {"login": "minji", "type": "User"},
                "author_association": "MEMBER",
                "merged_at": "2026-05-02T00:00:00Z",
                "state": "closed",
            },
            {
                "number": 7,
                "user": {"login": "renovate[bot]", "type": "Bot"},
                "author_association": "NONE",
                "merged_at": "2026-05-03T00:00:00Z",
                "state": "closed",
            },
            {
                "number": 6,
                "user": {"login": "newbie", "type": "User"},
                "author_association": "FIRST_TIME_CONTRIBUTOR",
                "merged_at": None,
                "state": "closed",
            },
            {
                "number": 5,
                "user": {"login": "early", "type": "User"},
                "author_association": "NONE",
                "merged_at": "2025-12-30T00:00:00Z",
                "state": "closed",
            },
        ],
    )


def test_collect_with_a_token() -> None:
    with fake_github() as gh:
        _serve_full_repo(gh)
        client = GitHubClient(api_url=gh.url, token="ghs_testtoken000000000000000000000")
        forge = collect(client, SLUG, PERIOD)
        assert all(h.get("authorization") == "Bearer ghs_testtoken000000000000000000000" for _p, h in gh.seen)
    assert forge.status is ForgeStatus.OK, forge.skipped
    assert (forge.reachable, forge.visibility, forge.archived, forge.has_issues, forge.has_discussions) == (
        True,
        "public",
        False,
        True,
        False,
    )
    assert (forge.stars, forge.forks) == (42, 7)
    assert (forge.releases, forge.latest_release, forge.latest_release_date) == (2, "v0.2.0", date(2026, 6, 1))
    assert (forge.issues_opened_in_period, forge.issues_closed_in_period) == (3, 1)
    assert (forge.issues_responded, forge.issues_unanswered) == (2, 1)
    assert forge.median_first_response_hours == 29.0  # median of 10 h and 48 h
    assert forge.external_prs_merged == 1
    assert dict(forge.community)["contributing"] == "present"
    assert dict(forge.community)["code-of-conduct"] == "present"
    assert dict(forge.community)["security"] == "absent"  # no .github repository (404)
    assert forge.rate_limit_remaining == 4999 and forge.requests == 8


def test_without_a_token_the_listings_are_skipped_and_said_so() -> None:
    with fake_github() as gh:
        _serve_full_repo(gh)
        forge = collect(GitHubClient(api_url=gh.url), SLUG, PERIOD)
        assert not any(
            p.startswith(f"/repos/{SLUG}/issues") or p.startswith(f"/repos/{SLUG}/pulls") for p in gh.paths()
        )
        assert all("authorization" not in h for _p, h in gh.seen)
    assert forge.status is ForgeStatus.PARTIAL
    assert set(forge.skipped) == {"issues:no-token", "pulls:no-token"}
    assert forge.median_first_response_hours is None and forge.external_prs_merged is None  # unknown, not 0
    assert forge.visibility == "public" and forge.releases == 2


def test_exhausted_rate_limit_stops_instead_of_waiting_an_hour() -> None:
    slept: list[float] = []
    with fake_github() as gh:
        gh.add(
            f"/repos/{SLUG}",
            Answer(
                {"message": "API rate limit exceeded"},
                403,
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(4_000_000_000)},
            ),
        )
        client = GitHubClient(api_url=gh.url, sleep=slept.append, clock=lambda: 1_000_000.0)
        forge = collect(client, SLUG, PERIOD)
        assert len(gh.seen) == 1
    assert forge.status is ForgeStatus.FAILED and forge.skipped == ("rate-limit",)
    assert slept == []


def test_retry_after_is_waited_out_a_bounded_number_of_times() -> None:
    slept: list[float] = []
    with fake_github() as gh:
        gh.add(
            "/repos/acme/infer",
            Answer({"message": "secondary rate limit"}, 429, {"Retry-After": "2"}),
            Answer(repo_body(SLUG)),
        )
        client = GitHubClient(api_url=gh.url, sleep=slept.append)
        assert client.get(f"/repos/{SLUG}").body["full_name"] == SLUG
        assert slept == [2.0]

        gh.add("/repos/acme/busy", Answer({"message": "secondary rate limit"}, 403, {"Retry-After": "1"}))
        with pytest.raises(RateLimited):
            client.get("/repos/acme/busy")
        assert slept == [2.0, 1.0, 1.0]  # max_retries = 2, then it gives up
        assert client.requests == 5


def test_low_quota_is_waited_for_only_when_the_reset_is_near() -> None:
    slept: list[float] = []
    now = 1_700_000_000.0
    with fake_github() as gh:
        gh.add(
            f"/repos/{SLUG}",
            Answer(repo_body(SLUG), headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(now) + 5)}),
        )
        client = GitHubClient(api_url=gh.url, sleep=slept.append, clock=lambda: now)
        client.get(f"/repos/{SLUG}")
        client.get(f"/repos/{SLUG}")  # waits ~6 s for the reset, then asks
        assert slept == [6.0] and len(gh.seen) == 2


def test_request_budget_and_foreign_pagination_links() -> None:
    with fake_github() as gh:
        gh.add(f"/repos/{SLUG}", repo_body(SLUG))
        client = GitHubClient(api_url=gh.url, max_requests=2)
        client.get(f"/repos/{SLUG}")
        client.get(f"/repos/{SLUG}")
        with pytest.raises(BudgetExhausted):
            client.get(f"/repos/{SLUG}")

        # A Link header pointing at another host is never followed (the token would go there).
        gh.add(
            f"/repos/{SLUG}/releases",
            Answer([{"tag_name": "v1"}], headers={"Link": '<https://evil.example/steal?page=2>; rel="next"'}),
        )
        client = GitHubClient(api_url=gh.url, token="t0ken-value")
        with pytest.raises(Exception, match="another host"):
            client.paginate(f"/repos/{SLUG}/releases")


def test_contribution_states_from_the_api() -> None:
    links = {
        "merged": "https://github.com/vllm-project/vllm/pull/12345",
        "closed": "https://github.com/huggingface/transformers/pull/777",
        "open": "https://github.com/pytorch/pytorch/issues/4242",
        "done": "https://github.com/vllm-project/vllm/issues/99",
    }
    with fake_github() as gh:
        gh.add(
            "/repos/vllm-project/vllm/pulls/12345",
            {
                "number": 12345,
                "state": "closed",
                "merged": True,
                "merged_at": "2026-04-01T00:00:00Z",
                "title": "Fix Korean tokenizer",
            },
        )
        gh.add(
            "/repos/huggingface/transformers/pulls/777",
            {"number": 777, "state": "closed", "merged": False, "merged_at": None, "title": "Add model"},
        )
        gh.add("/repos/pytorch/pytorch/issues/4242", {"number": 4242, "state": "open", "title": "Bug"})
        gh.add("/repos/vllm-project/vllm/issues/99", {"number": 99, "state": "closed", "state_reason": "completed"})
        client = GitHubClient(api_url=gh.url)
        states = {k: contribution_state(client, parse_contribution(u, None, None)) for k, u in links.items()}
    assert states["merged"].state is ContributionState.MERGED and states["merged"].title == "Fix Korean tokenizer"
    assert states["closed"].state is ContributionState.CLOSED
    assert states["open"].state is ContributionState.OPEN
    assert states["done"].state is ContributionState.COMPLETED


def test_github_slug_forms() -> None:
    assert github_slug("https://github.com/acme/infer.git") == "acme/infer"
    assert github_slug("git@github.com:acme/infer.git") == "acme/infer"
    assert github_slug("ssh://git@github.com/acme/infer") == "acme/infer"
    assert github_slug("https://github.com/acme/infer/tree/main") == "acme/infer"
    assert github_slug("https://gitlab.com/acme/infer.git") is None
    assert github_slug("https://ghe.acme.kr/acme/infer", ["ghe.acme.kr"]) == "acme/infer"


def test_scan_with_forge_and_declared_contributions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decl = DECL.replace("program: nipa-oss-ai-dev-2026\ntrack: dev", "program: nipa-oss-ai-use-2026\ntrack: use") + (
        "contributions:\n"
        "  - https://github.com/vllm-project/vllm/pull/12345\n"
        "  - https://github.com/huggingface/transformers/pull/777\n"
        "  - https://example.com/blog/we-contributed\n"
    )
    root = build(tmp_path / "use", {**COMMUNITY_FILES, ".oscheck.yml": decl}, active_commits())
    with fake_github() as gh:
        gh.add(f"/repos/{SLUG}", repo_body(SLUG, archived=True, has_issues=False))
        gh.add("/repos/vllm-project/vllm/pulls/12345", {"state": "closed", "merged_at": "2026-04-01T00:00:00Z"})
        gh.add("/repos/huggingface/transformers/pulls/777", {"state": "closed", "merged_at": None})
        monkeypatch.setenv("GITHUB_API_URL", gh.url)
        monkeypatch.setenv("GITHUB_TOKEN", "ghs_scantoken0000000000000000000000")  # a token turns the forge on
        result = run(root, detector_options={"forge_repo": SLUG})
        assert all(h.get("authorization", "").startswith("Bearer ") for _p, h in gh.seen)
    forge = one(result, ForgeRepository)
    assert forge.archived is True and forge.has_issues is False
    contributions = {c.url: c for c in result.of_type(Contribution)}
    assert contributions["https://github.com/vllm-project/vllm/pull/12345"].state is ContributionState.MERGED
    assert contributions["https://github.com/vllm-project/vllm/pull/12345"].location.path == ".oscheck.yml"
    assert contributions["https://github.com/vllm-project/vllm/pull/12345"].location.line == 7
    found = com(result)
    assert found["COM002"][0].severity is Severity.WARNING
    assert found["COM025"][0].severity is Severity.WARNING
    assert found["COM042"][0].data["state"] == "closed"
    assert found["COM043"][0].data["url"] == "https://example.com/blog/we-contributed"
    # The dependency inventory did not run (--only community): relation to the SBOM unknown.
    assert {f.data["status"] for f in found["COM041"]} == {"unknown"}
    assert "COM040" not in found
    assert date(2026, 7, 10) == TODAY


def test_no_forge_wins_over_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path / "quiet", COMMUNITY_FILES, active_commits()[:3])
    with fake_github() as gh:
        monkeypatch.setenv("GITHUB_API_URL", gh.url)
        monkeypatch.setenv("GITHUB_TOKEN", "ghs_unused000000000000000000000000")
        result = run(root, detector_options={"forge": False, "forge_repo": SLUG})
        assert gh.seen == []
    forge = one(result, ForgeRepository)
    assert (forge.status, forge.skipped) == (ForgeStatus.OFF, ("disabled",))


def test_forge_without_a_github_remote_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path / "noremote", COMMUNITY_FILES, active_commits()[:3])
    with fake_github() as gh:
        monkeypatch.setenv("GITHUB_API_URL", gh.url)
        result = run(root, detector_options={"forge": True})
        assert gh.seen == []
    assert one(result, ForgeRepository).skipped == ("no-remote",)
