"""Run a composite ``action.yml`` the way the GitHub runner does, for tests.

For each step: evaluate ``if:`` (default ``success()``), substitute ``${{ … }}`` in
``env:``, ``with:`` and ``run:``, run ``run:`` steps with ``bash --noprofile --norc -eo
pipefail`` (the runner's ``shell: bash``) in ``GITHUB_WORKSPACE`` with a fresh
``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` file per step, read the outputs back into
``steps.<id>.outputs``, and stop running steps (except ``always()`` ones) after a
failure. Steps that ``uses:`` another action cannot run here: they are recorded with
their evaluated ``with:`` and skipped. The action's ``outputs`` are evaluated at the end.

The expression language is the subset ``action.yml`` files use: contexts ``inputs``,
``steps``, ``github``, ``runner``, ``env``; string, number and boolean literals; ``==``,
``!=``, ``&&``, ``||``, ``!``, parentheses; ``success()``, ``failure()``, ``always()``,
``cancelled()``. String comparison ignores case, as GitHub's does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|\.)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)
_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot parse expression at {text[pos:]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class Expression:
    """A recursive-descent evaluator over the token list."""

    def __init__(self, text: str, contexts: Mapping[str, Any], status: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.contexts = contexts
        self.status = status  # "success" or "failure" so far

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def evaluate(self) -> Any:
        value = self.or_()
        if self.i != len(self.tokens):
            raise ValueError(f"unexpected {self.peek()!r}")
        return value

    def or_(self) -> Any:
        left = self.and_()
        while self.peek() == "||":
            self.take()
            right = self.and_()
            left = left if truthy(left) else right
        return left

    def and_(self) -> Any:
        left = self.not_()
        while self.peek() == "&&":
            self.take()
            right = self.not_()
            left = right if truthy(left) else left
        return left

    def not_(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.not_())
        return self.compare()

    def compare(self) -> Any:
        left = self.primary()
        if self.peek() in ("==", "!="):
            op = self.take()[1]
            right = self.primary()
            same = _norm(left) == _norm(right)
            return same if op == "==" else not same
        return left

    def primary(self) -> Any:
        kind, value = self.take()
        if value == "(":
            inner = self.or_()
            self.take()  # ")"
            return inner
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value)
        if kind != "name":
            raise ValueError(f"unexpected {value!r}")
        if value in ("true", "false"):
            return value == "true"
        if value == "null":
            return None
        if self.peek() == "(":
            self.take()
            self.take()  # ")": only argument-less status functions are used
            return {
                "success": self.status == "success",
                "failure": self.status == "failure",
                "always": True,
                "cancelled": False,
            }[value]
        current: Any = self.contexts.get(value, {})
        while self.peek() == ".":
            self.take()
            key = self.take()[1]
            current = current.get(key, "") if isinstance(current, Mapping) else ""
        return current


def truthy(value: Any) -> bool:
    return bool(value) and value != "false" if isinstance(value, str) else bool(value)


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).lower()


def _str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def substitute(text: str, contexts: Mapping[str, Any], status: str = "success") -> str:
    return _EXPR.sub(lambda m: _str(Expression(m.group(1), contexts, status).evaluate()), text)


def condition(text: str | bool | None, contexts: Mapping[str, Any], status: str) -> bool:
    """An ``if:``; as on GitHub, a condition without a status function means ``success() && …``."""
    if text is None:
        return status == "success"
    if isinstance(text, bool):
        return text and status == "success"
    inner = _EXPR.sub(lambda m: m.group(1), text).strip()
    value = truthy(Expression(inner, contexts, status).evaluate())
    if not re.search(r"\b(success|failure|always|cancelled)\(\)", inner):
        value = value and status == "success"
    return value


def read_outputs(path: Path) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIM`` blocks, as the runner reads ``$GITHUB_OUTPUT``."""
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1 : j])
            i = j + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


@dataclass
class StepRecord:
    name: str
    id: str | None
    uses: str | None
    ran: bool  # a run: step that was executed
    skipped_reason: str | None  # "condition" or "uses" (another action: recorded, not run)
    with_: dict[str, str] = field(default_factory=dict)
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    steps: list[StepRecord]
    outputs: dict[str, str]
    summary: str
    failed: bool

    @property
    def stdout(self) -> str:
        return "".join(s.stdout for s in self.steps)

    def step(self, name: str) -> StepRecord:
        return next(s for s in self.steps if s.name == name)


