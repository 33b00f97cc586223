"""npm: package.json and package-lock.json / npm-shrinkwrap.json (lockfile versions 1, 2 and 3).

package-lock.json v2/v3 is the richest lock file of all: every installed package with its
install path, version, integrity hash, dev/optional flags and, since npm 7, its license.
Dependencies are resolved the way Node does: from a package's own ``node_modules`` up
through its parents' to the root's.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from oscheck.detectors.dependencies.entries import PackageEntry, ParsedFile, ParseProblem, ProjectInfo, Source
from oscheck.detectors.dependencies.textutil import Lines, as_dict, as_list, as_str, json_object_key_lines, load_json
from oscheck.model import DependencyScope

RUNTIME = DependencyScope.RUNTIME.value
DEV = DependencyScope.DEV.value
OPTIONAL = DependencyScope.OPTIONAL.value

# package.json dependency tables and the scope of each, strongest first.
_TABLES = (
    ("dependencies", RUNTIME),
    ("optionalDependencies", OPTIONAL),
    ("peerDependencies", OPTIONAL),  # provided by whoever installs this package
    ("devDependencies", DEV),
)
_EXACT = re.compile(r"^[=v]?\s*(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$")
_HASH_NAMES = {"sha512": "SHA-512", "sha384": "SHA-384", "sha256": "SHA-256", "sha1": "SHA-1"}


def integrity_hashes(value: Any) -> tuple[tuple[str, str], ...]:
    """Subresource-integrity strings (``sha512-<base64>``) as (algorithm, hex) pairs."""
    out: list[tuple[str, str]] = []
    for part in (value or "").split() if isinstance(value, str) else []:
        alg, _, b64 = part.partition("-")
        name = _HASH_NAMES.get(alg.lower())
        if not name:
            continue
        try:
            out.append((name, base64.b64decode(b64, validate=True).hex()))
        except (binascii.Error, ValueError):
            continue
    return tuple(out)


def spec_source(spec: str) -> Source:
    """What kind of dependency a package.json version spec names."""
    if spec.startswith(("file:", "link:", "workspace:", "portal:", ".", "/")):
        return Source.PATH
    if spec.startswith(("git+", "git:", "github:", "gitlab:", "bitbucket:")) or re.match(
        r"^[\w.-]+/[\w.-]+(#.*)?$", spec
    ):
        return Source.GIT
    if spec.startswith(("http://", "https://")):
        return Source.URL
    return Source.REGISTRY


def exact_npm_version(spec: str) -> str | None:
    m = _EXACT.match(spec.strip())
    return m.group(1) if m else None


def license_of(data: dict[str, Any]) -> str | None:
    """The ``license`` field (a string, or the old ``{"type": …}`` object), or a one-item ``licenses`` list.

    A ``licenses`` list of several entries is kept as written (joined with ", "): the old
    npm convention does not say whether they apply together or as a choice.
    """
    value = data.get("license")
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return str(value["type"])
    items = [i if isinstance(i, str) else as_str(as_dict(i).get("type")) for i in as_list(data.get("licenses"))]
    names = [i for i in items if i]
    return ", ".join(names) if names else None


# ---------------------------------------------------------------- package.json


def parse_package_json(path: str, text: str) -> ParsedFile:
    data = load_json(text)
    if not isinstance(data, dict):
        return ParsedFile(
            path=path,
            format="package.json",
            ecosystem="npm",
            is_lock=False,
            problems=(ParseProblem("package.json is not a JSON object", 1),),
        )
    lines = Lines(text)
    found: dict[str, PackageEntry] = {}
    problems: list[ParseProblem] = []
    for table, scope in _TABLES:
        start = lines.find_key(table) or 1
        deps = data.get(table)
        if deps is not None and not isinstance(deps, dict):
            problems.append(ParseProblem(f"'{table}' is not an object", start))
            continue
        for name, spec in as_dict(deps).items():
            if name in found:
                continue  # listed in a stronger table already
            if not isinstance(spec, str):
                problems.append(
                    ParseProblem(f"the version of '{name}' in '{table}' is not a string", lines.find_key(name, start))
                )
                continue
            real_name = name
            range_ = spec
            if spec.startswith("npm:"):  # an alias: "my-lodash": "npm:lodash@^4"
                target = spec[4:]
                at = target.rfind("@")
                real_name, range_ = (target[:at], target[at + 1 :]) if at > 0 else (target, "")
            source = spec_source(range_)
            found[name] = PackageEntry(
                key=name,
                ecosystem="npm",
                name=real_name,
                version=exact_npm_version(range_) if source is Source.REGISTRY else None,
                requirement=range_ or None,
                scope=scope,
                direct=True,
                line=lines.find_key(name, start),
                source=source.value,
                download_url=range_ if source in (Source.GIT, Source.URL) else None,
            )
    project_name = as_str(data.get("name"))
    info = (
        ProjectInfo(project_name, as_str(data.get("version")), license_of(data), lines.find_key("name"))
        if project_name
        else None
    )
    return ParsedFile(
        path=path,
        format="package.json",
        ecosystem="npm",
        is_lock=False,
        entries=tuple(found.values()),
        project=info,
        problems=tuple(problems),
    )


# ---------------------------------------------------------------- package-lock.json


def _resolve_node(packages: dict[str, Any], from_path: str, name: str) -> str | None:
    """Node's lookup: ``<from>/node_modules/<name>``, then each parent's, then the root's."""
    base = from_path
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind("/node_modules/")
        if cut >= 0:
            base = base[:cut]
        elif base.startswith("node_modules/"):
            base = ""
        else:  # a workspace folder: its own node_modules, then the root's
            base = ""


