"""Community health files in the clone, looked up where GitHub looks for them.

GitHub finds community health files in the repository root, ``.github/`` and ``docs/``
(docs.github.com, "Creating a default community health file"); the name patterns follow
repolinter's default ruleset (``CONTRIB*``, ``CODE[-_]OF[-_]CONDUCT*``, ``SECURITY*``…).
Items an organisation may provide from its own ``.github`` repository are marked
``org_default_possible``: their absence from a clone proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from oscheck.inventory import Inventory
from oscheck.model import FileKind, FileRecord, Location

from .observations import CommunityFile, Presence, ReadmeInfo

_HEALTH_DIRS = ("", ".github", "docs")


@dataclass(frozen=True)
class Item:
    """One community item: the base-name patterns and the folders they are looked for in."""

    name: str
    patterns: tuple[str, ...]  # regular expressions on the lower-case base name
    dirs: tuple[str, ...] = _HEALTH_DIRS
    org_default: bool = False
    folders: tuple[str, ...] = ()  # a folder whose files count (".github/issue_template")


ITEMS: tuple[Item, ...] = (
    Item(
        "license",
        (r"licen[cs]e([.-].*)?", r"copying([.-].*)?", r"copyright([.-].*)?"),
        dirs=("",),
        folders=("licenses",),
    ),
    Item("readme", (r"readme([.-].*)?",)),
    Item("contributing", (r"contrib.*",), org_default=True),
    Item("code-of-conduct", (r"code[-_]of[-_]conduct.*", r"codeofconduct.*"), org_default=True),
    Item("security", (r"security(\.[a-z]+)?",), org_default=True),
    Item("support", (r"support(\.[a-z]+)?",), org_default=True),
    Item("governance", (r"governance.*", r"maintainers.*", r"codeowners", r"owners(\.[a-z]+)?"), org_default=True),
    Item(
        "changelog",
        (r"change[-_]?log.*", r"changes(\.[a-z]+)?", r"history(\.[a-z]+)?", r"news(\.[a-z]+)?", r"release[-_]?notes.*"),
    ),
    Item("issue-template", (r"issue_template(\.[a-z]+)?",), org_default=True, folders=(".github/issue_template",)),
    Item(
        "pull-request-template",
        (r"pull_request_template(\.[a-z]+)?",),
        org_default=True,
        folders=(".github/pull_request_template",),
    ),
    Item("citation", (r"citation(\.cff|\.bib|\.md)?",), dirs=("",)),
    Item(
        "ci",
        (
            r"\.gitlab-ci\.ya?ml",
            r"jenkinsfile",
            r"\.travis\.ya?ml",
            r"azure-pipelines\.ya?ml",
            r"\.drone\.ya?ml",
            r"bitbucket-pipelines\.ya?ml",
            r"appveyor\.ya?ml",
            r"\.woodpecker\.ya?ml",
        ),
        dirs=("",),
        folders=(
            ".github/workflows",
            ".circleci",
            ".buildkite",
            ".gitea/workflows",
            ".forgejo/workflows",
            ".woodpecker",
        ),
    ),
)
ITEM_BY_NAME = {i.name: i for i in ITEMS}
_COMPILED = {i.name: [re.compile(p) for p in i.patterns] for i in ITEMS}


def matches(item: Item, path: str) -> bool:
    """Whether ``path`` (POSIX, relative to the root) is ``item`` where GitHub looks for it."""
    low = path.lower()
    folder, _sep, base = low.rpartition("/")
    for f in item.folders:
        if low.startswith(f + "/"):
            # Workflow folders hold other files too (scripts, READMEs); only YAML is a workflow.
            return not f.endswith("workflows") or base.endswith((".yml", ".yaml"))
    return folder in item.dirs and any(p.fullmatch(base) for p in _COMPILED[item.name])


def find_items(paths: Iterable[str]) -> dict[str, list[str]]:
    """item name -> matching paths, root first (shortest path first, then by name)."""
    found: dict[str, list[str]] = {i.name: [] for i in ITEMS}
    for path in paths:
        for item in ITEMS:
            if matches(item, path):
                found[item.name].append(path)
    for paths_of in found.values():
        paths_of.sort(key=lambda p: (p.count("/"), p.lower()))
    return found


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"https?://\S+")
_SECURITY_WORDS = re.compile(r"vuln|disclos|timeline|취약|제보|보안\s*문제|비공개", re.I)


def community_files(inventory: Inventory) -> list[CommunityFile]:
    """One observation per item, as far as the clone shows (forge confirmation comes later)."""
    found = find_items(f.path for f in inventory.files)
    out: list[CommunityFile] = []
    for item in ITEMS:
        paths = found[item.name]
        if paths:
            details = _details(item.name, inventory, paths)
            out.append(
                CommunityFile(
                    detector="community",
                    location=Location(paths[0]),
                    item=item.name,
                    status=Presence.PRESENT,
                    paths=tuple(paths[:20]),
                    source="repository",
                    org_default_possible=item.org_default,
                    details=details,
                )
            )
        else:
            out.append(
                CommunityFile(
                    detector="community",
                    item=item.name,
                    status=Presence.UNKNOWN if item.org_default else Presence.ABSENT,
                    org_default_possible=item.org_default,
                )
            )
    return out


def _text(inventory: Inventory, path: str, limit: int = 256 * 1024) -> str | None:
    record: FileRecord | None = inventory.get(path)
    if record is None or record.skipped is not None or record.kind is not FileKind.TEXT:
        return None
    try:
        return inventory.read(record)[:limit].decode("utf-8", errors="replace")
    except OSError:
        return None


def _details(item: str, inventory: Inventory, paths: list[str]) -> dict[str, object]:
    """What a file's content shows, for the items whose content Scorecard or repolinter read."""
    if item not in ("security", "code-of-conduct"):
        return {}
    text = next((t for t in (_text(inventory, p) for p in paths) if t is not None), None)
    if text is None:
        return {"readable": False}
    stripped = _URL.sub("", _EMAIL.sub("", text))
    return {
        "readable": True,
        "contact": bool(_EMAIL.search(text) or _URL.search(text)),
        "text_chars": len(stripped.strip()),
        "keywords": len(_SECURITY_WORDS.findall(text)),
    }


