"""Acquire a model from the Hugging Face Hub through the real ``huggingface_hub`` client.

* ``HfApi.model_info(id, revision, files_metadata=True, securityStatus=True)`` once; the
  commit sha it returns pins every later request (R1 of the research notes), so the card,
  config and license files read belong to the state the verdict is about.
* ``hf_hub_download`` only for ``README.md``, ``config.json``, ``adapter_config.json`` and
  the root license files (``LICENSE*``, ``LICENCE*``, ``USE_POLICY*``, ``NOTICE*``), each
  under a size cap; weight files only when asked (``--download-weights``).
* ``base_model`` lineage (card data and the Hub's ``base_model:<relation>:<id>`` tags)
  followed recursively with a depth cap and a cycle guard.
* The token comes from ``HF_TOKEN`` or the ``huggingface_hub`` login; it is never printed
  (errors are built from our own words, not from the client's messages).
* ``HF_HUB_OFFLINE=1``: nothing is requested; the metadata snapshot oscheck kept when it
  last saw that commit, and the files in the local Hugging Face cache, are used.

Settings are read from the environment at call time (``HF_ENDPOINT``, ``HF_HUB_OFFLINE``,
``HF_HUB_CACHE``/``HF_HOME``), not when ``huggingface_hub`` was imported.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from oscheck import safeparse
from oscheck.errors import TargetUnavailable
from oscheck.i18n import _
from oscheck.model import Target, TargetKind
from oscheck.sources.interface import Source, SourceTree, TreeEntry

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.-]{0,95})?$")
COMMIT_SHA = re.compile(r"^[0-9a-f]{40}$")
CARD_FILES = ("README.md", "config.json", "adapter_config.json")
LICENSE_FILE = re.compile(r"^(licen[cs]e|use_policy|notice|acceptable[_-]use)([-_.].*)?$", re.IGNORECASE)
MAX_CARD_FILE_BYTES = 2 << 20  # a README or license larger than this is not a card
LINEAGE_DEPTH = 5
REQUEST_TIMEOUT = 20.0
_RELATIONS = ("adapter", "merge", "quantized", "finetune")


class ModelUnavailable(TargetUnavailable):
    """A model id that cannot be inspected; ``reason`` says why (a finding inside a scan)."""

    def __init__(self, model_id: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.model_id = model_id
        self.reason = (
            reason  # not-found | revision-not-found | disabled | unreachable | offline-not-cached | invalid-id
        )


@dataclass(frozen=True)
class HubFile:
    path: str
    size: int | None = None
    sha256: str | None = None  # the LFS object's sha256 (what SBOM hashes use)
    blob_id: str | None = None  # the git blob id


@dataclass(frozen=True)
class HubModel:
    """What the Hub says about one model at one commit (plain data; no client objects)."""

    id: str
    requested_revision: str | None
    sha: str | None
    endpoint: str
    author: str | None = None
    private: bool = False
    gated: str | None = None  # "auto" | "manual" | None
    disabled: bool = False
    pipeline_tag: str | None = None
    library_name: str | None = None
    tags: tuple[str, ...] = ()
    card_data: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[HubFile, ...] = ()
    files_complete: bool = True  # False offline: only the cached files are known
    safetensors_parameters: int | None = None
    gguf: Mapping[str, Any] | None = None
    security: Mapping[str, Any] | None = None
    last_modified: str | None = None
    texts: Mapping[str, str] = field(default_factory=dict)  # README.md, LICENSE, ... as downloaded
    unreadable: Mapping[str, str] = field(default_factory=dict)  # file -> why it was not read (gated, ...)
    offline: bool = False

    @property
    def url(self) -> str:
        return f"{self.endpoint}/{self.id}"

    @property
    def license_tags(self) -> tuple[str, ...]:
        """``license`` of the card data (a string or a list), else the ``license:`` tags."""
        value = self.card_data.get("license")
        if isinstance(value, str) and value:
            return (value,)
        if isinstance(value, list) and value:
            return tuple(str(v) for v in value if v)
        return tuple(t.split(":", 1)[1] for t in self.tags if t.startswith("license:"))

    @property
    def base_models(self) -> tuple[tuple[str, str], ...]:
        """``(base id, relation)`` pairs: the Hub's ``base_model:<relation>:<id>`` tags, else the card."""
        found: dict[str, str] = {}
        for tag in self.tags:
            parts = tag.split(":")
            if len(parts) == 3 and parts[0] == "base_model" and parts[1] in _RELATIONS:
                found[parts[2]] = parts[1]
        if found:
            return tuple(found.items())  # the Hub's tags resolve renamed repositories; the card may not
        card = self.card_data.get("base_model")
        ids = [card] if isinstance(card, str) else [str(c) for c in card] if isinstance(card, list) else []
        relation = self.card_data.get("base_model_relation")
        for base in ids:
            found.setdefault(base, str(relation) if relation in _RELATIONS else self._guess_relation(len(ids)))
        return tuple(found.items())

    def _guess_relation(self, bases: int) -> str:
        names = {f.path.rsplit("/", 1)[-1].lower() for f in self.files}
        if "adapter_config.json" in names:
            return "adapter"
        if bases > 1:
            return "merge"
        lowered = {t.lower() for t in self.tags}
        if any(f.endswith(".gguf") for f in names) or lowered & {"gguf", "gptq", "awq", "4-bit", "8-bit", "exl2"}:
            return "quantized"
        return "finetune"

    @property
    def datasets(self) -> tuple[str, ...]:
        value = self.card_data.get("datasets")
        listed = [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, list) else []
        tagged = [t.split(":", 1)[1] for t in self.tags if t.startswith("dataset:")]
        return tuple(dict.fromkeys([*listed, *tagged]))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["files"] = [asdict(f) for f in self.files]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HubModel:
        values = dict(data)
        values["files"] = tuple(HubFile(**f) for f in values.get("files", ()))
        values["tags"] = tuple(values.get("tags", ()))
        return cls(**values)


