"""COM001–COM099: publication, community and contribution obligations, per track.

The 2026 call asks development-track grantees to publish on a public repository and run a
community for the project's continuity, and utilisation-track grantees to contribute to
the open-source models and software they use. Which of these a scan *requires* comes
from the program's ``scan:`` table (``publication``, ``community``, ``contributions``);
the thresholds, file severities and score weights come from ``policies/community.yaml``.

Three states are kept apart everywhere: a fact that holds (``pass``), one that fails
(``absent`` / ``fail``), and one that could not be established (``unknown``: a shallow
clone, an organisation default not checked, the forge not asked). Findings about
unknowns are one level milder and say how to find out; ``data["status"]`` names the state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from oscheck.detectors.community import (
    CommunityFile,
    Contribution,
    ContributionState,
    ForgeRepository,
    GitHistory,
    HistoryStatus,
    Presence,
    ReadmeInfo,
    ReleaseTags,
)
from oscheck.errors import PolicyError
from oscheck.i18n import N_, LocalizedText, _, lt, translate
from oscheck.model import AIModel, Component, DatasetRef, Location, Observation, Severity
from oscheck.policy.context import PolicyContext
from oscheck.policy.programs import Requirement
from oscheck.policy.rules import Hit, Source, rule

_SEED = "seeds/msit-nipa-oss-ai-sw-2026-call.txt"
_DEV = Source(
    _SEED,
    "6. 유의사항: (개발과제 해당) 결과물은 깃허브 등 공용 저장소에 필수 공개, 프로젝트 지속을 위한 커뮤니티 개설 및 운영 계획 제시",
)
_USE = Source(
    _SEED,
    "6. 유의사항: (활용과제 해당) 활용한 오픈소스(모델, SW) 목록 제출, 오픈소스(모델, SW) 기여 및 커뮤니티와 협업 계획 제시",
)
_REPOLINTER = Source(
    "todogroup/repolinter",
    "rulesets/default.json",
    "https://github.com/todogroup/repolinter/blob/main/rulesets/default.json",
)
_SCORECARD = Source("OpenSSF Scorecard", "docs/checks.md", "https://github.com/ossf/scorecard/blob/main/docs/checks.md")
_GITHUB = Source(
    "GitHub Docs",
    "Creating a default community health file",
    "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/creating-a-default-community-health-file",
)
_CHAOSS_ABSENCE = Source(
    "CHAOSS",
    "Contributor Absence Factor",
    "https://chaoss.community/kb/metric-contributor-absence-factor/",
)
_CHAOSS_RESPONSE = Source(
    "CHAOSS", "Time to First Response", "https://chaoss.community/kb/metric-time-to-first-response/"
)
_CHECKOUT = Source("actions/checkout", "action.yml: fetch-depth", "https://github.com/actions/checkout#usage")

ObsT = TypeVar("ObsT", bound=Observation)


# -- policy data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityPolicy:
    """``policies/community.yaml``, typed once per policy set."""

    files: Mapping[str, Severity]
    readme_sections: tuple[str, ...]
    inactive_warning_days: int
    inactive_error_days: int
    min_active_month_share: float
    min_bus_factor: int
    max_median_first_response_days: float
    min_score: float
    weights: Mapping[str, float]
    maintained_full_commits: int
    contributors_full_orgs: int
    contributors_min_commits: int
    freemail_domains: frozenset[str]
    repo_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def community_policy(ctx: PolicyContext) -> CommunityPolicy:
    policy: CommunityPolicy = ctx.policy.memo("community", lambda: _build(ctx.policy.yaml("community.yaml")))
    return policy


def _build(raw: Any) -> CommunityPolicy:
    try:
        activity = raw["activity"]
        score = raw["score"]
        return CommunityPolicy(
            files={str(k): Severity(str(v)) for k, v in (raw.get("files") or {}).items()},
            readme_sections=tuple(str(s) for s in raw.get("readme_sections") or ()),
            inactive_warning_days=int(activity["inactive_warning_days"]),
            inactive_error_days=int(activity["inactive_error_days"]),
            min_active_month_share=float(activity["min_active_month_share"]),
            min_bus_factor=int(activity["min_bus_factor"]),
            max_median_first_response_days=float(activity["max_median_first_response_days"]),
            min_score=float(score["min_score"]),
            weights={str(k): float(v) for k, v in score["weights"].items()},
            maintained_full_commits=int(score["maintained_full_commits"]),
            contributors_full_orgs=int(score["contributors_full_orgs"]),
            contributors_min_commits=int(score["contributors_min_commits"]),
            freemail_domains=frozenset(str(d).lower() for d in score.get("freemail_domains") or ()),
            repo_aliases={
                str(k).lower(): tuple(_norm(str(n)) for n in v) for k, v in (raw.get("repo_aliases") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PolicyError(
            _("{path}: invalid community policy ({problem})", path="community.yaml", problem=exc)
        ) from None


# -- helpers -------------------------------------------------------------------------------


def _first(ctx: PolicyContext, cls: type[ObsT]) -> ObsT | None:
    found = ctx.of_type(cls)
    return found[0] if found else None


def _milder(severity: Severity) -> Severity:
    """An unknown is one level milder than the failure it might hide (after the track's cap)."""
    return Severity.WARNING if severity is Severity.ERROR else Severity.NOTE


def _required(ctx: PolicyContext, check: str) -> bool:
    return ctx.program.requirement(check) is Requirement.REQUIRED


def _ltx(msgid: str, **params: object) -> LocalizedText:
    """``lt`` whose :class:`LocalizedText` parameters are filled in the matching language.

    ``msgid`` must be marked with ``N_`` where it is defined (so the catalogue check sees it).
    """
    en = {k: v.en if isinstance(v, LocalizedText) else v for k, v in params.items()}
    ko = {k: v.ko if isinstance(v, LocalizedText) else v for k, v in params.items()}
    return LocalizedText(en=translate(msgid, "en", **en), ko=translate(msgid, "ko", **ko))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _history(ctx: PolicyContext) -> GitHistory | None:
    h = _first(ctx, GitHistory)
    return h if h is not None and h.status is HistoryStatus.KNOWN else None


# -- the community score -------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePart:
    name: str
    weight: float
    score: float | None  # 0..1; None: unknown (left out of the average)


@dataclass(frozen=True)
class CommunityScore:
    """A 0–10 score comparable to where Scorecard and repolinter overlap (``None``: nothing known)."""

    score: float | None
    parts: tuple[ScorePart, ...]

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if p.score is None)

    def as_data(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "checks": {p.name: {"weight": p.weight, "score": p.score} for p in self.parts},
            "unknown": list(self.unknown),
        }


