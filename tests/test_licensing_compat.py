"""License compatibility: the table of cases in tests/licensing_cases.yaml, and the evaluator's contract."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT

from oscheck.policy.licensing import LicenseExpressionError
from oscheck.policy.licensing.compat import (
    CONDITIONS,
    FIXES,
    Compatibility,
    UseContext,
    check,
    load_compat,
)
from oscheck.policy.load import PolicySet, load_policy

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "licensing_cases.yaml").read_text(encoding="utf-8")
)["cases"]


def _id(case: dict[str, Any]) -> str:
    money = "commercial" if case["commercial"] else "non-commercial"
    return f"{case['inbound']} -> {case['outbound']} [{case['context']}, {money}]"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    result = check(case["inbound"], case["outbound"], UseContext(case["context"]), case["commercial"])
    reasons = [f"{r.rule}: {r.message.en}" for r in result.reasons]
    assert result.verdict.value == case["expected"], reasons
    assert result.reasons and all(r.source for r in result.reasons)
    if result.verdict is not Compatibility.COMPATIBLE:
        assert result.fixes or result.verdict is Compatibility.REVIEW


def test_the_table_is_broad_and_cited() -> None:
    assert len(CASES) >= 80
    assert all(str(c["source"]).strip() for c in CASES)
    verdicts = Counter(c["expected"] for c in CASES)
    assert min(verdicts[v.value] for v in Compatibility) >= 15
    assert {c["context"] for c in CASES} == {c.value for c in UseContext}
    assert {c["commercial"] for c in CASES} == {True, False}
    assert len({(c["inbound"], c["outbound"], c["context"], c["commercial"]) for c in CASES}) == len(CASES)


def test_every_rule_but_the_safety_net_is_exercised() -> None:
    hit = set()
    for c in CASES:
        hit |= {r.rule for r in check(c["inbound"], c["outbound"], UseContext(c["context"]), c["commercial"]).reasons}
    rules = {r.id for r in load_compat(load_policy()).rules}
    assert rules - hit == {"no-rule"}


def test_or_choice_is_recorded() -> None:
    r = check("GPL-3.0-only OR MIT", "GPL-2.0-only")
    assert r.verdict is Compatibility.COMPATIBLE and r.chosen_inbound == "MIT" and r.chosen_outbound is None
    r = check("Apache-2.0", "GPL-2.0-or-later")
    assert r.chosen_outbound == "GPL-3.0-only"
    assert any(x.rule == "or-later" and "GPL-3.0-only" in x.message.en for x in r.reasons)
    data = r.as_dict()
    assert data["verdict"] == "compatible" and data["chosen"] == {"inbound": None, "outbound": "GPL-3.0-only"}


def test_conditions_of_model_licenses_are_listed_in_both_languages() -> None:
    r = check("llama3.1", "Apache-2.0", UseContext.MODEL, commercial=True)
    assert r.verdict is Compatibility.REVIEW
    en = " ".join(c.en for c in r.conditions)
    assert "700,000,000" in en and "Built with Llama" in en and "acceptable-use policy" in en
    assert all(c.ko and c.ko != c.en for c in r.conditions)
    gemma = check("gemma", "Apache-2.0", UseContext.MODEL, commercial=True)
    assert "Prohibited uses" in " ".join(c.en for c in gemma.conditions)


def test_unknown_exception_is_judged_on_the_base_license_and_said_so() -> None:
    r = check("GPL-2.0-only WITH 389-exception", "MIT")
    assert r.verdict is Compatibility.INCOMPATIBLE
    note = next(x for x in r.reasons if x.rule == "exception-not-modelled")
    assert "389-exception" in note.message.en and "389-exception" in note.message.ko


def test_incompatible_results_say_how_to_fix() -> None:
    r = check("GPL-3.0-only", "Apache-2.0", UseContext.DYNAMIC_LINK)
    assert set(r.fixes) >= {"replace", "relicense", "separate", "permission"}
    texts = r.fix_texts()
    assert all(t.en and t.ko and t.ko != t.en for t in texts)


@pytest.mark.parametrize("bad", ["Foo-1.0", "(MIT", "MIT AND", "MIT WITH Apache-2.0"])
def test_bad_expressions(bad: str) -> None:
    with pytest.raises(LicenseExpressionError):
        check(bad, "MIT")
    with pytest.raises(LicenseExpressionError):
        check("MIT", bad)


def test_rule_texts_complete() -> None:
    data = yaml.safe_load((ROOT / "policies" / "compatibility.yaml").read_text(encoding="utf-8"))
    for rule in data["rules"]:
        assert rule["reason"]["en"].strip() and rule["reason"]["ko"].strip(), rule["id"]
        assert set(rule.get("conditions") or ()) <= set(CONDITIONS)
        assert set(rule.get("fix") or ()) <= set(FIXES)
    assert set(data["contexts"]) == {c.value for c in UseContext}


def test_policy_errors_name_the_rule(tmp_path: Path) -> None:
    import shutil

    from oscheck.errors import PolicyError

    root = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", root)
    text = (root / "compatibility.yaml").read_text(encoding="utf-8")
    (root / "compatibility.yaml").write_text(
        text.replace("license: [MPL-2.0]", "license: [Not-A-License]"), encoding="utf-8"
    )
    with pytest.raises(PolicyError, match=r"mpl2-secondary-license.*Not-A-License"):
        check("MIT", "MIT", policy=PolicySet(root))
