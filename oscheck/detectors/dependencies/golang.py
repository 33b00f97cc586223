"""Go modules: go.mod (the build list) and go.sum (checked for syntax).

Since Go 1.17 go.mod lists every module the build needs, direct ones and ``// indirect``
ones, at the version minimal version selection chose; that makes go.mod the lock file
of Go. It has no edges (those live in each dependency's own go.mod, which oscheck does
not fetch), so indirect modules hang off the project in the graph. A ``replace``
directive swaps in another module (or a local folder): the component is the replacement.

go.sum's ``h1:`` values are hashes of a module's file list, not of any file, so they do
not fit SPDX or CycloneDX checksums and are not copied into the SBOM.
"""

from __future__ import annotations

import re

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, ParseProblem, ProjectInfo, Source
from oscheck.model import DependencyScope

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+')
_DIRECTIVES = {"module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore"}
_VERSION = re.compile(r"^v\d+(\.\d+){0,2}([-+][0-9A-Za-z.+-]+)?$")
_SUM_LINE = re.compile(r"^(\S+) (v\S+?)(/go\.mod)? h1:[A-Za-z0-9+/]{43}=$")


def _tokens(text: str) -> list[str]:
    return [t[1:-1] if t[0] in '"`' else t for t in _TOKEN.findall(text)]


def parse_go_mod(path: str, text: str) -> ParsedFile:
    problems: list[ParseProblem] = []
    requires: list[tuple[str, str, bool, int]] = []
    replaces: dict[tuple[str, str | None], tuple[str, str | None, int]] = {}
    module: str | None = None
    module_line: int | None = None
    block: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        code, _, comment = raw.partition("//")
        indirect = comment.strip().startswith("indirect")
        words = _tokens(code)
        if not words:
            continue
        if block is not None:
            if words == [")"]:
                block = None
                continue
            verb, args = block, words
        else:
            verb, args = words[0], words[1:]
            if verb not in _DIRECTIVES:
                problems.append(ParseProblem(f"unknown go.mod directive '{verb}'", number))
                continue
            if args == ["("]:
                block = verb
                continue
        if verb == "module":
            module, module_line = (args[0] if args else None), number
        elif verb == "require":
            if len(args) != 2 or not _VERSION.match(args[1]):
                problems.append(
                    ParseProblem(f"a require line needs a module path and a version: '{code.strip()}'", number)
                )
                continue
            requires.append((args[0], args[1], indirect, number))
        elif verb == "replace":
            if "=>" not in args:
                problems.append(ParseProblem(f"a replace line needs '=>': '{code.strip()}'", number))
                continue
            arrow = args.index("=>")
            old, new = args[:arrow], args[arrow + 1 :]
            if not old or not new or len(old) > 2 or len(new) > 2:
                problems.append(ParseProblem(f"cannot read the replace line '{code.strip()}'", number))
                continue
            replaces[(old[0], old[1] if len(old) == 2 else None)] = (new[0], new[1] if len(new) == 2 else None, number)
    if block is not None:
        problems.append(ParseProblem(f"the '{block} (' block is never closed", None))
    entries: list[PackageEntry] = []
    for mod, version, indirect, number in requires:
        repl = replaces.get((mod, version)) or replaces.get((mod, None))
        name: str = mod
        real_version: str | None = version
        source, replaced = Source.REGISTRY, None
        if repl is not None:
            replaced = f"{mod}@{version}"
            name, real_version = repl[0], repl[1]
            if name.startswith((".", "/")):
                source, real_version = Source.PATH, None
        entries.append(
            PackageEntry(
                key=f"{name}@{real_version}",
                ecosystem="golang",
                name=name,
                version=real_version,
                scope=DependencyScope.RUNTIME.value,
                direct=not indirect,
                line=number,
                source=source.value,
                replaces=replaced,
            )
        )
    return ParsedFile(
        path=path,
        format="go.mod",
        ecosystem="golang",
        is_lock=True,
        entries=tuple(entries),
        project=ProjectInfo(module, None, None, module_line) if module else None,
        problems=tuple(problems),
        states_direct=True,
    )


def parse_go_sum(path: str, text: str) -> ParsedFile:
    """Only checked: every line must be ``module version[/go.mod] h1:<base64 SHA-256>``."""
    problems = [
        ParseProblem(f"not a go.sum line: '{raw.strip()[:100]}'", number)
        for number, raw in enumerate(text.splitlines(), start=1)
        if raw.strip() and not _SUM_LINE.match(raw.strip())
    ]
    return ParsedFile(path=path, format="go.sum", ecosystem="golang", is_lock=False, problems=tuple(problems))
