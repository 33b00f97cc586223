"""The accelerated candidate selection returns exactly what scancode's own does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oscheck.detectors import scancode_accel
from oscheck.detectors import scancode_worker as worker

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"


def _key(candidates: list[Any]) -> list[Any]:
    return [(sv, rid, sorted(inter)) for (sv, rid, _rule, inter) in candidates]


def test_same_candidates_as_scancode_on_every_query_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from licensedcode import match_set
    from licensedcode.cache import get_index
    from scancode import api

    worker.load_index()  # installs the accelerated function
    original = scancode_accel._original
    assert original is not None and match_set.compute_candidates is scancode_accel.compute_candidates
    seen = {"calls": 0, "with_candidates": 0}

    def both(query_run: Any, idx: Any, matchable_rids: Any, **kw: Any) -> Any:
        expected = original(query_run, idx, matchable_rids, **kw)
        got = scancode_accel.compute_candidates(query_run, idx, matchable_rids, **kw)
        assert _key(got) == _key(expected), kw
        seen["calls"] += 1
        seen["with_candidates"] += bool(expected)
        return expected

    monkeypatch.setattr(match_set, "compute_candidates", both)
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
    for path in files:
        api.get_licenses(str(path), min_score=0, unknown_licenses=False)
    assert get_index() is not None
    assert seen["calls"] >= 15 and seen["with_candidates"] >= 5, seen


def test_install_is_idempotent_and_reversible() -> None:
    from licensedcode import match_set

    worker.load_index()
    scancode_accel.install()
    assert match_set.compute_candidates is scancode_accel.compute_candidates
    scancode_accel.uninstall()
    assert match_set.compute_candidates is not scancode_accel.compute_candidates
    scancode_accel.install()
    assert match_set.compute_candidates is scancode_accel.compute_candidates
