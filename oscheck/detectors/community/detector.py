"""The community detector: files and history from the clone, optional forge data.

Options (``ScanOptions.detector_options``):

* ``forge``: ``True`` asks the GitHub API, ``False`` never does, unset asks only when
  ``GITHUB_TOKEN`` is set (``oscheck scan --forge/--no-forge``);
* ``forge_repo``: ``owner/name`` when it cannot be read from the target or ``origin``.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import ClassVar

from oscheck.detectors.interface import DetectContext, Detector
from oscheck.model import Observation

from .contributions import parse_contribution
from .files import community_files, readme_info
from .forge import collect, contribution_state, find_slug, forge_off
from .github import ForgeError, GitHubClient
from .history import Period, default_period, git_base, is_shallow, read_history, read_tags, unknown_history
from .observations import (
    CommunityFile,
    Contribution,
    ForgeRepository,
    GitHistory,
    HistoryStatus,
    Presence,
    ReleaseTags,
)

FORGE_BUDGET = 60  # requests per scan for the repository itself; one more per contribution link


class CommunityDetector(Detector):
    """Publication, community and contribution evidence (rules COM001–COM099)."""

    id: ClassVar[str] = "community"
    group: ClassVar[str] = "community"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        clock = time.monotonic()
        declared = ctx.declaration.period
        period = Period(declared.start, declared.end, "declaration") if declared else default_period(ctx.today)
        domains = tuple(d.lower().lstrip("@") for d in ctx.declaration.email_domains)

        files = community_files(ctx.inventory)
        history, tags = self._history(ctx, period, domains)
        history_seconds = round(time.monotonic() - clock, 3)
        contributions = [
            parse_contribution(url, _line_of(ctx, url), _declaration_file(ctx)) for url in ctx.declaration.contributions
        ]
        forge, contributions = self._forge(ctx, period, contributions)
        files = merge_forge(files, forge)

        out: list[Observation] = [*files]
        readme = next((f for f in files if f.item == "readme" and f.status is Presence.PRESENT), None)
        if readme is not None and readme.source == "repository":
            info = readme_info(ctx.inventory, list(readme.paths))
            if info is not None:
                out.append(info)
        out += [history, tags, forge, *contributions]
        ctx.stats["community"] = {
            "history_seconds": history_seconds,
            "forge_requests": forge.requests,
            "forge_status": forge.status.value,
        }
        return out

    def _history(self, ctx: DetectContext, period: Period, domains: tuple[str, ...]) -> tuple[GitHistory, ReleaseTags]:
        tree = ctx.inventory.tree
        git_dir = tree.git_dir
        commit = tree.target.commit
        if git_dir is None:
            return (
                unknown_history(HistoryStatus.UNAVAILABLE, "not-a-git-repository", period, None, domains),
                ReleaseTags(detector=self.id, status=HistoryStatus.UNAVAILABLE),
            )
        shallow = is_shallow(git_base(git_dir))
        if shallow:
            history = unknown_history(HistoryStatus.SHALLOW, "shallow-clone", period, commit, domains)
        else:
            history = read_history(
                git_dir,
                commit,
                period=period,
                today=ctx.today,
                domains=domains,
                # A commit read from the object store has no work tree: take .mailmap from it.
                mailmap_from_commit=tree.local_root is None,
            )
        return history, read_tags(git_dir, commit, period=period, shallow=shallow)

    def _forge(
        self, ctx: DetectContext, period: Period, contributions: list[Contribution]
    ) -> tuple[ForgeRepository, list[Contribution]]:
        wanted = ctx.options.get("forge")
        if wanted is False or (wanted is None and not os.environ.get("GITHUB_TOKEN")):
            return forge_off("disabled"), contributions
        client = GitHubClient.from_env(max_requests=FORGE_BUDGET + len(contributions))
        tree = ctx.inventory.tree
        slug = find_slug(tree.git_dir, tree.target.uri, ctx.options.get("forge_repo"))
        forge = collect(client, slug, period) if slug else forge_off("no-remote")
        checked: list[Contribution] = []
        failure: str | None = None
        for c in contributions:
            if failure is None:
                try:
                    c = contribution_state(client, c)
                except ForgeError as exc:
                    failure = f"contributions:{exc.code}"
            checked.append(c)
        if failure is not None:
            forge = dataclasses.replace(forge, skipped=(*forge.skipped, failure))
        forge = dataclasses.replace(forge, requests=client.requests, rate_limit_remaining=client.remaining)
        return forge, checked


def merge_forge(files: list[CommunityFile], forge: ForgeRepository) -> list[CommunityFile]:
    """Settle the clone's "unknown" items with what the forge confirmed (org defaults included)."""
    confirmed = dict(forge.community)
    out: list[CommunityFile] = []
    for f in files:
        said = confirmed.get(f.item)
        # Only items the clone could not settle: at the scanned commit the clone is the truth
        # (the API describes the default branch, which may be another commit).
        if f.status is Presence.UNKNOWN and said == "present":
            source = "organisation" if f.item in forge.org_defaults else "forge"
            f = dataclasses.replace(f, status=Presence.PRESENT, source=source)
        elif f.status is Presence.UNKNOWN and said == "absent":
            f = dataclasses.replace(f, status=Presence.ABSENT, source="forge")
        out.append(f)
    return out


def _declaration_file(ctx: DetectContext) -> str | None:
    for name in (".oscheck.yml", ".oscheck.yaml", "pyproject.toml"):
        if ctx.inventory.get(name) is not None:
            return name
    return None


def _line_of(ctx: DetectContext, url: str) -> int | None:
    """The line of ``url`` in the declaration file, for the finding's location."""
    name = _declaration_file(ctx)
    record = ctx.inventory.get(name) if name else None
    if record is None or record.skipped is not None:
        return None
    for i, line in enumerate(ctx.inventory.read_text(record).splitlines(), 1):
        if url in line:
            return i
    return None
