"""Where the code loads a model: Python calls, launch commands, configs, Ollama Modelfiles.

Pure functions from ``(path, text)`` to :class:`Reference` values; nothing is imported or
run. Python is read with :mod:`ast` (so a commented-out call is not a use, and a model id
kept in a constant, a parameter default, ``os.getenv("MODEL", "org/name")`` or an
``argparse`` default is still found); shell scripts, Dockerfiles and ``.env`` files with
line patterns; YAML structurally (keys, ``--model`` argument lists, command strings).

What is found:

* transformers ``*.from_pretrained(id)`` and ``pipeline(model=id)``; PEFT adapters;
  sentence-transformers ``SentenceTransformer``/``CrossEncoder`` (short names get the
  ``sentence-transformers/`` namespace the library adds); diffusers ``from_pretrained``
  and ``from_single_file``; timm/open_clip ``hf-hub:`` names;
* vLLM ``LLM(model=)``, ``EngineArgs``/``AsyncEngineArgs``, ``vllm serve ID``, ``--model``;
  TGI ``--model-id`` and ``MODEL_ID``; llama.cpp ``Llama(model_path=)``,
  ``Llama.from_pretrained(repo_id=)``, ``--hf-repo``; SGLang ``--model-path``;
* Ollama model names (``ollama.chat(model=)``, LangChain ``ChatOllama(model=)``,
  ``ollama run|pull NAME``, Modelfile ``FROM``);
* ``snapshot_download``/``hf_hub_download`` repo ids (``repo_type="dataset"`` and
  ``load_dataset`` give datasets).

Hosted inference (``InferenceClient``, ``HuggingFaceEndpoint``, Groq, Together, …) is
external API use and belongs to the API detector, not here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import yaml

from oscheck import safeparse
from oscheck.detectors.notebook import code_cells

HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
SINGLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
OLLAMA_NAME = re.compile(r"^(?:[a-z0-9][a-z0-9_.-]*/)?[a-z0-9][a-z0-9_.-]*(?::[A-Za-z0-9_.-]+)?$")
_HF_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/([^/\s]+/[^/\s:?#]+)")
_MODEL_FILE = re.compile(
    r"\.(gguf|ggml|bin|safetensors|pt|pth|ckpt|onnx|pkl|h5|keras|tflite|llamafile)$", re.IGNORECASE
)
# Builders of the datasets library that are formats, not Hub datasets.
_DATASET_BUILDERS = frozenset(
    {"json", "csv", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder", "videofolder", "webdataset"}
)


@dataclass(frozen=True)
class Reference:
    """One place that names a model (or a dataset)."""

    id: str  # hub id "org/name", an Ollama name, or a path as written
    source: str  # "hub" | "local" | "ollama"
    framework: str
    line: int
    raw: str  # the value as written
    dataset: bool = False


def classify(value: str, framework: str) -> tuple[str, str] | None:
    """``(id, source)`` for a value found where a model is expected; ``None``: not a model name."""
    v = value.strip()
    if not v or len(v) > 300 or any(ch in v for ch in " \t\n{}$<>|*"):
        return None
    m = _HF_URL.match(v)
    if m:
        return m.group(1).removesuffix(".git"), "hub"
    if v.startswith("hf-hub:"):
        v = v[len("hf-hub:") :]
        return (v, "hub") if HUB_ID.match(v) else None
    if framework == "ollama":
        if v.startswith((".", "/", "~")) or _MODEL_FILE.search(v):
            return v, "local"
        return (v, "ollama") if OLLAMA_NAME.match(v) else None
    if v.startswith((".", "/", "~")) or "\\" in v or _MODEL_FILE.search(v) or v.count("/") > 1:
        return v, "local"
    if v.startswith(("http://", "https://", "s3://", "gs://")):
        return None
    if HUB_ID.match(v):
        return v, "hub"
    if SINGLE_NAME.match(v) and not v.isdigit() and not v.replace(".", "").isdigit():
        if framework == "sentence-transformers":
            return f"sentence-transformers/{v}", "hub"
        return v, "hub"
    return None


def find_references(path: str, text: str) -> list[Reference]:
    """Every model reference in one file, by file type."""
    low = path.lower()
    base = low.rsplit("/", 1)[-1]
    if low.endswith((".py", ".pyi")) or low.endswith(".ipynb"):
        if low.endswith(".ipynb"):
            return _notebook(text)
        return _python(text)
    if base == "modelfile" or base.endswith(".modelfile"):
        return _modelfile(text)
    if low.endswith((".yml", ".yaml")):
        return _yaml(text)
    if (
        low.endswith((".sh", ".bash", ".zsh", ".env", ".cfg", ".service"))
        or base in ("dockerfile", "makefile", "procfile", "justfile", ".env")
        or base.startswith(("dockerfile.", ".env."))
        or base.endswith(".dockerfile")
    ):
        return _shell(text)
    return []


# --- Python ----------------------------------------------------------------------------

_FROM_PRETRAINED_KW = ("pretrained_model_name_or_path", "repo_id", "model_id", "pretrained_model_or_path", "model_name")
_ST_CLASSES = frozenset({"SentenceTransformer", "CrossEncoder", "SparseEncoder"})
_VLLM_CLASSES = frozenset({"LLM", "EngineArgs", "AsyncEngineArgs"})
_OLLAMA_CLASSES = frozenset({"ChatOllama", "OllamaLLM", "Ollama", "OllamaEmbeddings", "OllamaFunctions"})
_OLLAMA_CALLS = frozenset({"chat", "generate", "embed", "embeddings", "pull", "create", "show"})
_HUB_DOWNLOADS = frozenset({"snapshot_download", "hf_hub_download", "hf_hub_url"})
_HF_EMBEDDINGS = frozenset({"HuggingFaceEmbeddings", "HuggingFaceBgeEmbeddings", "HuggingFaceInstructEmbeddings"})


def _python(text: str) -> list[Reference]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # CPython's parser reports nesting past its stack (``x = ------…1``) as MemoryError.
        return []
    consts = _constants(tree)
    clients = _ollama_clients(tree)
    out: list[Reference] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            out.extend(_call(node, consts, clients))
    return out


def _ollama_clients(tree: ast.AST) -> frozenset[str]:
    """Names bound to ``ollama.Client(...)``/``AsyncClient(...)`` (their ``.chat`` is Ollama)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            if _callee(call) in ("Client", "AsyncClient") and "ollama" in _receiver(call).lower():
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(names)