def community_score(ctx: PolicyContext) -> CommunityScore:
    """The weighted average (0–10) of the known checks of ``policies/community.yaml`` ``score``."""
    pol = community_policy(ctx)
    files = {f.item: f for f in ctx.of_type(CommunityFile)}
    history = _first(ctx, GitHistory)
    forge = _first(ctx, ForgeRepository)
    readme = _first(ctx, ReadmeInfo)

    def presence(item: str) -> float | None:
        f = files.get(item)
        if f is None or f.status is Presence.UNKNOWN:
            return None
        return 1.0 if f.status is Presence.PRESENT else 0.0

    def part(name: str) -> float | None:
        if name == "maintained":
            if forge is not None and forge.archived:
                return 0.0
            if history is None or history.status is not HistoryStatus.KNOWN or history.commits_last_90_days is None:
                return None
            return min(1.0, history.commits_last_90_days / max(1, pol.maintained_full_commits))
        if name == "license":
            f = files.get("license")
            if f is None or f.status is not Presence.PRESENT:
                return presence("license")
            # Scorecard gives most points for a license file, the rest for having it at the top.
            at_root = any("/" not in p for p in f.paths) or not f.paths
            return 1.0 if at_root else 0.6
        if name == "security":
            f = files.get("security")
            if f is None or f.status is not Presence.PRESENT:
                return presence("security")
            d = f.details
            if not d.get("readable"):
                return 0.6  # present (e.g. an organisation default) but its text was not read
            # Scorecard: 6 points for a contact, 3 for text beyond it, 1 for disclosure words.
            return (
                (0.6 if d.get("contact") else 0.0)
                + (0.3 if int(d.get("text_chars") or 0) > 50 else 0.0)
                + (0.1 if int(d.get("keywords") or 0) >= 2 else 0.0)
            )
        if name == "contributors":
            if history is None or history.status is not HistoryStatus.KNOWN or history.domains is None:
                return None
            orgs = {
                d
                for d, commits, _authors in history.domains
                if commits >= pol.contributors_min_commits
                and d != "(none)"
                and d not in pol.freemail_domains
                and not d.endswith(".noreply.github.com")
            }
            return min(1.0, len(orgs) / max(1, pol.contributors_full_orgs))
        if name == "readme":
            base = presence("readme")
            if not base or readme is None:
                return base
            got = set(readme.sections) | ({"license"} if readme.mentions_license else set())
            wanted = pol.readme_sections or ("install", "usage", "license")
            return 0.25 + 0.75 * sum(1 for s in wanted if s in got) / len(wanted)
        return presence(name)

    parts = tuple(ScorePart(name, w, _round(part(name))) for name, w in pol.weights.items())
    known = [p for p in parts if p.score is not None]
    total = sum(p.weight for p in known)
    score = round(10 * sum(p.weight * (p.score or 0.0) for p in known) / total, 1) if total else None
    return CommunityScore(score, parts)