@dataclass(frozen=True)
class Ancestor:
    """One step of a model's lineage: the base model (or why it could not be read)."""

    id: str
    relation: str
    depth: int
    child: str
    model: HubModel | None
    problem: str | None = None  # a ModelUnavailable reason
    cycle: bool = False


def hub_settings() -> tuple[str, bool, Path]:
    """``(endpoint, offline, cache_dir)`` from the environment, now."""
    endpoint = (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
    offline = os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
    cache = os.environ.get("HF_HUB_CACHE")
    if cache:
        return endpoint, offline, Path(cache)
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface"
    )
    return endpoint, offline, Path(home) / "hub"


def is_hub_id(value: str) -> bool:
    return bool(HUB_ID.match(value)) and ".." not in value


class HubClient:
    """Model metadata from the Hub (or, offline, from what was kept the last time)."""

    def __init__(self, snapshot_dir: Path | None = None, *, timeout: float = REQUEST_TIMEOUT) -> None:
        self.endpoint, self.offline, self.cache_dir = hub_settings()
        self.snapshot_dir = snapshot_dir  # where model_info snapshots are kept for offline use
        self.timeout = timeout
        self._memo: dict[tuple[str, str | None, bool], HubModel] = {}
        self.requests = 0

    # -- one model ------------------------------------------------------------------
    def model(self, model_id: str, revision: str | None = None, *, card_files: bool = True) -> HubModel:
        """The model at ``revision`` (default branch when ``None``); ``ModelUnavailable`` if it cannot be read."""
        if not is_hub_id(model_id):
            raise ModelUnavailable(
                model_id,
                "invalid-id",
                _("{model}: not a Hugging Face model id (expected org/name)", model=model_id),
            )
        key = (model_id.lower(), revision, card_files)
        if key in self._memo:
            return self._memo[key]
        model = self._offline(model_id, revision) if self.offline else self._online(model_id, revision, card_files)
        self._memo[key] = model
        return model

    def _online(self, model_id: str, revision: str | None, card_files: bool) -> HubModel:
        from huggingface_hub import HfApi
        from huggingface_hub.errors import (
            DisabledRepoError,
            HfHubHTTPError,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )

        api = HfApi(endpoint=self.endpoint)
        self.requests += 1
        try:
            info = api.model_info(
                model_id, revision=revision, files_metadata=True, securityStatus=True, timeout=self.timeout
            )
        except RevisionNotFoundError:
            raise ModelUnavailable(
                model_id,
                "revision-not-found",
                _(
                    "{model}: revision '{revision}' not found on the Hugging Face Hub",
                    model=model_id,
                    revision=revision,
                ),
            ) from None
        except RepositoryNotFoundError:
            raise ModelUnavailable(
                model_id,
                "not-found",
                _(
                    "{model}: model not found on the Hugging Face Hub (or private: set HF_TOKEN to a token that can read it)",
                    model=model_id,
                ),
            ) from None
        except DisabledRepoError:
            raise ModelUnavailable(
                model_id, "disabled", _("{model}: the model has been disabled on the Hugging Face Hub", model=model_id)
            ) from None
        except (HfHubHTTPError, OSError, ValueError) as exc:
            raise self._unreachable(model_id, exc) from None
        except Exception as exc:  # httpx2 transport errors do not share a base with OSError
            if type(exc).__module__.startswith(("httpx", "httpcore", "huggingface_hub")):
                raise self._unreachable(model_id, exc) from None
            raise
        model = _from_info(info, model_id, revision, self.endpoint)
        if card_files and model.sha and not model.disabled:
            model = self._with_card_files(model)
        self._keep(model)
        return model

    def _unreachable(self, model_id: str, exc: BaseException) -> ModelUnavailable:
        log.debug("hub request for %s failed: %s", model_id, type(exc).__name__)
        return ModelUnavailable(
            model_id,
            "unreachable",
            _(
                "{model}: the Hugging Face Hub at {endpoint} could not be reached ({error}); try again, or set HF_HUB_OFFLINE=1 to use the local cache",
                model=model_id,
                endpoint=self.endpoint,
                error=type(exc).__name__,
            ),
        )

    def _with_card_files(self, model: HubModel) -> HubModel:
        from huggingface_hub import hf_hub_download
        from huggingface_hub.errors import EntryNotFoundError, GatedRepoError, HfHubHTTPError

        texts: dict[str, str] = {}
        unreadable: dict[str, str] = {}
        for f in model.files:
            if f.path not in CARD_FILES and not ("/" not in f.path and LICENSE_FILE.match(f.path)):
                continue
            if f.size is not None and f.size > MAX_CARD_FILE_BYTES:
                unreadable[f.path] = "oversized"
                continue
            try:
                self.requests += 1
                local = hf_hub_download(
                    model.id,
                    f.path,
                    revision=model.sha,
                    endpoint=self.endpoint,
                    cache_dir=self.cache_dir,
                    etag_timeout=self.timeout,
                )
                texts[f.path] = _read_text(Path(local))
            except GatedRepoError:
                unreadable[f.path] = "gated"
            except EntryNotFoundError:
                unreadable[f.path] = "missing"
            except (HfHubHTTPError, OSError, ValueError) as exc:
                unreadable[f.path] = type(exc).__name__
            except Exception as exc:
                if not type(exc).__module__.startswith(("httpx", "httpcore", "huggingface_hub")):
                    raise
                unreadable[f.path] = type(exc).__name__
        return _replace(model, texts=texts, unreadable=unreadable)

    def download(self, model: HubModel, path: str) -> Path:
        """Download one file of the model at its pinned commit (weights: ``--download-weights`` only)."""
        from huggingface_hub import hf_hub_download

        return Path(
            hf_hub_download(
                model.id,
                path,
                revision=model.sha,
                endpoint=self.endpoint,
                cache_dir=self.cache_dir,
                local_files_only=self.offline,
            )
        )

    # -- offline -------------------------------------------------------------------
    def _keep(self, model: HubModel) -> None:
        """Keep the metadata of this commit so that an offline scan can use it later."""
        if self.snapshot_dir is None or not model.sha:
            return
        try:
            folder = self.snapshot_dir / _repo_folder(model.id)
            folder.mkdir(parents=True, exist_ok=True)
            data = json.dumps(model.to_json(), ensure_ascii=False)
            (folder / f"{model.sha}.json").write_text(data, encoding="utf-8")
            requested = model.requested_revision or "main"
            if requested != model.sha:
                ref = folder / "refs" / _safe_name(requested)
                ref.parent.mkdir(exist_ok=True)
                ref.write_text(model.sha, encoding="utf-8")
        except OSError as exc:  # a read-only cache must not fail a scan
            log.debug("cannot keep hub metadata: %s", exc)

    def _offline(self, model_id: str, revision: str | None) -> HubModel:
        sha = self._offline_sha(model_id, revision)
        if sha is not None and self.snapshot_dir is not None:
            kept = self.snapshot_dir / _repo_folder(model_id) / f"{sha}.json"
            if kept.is_file():
                try:
                    model = HubModel.from_json(json.loads(kept.read_text(encoding="utf-8")))
                    return _replace(model, offline=True, requested_revision=revision)
                except (OSError, ValueError, TypeError):
                    pass
        snapshot = self.cache_dir / f"models--{model_id.replace('/', '--')}" / "snapshots" / (sha or "-")
        if sha is None or not snapshot.is_dir():
            raise ModelUnavailable(
                model_id,
                "offline-not-cached",
                _(
                    "{model}: HF_HUB_OFFLINE is set and the model is not in the local Hugging Face cache; scan once online first",
                    model=model_id,
                ),
            )
        files: list[HubFile] = []
        texts: dict[str, str] = {}
        for path in sorted(snapshot.rglob("*")):
            if path.is_file():
                rel = path.relative_to(snapshot).as_posix()
                files.append(HubFile(rel, path.stat().st_size))
                if rel in CARD_FILES or ("/" not in rel and LICENSE_FILE.match(rel)):
                    texts[rel] = _read_text(path)
        card = _card_data(texts.get("README.md", ""))
        return HubModel(
            id=model_id,
            requested_revision=revision,
            sha=sha,
            endpoint=self.endpoint,
            card_data=card,
            files=tuple(files),
            files_complete=False,
            texts=texts,
            offline=True,
        )

    def _offline_sha(self, model_id: str, revision: str | None) -> str | None:
        if revision and COMMIT_SHA.match(revision):
            return revision
        name = _safe_name(revision or "main")
        candidates = []
        if self.snapshot_dir is not None:
            candidates.append(self.snapshot_dir / _repo_folder(model_id) / "refs" / name)
        candidates.append(self.cache_dir / f"models--{model_id.replace('/', '--')}" / "refs" / name)
        for ref in candidates:
            if ref.is_file():
                sha = ref.read_text(encoding="utf-8").strip()
                if COMMIT_SHA.match(sha):
                    return sha
        return None

    # -- lineage -------------------------------------------------------------------
    def lineage(self, model: HubModel, max_depth: int = LINEAGE_DEPTH) -> list[Ancestor]:
        """Every ancestor up to ``max_depth``, nearest first; cycles are cut and marked."""
        out: list[Ancestor] = []
        seen = {model.id.lower()}
        frontier: list[tuple[HubModel, int]] = [(model, 1)]
        while frontier:
            child, depth = frontier.pop(0)
            if depth > max_depth:
                continue
            for base_id, relation in child.base_models:
                if base_id.lower() in seen:
                    out.append(Ancestor(base_id, relation, depth, child.id, None, cycle=True))
                    continue
                seen.add(base_id.lower())
                try:
                    base = self.model(base_id, None, card_files=False)
                except ModelUnavailable as exc:
                    out.append(Ancestor(base_id, relation, depth, child.id, None, problem=exc.reason))
                    continue
                out.append(Ancestor(base_id, relation, depth, child.id, base))
                frontier.append((base, depth + 1))
        return out


