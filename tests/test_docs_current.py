"""Generated documentation and catalogues stay current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from oscheck.cli.rules import rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_rules_md_is_generated_from_the_code() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `make docs`"
    )


def test_korean_catalogue_is_complete() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "check"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout


def test_every_rule_has_sources_and_texts() -> None:
    from oscheck.i18n import translate
    from oscheck.policy import all_rules

    for r in all_rules():
        assert r.sources, r.id
        for which in ("title", "explanation", "fix"):
            text = getattr(r, which)
            assert text and translate(text, "ko") != text, (r.id, which)