def _round(value: float | None) -> float | None:
    return None if value is None else round(min(1.0, max(0.0, value)), 3)


# -- publication ---------------------------------------------------------------------------


@rule(
    "COM001",
    "repository-not-public",
    Severity.ERROR,
    check="publication",
    title=N_("The repository is not public"),
    explanation=N_(
        "Development-track results must be published on a public repository such as GitHub; a private or unreachable repository does not meet the obligation."
    ),
    fix=N_(
        "Make the repository public on GitHub (Settings → General → Danger Zone → Change visibility). If oscheck could not check, run it with --forge (and GITHUB_TOKEN)."
    ),
    requires=("community",),
    tags=("publication",),
    sources=(_DEV,),
)
def repository_not_public(ctx: PolicyContext) -> Iterator[Hit]:
    forge = _first(ctx, ForgeRepository)
    if forge is None:
        return
    if forge.reachable is False:
        yield Hit(
            lt("The repository {slug} is not publicly reachable on GitHub (the API answered 404)", slug=forge.slug),
            data={"key": "visibility", "status": "fail", "slug": forge.slug, "authenticated": forge.authenticated},
        )
    elif forge.visibility is not None and forge.visibility != "public":
        yield Hit(
            lt("The repository {slug} is {visibility}, not public", slug=forge.slug, visibility=forge.visibility),
            data={"key": "visibility", "status": "fail", "slug": forge.slug, "visibility": forge.visibility},
        )
    elif forge.visibility is None and _required(ctx, "publication"):
        yield Hit(
            lt(
                "Whether the repository is public is unknown: the GitHub API was not asked ({reason})",
                reason=", ".join(forge.skipped) or forge.status.value,
            ),
            data={"key": "visibility", "status": "unknown", "skipped": list(forge.skipped)},
            severity=Severity.NOTE,
        )


# -- community -----------------------------------------------------------------------------


@rule(
    "COM002",
    "repository-archived",
    Severity.WARNING,
    check="community",
    title=N_("The repository is archived"),
    explanation=N_(
        "An archived repository is read-only: nobody can open issues or pull requests, so there is no community."
    ),
    fix=N_("Unarchive the repository (Settings → General → Danger Zone) while the project is maintained."),
    requires=("community",),
    tags=("community",),
    sources=(_DEV, _SCORECARD),
)
def repository_archived(ctx: PolicyContext) -> Iterator[Hit]:
    forge = _first(ctx, ForgeRepository)
    if forge is not None and forge.archived:
        yield Hit(lt("The repository {slug} is archived", slug=forge.slug), data={"key": "archived", "status": "fail"})


