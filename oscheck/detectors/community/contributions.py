"""Upstream contribution links from ``.oscheck.yml`` (``contributions:``), parsed.

Recognised: GitHub pull requests, issues, discussions and commits; GitLab merge requests
and issues; Gitea/Forgejo/Codeberg pulls and issues; Hugging Face discussions (which is
also how pull requests to a model or dataset repository are addressed). Whether a link
belongs to a component the project uses is the policy's question (COM041).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from oscheck.model import Location

from .observations import Contribution

_GITHUB = re.compile(r"^/([^/]+)/([^/]+)/(pull|pulls|issues|discussions|commit)/([0-9a-fA-F]+)(?:/.*)?$")
_GITLAB = re.compile(r"^/(.+?)/([^/]+)/-/(merge_requests|issues)/(\d+)(?:/.*)?$")
_GITEA = re.compile(r"^/([^/]+)/([^/]+)/(pulls|issues)/(\d+)(?:/.*)?$")
_HF = re.compile(r"^/(?:(datasets|spaces)/)?([^/]+)/([^/]+)/discussions/(\d+)(?:/.*)?$")
_TYPES = {
    "pull": "pull",
    "pulls": "pull",
    "issues": "issue",
    "discussions": "discussion",
    "commit": "commit",
    "merge_requests": "merge-request",
}


def parse_contribution(url: str, line: int | None, declaration_path: str | None) -> Contribution:
    """A :class:`Contribution` for one declared link (``valid=False`` when not recognised)."""
    location = Location(declaration_path, line) if declaration_path else Location()
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    base = Contribution(detector="community", location=location, url=url, host=host or None)
    if parts.scheme not in ("http", "https") or not host:
        return base
    if host in ("github.com", "www.github.com"):
        m = _GITHUB.match(path)
        if m:
            kind = _TYPES[m.group(3)]
            number = int(m.group(4)) if kind != "commit" and m.group(4).isdigit() else None
            if kind == "commit" or number is not None:
                return _with(base, "github.com", m.group(1), m.group(2), kind, number)
        return base
    if host in ("huggingface.co", "hf.co"):
        m = _HF.match(path)
        if m:
            owner = f"{m.group(1)}/{m.group(2)}" if m.group(1) else m.group(2)
            return _with(base, "huggingface.co", owner, m.group(3), "discussion", int(m.group(4)))
        return base
    m = _GITLAB.match(path)
    if m:
        return _with(base, host, m.group(1), m.group(2), _TYPES[m.group(3)], int(m.group(4)))
    m = _GITEA.match(path)
    if m:
        return _with(base, host, m.group(1), m.group(2), _TYPES[m.group(3)], int(m.group(4)))
    return base


def _with(base: Contribution, host: str, owner: str, repo: str, kind: str, number: int | None) -> Contribution:
    return Contribution(
        detector=base.detector,
        location=base.location,
        url=base.url,
        host=host,
        owner=owner,
        repo=repo.removesuffix(".git"),
        type=kind,
        number=number,
        valid=True,
    )