def _dep_names(entry: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for table in ("dependencies", "optionalDependencies", "peerDependencies"):
        names.extend(n for n in as_dict(entry.get(table)) if isinstance(n, str))
    return names


def parse_package_lock(path: str, text: str) -> ParsedFile:
    data = load_json(text)
    fmt = "npm-shrinkwrap.json" if path.endswith("npm-shrinkwrap.json") else "package-lock.json"
    if not isinstance(data, dict):
        return ParsedFile(
            path=path,
            format=fmt,
            ecosystem="npm",
            is_lock=True,
            problems=(ParseProblem(f"{fmt} is not a JSON object", 1),),
        )
    key_lines = json_object_key_lines(text)
    packages = as_dict(data.get("packages"))
    if not packages and isinstance(data.get("dependencies"), dict):
        packages = _v1_as_packages(as_dict(data.get("dependencies")))
        states_direct = False
    else:
        states_direct = True
    root = as_dict(packages.get(""))
    entries: list[PackageEntry] = []
    problems: list[ParseProblem] = []
    direct: dict[str, str] = {}
    # The project and its workspaces (folders outside node_modules) are first-party.
    for folder, entry in packages.items():
        if folder.startswith("node_modules/") or "/node_modules/" in folder:
            continue
        entry = as_dict(entry)
        for table, scope in _TABLES:
            for name in as_dict(entry.get(table)):
                target = _resolve_node(packages, folder, name)
                if target is not None:
                    direct.setdefault(target, scope)
    for install_path, raw in packages.items():
        if not (install_path.startswith("node_modules/") or "/node_modules/" in install_path):
            continue
        entry = as_dict(raw)
        if entry.get("link") is True:
            continue  # a symlink to a workspace folder: first-party
        name = as_str(entry.get("name")) or install_path.rsplit("node_modules/", 1)[-1]
        version = as_str(entry.get("version"))
        line = key_lines.get(install_path) or key_lines.get(name)
        if version is None:
            problems.append(ParseProblem(f"'{install_path}' has no version", line))
            continue
        if entry.get("dev") is True or entry.get("devOptional") is True:
            scope = DEV
        elif entry.get("optional") is True:
            scope = OPTIONAL
        else:
            scope = RUNTIME
        deps = sorted({t for n in _dep_names(entry) if (t := _resolve_node(packages, install_path, n)) is not None})
        resolved = as_str(entry.get("resolved"))
        source = Source.REGISTRY
        if resolved and not resolved.startswith(("http://", "https://")):
            source = Source.GIT if resolved.startswith("git") else Source.PATH
        entries.append(
            PackageEntry(
                key=install_path,
                ecosystem="npm",
                name=name,
                version=version,
                scope=scope,
                direct=install_path in direct if states_direct else None,
                line=line,
                license=license_of(entry),
                hashes=integrity_hashes(entry.get("integrity")),
                depends_on=tuple(deps),
                source=source.value,
                download_url=resolved,
            )
        )
    info = None
    if as_str(data.get("name")) or as_str(root.get("name")):
        info = ProjectInfo(
            as_str(root.get("name")) or as_str(data.get("name")),
            as_str(root.get("version")) or as_str(data.get("version")),
            license_of(root),
            Lines(text).find_key("name"),
        )
    return ParsedFile(
        path=path,
        format=fmt,
        ecosystem="npm",
        is_lock=True,
        entries=tuple(entries),
        project=info,
        problems=tuple(problems),
        states_direct=states_direct,
    )


def _v1_as_packages(deps: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Lockfile v1's nested ``dependencies`` tree as v2's flat ``packages`` map (install paths)."""
    out: dict[str, Any] = {"": {}} if not prefix else {}
    for name, raw in deps.items():
        entry = as_dict(raw)
        install_path = f"{prefix}node_modules/{name}"
        out[install_path] = {
            "version": entry.get("version"),
            "resolved": entry.get("resolved"),
            "integrity": entry.get("integrity"),
            "dev": entry.get("dev"),
            "optional": entry.get("optional"),
            "dependencies": as_dict(entry.get("requires")),
        }
        nested = as_dict(entry.get("dependencies"))
        if nested:
            out.update(_v1_as_packages(nested, install_path + "/"))
    return out