_ITEM_NAMES = {
    "readme": N_("README"),
    "contributing": N_("contribution guide (CONTRIBUTING)"),
    "code-of-conduct": N_("code of conduct (CODE_OF_CONDUCT)"),
    "security": N_("security policy (SECURITY)"),
    "support": N_("support guide (SUPPORT)"),
    "governance": N_("governance or maintainers file (GOVERNANCE, MAINTAINERS, CODEOWNERS)"),
    "changelog": N_("changelog (CHANGELOG)"),
    "issue-template": N_("issue template (.github/ISSUE_TEMPLATE)"),
    "pull-request-template": N_("pull request template (PULL_REQUEST_TEMPLATE)"),
    "citation": N_("citation file (CITATION.cff)"),
    "ci": N_("continuous integration configuration (.github/workflows, .gitlab-ci.yml, …)"),
    "license": N_("license file (LICENSE)"),
}


_FILE_ABSENT = N_("No {what} was found")
_FILE_UNKNOWN = N_("No {what} in the repository; the organisation's .github repository may provide one (not checked)")


@rule(
    "COM010",
    "community-file-missing",
    Severity.ERROR,
    check="community",
    title=N_("A community file is missing"),
    explanation=N_(
        "Contributors look for a README, a contribution guide, a code of conduct, a security policy, issue templates and a maintainers file; without them a project cannot run a community. GitHub also accepts them in .github/ and docs/, and an organisation can provide defaults from its .github repository, which a clone does not contain."
    ),
    fix=N_(
        "Add the file to the repository root, .github/ or docs/ (GitHub: Insights → Community standards). If the organisation provides it from its .github repository, run oscheck with --forge to confirm."
    ),
    requires=("community",),
    tags=("community",),
    sources=(_DEV, _REPOLINTER, _GITHUB),
)
def community_file_missing(ctx: PolicyContext) -> Iterator[Hit]:
    pol = community_policy(ctx)
    files = {f.item: f for f in ctx.of_type(CommunityFile)}
    for item, severity in pol.files.items():
        f = files.get(item)
        if f is None or f.status is Presence.PRESENT:
            continue
        what = lt(_ITEM_NAMES.get(item, item))
        if f.status is Presence.ABSENT:
            yield Hit(
                _ltx(_FILE_ABSENT, what=what),
                data={"key": item, "item": item, "status": "absent", "source": f.source},
                severity=severity,
            )
        else:
            yield Hit(
                _ltx(_FILE_UNKNOWN, what=what),
                data={"key": item, "item": item, "status": "unknown"},
                severity=_milder(ctx.program.requirement("community").level(severity) or severity),
            )


_README_MISSING = N_("{path} has no section on: {missing}")
_SECTION_NAMES = {"install": N_("installation"), "usage": N_("usage"), "license": N_("license")}


@rule(
    "COM011",
    "readme-incomplete",
    Severity.WARNING,
    check="community",
    title=N_("The README lacks installation, usage or license sections"),
    explanation=N_(
        "A README that says how to install the software, how to use it and under which license is the first thing a new user or contributor needs (in Korean or English)."
    ),
    fix=N_("Add sections such as '설치 / Installation', '사용법 / Usage' and '라이선스 / License' to the README."),
    requires=("community",),
    tags=("community", "readme"),
    sources=(_DEV, _REPOLINTER),
)
def readme_incomplete(ctx: PolicyContext) -> Iterator[Hit]:
    readme = _first(ctx, ReadmeInfo)
    if readme is None:
        return
    pol = community_policy(ctx)
    got = set(readme.sections) | ({"license"} if readme.mentions_license else set())
    missing = [s for s in pol.readme_sections if s not in got]
    if missing:
        names = [lt(_SECTION_NAMES.get(m, m)) for m in missing]
        listed = LocalizedText(en=", ".join(n.en for n in names), ko=", ".join(n.ko for n in names))
        yield Hit(
            _ltx(_README_MISSING, path=readme.location.path or "README", missing=listed),
            readme.location,
            {"key": "readme-sections", "status": "absent", "missing": missing, "sections": list(readme.sections)},
        )


