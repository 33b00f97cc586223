"""A local stand-in for PyPI's JSON API and the npm registry, on 127.0.0.1.

It answers from ``tests/fixtures/registry/`` (real answers, see the README there):

* ``GET /pypi/<name>/<version>/json`` -> ``pypi/<normalised name>/<version>.json``, or
  404 ``{"message": "Not Found"}`` as PyPI does;
* ``GET /npm/<name>/<version>`` (``@scope%2fname`` or ``@scope/name``) ->
  ``npm/<name>/<version>.json``, or 404 ``"version not found: <version>"`` as npm does.

``requests`` records every path asked for; ``fail`` maps a path to a status code to
answer instead (a registry outage).
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "fixtures" / "registry"


class RegistryServer:
    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        self.requests: list[str] = []
        self.fail: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def pypi_url(self) -> str:
        return self.base

    @property
    def npm_url(self) -> str:
        return f"{self.base}/npm"

    def env(self) -> dict[str, str]:
        """The variables that point oscheck at this server."""
        return {"OSCHECK_PYPI_URL": self.pypi_url, "OSCHECK_NPM_REGISTRY": self.npm_url}

    def answer(self, path: str) -> tuple[int, bytes]:
        self.requests.append(path)
        if path in self.fail:
            return self.fail[path], b'{"message": "Internal Server Error"}'
        m = re.fullmatch(r"/pypi/([^/]+)/([^/]+)/json", path)
        if m:
            name = re.sub(r"[-_.]+", "-", urllib.parse.unquote(m.group(1))).lower()
            file = self.root / "pypi" / name / f"{urllib.parse.unquote(m.group(2))}.json"
            if file.is_file():
                return 200, file.read_bytes()
            return 404, json.dumps({"message": "Not Found"}).encode()
        m = re.fullmatch(r"/npm/(@[^/]+(?:%2[fF]|/)[^/]+|[^@/][^/]*)/([^/]+)", path)
        if m:
            name = urllib.parse.unquote(m.group(1))
            version = urllib.parse.unquote(m.group(2))
            file = self.root / "npm" / name / f"{version}.json"
            if file.is_file():
                return 200, file.read_bytes()
            return 404, json.dumps(f"version not found: {version}").encode()
        return 404, b'{"error": "Not found"}'

    @contextmanager
    def running(self) -> Iterator[RegistryServer]:
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = registry.answer(self.path.split("?", 1)[0])
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