def _from_info(info: Any, requested: str, revision: str | None, endpoint: str) -> HubModel:
    data = getattr(info, "card_data", None)
    card = data.to_dict() if data is not None else {}
    files = tuple(
        HubFile(
            s.rfilename,
            s.size if s.size is not None else (s.lfs.size if s.lfs else None),
            s.lfs.sha256 if s.lfs else None,
            s.blob_id,
        )
        for s in (info.siblings or [])
    )
    gated = info.gated if isinstance(info.gated, str) else None
    return HubModel(
        id=str(info.id or requested),
        requested_revision=revision,
        sha=info.sha,
        endpoint=endpoint,
        author=info.author,
        private=bool(info.private),
        gated=gated,
        disabled=bool(info.disabled),
        pipeline_tag=info.pipeline_tag,
        library_name=info.library_name,
        tags=tuple(info.tags or ()),
        card_data=_jsonable(card),
        files=files,
        safetensors_parameters=info.safetensors.total if info.safetensors else None,
        gguf=_jsonable(info.gguf) if isinstance(info.gguf, dict) else None,
        security=_jsonable(info.security_repo_status) if isinstance(info.security_repo_status, dict) else None,
        last_modified=info.last_modified.isoformat() if info.last_modified else None,
    )


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _card_data(readme: str) -> dict[str, Any]:
    """The YAML front matter of a model card, parsed by huggingface_hub's ``ModelCard``."""
    if not readme.startswith("---"):
        return {}
    from huggingface_hub import ModelCard
    from huggingface_hub.repocard import REGEX_YAML_BLOCK

    # ModelCard runs yaml.safe_load and then copies the data: an alias bomb in a card would
    # never finish, so the same front matter is measured first.
    front = REGEX_YAML_BLOCK.search(readme)
    if front is not None:
        try:
            safeparse.compose_all_yaml(front.group(2))
        except yaml.YAMLError as exc:
            log.warning("model card front matter ignored: %s", safeparse.yaml_error_location(exc)[1])
            return {}
    try:
        card = ModelCard(readme, ignore_metadata_errors=True)
    except (ValueError, TypeError, AttributeError) as exc:
        log.debug("unreadable card data: %s", exc)
        return {}
    data: dict[str, Any] = _jsonable(card.data.to_dict())  # type: ignore[no-untyped-call]
    return data


