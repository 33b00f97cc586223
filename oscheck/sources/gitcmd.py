"""Running git on untrusted repositories, safely.

Every git command oscheck runs goes through :func:`git_command`, which

* disables every program a repository's own ``.git/config`` can make git run while we only
  read: hooks (``core.hooksPath=/dev/null``), the fsmonitor, signature checking in ``git log``
  (``log.showSignature`` runs ``gpg.program``), and clean/smudge filter drivers, which
  ``git status`` and ``git diff`` run on every modified file (their names are the
  repository's choice, so they are read from its config and each is set to nothing);
* forbids the ``ext::`` transport everywhere and ``file://`` for submodules
  (``protocol.file.allow=user`` lets the user's own top-level ``file://`` clone through,
  never one a repository asks for);
* turns off Git LFS smudging (no download of large objects);
* never prompts for credentials;

and :func:`redact_url` keeps credentials out of every message, log and report.
"""

from __future__ import annotations

import base64
import functools
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

import git

from oscheck.errors import InputError
from oscheck.i18n import _

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
    ("core.pager", "cat"),
    ("credential.helper", ""),
    ("credential.interactive", "false"),
    ("log.showSignature", "false"),
    ("mailmap.file", ""),  # only the repository's own .mailmap, never a file its config names
    ("gpg.program", "/bin/false"),
    ("gpg.ssh.program", "/bin/false"),
    ("gpg.x509.program", "/bin/false"),
    ("safe.directory", "*"),
)
_DRIVER_PROGRAM = re.compile(r"^filter\..+\.(clean|smudge|process|required)$", re.IGNORECASE | re.DOTALL)


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
    """``git -c … <args>`` with the safe configuration.

    When ``args`` start with ``-C DIR`` or ``--git-dir DIR``, the filter drivers that
    repository configures are switched off too.
    """
    argv = _base_argv()
    if len(args) >= 2 and args[0] in ("-C", "--git-dir"):
        for key in repository_programs(args[0], args[1]):
            # An empty program is no filter; "required" would turn that into an error.
            argv += ["-c", f"{key}=false" if key.lower().endswith(".required") else f"{key}="]
    argv += list(args)
    return argv


def _base_argv() -> list[str]:
    argv = [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git"]
    for key, value in SAFE_CONFIG:
        argv += ["-c", f"{key}={value}"]
    return argv


@functools.lru_cache(maxsize=256)
def repository_programs(option: str, location: str) -> tuple[str, ...]:
    """The ``filter.<driver>.clean|smudge|process|required`` keys a repository's config sets.

    Reading config runs nothing. A driver name git's ``-c`` cannot express (it holds ``=``)
    makes the repository unreadable rather than unsafe.
    """
    try:
        proc = subprocess.run(
            [*_base_argv(), option, location, "config", "--null", "--get-regexp", r"^filter\."],
            capture_output=True,
            env=safe_env(),
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ()
    keys: list[str] = []
    for entry in proc.stdout.split(b"\0"):
        key = os.fsdecode(entry.split(b"\n", 1)[0])
        if not _DRIVER_PROGRAM.match(key) or key in keys:
            continue
        if "=" in key or "\n" in key:
            raise InputError(
                _(
                    "{path}: its git config names a filter program oscheck cannot switch off ({key}); "
                    "scan a fresh clone instead",
                    path=location,
                    key=key,
                )
            )
        keys.append(key)
    return tuple(keys)


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