# README section headings, English and Korean. A heading counts when one of these words
# appears in it; "quick start" and "getting started" count for both install and usage.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "install": (
        "install",
        "setup",
        "set up",
        "getting started",
        "quick start",
        "quickstart",
        "requirements",
        "build",
        "설치",
        "시작하기",
        "빠른 시작",
        "환경 설정",
        "환경설정",
        "빌드",
        "요구 사항",
        "요구사항",
    ),
    "usage": (
        "usage",
        "how to use",
        "example",
        "getting started",
        "quick start",
        "quickstart",
        "tutorial",
        "running",
        "how to run",
        "사용법",
        "사용 방법",
        "사용방법",
        "사용하기",
        "사용 예",
        "예제",
        "예시",
        "실행",
        "튜토리얼",
        "활용",
    ),
    "license": ("license", "licence", "licensing", "copyright", "라이선스", "라이센스", "저작권"),
}
_LICENSE_WORDS = ("license", "licence", "라이선스", "라이센스")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+|~+|\^+|\*+|\++)\s*$")
_HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.I | re.S)
_ADOC = re.compile(r"^(=+|\*+)\s+(.+)$")
_TAGS = re.compile(r"<[^>]+>")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


def headings(text: str) -> list[str]:
    """Heading texts of Markdown (ATX and setext), reStructuredText, AsciiDoc/Org and HTML."""
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        m = _ATX.match(line)
        if m:
            out.append(m.group(1))
            continue
        if i > 0 and _UNDERLINE.match(line) and lines[i - 1].strip() and not _UNDERLINE.match(lines[i - 1]):
            out.append(lines[i - 1].strip())
            continue
        m2 = _ADOC.match(line)
        if m2:
            out.append(m2.group(2))
    out += [_TAGS.sub("", h) for h in _HTML_HEADING.findall(text)]
    return [h.strip().lower() for h in out if h.strip()]


def readme_info(inventory: Inventory, paths: list[str]) -> ReadmeInfo | None:
    """Sections of the root READMEs (README.md, README.ko.md, …) taken together."""
    roots = [p for p in paths if "/" not in p] or paths[:1]
    sections: set[str] = set()
    languages: set[str] = set()
    mentions = False
    read: list[str] = []
    for path in roots[:5]:
        text = _text(inventory, path)
        if text is None:
            continue
        read.append(path)
        for heading in headings(text):
            for section, words in SECTION_WORDS.items():
                if any(w in heading for w in words):
                    sections.add(section)
        hangul = len(_HANGUL.findall(text))
        latin = len(_LATIN.findall(text))
        if hangul >= 20 or (hangul and hangul * 2 >= latin):
            languages.add("ko")
        if latin >= 200 or (latin and latin >= hangul * 2):
            languages.add("en")
        low = text.lower()
        mentions = mentions or any(w in low for w in _LICENSE_WORDS)
    if not read:
        return None
    return ReadmeInfo(
        detector="community",
        location=Location(read[0]),
        paths=tuple(read),
        sections=tuple(s for s in SECTION_WORDS if s in sections),
        languages=tuple(sorted(languages)),
        mentions_license=mentions,
    )
