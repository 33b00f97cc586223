"""Running git on untrusted repositories, safely.

Every git command oscheck runs goes through :func:`git_command`, which

* disables hooks (``core.hooksPath=/dev/null``) and the fsmonitor (a repository's own
  ``.git/config`` can name a program for ``core.fsmonitor`` that git would run);
* forbids the ``ext::`` transport everywhere and ``file://`` for submodules
  (``protocol.file.allow=user`` lets the user's own top-level ``file://`` clone through,
  never one a repository asks for);
* turns off Git LFS smudging (no download of large objects);
* never prompts for credentials;

and :func:`redact_url` keeps credentials out of every message, log and report.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

import git

# Options passed with -c to every git command; see the module docstring for why.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.hooksPath", "/dev/null"),
    ("core.fsmonitor", "false"),
    ("core.untrackedCache", "false"),
    ("protocol.ext.allow", "never"),
    ("protocol.file.allow", "user"),
    ("submodule.recurse", "false"),
    ("filter.lfs.smudge", ""),
    ("filter.lfs.process", ""),
    ("filter.lfs.required", "false"),
    ("core.askPass", ""),
    ("credential.interactive", "false"),
    ("safe.directory", "*"),
)


def safe_env(extra_config: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a git subprocess.

    Extra configuration (an auth header) travels through ``GIT_CONFIG_*`` variables, not
    argv, so that it never shows up in a process listing or an error message.
    """
    env = dict(os.environ)
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_LFS_SKIP_SMUDGE": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_ASKPASS": "/bin/false",
            "SSH_ASKPASS": "/bin/false",
            "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
        }
    )
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    if extra_config:
        for i, (key, value) in enumerate(extra_config.items()):
            env[f"GIT_CONFIG_KEY_{i}"] = key
            env[f"GIT_CONFIG_VALUE_{i}"] = value
        env["GIT_CONFIG_COUNT"] = str(len(extra_config))
    return env


def git_command(args: Sequence[str]) -> list[str]:
    """``git -c … <args>`` with the safe configuration."""
    argv = [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git"]
    for key, value in SAFE_CONFIG:
        argv += ["-c", f"{key}={value}"]
    argv += list(args)
    return argv


def auth_config(url: str) -> dict[str, str]:
    """An Authorization header for github.com from ``GITHUB_TOKEN``, when one is set."""
    token = os.environ.get("GITHUB_TOKEN")
    parts = urlsplit(url)
    if not token or parts.scheme != "https" or parts.hostname != "github.com" or parts.username:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {"http.https://github.com/.extraheader": f"AUTHORIZATION: basic {basic}"}


_CRED_IN_URL = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")
_TOKENS = re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|hf_[A-Za-z0-9]{20,})\b")


def redact_url(url: str) -> str:
    """``https://user:token@host/x`` -> ``https://host/x``; other URLs unchanged."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def redact_text(text: str) -> str:
    """Remove credentials embedded in URLs and known token shapes from any text."""
    text = _CRED_IN_URL.sub(lambda m: m.group("scheme"), text)
    for secret_var in ("GITHUB_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        secret = os.environ.get(secret_var)
        if secret and len(secret) >= 8:
            text = text.replace(secret, "***")
    return _TOKENS.sub("***", text)
