"""A faster, answer-identical candidate selection for scancode's approximate matcher.

Measured (cProfile, 80 files of pallets/flask): 95% of license-detection time is in
``licensedcode.match_set.compute_candidates``, whose first step compares the query's
token set with *every* approximately matchable rule (30,050 of 37,542) in a Python loop,
~10.8 million ``compare_token_sets`` calls, almost all of which return nothing.

Step 1 uses ``filter_non_matching=True``, so ``compare_token_sets`` returns ``(None,
None)`` for any rule that shares no *legalese* ("high") token with the query. An inverted
index from each legalese token id to the rules containing it therefore yields, with a few
C-level bitset unions, exactly the rules that can survive step 1; every other rule would
have been discarded anyway. Those rules are then compared with scancode's own code, in
the same ascending rule-id order, and steps 2 and 3 are scancode's own, unchanged, so the
candidates (and hence every detection) are identical. ``tests/test_scancode_accel.py``
checks the equivalence on real files rule by rule, and ``benchmarks/scan_vs_scancode.py``
compares the resulting per-file expressions with the scancode CLI on real repositories.

Only the unigram path is accelerated (``_use_bigrams=False``, which is what scancode uses);
anything else falls through to the original function.
"""

from __future__ import annotations

from functools import partial
from typing import Any

_original: Any = None
_inverted: dict[int, tuple[Any, dict[int, Any]]] = {}
_matchable: dict[int, tuple[Any, Any]] = {}

ACCEL_VERSION = "accel1"  # part of the cache namespace: a change here re-scans


def install() -> None:
    """Replace ``licensedcode.match_set.compute_candidates`` (idempotent)."""
    global _original
    from licensedcode import match_set

    if _original is None:
        _original = match_set.compute_candidates
        match_set.compute_candidates = compute_candidates


def uninstall() -> None:
    global _original
    from licensedcode import match_set

    if _original is not None:
        match_set.compute_candidates = _original
        _original = None


def prepare(idx: Any) -> None:
    """Build the inverted index now (before forking workers, so they share it)."""
    _high_rids_by_tid(idx)
    _rids_by_min_high(idx)


def _high_rids_by_tid(idx: Any) -> dict[int, Any]:
    """legalese token id -> intbitset of the rules whose token set contains it."""
    from intbitset import intbitset

    cached = _inverted.get(id(idx))
    if cached is not None and cached[0] is idx:
        return cached[1]
    len_legalese = idx.len_legalese
    lists: dict[int, list[int]] = {}
    for rid, tids in enumerate(idx.sets_by_rid):
        if not tids:
            continue
        for tid in tids:  # intbitsets iterate in ascending order
            if tid >= len_legalese:
                break
            lists.setdefault(tid, []).append(rid)
    inverted = {tid: intbitset(rids) for tid, rids in lists.items()}
    _inverted[id(idx)] = (idx, inverted)
    return inverted


_LEVELS = 4
_min_high: dict[int, tuple[Any, list[Any]]] = {}


def _rids_by_min_high(idx: Any) -> list[Any]:
    """by_level[k]: rules needing at least k+1 shared legalese tokens (the last level: or more).

    A rule survives step 1 only if ``high_matched_length >= min_high_matched_length_unique``
    (``compare_token_sets``); a rule with a threshold of 0 still needs one shared legalese
    token, since an empty high intersection is discarded first.
    """
    from intbitset import intbitset

    cached = _min_high.get(id(idx))
    if cached is not None and cached[0] is idx:
        return cached[1]
    levels: list[list[int]] = [[] for _ in range(_LEVELS)]
    for rid, rule in enumerate(idx.rules_by_rid):
        need = max(1, int(rule.get_min_high_matched_length(True)))
        levels[min(need, _LEVELS) - 1].append(rid)
    by_level = [intbitset(rids) for rids in levels]
    _min_high[id(idx)] = (idx, by_level)
    return by_level


def _as_bitset(rids: Any) -> Any:
    from intbitset import intbitset

    if isinstance(rids, intbitset):
        return rids
    cached = _matchable.get(id(rids))
    if cached is not None and cached[0] is rids and len(cached[1]) == len(rids):
        return cached[1]
    bits = intbitset(sorted(rids))
    _matchable[id(rids)] = (rids, bits)
    return bits