def card_data_of(readme: str) -> dict[str, Any]:
    """Public face of :func:`_card_data` (local model folders use it too)."""
    try:
        return _card_data(readme)
    except Exception as exc:  # yaml errors surface as several types across versions
        log.debug("unreadable card data: %s", exc)
        return {}


def _read_text(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.read(MAX_CARD_FILE_BYTES).decode("utf-8", errors="replace")


def _replace(model: HubModel, **changes: Any) -> HubModel:
    from dataclasses import replace

    return replace(model, **changes)


def _repo_folder(model_id: str) -> str:
    return _safe_name(model_id.replace("/", "--"))


def _safe_name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", value)[:200] or "_"


# -- a model as the target of `oscheck model` ------------------------------------------------


class HubModelSource(Source):
    """``oscheck model ORG/NAME``: the target is the model; its tree holds no repository files.

    Acquiring it reads the model's metadata once, so that a missing id fails here, as one
    line with exit code 3, before any detector runs.
    """

    def __init__(self, model_id: str, revision: str | None, client: HubClient) -> None:
        self.model_id = model_id
        self.revision = revision
        self.client = client

    def acquire(self) -> SourceTree:
        model = self.client.model(self.model_id, self.revision)
        return _EmptyTree(Target(TargetKind.MODEL, model.url, self.revision, model.sha))


class _EmptyTree(SourceTree):
    def __init__(self, target: Target) -> None:
        self.target = target

    def entries(self) -> Iterator[TreeEntry]:
        return iter(())

    def read_bytes(self, entry: TreeEntry, limit: int) -> bytes:
        raise OSError(f"{entry.path}: not part of a model target")
