"""License metadata from package registries (PyPI's JSON API, the npm registry), cached.

The metadata of a published version does not change, so an answer is cached for good
in the content cache (namespace per registry and base URL); "not found" is cached for a
day (a version may be published later); errors are not cached. In offline mode
(``--offline`` or ``OSCHECK_OFFLINE=1``) only the cache is read.

Base URLs come from ``OSCHECK_PYPI_URL`` (default https://pypi.org) and
``OSCHECK_NPM_REGISTRY`` (default https://registry.npmjs.org), so that a mirror or a
test server can stand in. Only the license-related fields of an answer are kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar

from oscheck import safeparse
from oscheck.detectors.dependencies.npm import license_of
from oscheck.inventory import ContentCache
from oscheck.sources import redact_text

log = logging.getLogger(__name__)

_MAX_BYTES = 8 << 20  # a version document is a few KB; refuse anything absurd
_NOT_FOUND_TTL = 24 * 3600
_CACHE_FORMAT = 1
# Names and versions that may go into a registry URL (they come from untrusted lock files).
_VALID = {
    "pypi": re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$"),
    "npm": re.compile(r"^(@[A-Za-z0-9~][A-Za-z0-9._~-]*/)?[A-Za-z0-9~][A-Za-z0-9._~-]*$"),
}
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+!_-]*$")


def offline_from_env() -> bool:
    return os.environ.get("OSCHECK_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Lookup:
    """What a registry said about one name and version."""

    status: str  # "ok" | "not-found" | "error" | "offline"
    facts: Mapping[str, Any] | None = None  # license fields of the version's metadata
    detail: str | None = None
    cached: bool = False


class Registry(ABC):
    """One registry's URL scheme and the fields of its answer that carry the license."""

    ecosystem: ClassVar[str]
    env_var: ClassVar[str]
    default_url: ClassVar[str]

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = (base_url or os.environ.get(self.env_var) or self.default_url).rstrip("/")

    @property
    def namespace(self) -> str:
        digest = hashlib.sha256(self.base_url.encode()).hexdigest()[:12]
        return f"registry:{self.ecosystem}:{digest}:{_CACHE_FORMAT}"

    @abstractmethod
    def url(self, name: str, version: str) -> str: ...

    @abstractmethod
    def facts(self, document: Any) -> dict[str, Any]: ...


class PyPIRegistry(Registry):
    """``GET /pypi/<name>/<version>/json`` (PyPI's JSON API)."""

    ecosystem = "pypi"
    env_var = "OSCHECK_PYPI_URL"
    default_url = "https://pypi.org"

    def url(self, name: str, version: str) -> str:
        q = urllib.parse.quote
        return f"{self.base_url}/pypi/{q(name, safe='')}/{q(version, safe='')}/json"

    def facts(self, document: Any) -> dict[str, Any]:
        info = document.get("info") if isinstance(document, dict) else None
        if not isinstance(info, dict):
            raise ValueError("no 'info' object in the answer")
        classifiers = [c for c in info.get("classifiers") or [] if isinstance(c, str) and c.startswith("License ::")]
        return {
            "license_expression": info.get("license_expression")
            if isinstance(info.get("license_expression"), str)
            else None,
            "license": info.get("license") if isinstance(info.get("license"), str) else None,
            "classifiers": classifiers,
            "homepage": info.get("home_page") if isinstance(info.get("home_page"), str) else None,
        }


class NpmRegistry(Registry):
    """``GET /<name>/<version>`` (the npm registry's version document)."""

    ecosystem = "npm"
    env_var = "OSCHECK_NPM_REGISTRY"
    default_url = "https://registry.npmjs.org"

    def url(self, name: str, version: str) -> str:
        # A scoped name keeps its "@" and encodes its "/" (the registry's own convention).
        return f"{self.base_url}/{urllib.parse.quote(name, safe='@')}/{urllib.parse.quote(version, safe='')}"

    def facts(self, document: Any) -> dict[str, Any]:
        if not isinstance(document, dict):
            raise ValueError("the answer is not a JSON object")
        homepage = document.get("homepage")
        return {"license": license_of(document), "homepage": homepage if isinstance(homepage, str) else None}


REGISTRIES: dict[str, type[Registry]] = {"pypi": PyPIRegistry, "npm": NpmRegistry}