def _constants(tree: ast.AST) -> dict[str, str]:
    """Names bound to a string anywhere in the file (assignments, parameter defaults)."""
    consts: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            value = _literal(node.value, {})
            if value is not None:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        consts[target.id] = value
                    elif isinstance(target, ast.Attribute):
                        consts[target.attr] = value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            value = _literal(node.value, {})
            if value is not None and isinstance(node.target, ast.Name | ast.Attribute):
                consts[node.target.id if isinstance(node.target, ast.Name) else node.target.attr] = value
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            for arg, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True):
                value = _literal(default, {})
                if value is not None:
                    consts.setdefault(arg.arg, value)
            for kwarg, kwdefault in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                value = _literal(kwdefault, {}) if kwdefault is not None else None
                if value is not None:
                    consts.setdefault(kwarg.arg, value)
    return consts


def _literal(node: ast.AST | None, consts: dict[str, str]) -> str | None:
    """The string a node evaluates to, when that is knowable without running anything."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return consts.get(node.id)
    if isinstance(node, ast.Attribute):
        # self.model_name, config.MODEL_ID: by attribute name (a heuristic, kept when unique)
        return consts.get(node.attr)
    if isinstance(node, ast.Call):
        # os.getenv("MODEL", "org/name"), os.environ.get("MODEL", "org/name"): the default
        name = _callee(node)
        if name in ("getenv", "get") and len(node.args) >= 2:
            return _literal(node.args[1], consts)
        for kw in node.keywords:
            if kw.arg == "default" and name in ("getenv", "get"):
                return _literal(kw.value, consts)
    return None


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _receiver(call: ast.Call) -> str:
    """The dotted name left of the called attribute (``transformers.AutoModel`` ...)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return ""
    parts: list[str] = []
    node: ast.AST = func.value
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(_callee(node) + "()")
    return ".".join(reversed(parts))