@rule(
    "COM012",
    "no-release",
    Severity.WARNING,
    check="community",
    title=N_("The project has no release"),
    explanation=N_(
        "Tagged releases let users depend on a known state and show that the project delivers; neither a version tag nor a GitHub release was found."
    ),
    fix=N_("Tag a release (git tag -a v0.1.0 -m 'v0.1.0' && git push --tags) or publish one on GitHub."),
    requires=("community",),
    tags=("community", "release"),
    sources=(_DEV,),
)
def no_release(ctx: PolicyContext) -> Iterator[Hit]:
    tags = _first(ctx, ReleaseTags)
    forge = _first(ctx, ForgeRepository)
    if forge is not None and forge.releases:
        return
    if tags is not None and tags.status is HistoryStatus.KNOWN and not tags.version_tags:
        yield Hit(
            lt("No version tag ({tags} tags in all) and no GitHub release was found", tags=tags.tags or 0),
            data={
                "key": "release",
                "status": "absent",
                "tags": tags.tags,
                "forge_releases": forge.releases if forge else None,
            },
        )


_HISTORY_UNKNOWN = N_("History metrics are unknown: {reason}")


@rule(
    "COM020",
    "history-unknown",
    Severity.WARNING,
    check="community",
    title=N_("The commit history could not be analysed"),
    explanation=N_(
        "Activity, contributors and the bus factor come from the git history. A shallow clone (the GitHub Actions default, fetch-depth: 1) or a folder outside git has none, so these figures are unknown, not zero."
    ),
    fix=N_(
        "Scan a full clone: in GitHub Actions set 'fetch-depth: 0' on actions/checkout; locally run 'git fetch --unshallow'; do not use --shallow."
    ),
    requires=("community",),
    tags=("community", "history"),
    sources=(_CHECKOUT, _DEV),
)
def history_unknown(ctx: PolicyContext) -> Iterator[Hit]:
    h = _first(ctx, GitHistory)
    if h is None or h.status is HistoryStatus.KNOWN:
        return
    reasons = {
        "shallow-clone": N_("the repository is a shallow clone"),
        "not-a-git-repository": N_("the target is not a git repository"),
        "no-commits": N_("the repository has no commits"),
        "git-failed": N_("git could not read the history"),
    }
    reason = lt(reasons.get(h.reason or "", h.reason or "?"))
    yield Hit(
        _ltx(_HISTORY_UNKNOWN, reason=reason),
        data={"key": "history", "status": "unknown", "reason": h.reason},
    )


@rule(
    "COM021",
    "project-inactive",
    Severity.ERROR,
    check="community",
    title=N_("The project has had no commit for a long time"),
    explanation=N_(
        "A project that keeps a community alive changes regularly; OpenSSF Scorecard's Maintained check looks at the last 90 days."
    ),
    fix=N_("Resume maintenance: merge pending work, answer issues, publish fixes; or explain the pause in the README."),
    requires=("community",),
    tags=("community", "activity"),
    sources=(_DEV, _SCORECARD),
)
def project_inactive(ctx: PolicyContext) -> Iterator[Hit]:
    h = _history(ctx)
    if h is None or h.days_since_last_commit is None:
        return
    pol = community_policy(ctx)
    days = h.days_since_last_commit
    if days < pol.inactive_warning_days:
        return
    severity = Severity.ERROR if days >= pol.inactive_error_days else Severity.WARNING
    yield Hit(
        lt("The last commit was {days} days ago ({date})", days=days, date=str(h.last_commit_date)),
        data={"key": "inactive", "status": "fail", "days": days, "last_commit": str(h.last_commit_date)},
        severity=severity,
    )


@rule(
    "COM022",
    "bus-factor-low",
    Severity.WARNING,
    check="community",
    title=N_("Too few people do most of the work"),
    explanation=N_(
        "When one or two people make half of the commits (CHAOSS Contributor Absence Factor), the project stops if they leave: continuity needs more maintainers."
    ),
    fix=N_(
        "Bring more maintainers in: document how to contribute, review outside pull requests, share commit rights. Map old addresses of the same person in .mailmap."
    ),
    requires=("community",),
    tags=("community", "contributors"),
    sources=(_DEV, _CHAOSS_ABSENCE),
)
def bus_factor_low(ctx: PolicyContext) -> Iterator[Hit]:
    h = _history(ctx)
    if h is None:
        return
    pol = community_policy(ctx)
    factor = h.bus_factor if h.bus_factor is not None else h.bus_factor_all
    if factor is None or factor >= pol.min_bus_factor:
        return
    authors = h.authors_in_period if h.bus_factor is not None else h.authors_total
    yield Hit(
        lt(
            "Half of the commits come from {factor} person(s); {authors} author(s) in all",
            factor=factor,
            authors=authors,
        ),
        data={"key": "bus-factor", "status": "fail", "bus_factor": factor, "authors": authors},
    )


