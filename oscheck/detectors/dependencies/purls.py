"""Package URLs (purl spec) for the ecosystems oscheck reads, built with packageurl-python."""

from __future__ import annotations

import re

from packageurl import PackageURL

_PEP503 = re.compile(r"[-_.]+")


def pypi_name(name: str) -> str:
    """PEP 503 normalised name (what PyPI and the purl spec use)."""
    return _PEP503.sub("-", name).lower()


def purl_for(
    ecosystem: str, name: str, version: str | None, *, vcs_url: str | None = None, download_url: str | None = None
) -> str:
    """The purl of a package; ``name`` is written as the ecosystem writes it.

    npm ``@scope/name`` becomes namespace ``@scope``; maven ``group:artifact`` becomes
    namespace ``group``; a Go module path keeps everything before the last ``/`` as the
    namespace, as the purl spec says.
    """
    namespace: str | None = None
    if ecosystem == "pypi":
        name = pypi_name(name)
    elif ecosystem == "npm" and name.startswith("@") and "/" in name:
        namespace, name = name.split("/", 1)
    elif ecosystem == "maven" and ":" in name:
        namespace, name = name.split(":", 1)
    elif ecosystem == "golang" and "/" in name:
        namespace, name = name.rsplit("/", 1)
    qualifiers = {k: v for k, v in (("vcs_url", vcs_url), ("download_url", download_url)) if v}
    purl = PackageURL(
        type=ecosystem, namespace=namespace, name=name, version=version or None, qualifiers=qualifiers or None
    )
    return str(purl.to_string())


def from_registry(purl: str) -> bool:
    """False for a purl that names a VCS or download location instead of a registry release."""
    return "vcs_url=" not in purl and "download_url=" not in purl
