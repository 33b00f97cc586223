"""Where an endpoint points: a catalogue API, the grantee's own machine, or somewhere else.

The order of the research note (shared/research/ai-compliance.md, "How to tell local use
from external use"): hosts the grantee declared in ``allowed_endpoints``, then loopback,
private and link-local addresses, ``*.local``/``*.internal``/cluster names and single-label
(compose service) names, then catalogue hosts; anything else is an unknown public host.
"""

from __future__ import annotations

import enum
import fnmatch
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from oscheck.detectors.ai_api.catalogue import Catalogue


class HostKind(enum.Enum):
    DECLARED = "declared"  # in .oscheck.yml allowed_endpoints
    LOCAL = "local"
    API = "api"  # a catalogue host
    PUBLIC = "public"  # an unknown public host
    UNKNOWN = "unknown"  # the host part could not be read


@dataclass(frozen=True)
class HostVerdict:
    kind: HostKind
    host: str | None
    provider: str | None = None
    why: str = ""


def host_of(url: str) -> str | None:
    """The host of a URL or of a bare ``host[:port][/path]``; None when it is not readable."""
    text = url.strip()
    if not text:
        return None
    low = text.lower()
    if low.startswith(("unix:", "http+unix:", "ipc:")):
        return "unix-socket"
    if "://" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if not host or "{?}" in (parts.netloc or "") or "{" in host or "$" in host:
        return None
    return host.lower().rstrip(".")


def classify_host(url: str, cat: Catalogue, allowed: tuple[str, ...]) -> HostVerdict:
    host = host_of(url)
    if host is None:
        found = cat.find_hosts(url)
        if found:
            return HostVerdict(HostKind.API, found[0][1], found[0][2], "catalogue host")
        return HostVerdict(HostKind.UNKNOWN, None, None, "host not readable")
    if host == "unix-socket":
        return HostVerdict(HostKind.LOCAL, host, None, "unix socket")
    for pattern in allowed:
        p = (host_of(pattern) or pattern).lower()
        if host == p or fnmatch.fnmatchcase(host, p) or (p.startswith(".") and host.endswith(p)):
            return HostVerdict(HostKind.DECLARED, host, None, f"allowed_endpoints: {pattern}")
    local = _local_reason(host, cat)
    if local:
        return HostVerdict(HostKind.LOCAL, host, None, local)
    provider = cat.provider_of_host(host)
    if provider is not None:
        return HostVerdict(HostKind.API, host, provider, "catalogue host")
    return HostVerdict(HostKind.PUBLIC, host, None, "unknown public host")


def _local_reason(host: str, cat: Catalogue) -> str:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        if ip.is_loopback:
            return "loopback address"
        if ip.is_unspecified:
            return "unspecified address (0.0.0.0)"
        if ip.is_private or ip.is_link_local:
            return "private address"
        return ""
    if host in cat.local_host_names:
        return "local host name"
    for suffix in cat.local_host_suffixes:
        if host.endswith(suffix):
            return f"local domain ({suffix})"
    if "." not in host:
        return "single-label name (a compose or cluster service)"
    return ""
