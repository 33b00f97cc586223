"""Reading ``policies/``: the only I/O of the policy stage.

The policy folder is data, versioned on its own: ``policies/policy.yaml`` carries the
version number and every scan is stamped with ``<version>+<digest>``, the digest being a
hash of every policy file, so that a verification body running its own edited copy
(``--policies DIR``) never gets its results confused with the stock policy's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from oscheck.errors import PolicyError
from oscheck.i18n import _

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_policy_dir() -> Path:
    """``$OSCHECK_POLICIES``, else the ``policies/`` folder shipped with oscheck."""
    env = os.environ.get("OSCHECK_POLICIES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent  # the oscheck package
    for candidate in (here / "policies", here.parent / "policies"):
        if (candidate / "policy.yaml").is_file():
            return candidate
    raise PolicyError(_("cannot find the policies folder; set OSCHECK_POLICIES"))


@dataclass
class PolicySet:
    """One policy folder; files are parsed on first use and kept."""

    root: Path
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def yaml(self, relpath: str) -> Any:
        """The parsed YAML file ``relpath`` (``PolicyError`` naming the file if invalid)."""
        if relpath not in self._cache:
            path = self.root / relpath
            if not path.is_file():
                raise PolicyError(_("{path}: policy file not found", path=path))
            raw = path.read_bytes()
            self._cache[relpath] = _parsed(path, raw)
        return self._cache[relpath]

    def has(self, relpath: str) -> bool:
        return (self.root / relpath).is_file()

    def files(self, pattern: str) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.glob(pattern) if p.is_file())

    @cached_property
    def version(self) -> str:
        meta = self.yaml("policy.yaml") or {}
        digest = hashlib.sha256()
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".yml", ".json"):
                digest.update(path.relative_to(self.root).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
        return f"{meta.get('version', '0')}+{digest.hexdigest()[:10]}"

    def memo(self, key: str, build: Any) -> Any:
        """Cache a typed view built from the raw files (``build()`` runs once per key)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]


def _parsed(path: Path, raw: bytes) -> Any:
    """YAML parsed once per content: later processes read a JSON copy from the cache.

    Constructing Python objects from licenses.yaml (2,664 entries) takes 0.3-0.7 s even
    with libyaml; the JSON copy loads in a few milliseconds. Keyed by the file's SHA-256,
    so an edited policy is parsed again. Files whose values JSON cannot hold (dates) are
    not copied.
    """
    from oscheck.inventory.cache import default_cache_dir

    digest = hashlib.sha256(raw).hexdigest()
    copy = default_cache_dir() / "policy-json" / f"{digest}.json"
    try:
        return json.loads(copy.read_bytes())
    except (OSError, ValueError):
        pass
    try:
        # libyaml when present: licenses.yaml parses in 0.3 s instead of 1.3 s
        data = yaml.load(raw.decode("utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 (CSafeLoader or SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise PolicyError(_("{where}: invalid YAML in a policy file", where=where)) from None
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return data
    with contextlib.suppress(OSError):
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(copy)
    return data


_default: PolicySet | None = None


def load_policy(root: Path | None = None) -> PolicySet:
    global _default
    if root is not None:
        if not (root / "policy.yaml").is_file():
            raise PolicyError(_("{path}: not a policy folder (no policy.yaml)", path=root))
        return PolicySet(root)
    if _default is None:
        _default = PolicySet(default_policy_dir())
    return _default
