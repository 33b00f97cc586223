"""Every module that declares rules, imported explicitly (adding a rule module: one line here)."""

from __future__ import annotations

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    from oscheck.policy import (  # noqa: F401
        ai_api,
        community,
        dependencies,
        license_compat,
        models,
        project_license,
        scan_problems,
    )

    _loaded = True
