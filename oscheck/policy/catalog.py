"""Every module that declares rules, imported explicitly (adding a rule module: one line here)."""

from __future__ import annotations

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    from oscheck.policy import ai_api, project_license, scan_problems  # noqa: F401

    _loaded = True
