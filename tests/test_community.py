"""Publication, community and contribution checks on real git repositories built here.

Each fixture is a real repository with several authors and dates; the GitHub API is a
local server (tests/fake_github.py). No test needs the network or scancode.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_github import fake_github, profile_body, repo_body
from helpers import KST, commit, make_repo, run_oscheck, validate_report

from oscheck import ScanOptions, scan
from oscheck.detectors.community import (
    CommunityFile,
    ForgeRepository,
    ForgeStatus,
    GitHistory,
    HistoryStatus,
    Presence,
    ReadmeInfo,
    ReleaseTags,
)
from oscheck.model import Finding, ScanResult, Severity

TODAY = date(2026, 7, 10)
ALICE = ("김민지", "minji@acme.kr")
BOB = ("Park Jisoo", "jisoo@acme.kr")
CAROL = ("Lee Seoyeon", "seoyeon@acme.kr")
DAVE = ("Dave Outside", "dave@contrib.org")
ERIN = ("Erin Upstream", "erin@other.io")

README = """# acme-infer

AI 추론 서버를 위한 오픈소스 스케줄러입니다. 여러 GPU에서 모델을 나누어 실행합니다.

## 설치

```
pip install acme-infer
```

## 사용법

```
acme-infer serve --model ./models/ko
```

## 라이선스

