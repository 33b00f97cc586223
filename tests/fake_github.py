"""A local HTTP server on 127.0.0.1 that answers like the GitHub REST API (the parts we call).

Routes map a path (with or without its query string) to one answer or a list of answers
served in turn (the last one repeats), so a test can script a rate limit followed by
success. Every request is recorded with its headers, to check what was (not) sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    body: Any = None
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class FakeGitHub:
    routes: dict[str, list[Answer]] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    remaining: int = 4999

    def add(self, path: str, *answers: Answer | Any) -> None:
        self.routes[path] = [a if isinstance(a, Answer) else Answer(a) for a in answers]

    def paths(self) -> list[str]:
        return [p for p, _h in self.seen]

    def answer(self, raw_path: str) -> Answer:
        path = raw_path.split("?", 1)[0]
        queue = self.routes.get(raw_path) or self.routes.get(path)
        if not queue:
            return Answer({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, 404)
        return queue.pop(0) if len(queue) > 1 else queue[0]


@contextmanager
def fake_github() -> Iterator[FakeGitHub]:
    state = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            ans = state.answer(self.path)
            payload = json.dumps(ans.body).encode() if ans.body is not None else b""
            self.send_response(ans.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": str(state.remaining)}
            headers.update(ans.headers)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def repo_body(slug: str, **overrides: Any) -> dict[str, Any]:
    """A ``GET /repos/{owner}/{repo}`` answer (the fields oscheck reads, as GitHub spells them)."""
    owner, name = slug.split("/")
    body: dict[str, Any] = {
        "id": 1296269,
        "name": name,
        "full_name": slug,
        "owner": {"login": owner, "type": "Organization"},
        "private": False,
        "visibility": "public",
        "fork": False,
        "archived": False,
        "disabled": False,
        "has_issues": True,
        "has_discussions": True,
        "stargazers_count": 42,
        "forks_count": 7,
        "open_issues_count": 3,
        "default_branch": "main",
        "html_url": f"https://github.com/{slug}",
    }
    body.update(overrides)
    return body


def profile_body(**files: bool) -> dict[str, Any]:
    """A ``GET /repos/{o}/{r}/community/profile`` answer; ``files`` says which exist."""

    def entry(key: str) -> dict[str, str] | None:
        return (
            {"url": f"https://api.github.com/{key}", "html_url": f"https://github.com/{key}"}
            if files.get(key)
            else None
        )

    keys = (
        "code_of_conduct",
        "code_of_conduct_file",
        "contributing",
        "issue_template",
        "pull_request_template",
        "license",
        "readme",
    )
    return {
        "health_percentage": int(100 * sum(bool(files.get(k)) for k in keys) / len(keys)),
        "description": "",
        "documentation": None,
        "files": {k: entry(k) for k in keys},
        "updated_at": "2026-06-01T00:00:00Z",
        "content_reports_enabled": False,
    }