class RegistryResolver:
    """Looks up many (ecosystem, name, version) at once: cache first, then HTTP in parallel."""

    def __init__(
        self,
        cache: ContentCache,
        *,
        offline: bool = False,
        timeout: float = 15.0,
        workers: int = 8,
        registries: Mapping[str, Registry] | None = None,
    ) -> None:
        self.cache = cache
        self.offline = offline
        self.timeout = timeout
        self.workers = workers
        self.registries = dict(registries) if registries is not None else {k: v() for k, v in REGISTRIES.items()}
        self.stats = {"lookups": 0, "cache_hits": 0, "requests": 0, "errors": 0}

    def supports(self, ecosystem: str) -> bool:
        return ecosystem in self.registries

    def lookup_many(self, wanted: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], Lookup]:
        todo = sorted(set(wanted))
        self.stats["lookups"] += len(todo)
        out: dict[tuple[str, str, str], Lookup] = {}
        missing: list[tuple[str, str, str]] = []
        by_ecosystem: dict[str, list[tuple[str, str, str]]] = {}
        for item in todo:
            by_ecosystem.setdefault(item[0], []).append(item)
        now = time.time()
        for ecosystem, items in by_ecosystem.items():
            registry = self.registries[ecosystem]
            cached = self.cache.get_many(registry.namespace, (f"{n}@{v}" for _, n, v in items))
            for item in items:
                hit = cached.get(f"{item[1]}@{item[2]}")
                if isinstance(hit, dict) and hit.get("status") == "ok":
                    out[item] = Lookup("ok", hit.get("facts") or {}, cached=True)
                elif (
                    isinstance(hit, dict)
                    and hit.get("status") == "not-found"
                    and now - hit.get("at", 0) < _NOT_FOUND_TTL
                ):
                    out[item] = Lookup("not-found", None, hit.get("detail"), cached=True)
                else:
                    missing.append(item)
        self.stats["cache_hits"] += len(out)
        if self.offline:
            for item in missing:
                out[item] = Lookup("offline")
            return out
        if missing:
            with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(missing)))) as pool:
                results = list(pool.map(self._fetch, missing))
            self.stats["requests"] += len(missing)
            self.stats["errors"] += sum(1 for r in results if r.status == "error")
            to_store: dict[str, dict[str, dict[str, Any]]] = {}
            for item, result in zip(missing, results, strict=True):
                out[item] = result
                namespace = self.registries[item[0]].namespace
                if result.status == "ok":
                    to_store.setdefault(namespace, {})[f"{item[1]}@{item[2]}"] = {
                        "status": "ok",
                        "facts": dict(result.facts or {}),
                    }
                elif result.status == "not-found":
                    to_store.setdefault(namespace, {})[f"{item[1]}@{item[2]}"] = {
                        "status": "not-found",
                        "detail": result.detail,
                        "at": now,
                    }
            for namespace, stored in to_store.items():
                self.cache.put_many(namespace, stored)
        return out

    def _fetch(self, item: tuple[str, str, str]) -> Lookup:
        registry = self.registries[item[0]]
        pattern = _VALID.get(item[0])
        if (pattern is not None and not pattern.match(item[1])) or not _VERSION.match(item[2]):
            return Lookup("error", None, f"'{item[1]}' '{item[2]}' is not a valid {item[0]} name and version")
        url = registry.url(item[1], item[2])
        request = urllib.request.Request(  # noqa: S310 - the scheme comes from our own settings
            url, headers={"Accept": "application/json", "User-Agent": "oscheck (license resolver)"}
        )
        for attempt in (1, 2):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    body = response.read(_MAX_BYTES + 1)
                if len(body) > _MAX_BYTES:
                    return self._error(url, "answer too large")
                return Lookup("ok", registry.facts(safeparse.load_json(body)))
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    return Lookup("not-found", None, redact_text(f"HTTP 404 from {url}"))
                if exc.code < 500 or attempt == 2:
                    return self._error(url, f"HTTP {exc.code}")
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                if attempt == 2:
                    return self._error(url, str(getattr(exc, "reason", exc)))
            except (ValueError, UnicodeDecodeError) as exc:
                return self._error(url, f"unreadable answer: {exc}")
        return self._error(url, "no answer")

    def _error(self, url: str, detail: str) -> Lookup:
        text = redact_text(f"{url}: {detail}")
        log.warning("registry lookup failed: %s", text)
        return Lookup("error", None, text)