Apache-2.0 라이선스로 배포합니다. LICENSE 파일을 보세요.
"""

DECL = """program: nipa-oss-ai-dev-2026
track: dev
license: Apache-2.0
email_domains: [acme.kr]
period: {start: 2026-01-01, end: 2026-12-31}
"""

COMMUNITY_FILES: dict[str, str] = {
    "LICENSE": "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n",
    "README.md": README,
    "CONTRIBUTING.md": "# 기여 방법\n\n이슈를 열고 풀 리퀘스트를 보내 주세요.\n",
    "CODE_OF_CONDUCT.md": "# 행동 강령\n\n문의: conduct@acme.kr\n",
    ".github/SECURITY.md": (
        "# Security policy\n\nReport vulnerabilities privately to security@acme.kr. We acknowledge reports "
        "within 3 days and coordinate disclosure; the timeline is agreed with the reporter.\n"
    ),
    ".github/ISSUE_TEMPLATE/bug_report.md": "---\nname: Bug report\n---\n무엇이 잘못되었나요?\n",
    ".github/PULL_REQUEST_TEMPLATE.md": "## 변경 내용\n",
    "MAINTAINERS.md": "- 김민지 <minji@acme.kr>\n- Park Jisoo <jisoo@acme.kr>\n",
    "CHANGELOG.md": "# Changelog\n\n## 0.1.0\n- first release\n",
    "CITATION.cff": "cff-version: 1.2.0\ntitle: acme-infer\n",
    ".github/workflows/ci.yml": "on: [push]\njobs: {test: {runs-on: ubuntu-latest, steps: [{run: pytest}]}}\n",
    ".oscheck.yml": DECL,
    "src/acme_infer/__init__.py": "__version__ = '0.1.0'\n",
}


def at(month: int, day: int = 5, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=KST)


def build(
    root: Path,
    files: Mapping[str, str],
    commits: Sequence[tuple[tuple[str, str], datetime]],
    *,
    tag: str | None = "v0.1.0",
) -> Path:
    """A repository whose first commit holds ``files`` and later commits the given authors/dates."""
    (author0, when0), rest = commits[0], commits[1:]
    repo = make_repo(root, files, author=author0, when=when0)
    for i, (author, when) in enumerate(rest):
        commit(repo, {f"src/acme_infer/m{i}.py": f"X = {i}\n"}, author=author, when=when, message=f"change {i}")
    if tag:
        repo.create_tag(tag)
    return root


def active_commits() -> list[tuple[tuple[str, str], datetime]]:
    """Six active months, three people of the grantee and two from outside with >= 5 commits."""
    out: list[tuple[tuple[str, str], datetime]] = [(ALICE, at(1, 3))]
    people = [ALICE, BOB, CAROL, DAVE, ERIN]
    for month in range(1, 8):
        for i, person in enumerate(people):
            out.append((person, at(month, 6 + i)))
    return out


def run(root: Path, **kw: Any) -> ScanResult:
    opts: dict[str, Any] = {"only": ("community",), "jobs": 1, "today": TODAY, "detector_options": {"forge": False}}
    opts.update(kw)
    return scan(str(root), ScanOptions(**opts))


def one(result: ScanResult, cls: type[Any]) -> Any:
    found = result.of_type(cls)
    assert len(found) == 1, found
    return found[0]


def files_by_item(result: ScanResult) -> dict[str, CommunityFile]:
    return {f.item: f for f in result.of_type(CommunityFile)}


def com(result: ScanResult) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.rule_id.startswith("COM"):
            out.setdefault(f.rule_id, []).append(f)
    return out


# -- fixtures: the projects the issue asks for ------------------------------------------------


def test_compliant_development_project(tmp_path: Path) -> None:
    root = build(tmp_path / "ok", COMMUNITY_FILES, active_commits())
    result = run(root)

    files = files_by_item(result)
    for item in (
        "license",
        "readme",
        "contributing",
        "code-of-conduct",
        "security",
        "governance",
        "changelog",
        "issue-template",
        "pull-request-template",
        "citation",
        "ci",
    ):
        assert files[item].status is Presence.PRESENT, item
        assert files[item].source == "repository"
    assert files["security"].paths == (".github/SECURITY.md",)
    assert files["security"].details["contact"] is True
    assert files["issue-template"].paths == (".github/ISSUE_TEMPLATE/bug_report.md",)
    assert files["support"].status is Presence.UNKNOWN  # may be an organisation default

    readme = one(result, ReadmeInfo)
    assert readme.sections == ("install", "usage", "license")
    assert "ko" in readme.languages

    h: GitHistory = one(result, GitHistory)
    assert h.status is HistoryStatus.KNOWN
    assert (h.period_start, h.period_end, h.period_source) == (date(2026, 1, 1), date(2026, 12, 31), "declaration")
    assert h.commits_total == 36 and h.commits_in_period == 36
    assert h.months_in_period == 7 and h.active_months == 7
    assert dict(h.commits_per_month or ()) == {"2026-01": 6, **{f"2026-0{m}": 5 for m in range(2, 8)}}
    assert h.authors_total == 5 and h.bus_factor == 3
    assert dict(h.new_contributors_per_month or ())["2026-01"] == 5
    assert h.last_commit_date == date(2026, 7, 10) and h.days_since_last_commit == 0
    assert (h.internal_commits, h.external_commits, h.external_authors) == (22, 14, 2)
    assert h.external_share == round(14 / 36, 4)

    tags = one(result, ReleaseTags)
    assert (tags.status, tags.version_tags, tags.latest) == (HistoryStatus.KNOWN, 1, "v0.1.0")
    assert one(result, ForgeRepository).status is ForgeStatus.OFF

    findings = com(result)
    # Nothing fails; what stays is the score and what a clone cannot know (visibility).
    assert all(f.severity is Severity.NOTE for fs in findings.values() for f in fs), findings
    assert findings["COM001"][0].data["status"] == "unknown"
    score = findings["COM030"][0].data
    assert score["score"] >= 9.0 and score["status"] == "pass"
    assert score["checks"]["contributors"]["score"] == 1.0  # acme.kr, contrib.org, other.io


def test_missing_contributing_and_code_of_conduct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {k: v for k, v in COMMUNITY_FILES.items() if k not in ("CONTRIBUTING.md", "CODE_OF_CONDUCT.md")}
    root = build(tmp_path / "nococ", files, active_commits())

    # From the clone alone: not found, but an organisation default could exist -> unknown.
    result = run(root)
    by_item = {f.data["item"]: f for f in com(result)["COM010"]}
    assert set(by_item) == {"contributing", "code-of-conduct"}
    for f in by_item.values():
        assert f.data["status"] == "unknown" and f.severity is Severity.WARNING
        assert "may provide" in f.message.en and f.message.ko != f.message.en

    # The forge confirms they are missing everywhere (profile null, no .github repository).
    with fake_github() as gh:
        gh.add("/repos/acme/infer", repo_body("acme/infer"))
        gh.add("/repos/acme/infer/community/profile", profile_body(readme=True, license=True, issue_template=True))
        gh.add(
            "/repos/acme/infer/releases",
            [{"tag_name": "v0.1.0", "draft": False, "published_at": "2026-03-02T01:00:00Z"}],
        )
        monkeypatch.setenv("GITHUB_API_URL", gh.url)
        result = run(root, detector_options={"forge": True, "forge_repo": "acme/infer"})
    files_seen = files_by_item(result)
    assert files_seen["contributing"].status is Presence.ABSENT
    assert files_seen["code-of-conduct"].status is Presence.ABSENT
    by_item = {f.data["item"]: f for f in com(result)["COM010"]}
    assert {i: f.severity for i, f in by_item.items()} == {
        "contributing": Severity.ERROR,
        "code-of-conduct": Severity.ERROR,
    }
    assert all(f.data["status"] == "absent" for f in by_item.values())
    assert "COM001" not in com(result)  # public, confirmed


def test_organisation_default_files_count_when_the_forge_confirms_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        k: v
        for k, v in COMMUNITY_FILES.items()
        if k not in ("CONTRIBUTING.md", "CODE_OF_CONDUCT.md", ".github/SECURITY.md")
    }
    root = build(tmp_path / "orgdefault", files, active_commits())
    with fake_github() as gh:
        gh.add("/repos/acme/infer", repo_body("acme/infer"))
        gh.add(
            "/repos/acme/infer/community/profile", profile_body(readme=True, contributing=True, code_of_conduct=True)
        )
        gh.add(
            "/repos/acme/.github/git/trees/HEAD",
            {
                "sha": "abc",
                "truncated": False,
                "tree": [
                    {"path": "CONTRIBUTING.md", "type": "blob"},
                    {"path": ".github", "type": "tree"},
                    {"path": ".github/SECURITY.md", "type": "blob"},
                    {"path": "profile/README.md", "type": "blob"},
                ],
            },
        )
        monkeypatch.setenv("GITHUB_API_URL", gh.url)
        result = run(root, detector_options={"forge": True, "forge_repo": "acme/infer"})
    seen = files_by_item(result)
    assert (seen["contributing"].status, seen["contributing"].source) == (Presence.PRESENT, "organisation")
    assert (seen["security"].status, seen["security"].source) == (Presence.PRESENT, "organisation")
    assert (seen["code-of-conduct"].status, seen["code-of-conduct"].source) == (Presence.PRESENT, "forge")
    assert seen["support"].status is Presence.ABSENT  # the .github repository was read: no SUPPORT there
    assert "COM010" not in com(result)
    forge = one(result, ForgeRepository)
    assert set(forge.org_defaults) == {"contributing", "security"}


def test_single_author_project(tmp_path: Path) -> None:
    commits = [(ALICE, at(m, d)) for m in range(1, 8) for d in (3, 17)]
    root = build(tmp_path / "solo", COMMUNITY_FILES, commits)
    result = run(root)
    h: GitHistory = one(result, GitHistory)
    assert (h.authors_total, h.bus_factor, h.bus_factor_all) == (1, 1, 1)
    assert h.top_authors == (("김민지", 14),)
    assert (h.external_commits, h.external_share) == (0, 0.0)
    found = com(result)
    assert found["COM022"][0].severity is Severity.WARNING
    assert found["COM022"][0].data["bus_factor"] == 1
    assert found["COM024"][0].data["status"] == "fail"
    assert found["COM030"][0].data["checks"]["contributors"]["score"] == pytest.approx(1 / 3, abs=0.001)


def test_project_inactive_for_200_days(tmp_path: Path) -> None:
    last = datetime.combine(TODAY - timedelta(days=200), datetime.min.time(), tzinfo=KST).replace(hour=12)
    commits = [(ALICE, last - timedelta(days=30 * i)) for i in range(6, 0, -1)] + [(BOB, last)]
    root = build(tmp_path / "stale", COMMUNITY_FILES, commits)
    result = run(root)
    h: GitHistory = one(result, GitHistory)
    assert h.days_since_last_commit == 200 and h.commits_last_90_days == 0
    inactive = com(result)["COM021"][0]
    assert inactive.severity is Severity.ERROR  # the development track requires a community
    assert inactive.data["days"] == 200
    assert "COM023" in com(result)  # no commit in 2026's months so far
    assert com(result)["COM030"][0].data["checks"]["maintained"]["score"] == 0.0

    # The same repository under the utilisation track: reported, not required.
    result = run(root, program="nipa-oss-ai-use-2026", track="use")
    assert com(result)["COM021"][0].severity is Severity.WARNING


def test_mailmap_merges_identities(tmp_path: Path) -> None:
    mailmap = "김민지 <minji@acme.kr> <mj.kim@old-startup.kr>\n김민지 <minji@acme.kr> Kim M <kim@laptop.local>\n"
    files = {**COMMUNITY_FILES, ".mailmap": mailmap}
    commits = [
        (ALICE, at(1)),
        (("Minji Kim", "mj.kim@old-startup.kr"), at(2)),
        (("Kim M", "kim@laptop.local"), at(3)),
        (BOB, at(4)),
    ]
    root = build(tmp_path / "mailmap", files, commits)
    h: GitHistory = one(run(root), GitHistory)
    assert h.authors_total == 2
    assert h.top_authors == (("김민지", 3), ("Park Jisoo", 1))
    assert h.external_commits == 0  # old addresses mapped to acme.kr are the grantee's own
    # Without the .mailmap the same history has four authors.
    plain = build(tmp_path / "plain", COMMUNITY_FILES, commits)
    assert one(run(plain), GitHistory).authors_total == 4


def test_history_is_read_at_the_scanned_commit_with_its_mailmap(tmp_path: Path) -> None:
    files = {**COMMUNITY_FILES, ".mailmap": "김민지 <minji@acme.kr> <mj.kim@old-startup.kr>\n"}
    root = build(
        tmp_path / "pinned", files, [(ALICE, at(1)), (("Minji Kim", "mj.kim@old-startup.kr"), at(2))], tag=None
    )
    repo_pinned = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    )
    pinned = repo_pinned.stdout.strip()
    import git

    later = git.Repo(root)
    for i in range(3):
        commit(later, {f"late{i}.txt": "x"}, author=DAVE, when=at(5 + i))
    commit(later, {}, author=DAVE, when=at(6, 20), delete=[".mailmap"])

    result = run(root, ref=pinned)  # read from the object store at the pinned commit
    h: GitHistory = one(result, GitHistory)
    assert h.commit == pinned and h.commits_total == 2 and h.authors_total == 1
    head = one(run(root), GitHistory)
    assert head.commits_total == 6 and head.authors_total == 3  # HEAD: no .mailmap any more


def test_shallow_clone_makes_history_unknown(tmp_path: Path) -> None:
    full = build(tmp_path / "full", COMMUNITY_FILES, active_commits())
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{full}", str(shallow)], check=True, capture_output=True
    )
    result = run(shallow)
    h: GitHistory = one(result, GitHistory)
    assert (h.status, h.reason) == (HistoryStatus.SHALLOW, "shallow-clone")
    assert h.commits_total is None and h.authors_total is None and h.bus_factor is None  # unknown, not zero
    assert one(result, ReleaseTags).status is HistoryStatus.SHALLOW
    found = com(result)
    assert found["COM020"][0].data["status"] == "unknown"
    assert "shallow clone" in found["COM020"][0].message.en
    assert "fetch-depth: 0" in _fix("COM020")
    for rule_id in ("COM021", "COM022", "COM023", "COM024", "COM012"):
        assert rule_id not in found
    assert {"maintained", "contributors"} <= set(found["COM030"][0].data["unknown"])


def test_folder_outside_git(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "README.md").write_text(README, encoding="utf-8")
    result = run(root)
    h: GitHistory = one(result, GitHistory)
    assert (h.status, h.reason) == (HistoryStatus.UNAVAILABLE, "not-a-git-repository")
    assert com(result)["COM020"][0].data["reason"] == "not-a-git-repository"


def _fix(rule_id: str) -> str:
    from oscheck.policy import all_rules

    return next(r.fix for r in all_rules() if r.id == rule_id)


@pytest.fixture(autouse=True)
def _no_api_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


# -- the CLI and the JSON report --------------------------------------------------------------


def test_cli_only_community_json_report(tmp_path: Path) -> None:
    root = build(tmp_path / "cli", COMMUNITY_FILES, active_commits())
    proc = run_oscheck("scan", str(root), "--only", "community", "--format", "json", "--no-forge", "-q")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate_report(doc)
    evidence = doc["evidence"]
    assert {"community-file", "readme", "git-history", "release-tags", "forge-repository"} <= set(evidence)
    history = evidence["git-history"][0]
    assert history["status"] == "known" and history["authors_total"] == 5
    assert evidence["forge-repository"][0]["status"] == "off"
    assert evidence["forge-repository"][0]["skipped"] == ["disabled"]
    assert any(f["rule_id"] == "COM030" for f in doc["findings"])


def test_cli_forge_flag_reaches_the_api(tmp_path: Path) -> None:
    root = build(tmp_path / "cliforge", {**COMMUNITY_FILES, ".oscheck.yml": DECL}, active_commits())
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", "https://github.com/acme/infer.git"], check=True)
    with fake_github() as gh:
        gh.add("/repos/acme/infer", repo_body("acme/infer", visibility="private", private=True))
        proc = run_oscheck(
            "scan",
            str(root),
            "--only",
            "community",
            "--format",
            "json",
            "--forge",
            "-q",
            env={"GITHUB_API_URL": gh.url},
        )
        assert "/repos/acme/infer" in gh.paths()
        assert all("authorization" not in h for _p, h in gh.seen)  # no token, none sent
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1  # COM001 is an error on the development track
    com001 = [f for f in doc["findings"] if f["rule_id"] == "COM001"]
    assert com001[0]["severity"] == "error" and com001[0]["data"]["visibility"] == "private"
    forge = doc["evidence"]["forge-repository"][0]
    assert "issues:no-token" in forge["skipped"] and forge["authenticated"] is False


def test_contributions_checked_against_the_real_dependency_inventory(tmp_path: Path) -> None:
    """End to end with issue 3's dependency detector: links are matched with the SBOM it builds."""
    decl = DECL.replace("program: nipa-oss-ai-dev-2026\ntrack: dev", "program: nipa-oss-ai-use-2026\ntrack: use") + (
        "contributions:\n"
        "  - https://github.com/vllm-project/vllm/pull/12345\n"
        "  - https://github.com/pytorch/pytorch/pull/98765\n"
        "  - https://github.com/someone/unrelated/issues/1\n"
    )
    files = {**COMMUNITY_FILES, ".oscheck.yml": decl, "requirements.txt": "vllm==0.6.3\ntorch==2.4.0\n"}
    root = build(tmp_path / "e2e", files, active_commits())
    result = run(
        root,
        only=("dependencies", "community"),
        detector_options={"forge": False, "offline": True},
    )
    names = {c.name for c in result.components}
    assert {"vllm", "torch"} <= names, names
    unrelated = com(result)["COM041"]
    assert [f.data["url"] for f in unrelated] == ["https://github.com/someone/unrelated/issues/1"]
    assert unrelated[0].data["status"] == "fail" and unrelated[0].location.line == 9
    assert "COM040" not in com(result)
