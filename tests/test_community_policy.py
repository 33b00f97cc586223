"""COM rules and the community score on hand-built observations (pure policy, no I/O),
and the parsers behind them (contribution links, README headings, git log lines)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from oscheck.config import Declaration
from oscheck.detectors.community import (
    CommunityFile,
    ContributionState,
    ForgeRepository,
    ForgeStatus,
    GitHistory,
    HistoryStatus,
    Presence,
    ReadmeInfo,
)
from oscheck.detectors.community.contributions import parse_contribution
from oscheck.detectors.community.files import headings
from oscheck.detectors.community.history import Period, analyse, bus_factor
from oscheck.model import AIModel, Component, Finding, Location, Observation, Severity
from oscheck.policy import PolicyContext, evaluate, load_policy, program_track
from oscheck.policy.community import community_score

TODAY = date(2026, 7, 10)
PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31), "declaration")


def ctx(
    observations: Sequence[Observation],
    *,
    program: str | None = None,
    track: str | None = None,
    declaration: Declaration | None = None,
    groups: Sequence[str] = ("community",),
) -> PolicyContext:
    policy = load_policy()
    return PolicyContext(
        observations=tuple(observations),
        files=(),
        declaration=declaration or Declaration(),
        policy=policy,
        program=program_track(policy, program, track),
        today=TODAY,
        groups_run=frozenset({"inventory", *groups}),
        declaration_path=".oscheck.yml",
    )


def rules(c: PolicyContext, prefix: str = "COM") -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in evaluate(c):
        if f.rule_id.startswith(prefix):
            out.setdefault(f.rule_id, []).append(f)
    return out


def component(name: str, ecosystem: str = "pypi", **kw: object) -> Component:
    return Component(
        detector="manifest", ecosystem=ecosystem, name=name, version="1.0", purl=f"pkg:{ecosystem}/{name}@1.0", **kw
    )


def contribution(url: str, state: ContributionState = ContributionState.UNKNOWN) -> Observation:
    import dataclasses

    return dataclasses.replace(parse_contribution(url, 7, ".oscheck.yml"), state=state)


# -- contributions --------------------------------------------------------------------------


def test_contributions_match_components_models_and_aliases() -> None:
    used = [
        component("vllm"),
        component("torch"),
        component("tokenizers", homepage="https://github.com/huggingface/tokenizers"),
        component("@xenova/transformers", ecosystem="npm"),
        AIModel(
            detector="models",
            id="Qwen/Qwen2.5-7B-Instruct",
            source="hub",
            purl="pkg:huggingface/Qwen/Qwen2.5-7B-Instruct@abc",
        ),
    ]
    links = [
        "https://github.com/vllm-project/vllm/pull/12345",  # package name = repository name
        "https://github.com/pytorch/pytorch/pull/1",  # repo_aliases: pytorch/pytorch -> torch
        "https://github.com/huggingface/tokenizers/issues/2",  # homepage
        "https://github.com/xenova/transformers.js/pull/3",  # not a match: transformers.js is not @xenova/transformers
        "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/discussions/4",  # a model the project uses
        "https://github.com/someone/unrelated/pull/5",
    ]
    c = ctx(
        [*used, *(contribution(u) for u in links)],
        program="nipa-oss-ai-use-2026",
        track="use",
        declaration=Declaration(contributions=tuple(links)),
        groups=("community", "dependencies"),
    )
    found = rules(c)
    unrelated = {f.data["url"] for f in found["COM041"]}
    assert unrelated == {
        "https://github.com/xenova/transformers.js/pull/3",
        "https://github.com/someone/unrelated/pull/5",
    }
    assert all(f.severity is Severity.WARNING and f.location == Location(".oscheck.yml", 7) for f in found["COM041"])
    assert "COM040" not in found


def test_contributions_required_for_the_use_track_only() -> None:
    use = rules(ctx([], program="nipa-oss-ai-use-2026", track="use"))
    assert use["COM040"][0].severity is Severity.ERROR
    assert use["COM040"][0].location.path == ".oscheck.yml"
    dev = rules(ctx([], program="nipa-oss-ai-dev-2026", track="dev"))
    assert dev["COM040"][0].severity is Severity.NOTE


def test_contribution_states_become_findings() -> None:
    obs = [
        contribution("https://github.com/a/b/pull/1", ContributionState.MERGED),
        contribution("https://github.com/a/b/pull/2", ContributionState.CLOSED),
        contribution("https://github.com/a/b/pull/3", ContributionState.OPEN),
        contribution("https://github.com/a/b/issues/4", ContributionState.COMPLETED),
        contribution("https://github.com/a/b/pull/5"),
    ]
    found = rules(ctx(obs, program="nipa-oss-ai-use-2026", track="use", declaration=Declaration(contributions=("x",))))
    states = {f.data["key"]: (f.severity, f.data["state"]) for f in found["COM042"]}
    assert states == {
        "https://github.com/a/b/pull/2": (Severity.WARNING, "closed"),
        "https://github.com/a/b/pull/3": (Severity.NOTE, "open"),
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/vllm-project/vllm/pull/12345", ("github.com", "vllm-project", "vllm", "pull", 12345)),
        (
            "https://github.com/vllm-project/vllm/pull/12345/files#diff",
            ("github.com", "vllm-project", "vllm", "pull", 12345),
        ),
        ("https://github.com/pytorch/pytorch/issues/7", ("github.com", "pytorch", "pytorch", "issue", 7)),
        ("https://github.com/org/repo/discussions/3", ("github.com", "org", "repo", "discussion", 3)),
        ("https://github.com/org/repo/commit/0a1b2c3d", ("github.com", "org", "repo", "commit", None)),
        (
            "https://gitlab.com/group/sub/proj/-/merge_requests/12",
            ("gitlab.com", "group/sub", "proj", "merge-request", 12),
        ),
        ("https://codeberg.org/forgejo/forgejo/pulls/99", ("codeberg.org", "forgejo", "forgejo", "pull", 99)),
        (
            "https://huggingface.co/Qwen/Qwen2.5-7B/discussions/12",
            ("huggingface.co", "Qwen", "Qwen2.5-7B", "discussion", 12),
        ),
        (
            "https://huggingface.co/datasets/klue/klue/discussions/2",
            ("huggingface.co", "datasets/klue", "klue", "discussion", 2),
        ),
    ],
)
def test_contribution_links_parse(url: str, expected: tuple[object, ...]) -> None:
    c = parse_contribution(url, None, None)
    assert c.valid and (c.host, c.owner, c.repo, c.type, c.number) == expected


@pytest.mark.parametrize(
    "url",
    ["https://github.com/vllm-project/vllm", "ftp://github.com/a/b/pull/1", "not a url", "https://example.com/x/y/z"],
)
def test_unrecognised_contribution_links(url: str) -> None:
    assert not parse_contribution(url, None, None).valid


# -- community files, history, score ---------------------------------------------------------


def files(**status: Presence) -> list[Observation]:
    out: list[Observation] = []
    for item in (
        "license",
        "readme",
        "contributing",
        "code-of-conduct",
        "security",
        "support",
        "governance",
        "changelog",
        "issue-template",
        "pull-request-template",
        "citation",
        "ci",
    ):
        s = status.get(item.replace("-", "_"), Presence.PRESENT)
        details = {"readable": True, "contact": True, "text_chars": 200, "keywords": 3} if item == "security" else {}
        out.append(
            CommunityFile(
                detector="community",
                item=item,
                status=s,
                paths=(f"{item.upper()}.md",) if s is Presence.PRESENT else (),
                source="repository" if s is Presence.PRESENT else None,
                details=details,
            )
        )
    return out


def history(**kw: object) -> GitHistory:
    base: dict[str, object] = dict(
        detector="community",
        status=HistoryStatus.KNOWN,
        period_start=PERIOD.start,
        period_end=PERIOD.end,
        period_source="declaration",
        commits_total=100,
        commits_in_period=60,
        commits_last_90_days=20,
        months_in_period=7,
        active_months=7,
        authors_total=5,
        authors_in_period=5,
        bus_factor=3,
        bus_factor_all=3,
        last_commit_date=TODAY,
        days_since_last_commit=0,
        email_domains=("acme.kr",),
        internal_commits=40,
        external_commits=20,
        external_share=0.33,
        external_authors=2,
        domains=(("acme.kr", 40, 3), ("contrib.org", 10, 1), ("other.io", 10, 1)),
    )
    base.update(kw)
    return GitHistory(**base)  # type: ignore[arg-type]


README = ReadmeInfo(
    detector="community",
    location=Location("README.md"),
    paths=("README.md",),
    sections=("install", "usage", "license"),
    languages=("ko",),
    mentions_license=True,
)


def test_score_is_ten_for_a_project_that_has_everything() -> None:
    score = community_score(ctx([*files(), README, history()]))
    assert score.score == 10.0 and score.unknown == ()


def test_score_leaves_unknown_checks_out_and_lists_them() -> None:
    obs = [
        *files(contributing=Presence.UNKNOWN, code_of_conduct=Presence.ABSENT, ci=Presence.ABSENT),
        README,
        history(status=HistoryStatus.SHALLOW, commits_last_90_days=None, domains=None),
    ]
    score = community_score(ctx(obs))
    assert set(score.unknown) == {"contributing", "maintained", "contributors"}
    # Known: security 5, license 2.5, readme 2.5, issue/pr 2.5, changelog 2.5 at 1.0; ci, coc at 0.
    assert score.score == 7.5
    archived = ForgeRepository(detector="community", status=ForgeStatus.OK, archived=True)
    assert dict((p.name, p.score) for p in community_score(ctx([*obs, archived])).parts)["maintained"] == 0.0


def test_score_with_nothing_known_is_none() -> None:
    assert community_score(ctx([])).score is None
    assert "COM030" not in rules(ctx([]))


def test_low_score_is_a_warning() -> None:
    absent = {
        k: Presence.ABSENT
        for k in (
            "license",
            "readme",
            "contributing",
            "code_of_conduct",
            "security",
            "changelog",
            "issue_template",
            "pull_request_template",
            "ci",
        )
    }
    found = rules(ctx([*files(**absent), history(commits_last_90_days=1, domains=())]))
    assert found["COM030"][0].severity is Severity.WARNING and found["COM030"][0].data["score"] < 5


def test_unknown_and_absent_files_are_told_apart() -> None:
    obs = files(contributing=Presence.UNKNOWN, code_of_conduct=Presence.ABSENT)
    found = {f.data["item"]: f for f in rules(ctx(obs, program="nipa-oss-ai-dev-2026", track="dev"))["COM010"]}
    assert (found["contributing"].severity, found["contributing"].data["status"]) == (Severity.WARNING, "unknown")
    assert (found["code-of-conduct"].severity, found["code-of-conduct"].data["status"]) == (Severity.ERROR, "absent")
    # Reported, not required, for a scan without a program: errors become warnings, unknowns notes.
    found = {f.data["item"]: f for f in rules(ctx(obs))["COM010"]}
    assert found["code-of-conduct"].severity is Severity.WARNING
    assert found["contributing"].severity is Severity.NOTE


def test_visibility_unknown_only_where_publication_is_required() -> None:
    off = ForgeRepository(detector="community", status=ForgeStatus.OFF, skipped=("disabled",))
    assert rules(ctx([off], program="nipa-oss-ai-dev-2026", track="dev"))["COM001"][0].data["status"] == "unknown"
    assert "COM001" not in rules(ctx([off], program="nipa-oss-ai-use-2026", track="use"))
    gone = ForgeRepository(detector="community", status=ForgeStatus.PARTIAL, slug="a/b", reachable=False)
    assert rules(ctx([gone], program="nipa-oss-ai-dev-2026", track="dev"))["COM001"][0].severity is Severity.ERROR


def test_activity_rules_on_history() -> None:
    found = rules(
        ctx(
            [history(days_since_last_commit=120, active_months=2, bus_factor=1, external_commits=0)],
            program="nipa-oss-ai-dev-2026",
            track="dev",
        )
    )
    assert found["COM021"][0].severity is Severity.WARNING  # 90 <= 120 < 180
    assert found["COM023"][0].data["active_months"] == 2
    assert found["COM022"][0].data["bus_factor"] == 1
    assert found["COM024"][0].data["status"] == "fail"
    merged = ForgeRepository(detector="community", status=ForgeStatus.OK, external_prs_merged=3)
    assert "COM024" not in rules(ctx([history(external_commits=0), merged]))
    slow = ForgeRepository(
        detector="community",
        status=ForgeStatus.OK,
        median_first_response_hours=24 * 20,
        issues_responded=4,
        issues_unanswered=1,
    )
    assert "20.0 days" in rules(ctx([slow]))["COM026"][0].message.en


# -- parsers ------------------------------------------------------------------------------


def test_readme_headings_in_several_markups() -> None:
    text = "\n".join(
        [
            "프로젝트",
            "=======",
            "",
            "설치 방법",
            "---------",
            "## Usage ##",
            "Quick start",
            "~~~~~~~~~~~",
            "<h2 align='center'>라이선스</h2>",
            "= AsciiDoc title",
            "not a heading",
            "---",
        ]
    )
    assert headings(text) == [
        "프로젝트",
        "설치 방법",
        "usage",
        "quick start",
        "asciidoc title",
        "not a heading",
        "라이선스",
    ]


def test_git_log_lines_fold_into_history() -> None:
    lines = [
        "a@acme.kr\x1fA\x1f2026-07-01\x1fp1\n",
        "a@acme.kr\x1fA\x1f2026-06-01\x1fp0 p9\n",  # a merge: activity only
        "49699333+dependabot[bot]@users.noreply.github.com\x1fdependabot[bot]\x1f2026-06-15\x1fp2\n",
        "b@x.io\x1fB\x1f2026-05-01\x1fp3\n",
        "123+c@users.noreply.github.com\x1fC\x1f2026-03-01\x1fp4\n",
        "a@old.kr\x1fA\x1f2025-01-01\x1f\n",  # the root commit, outside the period
        "odd@x.io\x1fName\x1fWith Separator\x1f2026-02-01\x1fp5\n",  # a hostile name keeps its commit
        "garbage line\n",
    ]
    h = analyse(lines, commit="c0ffee", period=PERIOD, today=TODAY, domains=("acme.kr",))
    assert (h.commits_total, h.merge_commits, h.bot_commits) == (7, 1, 1)
    assert (h.commits_in_period, h.authors_total, h.authors_in_period) == (4, 5, 4)
    assert (h.internal_commits, h.external_commits, h.unattributed_commits, h.external_authors) == (1, 2, 1, 2)
    assert h.first_commit_date == date(2025, 1, 1) and h.last_commit_date == date(2026, 7, 1)
    assert ("Name\x1fWith Separator", 1) in (h.top_authors or ())
    assert h.new_contributors_in_period == 4 and h.commits_last_90_days == 2  # the merge and bot left out


@pytest.mark.parametrize(
    ("counts", "expected"), [([10], 1), ([5, 5], 1), ([4, 3, 3], 2), ([1, 1, 1, 1], 2), ([], None), ([0, 0], None)]
)
def test_bus_factor(counts: list[int], expected: int | None) -> None:
    assert bus_factor(counts) == expected


def test_declared_period_is_validated() -> None:
    from oscheck.config import parse_declaration_text
    from oscheck.errors import ConfigError

    ok = parse_declaration_text("period: {start: 2026-05-04, end: 2026-12-31}\n", ".oscheck.yml").declaration
    assert ok.period is not None and (ok.period.start, ok.period.end) == (date(2026, 5, 4), date(2026, 12, 31))
    with pytest.raises(ConfigError, match=r"\.oscheck\.yml:1: 'period'"):
        parse_declaration_text("period: {start: 2026-12-31, end: 2026-01-01}\n", ".oscheck.yml")
