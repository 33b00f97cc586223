"""Configuration: ``.env``, compose and Kubernetes YAML, TOML/INI/JSON settings, Dockerfiles.

Line-based on purpose (these files are often templates that no parser accepts). Each file
gives three things: API hosts it points at (a use), keys it holds (a use, never printed),
and environment values it sets (used afterwards to resolve ``os.getenv("OPENAI_BASE_URL")``
and SDK defaults), plus evidence of self-hosted servers (images such as vllm/vllm-openai).
"""

from __future__ import annotations

import re

from oscheck.detectors.ai_api.catalogue import Catalogue
from oscheck.detectors.ai_api.common import Lines, host_uses, is_placeholder, key_uses
from oscheck.detectors.ai_api.records import EnvSet, FileResult, LocalHint, RawUse, Step, redact

_ASSIGN = re.compile(
    r"""^\s*(?:-\s*)?(?:export\s+|ENV\s+|ARG\s+|set\s+)?["']?([A-Za-z_][A-Za-z0-9_]{2,})["']?\s*(?:=|:(?!//))\s*(.*?)\s*,?\s*$"""
)
_K8S_NAME = re.compile(r"""^\s*-?\s*name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*$""")
_K8S_VALUE = re.compile(r"""^\s*value:\s*(.*?)\s*$""")
_IMAGE = re.compile(r"""^\s*(?:-\s*)?(?:image:|FROM)\s*["']?([^\s"']+)""", re.IGNORECASE)
_DEFAULTED = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$")
_COMMENT = ("#", ";", "//")

_SKIP = {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock", "pipfile.lock", "go.sum"}
_CONFIG_EXT = (".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".properties", ".json", ".env")


def is_config(path: str) -> bool:
    base = path.rsplit("/", 1)[-1].lower()
    if base in _SKIP:
        return False
    return (
        base.startswith(".env")
        or base.endswith(_CONFIG_EXT)
        or base.startswith(("dockerfile", "containerfile"))
        or base.endswith((".dockerfile", ".env.example", ".envrc"))
    )


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    m = _DEFAULTED.match(value)
    if m:
        return m.group(1).strip("'\"")
    return value


def scan_config(text: str, cat: Catalogue) -> FileResult:
    result = FileResult(language="config", parse="config")
    lines = Lines(text)
    pending_name: tuple[str, int] | None = None
    host_lines = {lines.line(m.start()) for m in cat.host_regex.finditer(text)}
    for i, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(_COMMENT):
            continue
        if i in host_lines:
            result.uses.extend(u for u in host_uses(raw, cat, i, via="config"))
        m = _IMAGE.match(raw)
        if m and any(m.group(1).split(":")[0].endswith(img) for img in cat.local_images):
            result.local.append(LocalHint("image", m.group(1), i))
        k = _K8S_NAME.match(raw)
        if k:
            pending_name = (k.group(1), i)
            continue
        v = _K8S_VALUE.match(raw)
        if v and pending_name is not None and i - pending_name[1] <= 2:
            _assignment(pending_name[0], v.group(1), i, cat, result)
            pending_name = None
            continue
        a = _ASSIGN.match(raw)
        if a:
            _assignment(a.group(1), a.group(2), i, cat, result)
    seen = {u.line for u in result.uses if u.via == "key"}
    result.uses.extend(u for u in key_uses(text, cat, lines, "config") if u.line not in seen)
    return result


def _assignment(name: str, raw_value: str, line: int, cat: Catalogue, result: FileResult) -> None:
    value = _unquote(raw_value)
    if not value or value.startswith("${") or value.startswith(("{", "[")):
        return
    result.env.append(EnvSet(name, value, line))
    if name in cat.local_env:
        result.local.append(LocalHint("env", name, line))
    provider = cat.key_env_vars.get(name)
    if provider is None:
        return
    if value.lower() in cat.local_key_values:
        result.local.append(LocalHint("key-value", f"{name}={value}", line))
        return
    if is_placeholder(value, cat) or cat.key_regex.search(value):
        return  # placeholders are not keys; prefixed keys are reported by key_uses
    shown = redact(value, "")
    result.uses.append(
        RawUse(
            provider=provider,
            mode="hosted",
            via="key",
            symbol=name,
            line=line,
            chain=(Step("key", line, f"{name}={shown}"),),
            secret=f"{name}={shown}",
        )
    )