def run_action(
    action_dir: Path,
    workspace: Path,
    runner_temp: Path,
    inputs: Mapping[str, str],
    env: Mapping[str, str] | None = None,
) -> ActionRun:
    """Run ``action_dir/action.yml`` with ``inputs`` in ``workspace``."""
    spec = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    assert spec["runs"]["using"] == "composite"
    runner_temp.mkdir(parents=True, exist_ok=True)
    contexts: dict[str, Any] = {
        "github": {"action_path": str(action_dir), "workspace": str(workspace)},
        "runner": {"temp": str(runner_temp), "os": "Linux"},
        "env": dict(env or {}),
        "steps": {},
    }
    resolved: dict[str, str] = {}
    for name, meta in (spec.get("inputs") or {}).items():
        default = _str((meta or {}).get("default", ""))
        resolved[name] = inputs.get(name, substitute(default, contexts))
    unknown = set(inputs) - set(resolved)
    assert not unknown, f"inputs not declared in action.yml: {unknown}"
    contexts["inputs"] = resolved
    base_env = dict(os.environ)
    base_env.update(env or {})
    base_env.update(
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(action_dir),
            "RUNNER_TEMP": str(runner_temp),
            "RUNNER_OS": "Linux",
        }
    )
    # The runner sets INPUT_<NAME> for the action as a whole; composite steps still need
    # their own env: entries (which action.yml has), so both are present here.
    base_env.update({f"INPUT_{k.upper()}": v for k, v in resolved.items()})
    status = "success"
    records: list[StepRecord] = []
    summaries: list[str] = []
    for n, step in enumerate(spec["runs"]["steps"]):
        name = step.get("name") or f"step {n}"
        sid = step.get("id")
        rec = StepRecord(name=name, id=sid, uses=step.get("uses"), ran=False, skipped_reason=None)
        records.append(rec)
        if not condition(step.get("if"), contexts, status):
            rec.skipped_reason = "condition"
            continue
        if "uses" in step:
            rec.skipped_reason = "uses"
            rec.with_ = {k: substitute(_str(v), contexts, status) for k, v in (step.get("with") or {}).items()}
            continue
        assert step.get("shell") == "bash", f"{name}: composite run steps must name their shell"
        step_env = dict(base_env)
        step_env.update({k: substitute(_str(v), contexts, status) for k, v in (step.get("env") or {}).items()})
        files = runner_temp / f"_runner_file_commands_{uuid.uuid4().hex}"
        files.mkdir()
        step_env["GITHUB_OUTPUT"] = str(files / "output")
        step_env["GITHUB_STEP_SUMMARY"] = str(files / "summary")
        script = files / "script.sh"
        script.write_text(substitute(step["run"], contexts, status), encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        rec.ran = True
        rec.exit_code = proc.returncode
        rec.stdout, rec.stderr = proc.stdout, proc.stderr
        rec.outputs = read_outputs(files / "output")
        summary_file = files / "summary"
        if summary_file.exists():
            summaries.append(summary_file.read_text(encoding="utf-8"))
        if sid:
            contexts["steps"][sid] = {
                "outputs": rec.outputs,
                "outcome": "success" if proc.returncode == 0 else "failure",
                "conclusion": "success" if proc.returncode == 0 else "failure",
            }
        if proc.returncode != 0:
            status = "failure"
    outputs = {
        name: substitute(_str((meta or {}).get("value", "")), contexts, status)
        for name, meta in (spec.get("outputs") or {}).items()
    }
    return ActionRun(records, outputs, "".join(summaries), status == "failure")


# --- What a runner provides: the action's checkout and a warm package cache -----------------

# Left out of the dependency view: oscheck itself, and the venv's own pip and setuptools.
_OWN = {"pip", "setuptools", "_distutils_hack", "distutils-precedence.pth", "__pycache__"}
_OWN_PREFIXES = ("oscheck", "__editable__", "pip-", "setuptools-")


def copy_repository(root: Path, dest: Path) -> Path:
    """The repository as the runner downloads an action: its files (links kept), without .git."""
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        rel = os.fsdecode(raw)
        src = root / rel
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():  # oscheck/policies links to the top-level policies/
            (dest / rel).symlink_to(os.readlink(src))
        elif src.is_file():
            shutil.copy2(src, dest / rel)
    return dest


def warm_cache_env(base: Path) -> dict[str, str]:
    """Environment of a machine whose package cache is warm, without the network.

    pip installs oscheck itself for real but looks for no dependencies and no index; the
    dependencies, and a setuptools recent enough to build oscheck (virtualenv ships its
    wheel), come from this test virtualenv through ``PYTHONPATH``: a view of its
    site-packages without oscheck, pip and setuptools, so the fresh copy is what runs.
    """
    import virtualenv

    embed = Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed"
    wheel = max(embed.glob("setuptools-*.whl"), key=lambda p: tuple(int(x) for x in p.name.split("-")[1].split(".")))
    backend = base / "build-backend"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(backend)
    site = base / "site"
    site.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if entry.name not in _OWN and not entry.name.startswith(_OWN_PREFIXES):
            (site / entry.name).symlink_to(entry)
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": f"{backend}{os.pathsep}{site}",
        "PIP_NO_INDEX": "1",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this variable inverted: "0" turns isolation off
    }