@rule(
    "COM023",
    "activity-low",
    Severity.WARNING,
    check="community",
    title=N_("Few months of the funded period have commits"),
    explanation=N_(
        "A maintained project changes month after month; long gaps during the funded period suggest it is not run as a living project."
    ),
    fix=N_(
        "Commit and release regularly during the funded period; declare the period in .oscheck.yml ('period:' with 'start:' and 'end:' dates)."
    ),
    requires=("community",),
    tags=("community", "activity"),
    sources=(_DEV,),
)
def activity_low(ctx: PolicyContext) -> Iterator[Hit]:
    h = _history(ctx)
    if h is None or not h.months_in_period or h.active_months is None:
        return
    share = h.active_months / h.months_in_period
    if share < community_policy(ctx).min_active_month_share:
        yield Hit(
            lt(
                "{active} of {months} months from {start} to {end} have commits",
                active=h.active_months,
                months=h.months_in_period,
                start=str(h.period_start),
                end=str(h.period_end),
            ),
            data={
                "key": "activity",
                "status": "fail",
                "active_months": h.active_months,
                "months": h.months_in_period,
                "period_source": h.period_source,
            },
        )


@rule(
    "COM024",
    "no-external-contributors",
    Severity.WARNING,
    check="community",
    title=N_("Nobody outside the grantee contributes"),
    explanation=N_(
        "A community means contributions from outside the funded organisation. oscheck counts commits whose author e-mail is not in the grantee's domains (email_domains in .oscheck.yml) and, with --forge, merged pull requests from outside."
    ),
    fix=N_(
        "Invite and merge outside contributions; declare your own e-mail domains in .oscheck.yml (email_domains: [example.co.kr])."
    ),
    requires=("community",),
    tags=("community", "contributors"),
    sources=(_DEV, _SCORECARD),
)
def no_external_contributors(ctx: PolicyContext) -> Iterator[Hit]:
    h = _history(ctx)
    forge = _first(ctx, ForgeRepository)
    prs = forge.external_prs_merged if forge is not None else None
    if h is None or prs:
        return
    if h.email_domains:
        if not h.external_commits:
            yield Hit(
                lt("No commit in the funded period comes from outside {domains}", domains=", ".join(h.email_domains)),
                data={
                    "key": "external",
                    "status": "fail",
                    "external_commits": h.external_commits,
                    "external_prs_merged": prs,
                },
            )
    elif _required(ctx, "community"):
        yield Hit(
            lt(
                "Outside contributions are unknown: declare the grantee's e-mail domains (email_domains) in .oscheck.yml"
            ),
            data={"key": "external", "status": "unknown"},
            severity=Severity.NOTE,
        )


@rule(
    "COM025",
    "issues-disabled",
    Severity.WARNING,
    check="community",
    title=N_("Issues are disabled on the repository"),
    explanation=N_(
        "Without issues (or discussions) users cannot report problems or ask questions: there is no place for a community."
    ),
    fix=N_("Enable Issues (Settings → General → Features)."),
    requires=("community",),
    tags=("community", "forge"),
    sources=(_DEV,),
)
def issues_disabled(ctx: PolicyContext) -> Iterator[Hit]:
    forge = _first(ctx, ForgeRepository)
    if forge is not None and forge.has_issues is False:
        yield Hit(
            lt("Issues are disabled on {slug}", slug=forge.slug),
            data={"key": "issues", "status": "fail", "has_discussions": forge.has_discussions},
        )