def _kw(call: ast.Call, *names: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg in names:
            return kw.value
    return None


def _arg(call: ast.Call, index: int) -> ast.expr | None:
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return None


def _call(call: ast.Call, consts: dict[str, str], clients: frozenset[str]) -> list[Reference]:
    name = _callee(call)
    receiver = _receiver(call)
    line = call.lineno

    def ref(node: ast.AST | None, framework: str, *, dataset: bool = False) -> list[Reference]:
        value = _literal(node, consts)
        if value is None:
            return []
        got = classify(value, framework)
        if got is None or (dataset and got[1] != "hub"):
            return []
        return [Reference(got[0], got[1], framework, line, value, dataset)]

    if name == "from_pretrained":
        framework = _framework_of(receiver)
        node = _kw(call, *_FROM_PRETRAINED_KW)
        if node is None:
            # PeftModel.from_pretrained(base_model, "adapter"): the first string argument
            for index in (0, 1):
                candidate = _arg(call, index)
                if candidate is not None and _literal(candidate, consts) is not None:
                    node = candidate
                    break
        return ref(node, framework)
    if name == "from_single_file":
        return ref(_arg(call, 0) or _kw(call, "pretrained_model_link_or_path"), "diffusers")
    if name == "from_model_id":
        return ref(_kw(call, "model_id") or _arg(call, 0), "langchain-huggingface")
    if name == "pipeline" and receiver in ("", "transformers"):
        return ref(_kw(call, "model") or _arg(call, 1), "transformers")
    if name in _ST_CLASSES:
        return ref(_arg(call, 0) or _kw(call, "model_name_or_path", "model_name"), "sentence-transformers")
    if name in _HF_EMBEDDINGS:
        return ref(_kw(call, "model_name", "model"), "sentence-transformers")
    if name in _VLLM_CLASSES and (receiver in ("", "vllm") or "vllm" in receiver):
        return ref(_kw(call, "model") or (_arg(call, 0) if name == "LLM" else None), "vllm")
    if name == "Llama" and receiver in ("", "llama_cpp"):
        return ref(_kw(call, "model_path"), "llama-cpp")
    if name in _OLLAMA_CLASSES:
        return ref(_kw(call, "model") or _arg(call, 0), "ollama")
    if name in _OLLAMA_CALLS and ("ollama" in receiver.lower() or receiver in clients):
        return ref(_kw(call, "model") or _arg(call, 0), "ollama")
    if name in _HUB_DOWNLOADS:
        repo_type = _literal(_kw(call, "repo_type"), consts)
        return ref(_kw(call, "repo_id") or _arg(call, 0), "huggingface_hub", dataset=repo_type == "dataset")
    if name == "load_dataset":
        value = _literal(_kw(call, "path") or _arg(call, 0), consts)
        if value is None or value.lower() in _DATASET_BUILDERS:
            return []
        return ref(_kw(call, "path") or _arg(call, 0), "datasets", dataset=True)
    if name in ("create_model", "create_model_and_transforms", "create_model_from_pretrained"):
        value = _literal(_arg(call, 0) or _kw(call, "model_name"), consts)
        if value is not None and value.startswith("hf-hub:"):
            return ref(_arg(call, 0) or _kw(call, "model_name"), "timm" if name == "create_model" else "open_clip")
        return []
    if name == "add_argument":
        flags = [_literal(a, consts) or "" for a in call.args]
        if any(f.lstrip("-").replace("-", "_") in _ARG_NAMES for f in flags):
            return ref(_kw(call, "default"), "argparse")
    return []


_ARG_NAMES = frozenset(
    {
        "model",
        "model_id",
        "model_name",
        "model_name_or_path",
        "model_path",
        "base_model",
        "pretrained_model_name_or_path",
    }
)


def _framework_of(receiver: str) -> str:
    last = receiver.rsplit(".", 1)[-1]
    if last.startswith("Peft") or receiver.startswith("peft"):
        return "peft"
    if (
        last.endswith("Pipeline")
        or receiver.startswith("diffusers")
        or last in ("UNet2DConditionModel", "AutoencoderKL")
    ):
        return "diffusers"
    if last == "Llama" or receiver.startswith("llama_cpp"):
        return "llama-cpp"
    if last in _ST_CLASSES:
        return "sentence-transformers"
    return "transformers"


def _notebook(text: str) -> list[Reference]:
    """Code cells of a Jupyter notebook; line numbers count from the first code line."""
    out: list[Reference] = []
    for code in code_cells(text) or []:
        lines = code.splitlines()
        # IPython magics and shell escapes are not Python; "!cmd" lines are shell
        out.extend(_python("\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in lines)))
        out.extend(_shell("\n".join(ln.lstrip()[1:] if ln.lstrip().startswith("!") else "" for ln in lines)))
    return out


# --- shell, Dockerfile, .env -----------------------------------------------------------

_SHELL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bvllm\s+serve\s+([^\s\\;&|'\"]+|'[^']+'|\"[^\"]+\")"), "vllm"),
    (re.compile(r"\bsglang\.launch_server\b.*?--model-path[= ]+([^\s\\;&|]+)"), "sglang"),
    (re.compile(r"--model-id[= ]+([^\s\\;&|]+)"), "tgi"),
    (re.compile(r"(?:--hf-repo|\s-hfr|\s-hf)[= ]+([^\s\\;&|]+)"), "llama-cpp"),
    (re.compile(r"(?:--model|--model-name-or-path|--model_name_or_path|--model-path)[= ]+([^\s\\;&|]+)"), "cli"),
    (re.compile(r"\bollama\s+(?:run|pull)\s+([^\s\\;&|'\"]+)"), "ollama"),
)
_ENV_KEYS = frozenset(
    {"MODEL_ID", "HF_MODEL_ID", "MODEL_NAME", "MODEL", "BASE_MODEL", "MODEL_NAME_OR_PATH", "LLM_MODEL"}
)
_ENV_LINE = re.compile(r"^\s*(?:export\s+|ENV\s+|ARG\s+)?([A-Z_][A-Z0-9_]*)\s*[=\s]\s*[\"']?([^\s\"'#]+)")


def _shell(text: str) -> list[Reference]:
    out: list[Reference] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        out.extend(_command_refs(line, number))
        m = _ENV_LINE.match(line)
        if m and m.group(1) in _ENV_KEYS:
            got = classify(m.group(2), "env")
            if got is not None and (got[1] != "hub" or "/" in got[0]):
                out.append(Reference(got[0], got[1], "env", number, m.group(2)))
    return _unique(out)


def _command_refs(text: str, line: int) -> list[Reference]:
    out: list[Reference] = []
    seen_spans: list[tuple[int, int]] = []
    for pattern, framework in _SHELL_PATTERNS:
        for m in pattern.finditer(text):
            span = m.span(1)
            if any(a <= span[0] < b for a, b in seen_spans):
                continue  # "--model-id X" also matches "--model"; keep the first reading
            seen_spans.append(span)
            value = m.group(1).strip("'\"")
            got = classify(value, framework)
            if got is not None:
                out.append(Reference(got[0], got[1], framework, line, value))
    return out


def _unique(refs: list[Reference]) -> list[Reference]:
    seen: set[tuple[str, int]] = set()
    out: list[Reference] = []
    for r in refs:
        if (r.id, r.line) not in seen:
            seen.add((r.id, r.line))
            out.append(r)
    return out


# --- YAML: compose files, Kubernetes manifests, Helm values, launch configs -------------

_YAML_KEYS = frozenset(
    {
        "model",
        "model_id",
        "model_name",
        "model_name_or_path",
        "model_path",
        "pretrained_model_name_or_path",
        "base_model",
        "hf_model_id",
        "llm_model",
        "embedding_model",
    }
)
_ARG_FLAGS = frozenset({"--model", "--model-id", "--model_id", "--model-path", "--model-name-or-path", "--hf-repo"})


def _yaml(text: str) -> list[Reference]:
    try:
        docs = safeparse.compose_all_yaml(text)
    except yaml.YAMLError:
        return []
    out: list[Reference] = []
    for doc in docs:
        if doc is not None:
            _walk_yaml(doc, out)
    return _unique(out)


def _walk_yaml(node: yaml.Node, out: list[Reference]) -> None:
    if isinstance(node, yaml.MappingNode):
        pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        keys = {str(k.value).lower(): v for k, v in pairs}
        # Kubernetes env entries: {name: MODEL_ID, value: org/name}
        env_name, env_value = keys.get("name"), keys.get("value")
        if (
            isinstance(env_name, yaml.ScalarNode)
            and isinstance(env_value, yaml.ScalarNode)
            and str(env_name.value) in _ENV_KEYS
        ):
            _scalar_ref(env_value, "env", out, need_slash=True)
        for key, value in pairs:
            name = str(key.value).lower().replace("-", "_")
            if name in _YAML_KEYS and isinstance(value, yaml.ScalarNode):
                _scalar_ref(value, "config", out, need_slash=True)
            elif str(key.value) in _ENV_KEYS and isinstance(value, yaml.ScalarNode):
                _scalar_ref(value, "env", out, need_slash=True)
            else:
                _walk_yaml(value, out)
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
        for i, item in enumerate(items):
            if isinstance(item, yaml.ScalarNode):
                text = str(item.value)
                if text in _ARG_FLAGS and i + 1 < len(items) and isinstance(items[i + 1], yaml.ScalarNode):
                    framework = "tgi" if text in ("--model-id", "--model_id") else "cli"
                    _scalar_ref(items[i + 1], framework, out, need_slash=False)
                elif text.startswith(tuple(f + "=" for f in _ARG_FLAGS)):
                    out.extend(_command_refs(text, item.start_mark.line + 1))
                elif text == "serve" and i > 0 and str(getattr(items[i - 1], "value", "")).endswith("vllm"):
                    if i + 1 < len(items) and isinstance(items[i + 1], yaml.ScalarNode):
                        _scalar_ref(items[i + 1], "vllm", out, need_slash=False)
                else:
                    _walk_yaml(item, out)
            else:
                _walk_yaml(item, out)
    elif (
        isinstance(node, yaml.ScalarNode)
        and isinstance(node.value, str)
        and ("--" in node.value or "serve" in node.value)
    ):
        # command: vllm serve org/name --port 8000 (a command line in one string)
        first = node.start_mark.line + 1
        for offset, line in enumerate(str(node.value).splitlines() or [str(node.value)]):
            # plain and folded scalars lose their line breaks; report the scalar's first line
            out.extend(_command_refs(line, first + (offset if node.style in ("|",) else 0)))


def _scalar_ref(node: yaml.ScalarNode, framework: str, out: list[Reference], *, need_slash: bool) -> None:
    value = str(node.value)
    got = classify(value, framework)
    if got is None or (need_slash and got[1] == "hub" and "/" not in got[0]):
        return
    out.append(Reference(got[0], got[1], framework, node.start_mark.line + 1, value))


# --- Ollama Modelfile -----------------------------------------------------------------

_FROM = re.compile(r"^\s*FROM\s+(\S+)", re.IGNORECASE)


def _modelfile(text: str) -> list[Reference]:
    out: list[Reference] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _FROM.match(line)
        if not m:
            continue
        value = m.group(1)
        hub = _HF_URL.match(value)
        if hub:
            out.append(Reference(hub.group(1), "hub", "ollama", number, value))
            continue
        got = classify(value, "ollama")
        if got is not None:
            out.append(Reference(got[0], got[1], "ollama", number, value))
    return out
