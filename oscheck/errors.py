"""One exception tree for the library; each class knows its exit code.

The CLI turns any :class:`OscheckError` into one line on stderr and its exit code
(``cli/common.py``); a traceback appears only with ``--debug``. Messages are already
translated when the error is raised (``i18n._``) and must name the file and what is
wrong, and, where there is one, what to do.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit codes of every command (documented in README and docs/architecture.md)."""

    OK = 0
    FINDINGS = 1  # findings at or above --fail-on; for `licenses check`: incompatible
    INPUT_ERROR = 2  # usage or input error: bad config, unknown program, unreadable manifest
    TARGET_UNAVAILABLE = 3  # the target could not be scanned: clone failed, model not found
    REVIEW = 4  # `licenses check`: needs a human review


class OscheckError(Exception):
    """Base of every error oscheck raises on purpose."""

    exit_code: ExitCode = ExitCode.INPUT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(OscheckError):
    """Bad input from the user: options, configuration, manifests, import files."""

    exit_code = ExitCode.INPUT_ERROR


class ConfigError(InputError):
    """``.oscheck.yml`` or ``[tool.oscheck]`` is invalid."""


class PolicyError(InputError):
    """A policy file under ``policies/`` is invalid, or an unknown program was asked for."""


class TargetUnavailable(OscheckError):
    """The target could not be acquired: missing path, clone failure, unknown model."""

    exit_code = ExitCode.TARGET_UNAVAILABLE