@rule(
    "COM026",
    "slow-first-response",
    Severity.WARNING,
    check="community",
    title=N_("Issues wait long for a first response"),
    explanation=N_(
        "CHAOSS Time to First Response: contributors stay when someone answers them; a slow median first response drives them away."
    ),
    fix=N_("Triage new issues regularly; add an issue template and a SUPPORT file that say when to expect an answer."),
    requires=("community",),
    tags=("community", "forge"),
    sources=(_DEV, _CHAOSS_RESPONSE),
)
def slow_first_response(ctx: PolicyContext) -> Iterator[Hit]:
    forge = _first(ctx, ForgeRepository)
    if forge is None or forge.median_first_response_hours is None:
        return
    limit = community_policy(ctx).max_median_first_response_days * 24
    if forge.median_first_response_hours > limit:
        yield Hit(
            lt(
                "The median first response to an issue took {days} days ({answered} answered, {unanswered} unanswered)",
                days=round(forge.median_first_response_hours / 24, 1),
                answered=forge.issues_responded or 0,
                unanswered=forge.issues_unanswered or 0,
            ),
            data={"key": "first-response", "status": "fail", "median_hours": forge.median_first_response_hours},
        )


@rule(
    "COM030",
    "community-score",
    Severity.NOTE,
    check="community",
    title=N_("Community score"),
    explanation=N_(
        "A 0–10 summary of the community checks where OpenSSF Scorecard and repolinter overlap (maintained, security policy, license, contributors, CI, README, contribution guide, code of conduct, templates, changelog); weights are in policies/community.yaml. Checks that could not be established are left out and listed."
    ),
    fix=N_("Raise the lowest parts first: see the other COM findings."),
    requires=("community",),
    tags=("community", "score"),
    sources=(_SCORECARD, _REPOLINTER),
)
def community_score_rule(ctx: PolicyContext) -> Iterator[Hit]:
    result = community_score(ctx)
    if result.score is None:
        return
    low = result.score < community_policy(ctx).min_score
    unknown = ", ".join(result.unknown)
    yield Hit(
        lt("Community score {score}/10", score=result.score)
        if not unknown
        else lt("Community score {score}/10 (unknown: {unknown})", score=result.score, unknown=unknown),
        data={"key": "score", "status": "fail" if low else "pass", **result.as_data()},
        severity=Severity.WARNING if low else Severity.NOTE,
    )


# -- contributions -------------------------------------------------------------------------


@rule(
    "COM040",
    "contributions-missing",
    Severity.ERROR,
    check="contributions",
    title=N_("No upstream contribution is declared"),
    explanation=N_(
        "Utilisation-track grantees must contribute to the open-source models and software they use and work with their communities; the evidence is a list of pull request or issue links."
    ),
    fix=N_("List your upstream pull requests, issues or discussions in .oscheck.yml under 'contributions:'."),
    requires=("community",),
    tags=("contributions",),
    sources=(_USE,),
)
def contributions_missing(ctx: PolicyContext) -> Iterator[Hit]:
    if ctx.declaration.contributions:
        return
    yield Hit(
        lt("The declaration lists no upstream contribution (contributions:)"),
        Location(ctx.declaration_path) if ctx.declaration_path else Location(),
        {"key": "contributions", "status": "absent"},
        severity=None if _required(ctx, "contributions") else Severity.NOTE,
    )


def _used(ctx: PolicyContext) -> tuple[list[Component], list[AIModel], list[DatasetRef]]:
    return ctx.of_type(Component), ctx.of_type(AIModel), ctx.of_type(DatasetRef)


def matching_component(ctx: PolicyContext, c: Contribution) -> str | None:
    """The purl or model id of the used component ``c`` contributes to, if any."""
    if not c.valid or c.owner is None or c.repo is None:
        return None
    pol = community_policy(ctx)
    components, models, datasets = _used(ctx)
    host = c.host or ""
    slug = f"{c.owner}/{c.repo}".lower()
    if host == "huggingface.co":
        bare = slug.removeprefix("datasets/").removeprefix("spaces/")
        for m in models:
            if m.id.lower() == bare:
                return m.purl or m.id
        for d in datasets:
            if d.id.lower() == bare:
                return d.id
        return None
    names = {_norm(c.repo), *pol.repo_aliases.get(f"{host}/{slug}", ())}
    needle = f"{host}/{slug}"
    for comp in components:
        short = comp.name.rsplit("/", 1)[-1]
        if _norm(comp.name) in names or _norm(short) in names:
            return comp.purl
        for url in (comp.homepage, comp.download_url, comp.purl):
            low = (url or "").lower().removesuffix(".git")
            if needle in low or (host == "github.com" and f"pkg:github/{slug}" in low):
                return comp.purl
    for m in models:
        if m.source == "hub" and m.id.lower() == slug:
            return m.purl or m.id
    return None