def compute_candidates(
    query_run: Any,
    idx: Any,
    matchable_rids: Any,
    top: int = 50,
    high_resemblance: bool = False,
    high_resemblance_threshold: float = 0.8,
    _use_bigrams: bool = False,
) -> Any:
    """``licensedcode.match_set.compute_candidates`` with step 1 restricted to possible rules.

    The body below is scancode-toolkit 32.5.0's, with one change: the step-1 loop visits
    only the rules that share at least one legalese token with the query (see the module
    docstring for why that gives the same result).
    """
    from intbitset import intbitset
    from licensedcode.match_set import (
        build_set_and_mset,
        compare_token_sets,
        filter_dupes,
        high_multiset_subset,
        high_tids_set_subset,
        multiset_counter,
        multisets_intersector,
        tids_set_counter,
        tids_sets_intersector,
    )

    if _use_bigrams or matchable_rids is None:
        return _original(
            query_run,
            idx,
            matchable_rids,
            top=top,
            high_resemblance=high_resemblance,
            high_resemblance_threshold=high_resemblance_threshold,
            _use_bigrams=_use_bigrams,
        )

    token_ids = query_run.matchable_tokens()
    qset, qmset = build_set_and_mset(token_ids, _use_bigrams=False)
    len_legalese = idx.len_legalese

    # step 1, on token id sets, only over rules that share enough legalese tokens with the
    # query: at_least[k] holds the rules sharing at least k+1 of them (k < _LEVELS).
    inverted = _high_rids_by_tid(idx)
    at_least = [intbitset() for _ in range(_LEVELS)]
    for tid in qset:
        if tid >= len_legalese:
            break
        rids = inverted.get(tid)
        if rids is None:
            continue
        for k in range(_LEVELS - 1, 0, -1):
            at_least[k] |= at_least[k - 1] & rids
        at_least[0] |= rids
    by_level = _rids_by_min_high(idx)
    possible = intbitset()
    for k in range(_LEVELS):
        possible |= at_least[k] & by_level[k]
    possible &= _as_bitset(matchable_rids)

    sortable_candidates: list[Any] = []
    sortable_candidates_append = sortable_candidates.append
    sets_by_rid = idx.sets_by_rid
    rules_by_rid = idx.rules_by_rid
    for rid in possible:
        rule = rules_by_rid[rid]
        scores_vectors, high_set_intersection = compare_token_sets(
            qset=qset,
            iset=sets_by_rid[rid],
            intersector=tids_sets_intersector,
            counter=tids_set_counter,
            high_intersection_filter=high_tids_set_subset,
            len_legalese=len_legalese,
            unique=True,
            rule=rule,
            filter_non_matching=True,
            high_resemblance_threshold=high_resemblance_threshold,
        )
        if scores_vectors:
            svr, svf = scores_vectors
            if not high_resemblance or (svr.is_highly_resemblant and svf.is_highly_resemblant):
                sortable_candidates_append((scores_vectors, rid, rule, high_set_intersection))

    if not sortable_candidates:
        return sortable_candidates

    sortable_candidates.sort(reverse=True)

    # step 2, on token id multisets, scancode's own code
    candidates = sortable_candidates[: top * 10]
    sortable_candidates = []
    sortable_candidates_append = sortable_candidates.append
    msets_by_rid = idx.msets_by_rid
    high_intersection_filter = partial(high_multiset_subset, _use_bigrams=False)
    for _score_vectors, rid, rule, high_set_intersection in candidates:
        scores_vectors, _intersection = compare_token_sets(
            qset=qmset,
            iset=msets_by_rid[rid],
            intersector=multisets_intersector,
            counter=multiset_counter,
            high_intersection_filter=high_intersection_filter,
            len_legalese=len_legalese,
            unique=False,
            rule=rule,
            filter_non_matching=True,
            high_resemblance_threshold=high_resemblance_threshold,
        )
        if scores_vectors:
            svr, svf = scores_vectors
            if not high_resemblance or (svr.is_highly_resemblant and svf.is_highly_resemblant):
                sortable_candidates_append((scores_vectors, rid, rule, high_set_intersection))

    if not sortable_candidates:
        return sortable_candidates

    candidates = sorted(filter_dupes(sortable_candidates), reverse=True)[:top]
    return candidates[:top]
