"""A small GitHub REST client: few calls, rate-limit aware, bounded, token never leaked.

* Base URL from ``GITHUB_API_URL`` (what GitHub Actions sets; GitHub Enterprise too),
  default ``https://api.github.com``. Tests point it at a local server.
* ``GITHUB_TOKEN`` when set, as an *unredirected* header: a redirect to another host
  never carries it; pagination links to another host are not followed.
* Rate limits: ``X-RateLimit-Remaining``/``X-RateLimit-Reset`` are read on every answer;
  ``Retry-After`` and exhausted limits are waited out only when the wait is short
  (``max_wait``), at most ``max_retries`` times; otherwise :class:`RateLimited` is raised
  and the caller records what it skipped. A per-scan request budget bounds everything.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from oscheck import safeparse

DEFAULT_API_URL = "https://api.github.com"
MAX_BODY_BYTES = 16 << 20
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class ForgeError(Exception):
    """The API could not give an answer; ``code`` names why (for ``ForgeRepository.skipped``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class RateLimited(ForgeError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("rate-limit", detail)


class BudgetExhausted(ForgeError):
    def __init__(self) -> None:
        super().__init__("budget")


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: Mapping[str, str]


@dataclass
class GitHubClient:
    """``get``/``paginate`` against the REST API, with the limits described above."""

    api_url: str = DEFAULT_API_URL
    token: str | None = None
    max_requests: int = 60
    max_wait: float = 30.0
    max_retries: int = 2
    timeout: float = 15.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    requests: int = 0
    remaining: int | None = None
    reset_at: float | None = None
    waited: float = 0.0
    _host: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.api_url = self.api_url.rstrip("/")
        self._host = urllib.parse.urlsplit(self.api_url).netloc

    @classmethod
    def from_env(cls, **kwargs: Any) -> GitHubClient:
        return cls(
            api_url=os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL,
            token=os.environ.get("GITHUB_TOKEN") or None,
            **kwargs,
        )

    @property
    def authenticated(self) -> bool:
        return bool(self.token)

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Response:
        """One GET; 404/410/409 come back as a :class:`Response`, limits raise."""
        url = path if path.startswith(("http://", "https://")) else f"{self.api_url}{path}"
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        if urllib.parse.urlsplit(url).netloc != self._host:
            raise ForgeError("error", "refusing to send a request to another host")
        retries = 0
        while True:
            self._wait_for_quota()
            if self.requests >= self.max_requests:
                raise BudgetExhausted
            self.requests += 1
            status, body, headers = self._send(url)
            self._note_limits(headers)
            if status in (403, 429) and self._is_rate_limited(status, headers):
                wait = self._wait_seconds(headers)
                if wait is None or wait > self.max_wait or retries >= self.max_retries:
                    raise RateLimited(f"HTTP {status}")
                retries += 1
                self._pause(wait)
                continue
            if status >= 500 and retries < self.max_retries:
                retries += 1
                self._pause(float(2**retries))
                continue
            if status >= 400 and status not in (404, 409, 410, 451):
                raise ForgeError("error", f"HTTP {status}")
            return Response(status, body, headers)

    def paginate(
        self, path: str, params: Mapping[str, str | int] | None = None, *, max_pages: int = 5
    ) -> tuple[list[Any], bool]:
        """Items of up to ``max_pages`` pages (``per_page=100``) and whether more were left."""
        query: dict[str, str | int] = {"per_page": 100, **(params or {})}
        resp = self.get(path, query)
        items: list[Any] = []
        pages = 0
        while True:
            if resp.status != 200 or not isinstance(resp.body, list):
                return items, False
            items.extend(resp.body)
            pages += 1
            nxt = _NEXT.search(resp.headers.get("link", ""))
            if nxt is None:
                return items, False
            if pages >= max_pages:
                return items, True
            resp = self.get(nxt.group(1))

    # -- internals -------------------------------------------------------------------

    def _send(self, url: str) -> tuple[int, Any, dict[str, str]]:
        req = urllib.request.Request(url, method="GET")  # noqa: S310 - the scheme is the configured API's
        req.add_header("Accept", "application/vnd.github+json")
        req.add_header("X-GitHub-Api-Version", "2022-11-28")
        req.add_header("User-Agent", "oscheck")
        if self.token:
            req.add_unredirected_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                raw = resp.read(MAX_BODY_BYTES + 1)
                status = resp.status
                headers = {k.lower(): v for k, v in resp.headers.items()}
        except urllib.error.HTTPError as exc:
            raw = exc.read(MAX_BODY_BYTES + 1) if exc.fp is not None else b""
            status = exc.code
            headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ForgeError("error", type(exc).__name__) from None
        if len(raw) > MAX_BODY_BYTES:
            raise ForgeError("error", "answer too large")
        try:
            body = safeparse.load_json(raw) if raw else None
        except ValueError:
            body = None
        return status, body, headers

    def _note_limits(self, headers: Mapping[str, str]) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        reset = headers.get("x-ratelimit-reset")
        if remaining is not None and remaining.strip().isdigit():
            self.remaining = int(remaining)
        if reset is not None and reset.strip().isdigit():
            self.reset_at = float(reset)

    @staticmethod
    def _is_rate_limited(status: int, headers: Mapping[str, str]) -> bool:
        return status == 429 or "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0"

    def _wait_seconds(self, headers: Mapping[str, str]) -> float | None:
        after = headers.get("retry-after", "").strip()
        if after.isdigit():
            return float(after)
        if headers.get("x-ratelimit-remaining") == "0" and self.reset_at is not None:
            return max(0.0, self.reset_at - self.clock()) + 1.0
        # GitHub's advice for secondary limits without a header: wait at least a minute.
        return 60.0

    def _wait_for_quota(self) -> None:
        if self.remaining == 0 and self.reset_at is not None:
            wait = self.reset_at - self.clock() + 1.0
            if wait > self.max_wait:
                raise RateLimited("X-RateLimit-Remaining: 0")
            if wait > 0:
                self._pause(wait)
            self.remaining = None

    def _pause(self, seconds: float) -> None:
        self.waited += seconds
        self.sleep(seconds)