@rule(
    "COM041",
    "contribution-unrelated",
    Severity.WARNING,
    check="contributions",
    title=N_("A declared contribution is not to a component the project uses"),
    explanation=N_(
        "The call asks for contributions to the open-source models and software the project uses; oscheck matches each link with the SBOM (dependencies, models, datasets)."
    ),
    fix=N_(
        "Link contributions to projects in the SBOM, or add the dependency's repository to policies/community.yaml repo_aliases when its package has another name."
    ),
    requires=("community",),
    tags=("contributions",),
    sources=(_USE,),
)
def contribution_unrelated(ctx: PolicyContext) -> Iterator[Hit]:
    contributions = [c for c in ctx.of_type(Contribution) if c.valid]
    if not contributions:
        return
    components, models, datasets = _used(ctx)
    sbom_known = "dependencies" in ctx.groups_run or bool(components or models or datasets)
    for c in contributions:
        if not sbom_known:
            yield Hit(
                lt(
                    "{url}: whether it is to a used component is unknown (the dependency inventory did not run)",
                    url=c.url,
                ),
                c.location,
                {"key": c.url, "status": "unknown", "url": c.url},
                severity=Severity.NOTE,
            )
        elif matching_component(ctx, c) is None:
            yield Hit(
                lt(
                    "{url}: {owner}/{repo} is not among the components, models or datasets the project uses",
                    url=c.url,
                    owner=c.owner,
                    repo=c.repo,
                ),
                c.location,
                {"key": c.url, "status": "fail", "url": c.url, "repository": f"{c.host}/{c.owner}/{c.repo}"},
            )


@rule(
    "COM042",
    "contribution-not-merged",
    Severity.WARNING,
    check="contributions",
    title=N_("A declared contribution was not accepted"),
    explanation=N_(
        "A pull request closed without merging, or an issue closed as not planned, is weaker evidence of contribution than an accepted one; an open one is still in progress."
    ),
    fix=N_("Follow up with the upstream maintainers, or list the contributions that were accepted."),
    requires=("community",),
    tags=("contributions", "forge"),
    sources=(_USE,),
)
def contribution_not_merged(ctx: PolicyContext) -> Iterator[Hit]:
    for c in ctx.of_type(Contribution):
        if c.state is ContributionState.CLOSED:
            yield Hit(
                lt("{url} was closed without being accepted", url=c.url),
                c.location,
                {"key": c.url, "status": "fail", "state": c.state.value},
            )
        elif c.state is ContributionState.OPEN:
            yield Hit(
                lt("{url} is still open", url=c.url),
                c.location,
                {"key": c.url, "status": "open", "state": c.state.value},
                severity=Severity.NOTE,
            )


@rule(
    "COM043",
    "contribution-url-invalid",
    Severity.WARNING,
    check="contributions",
    title=N_("A declared contribution is not a pull request, issue or discussion link"),
    explanation=N_(
        "oscheck recognises GitHub, GitLab, Gitea/Codeberg and Hugging Face links to pull requests, merge requests, issues, discussions and commits."
    ),
    fix=N_("Give the full link, e.g. https://github.com/vllm-project/vllm/pull/12345."),
    requires=("community",),
    tags=("contributions",),
    sources=(_USE,),
)
def contribution_url_invalid(ctx: PolicyContext) -> Iterator[Hit]:
    for c in ctx.of_type(Contribution):
        if not c.valid:
            yield Hit(
                lt("{url} is not a recognisable pull request, issue or discussion link", url=c.url),
                c.location,
                {"key": c.url, "status": "fail", "url": c.url},
            )


__all__ = [
    "CommunityPolicy",
    "CommunityScore",
    "ScorePart",
    "community_policy",
    "community_score",
    "matching_component",
]
