"""A small Hugging Face Hub on 127.0.0.1 for the real ``huggingface_hub`` client.

It answers the endpoints the client calls, in the shapes the Hub uses:

* ``GET /api/models/{id}`` and ``/api/models/{id}/revision/{rev}`` (``blobs``,
  ``securityStatus``): ``id``, ``sha``, ``gated``, ``private``, ``disabled``, ``tags``,
  ``cardData``, ``siblings`` with ``blobId``/``size``/``lfs``, ``safetensors``,
  ``securityRepoStatus``;
* ``HEAD``/``GET /{id}/resolve/{rev}/{file}`` with ``X-Repo-Commit``, ``ETag``, and for
  LFS files ``X-Linked-Etag``/``X-Linked-Size``;
* errors with the ``X-Error-Code`` header the client maps to its exceptions
  (``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``, ``GatedRepo``).

Every request is logged, so a test can assert that no weight file was fetched and that
the token was sent only as a header.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class FakeModel:
    id: str
    files: dict[str, bytes | int]  # content, or the size of an LFS weight file never served
    card: dict[str, Any] = field(default_factory=dict)  # the README front matter (cardData)
    tags: list[str] = field(default_factory=list)
    gated: str | bool = False
    private: bool = False
    disabled: bool = False
    pipeline_tag: str | None = None
    library_name: str | None = "transformers"
    readme_body: str = "# Model\n"
    sha: str = ""

    def __post_init__(self) -> None:
        if not self.sha:
            self.sha = hashlib.sha1(self.id.encode()).hexdigest()
        if "README.md" not in self.files:
            front = "---\n" + _yaml(self.card) + "---\n" if self.card else ""
            self.files["README.md"] = (front + self.readme_body).encode()


def _yaml(data: Mapping[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)


def _is_lfs(path: str) -> bool:
    return path.endswith((".safetensors", ".bin", ".pt", ".pth", ".gguf", ".onnx", ".h5", ".msgpack", ".ckpt"))


def model_info_json(m: FakeModel) -> dict[str, Any]:
    siblings = []
    for path, content in sorted(m.files.items()):
        size = content if isinstance(content, int) else len(content)
        blob = hashlib.sha1(path.encode() + str(size).encode()).hexdigest()
        entry: dict[str, Any] = {"rfilename": path, "blobId": blob, "size": size}
        if _is_lfs(path):
            entry["lfs"] = {"sha256": hashlib.sha256(path.encode()).hexdigest(), "size": size, "pointerSize": 135}
        siblings.append(entry)
    tags = list(m.tags)
    lic = m.card.get("license")
    if isinstance(lic, str) and f"license:{lic}" not in tags:
        tags.append(f"license:{lic}")
    data: dict[str, Any] = {
        "_id": hashlib.md5(m.id.encode()).hexdigest()[:24],
        "id": m.id,
        "modelId": m.id,
        "author": m.id.split("/")[0],
        "sha": m.sha,
        "lastModified": "2025-07-01T09:30:00.000Z",
        "createdAt": "2024-07-18T08:56:00.000Z",
        "private": m.private,
        "disabled": m.disabled,
        "gated": m.gated,
        "downloads": 1234,
        "likes": 56,
        "library_name": m.library_name,
        "pipeline_tag": m.pipeline_tag,
        "tags": tags,
        "cardData": m.card or None,
        "siblings": siblings,
        "spaces": [],
        "usedStorage": sum(s["size"] for s in siblings),
        "securityRepoStatus": {"scansDone": True, "filesWithIssues": []},
    }
    if m.library_name is None:
        data.pop("library_name")
    if any(p.endswith(".safetensors") for p in m.files):
        data["safetensors"] = {"parameters": {"BF16": 8030261248}, "total": 8030261248}
    return data


class FakeHub:
    def __init__(self, models: list[FakeModel]) -> None:
        self.models = {m.id.lower(): m for m in models}
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    def find(self, model_id: str) -> FakeModel | None:
        return self.models.get(model_id.lower())


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve(body=True)

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def _error(self, status: int, code: str, message: str, body: bool) -> None:
            payload = json.dumps({"error": message}).encode()
            self.send_response(status)
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body:
                self.wfile.write(payload)

        def _serve(self, body: bool) -> None:
            url = urlsplit(self.path)
            path = unquote(url.path)
            hub.requests.append((self.command, path, {k.lower(): v for k, v in self.headers.items()}))
            authorized = self.headers.get("Authorization", "").startswith("Bearer hf_")
            if path.startswith("/api/models/"):
                self._api(path[len("/api/models/") :], parse_qs(url.query), body, authorized)
            elif "/resolve/" in path:
                self._resolve(path.lstrip("/"), body, authorized)
            else:
                self._error(404, "RepoNotFound", "Repository not found", body)

        def _api(self, rest: str, query: dict[str, list[str]], body: bool, authorized: bool) -> None:
            repo, _sep, revision = rest.partition("/revision/")
            model = hub.find(repo)
            if model is None or (model.private and not authorized):
                self._error(401, "RepoNotFound", "Repository not found", body)
                return
            if revision and revision not in ("main", model.sha):
                self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", body)
                return
            payload = json.dumps(model_info_json(model)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body:
                self.wfile.write(payload)

        def _resolve(self, rest: str, body: bool, authorized: bool) -> None:
            repo, _sep, tail = rest.partition("/resolve/")
            revision, _sep, filename = tail.partition("/")
            model = hub.find(repo)
            if model is None:
                self._error(401, "RepoNotFound", "Repository not found", body)
                return
            if revision not in ("main", model.sha):
                self._error(404, "RevisionNotFound", "Invalid rev id", body)
                return
            # Gated repositories let anyone read the card, nothing else without access.
            if model.gated and not authorized and filename not in ("README.md", ".gitattributes"):
                self._error(
                    401, "GatedRepo", f"Access to model {model.id} is restricted. You must have access to it.", body
                )
                return
            content = model.files.get(filename)
            if content is None:
                self._error(404, "EntryNotFound", f"{filename} does not exist on main", body)
                return
            data = content if isinstance(content, bytes) else b"\0" * content
            etag = hashlib.sha1(data).hexdigest()
            self.send_response(200)
            self.send_header("X-Repo-Commit", model.sha)
            self.send_header("ETag", f'"{etag}"')
            if _is_lfs(filename):
                self.send_header("X-Linked-Etag", f'"{hashlib.sha256(data).hexdigest()}"')
                self.send_header("X-Linked-Size", str(len(data)))
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler


@contextmanager
def serve_hub(models: list[FakeModel]) -> Iterator[tuple[str, FakeHub]]:
    """Run the fake Hub on a free port of 127.0.0.1; yields (endpoint URL, hub)."""
    hub = FakeHub(models)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hub
    finally:
        server.shutdown()
        server.server_close()
