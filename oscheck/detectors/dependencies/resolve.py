"""Dependency licenses: the first source that states one decides; what none states is unresolved.

Sources, in order:

1. the lock file or manifest itself (package-lock.json keeps each package's ``license``);
2. the installed environment (``--python-env``), for the same name and version;
3. the registry (PyPI JSON API, npm registry), cached, unless offline.

The first source that states *any* license text decides: if that text maps to SPDX
(``license-names.yaml``), it is the license; if it does not, the component stays
unresolved with the text kept in ``license_declared``. Later sources are not asked,
because they would only repeat the same metadata.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from oscheck.detectors.dependencies.entries import UnresolvedLicense, UnresolvedReason
from oscheck.detectors.dependencies.license_names import LicenseNames, Mapped
from oscheck.detectors.dependencies.purls import from_registry
from oscheck.detectors.dependencies.python_env import PythonEnvironment
from oscheck.detectors.dependencies.registries import Lookup, RegistryResolver
from oscheck.model import Component

_LOCK_FILES = {
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "Cargo.lock",
    "go.mod",
}


def map_facts(ecosystem: str, facts: Mapping[str, Any], names: LicenseNames) -> Mapped:
    """The license fields of a registry answer or installed metadata, as SPDX.

    Python: PEP 639 ``License-Expression``, then the ``License`` field, then classifiers.
    npm: ``license`` (or a one-item ``licenses``).
    """
    if ecosystem == "pypi":
        declared: str | None = None
        for text in (facts.get("license_expression"), facts.get("license")):
            if isinstance(text, str) and text.strip():
                mapped = names.to_spdx(text)
                if mapped.spdx is not None:
                    return mapped
                declared = declared or mapped.declared
        mapped = names.from_classifiers(facts.get("classifiers") or [])
        if mapped.spdx is not None:
            return mapped
        return Mapped(None, declared or mapped.declared)
    text = facts.get("license")
    return names.to_spdx(text if isinstance(text, str) else None)


def resolve_licenses(
    components: list[Component],
    names: LicenseNames,
    registry: RegistryResolver | None,
    env: PythonEnvironment | None,
) -> tuple[list[Component], list[UnresolvedLicense]]:
    """Components with ``license``/``license_source`` filled in, and one observation per unresolved one."""
    lookups: dict[tuple[str, str, str], Lookup] = {}
    if registry is not None:
        wanted = [
            (c.ecosystem, c.name, c.version)
            for c in components
            if c.license_declared is None
            and c.version is not None
            and registry.supports(c.ecosystem)
            and from_registry(c.purl)
            and not _env_states(env, c)
        ]
        lookups = registry.lookup_many(wanted)
    out: list[Component] = []
    unresolved: list[UnresolvedLicense] = []
    for c in components:
        tried: list[str] = []
        reason: UnresolvedReason | None = None
        detail: str | None = None
        result: Mapped | None = None
        source: str | None = None
        if c.license_declared is not None:
            source = "lock-file" if posixpath.basename(c.manifest or "") in _LOCK_FILES else "manifest"
            tried.append(source)
            result = names.to_spdx(c.license_declared)
        elif _env_states(env, c):
            assert env is not None
            dist = env.get(c.name)
            assert dist is not None
            source = "python-env"
            tried.append(source)
            result = map_facts("pypi", dist.facts(), names)
        elif not from_registry(c.purl):
            reason = UnresolvedReason.NOT_FROM_REGISTRY
        elif c.version is None:
            reason = UnresolvedReason.NO_VERSION
        elif registry is None or not registry.supports(c.ecosystem):
            reason = UnresolvedReason.NO_REGISTRY
        else:
            lookup = lookups.get((c.ecosystem, c.name, c.version))
            source = f"registry:{c.ecosystem}"
            tried.append(source)
            if lookup is None or lookup.status == "error":
                reason, detail = UnresolvedReason.REGISTRY_ERROR, lookup.detail if lookup else None
            elif lookup.status == "offline":
                reason = UnresolvedReason.OFFLINE
            elif lookup.status == "not-found":
                reason, detail = UnresolvedReason.NOT_FOUND, lookup.detail
            else:
                result = map_facts(c.ecosystem, lookup.facts or {}, names)
        if result is not None and result.spdx is not None:
            out.append(replace(c, license=result.spdx, license_source=source, license_declared=result.declared))
            continue
        if result is not None:
            reason = UnresolvedReason.NOT_SPDX if result.declared else UnresolvedReason.NO_LICENSE
        declared = result.declared if result is not None else c.license_declared
        out.append(replace(c, license=None, license_source=None, license_declared=declared))
        unresolved.append(
            UnresolvedLicense(
                detector="dependencies",
                location=c.location,
                purl=c.purl,
                name=c.name,
                version=c.version,
                reason=reason or UnresolvedReason.NO_LICENSE,
                declared=declared,
                detail=detail,
                tried=tuple(tried),
            )
        )
    return out, unresolved


def _env_states(env: PythonEnvironment | None, c: Component) -> bool:
    """The environment has this exact distribution and its metadata states a license."""
    if env is None or c.ecosystem != "pypi" or c.version is None:
        return False
    dist = env.get(c.name)
    if dist is None or dist.version != c.version:
        return False
    return bool(dist.license_expression or dist.license or any(x.startswith("License ::") for x in dist.classifiers))
