"""LIC003, LIC010–LIC015 on hand-built observations (pure: no scan, no I/O but the policy files)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from oscheck.config import Declaration, Exemption
from oscheck.detectors.project_license import LicenseStatement, ProjectLicense
from oscheck.detectors.scancode import FileLicense, LicenseDetectionRecord
from oscheck.detectors.spdx_headers import SpdxLicenseTag
from oscheck.model import (
    AIModel,
    Component,
    DatasetRef,
    DependencyScope,
    FileOrigin,
    Finding,
    Location,
    Observation,
    Severity,
)
from oscheck.policy import all_rules
from oscheck.policy.context import PolicyContext
from oscheck.policy.engine import evaluate
from oscheck.policy.load import load_policy
from oscheck.policy.programs import program_track

OUR_RULES = {"LIC003", "LIC010", "LIC011", "LIC012", "LIC013", "LIC014", "LIC015"}


def project(spdx: str | None, stated: str | None = None) -> ProjectLicense:
    expr = stated or spdx
    statements = (LicenseStatement("declaration", ".oscheck.yml", None, expr, spdx),) if expr else ()
    return ProjectLicense(detector="project-license", spdx=spdx, statements=statements)


def dep(
    name: str, license: str | None, scope: DependencyScope = DependencyScope.RUNTIME, eco: str = "pypi"
) -> Component:
    return Component(
        detector="python-deps",
        ecosystem=eco,
        name=name,
        version="1.0",
        purl=f"pkg:{eco}/{name}@1.0",
        scope=scope,
        license=license,
        manifest="requirements.txt",
    )


def scancode_file(path: str, spdx: str, origin: FileOrigin = FileOrigin.VENDORED, line: int = 4) -> FileLicense:
    det = LicenseDetectionRecord(
        expression=spdx.lower(), spdx=spdx, start_line=line, end_line=line + 10, matches=(), identifier="x"
    )
    return FileLicense(
        detector="scancode",
        location=Location(path),
        expression=spdx.lower(),
        spdx=spdx,
        detections=(det,),
        percentage_of_license_text=40.0,
        origin=origin,
        sha256="0" * 64,
    )


def run(
    observations: Sequence[Observation],
    *,
    program: str | None = None,
    track: str | None = None,
    declaration: Declaration | None = None,
    groups: Sequence[str] = ("licenses", "dependencies", "models"),
) -> list[Finding]:
    policy = load_policy()
    ctx = PolicyContext(
        observations=list(observations),
        files=[],
        declaration=declaration or Declaration(),
        policy=policy,
        program=program_track(policy, program, track),
        today=date(2026, 7, 1),
        groups_run=frozenset({"inventory", *groups}),
        declaration_path=".oscheck.yml",
    )
    rules = [r for r in all_rules() if r.id in OUR_RULES]
    return evaluate(ctx, rules)


def by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.rule_id, []).append(f)
    return out


def test_vendored_gpl_file_in_apache_project() -> None:
    found = by_rule(run([project("Apache-2.0"), scancode_file("third_party/textnorm/normalize.py", "GPL-3.0-only")]))
    (f,) = found["LIC003"]
    assert (
        f.severity is Severity.ERROR and f.location.path == "third_party/textnorm/normalize.py" and f.location.line == 4
    )
    assert f.data["license"] == "GPL-3.0-only" and f.data["project_license"] == "Apache-2.0"
    assert f.data["context"] == "combined" and f.data["verdict"] == "incompatible" and f.data["vendored"] is True
    assert set(f.data["fixes"]) >= {"replace", "relicense", "separate", "permission"}
    assert "GPL-3.0-only" in f.message.en and "Apache-2.0" in f.message.en and "How to fix" in f.message.en
    assert "GPL-3.0-only" in f.message.ko and "해결 방법" in f.message.ko


def test_spdx_tag_and_scancode_for_the_same_file_give_one_finding() -> None:
    tag = SpdxLicenseTag(
        detector="spdx-tags", location=Location("src/x.c", 1), expression="GPL-2.0-only", normalized="GPL-2.0-only"
    )
    found = by_rule(run([project("MIT"), tag, scancode_file("src/x.c", "GPL-2.0-only", FileOrigin.FIRST_PARTY, 1)]))
    assert [f.location.path for f in found["LIC003"]] == ["src/x.c"]


def test_exemption_marks_the_finding_exempted() -> None:
    decl = Declaration(
        license="Apache-2.0",
        exemptions=(
            Exemption(rule="LIC003", path="third_party/**", reason="검증기관 확인 완료", until=date(2026, 12, 31)),
        ),
    )
    (f,) = by_rule(run([project("Apache-2.0"), scancode_file("third_party/a.py", "GPL-3.0-only")], declaration=decl))[
        "LIC003"
    ]
    assert f.exempted == "검증기관 확인 완료"


def test_compatible_files_give_nothing() -> None:
    obs = [
        project("Apache-2.0"),
        scancode_file("LICENSE", "Apache-2.0", FileOrigin.FIRST_PARTY, 1),
        scancode_file("v/m.py", "MIT"),
    ]
    assert run(obs) == []


def test_dependencies_take_their_context_from_scope_and_ecosystem() -> None:
    obs = [
        project("Apache-2.0"),
        dep("gplthing", "GPL-3.0-only"),
        dep("pytest-gpl-plugin", "GPL-3.0-only", DependencyScope.DEV),
        dep("lgpllib", "LGPL-2.1-only"),
        dep("golib", "LGPL-2.1-only", eco="golang"),
        dep("ok", "MIT OR Apache-2.0"),
    ]
    found = by_rule(run(obs))
    assert [f.data["component"] for f in found["LIC010"]] == ["gplthing@1.0"]
    assert found["LIC010"][0].data["context"] == "dynamic-link"
    assert found["LIC010"][0].location.path == "requirements.txt"
    review = {f.data["component"]: f for f in found["LIC013"]}
    assert set(review) == {"golib@1.0"}  # Go links statically: LGPL relinking duty
    assert review["golib@1.0"].data["context"] == "combined"


def test_dependency_without_license_is_unknown_never_compatible() -> None:
    found = by_rule(
        run([project("MIT"), dep("mystery", None), dep("odd", "LicenseRef-acme"), dep("junk", "BSD License")])
    )
    names = sorted(f.data["component"] for f in found["LIC014"])
    # "mystery" has no license information at all: that is the dependency detector's DEP002
    # finding (with the reason), not a second LIC014 for the same fact.
    assert names == ["junk@1.0", "odd@1.0"]
    assert all(f.severity is Severity.WARNING for f in found["LIC014"])
    junk = next(f for f in found["LIC014"] if f.data["component"] == "junk@1.0")
    assert "problem" in junk.data


def test_cc_by_nc_model_in_commercial_project() -> None:
    model = AIModel(detector="hf", id="acme/nc-model", source="hub", declared=True, license="cc-by-nc-4.0")
    found = by_rule(run([project("Apache-2.0"), model], declaration=Declaration(commercial=True)))
    (f,) = found["LIC011"]
    assert f.data["context"] == "model" and f.location.path == ".oscheck.yml"
    assert "non-commercial" in f.message.en


def test_cc_by_nc_model_in_non_commercial_project_needs_review() -> None:
    model = AIModel(detector="hf", id="acme/nc-model", source="hub", declared=True, license="CC-BY-NC-4.0")
    found = by_rule(run([project("Apache-2.0"), model], declaration=Declaration(commercial=False)))
    assert "LIC011" not in found and [f.data["component"] for f in found["LIC013"]] == ["acme/nc-model"]


def test_llama_model_lists_its_conditions() -> None:
    model = AIModel(
        detector="hf",
        id="meta-llama/Llama-3.1-8B-Instruct",
        source="hub",
        declared=True,
        license=None,
        license_tag="llama3.1",
        used_at=(Location("app/serve.py", 12),),
    )
    (f,) = by_rule(run([project("Apache-2.0"), model], program="nipa-oss-ai-use-2026", track="use"))["LIC013"]
    assert f.location == Location("app/serve.py", 12)
    assert any("700,000,000" in c for c in f.data["conditions"])
    assert "Built with Llama" in f.message.en and "Built with Llama" in f.message.ko


def test_dataset_rules() -> None:
    obs = [
        project("MIT"),
        DatasetRef(detector="decl", id="klue/klue", license="CC-BY-SA-4.0", declared=True),
        DatasetRef(detector="decl", id="acme/nc", license="CC-BY-NC-SA-4.0", declared=True),
        DatasetRef(detector="decl", id="open/cc0", license="CC0-1.0", declared=True),
    ]
    found = by_rule(run(obs, declaration=Declaration(commercial=True)))
    assert [f.data["component"] for f in found["LIC012"]] == ["acme/nc"]
    assert [f.data["component"] for f in found["LIC013"]] == ["klue/klue"]


def test_rules_are_skipped_when_their_detectors_did_not_run() -> None:
    obs = [project("Apache-2.0"), dep("gplthing", "GPL-3.0-only"), scancode_file("v/a.py", "GPL-3.0-only")]
    found = by_rule(run(obs, groups=("licenses",)))
    assert "LIC010" not in found and "LIC003" in found


def test_no_outbound_license_means_no_compatibility_findings() -> None:
    assert "LIC003" not in by_rule(run([project(None), scancode_file("v/a.py", "GPL-3.0-only")]))


@pytest.mark.parametrize(
    ("spdx", "stated", "expected"),
    [
        ("Apache-2.0", None, False),
        ("MIT OR Apache-2.0", None, False),
        ("GPL-3.0-or-later", None, False),
        ("CC-BY-NC-4.0", None, True),
        ("LicenseRef-acme-proprietary", None, True),
        ("CC-BY-4.0", None, True),
        (None, "Proprietary", True),
        (None, None, False),  # no license at all is LIC001's finding
    ],
)
def test_dev_track_needs_an_osi_license(spdx: str | None, stated: str | None, expected: bool) -> None:
    found = by_rule(run([project(spdx, stated)], program="nipa-oss-ai-dev-2026", track="dev"))
    assert ("LIC015" in found) is expected
    if expected:
        assert found["LIC015"][0].severity is Severity.ERROR


def test_use_track_does_not_require_osi() -> None:
    assert "LIC015" not in by_rule(run([project("CC-BY-NC-4.0")], program="nipa-oss-ai-use-2026", track="use"))
