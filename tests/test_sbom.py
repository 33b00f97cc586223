"""SBOMs of real repositories of five ecosystems, with licenses from a local registry.

Every SBOM here is checked by the standards' own tools: spdx-tools' parser and full
validator (zero messages), cyclonedx-python-lib's strict JSON validator for 1.6. The
registries are tests/registry_server.py on 127.0.0.1; the dependency group runs alone
(no scancode), except in the one test marked slow.
"""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, commit, fixture_repo, make_repo, run_oscheck, validate_report
from registry_server import RegistryServer

from oscheck import ScanOptions, scan
from oscheck.detectors.dependencies import ManifestProblem, PackageManifest, UnresolvedLicense, UnresolvedReason
from oscheck.detectors.scancode import FileLicense
from oscheck.model import AIModel, DependencyScope, Location, ModelFile, ModelLineage, Openness, ScanResult
from oscheck.outputs import OutputFormat, formatter
from oscheck.outputs.json_report import report_dict


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[RegistryServer]:
    server = RegistryServer()
    with server.running():
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("OSCHECK_OFFLINE", raising=False)
        yield server


def deps_scan(repo: Path, cache: Path, **detector_options: Any) -> ScanResult:
    return scan(
        str(repo),
        ScanOptions(only=("dependencies",), jobs=1, cache_dir=cache, detector_options=detector_options),
    )


def spdx_of(result: ScanResult, tmp_path: Path) -> tuple[dict[str, Any], Any]:
    """The SPDX JSON, parsed back with spdx-tools and fully validated (zero messages)."""
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    text = formatter(OutputFormat.SPDX_JSON).render(result)
    path = tmp_path / "out.spdx.json"
    path.write_text(text, encoding="utf-8")
    document = parse_file(str(path))
    assert validate_full_spdx_document(document) == []
    return json.loads(text), document


def cdx_of(result: ScanResult) -> dict[str, Any]:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = formatter(OutputFormat.CYCLONEDX_JSON).render(result)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    return json.loads(text)  # type: ignore[no-any-return]


def spdx_packages(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """purl -> package, for the dependency packages."""
    out = {}
    for p in doc["packages"]:
        for ref in p.get("externalRefs", []):
            if ref["referenceType"] == "purl":
                out[ref["referenceLocator"]] = p
    return out


def check_sbom(
    result: ScanResult, tmp_path: Path, expected: dict[str, str | None]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both SBOMs hold exactly the expected purls with the expected licenses."""
    spdx, _document = spdx_of(result, tmp_path)
    cdx = cdx_of(result)
    packages = spdx_packages(spdx)
    got = {
        purl: (None if p["licenseDeclared"] == "NOASSERTION" else p["licenseDeclared"]) for purl, p in packages.items()
    }
    assert got == expected
    cdx_licenses: dict[str, str | None] = {}
    for c in cdx["components"]:
        lic = c.get("licenses", [])
        cdx_licenses[c["purl"]] = (lic[0].get("expression") or lic[0]["license"].get("id")) if lic else None
    assert cdx_licenses == expected
    validate_report(report_dict(result))
    return spdx, cdx


# ------------------------------------------------------------------ npm (lock file carries licenses)


def test_npm_lock_file(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-npm", tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    lock = json.loads((repo / "package-lock.json").read_text(encoding="utf-8"))
    from packageurl import PackageURL

    expected: dict[str, str | None] = {}
    for path, entry in lock["packages"].items():
        if not path:
            continue
        name = path.rsplit("node_modules/", 1)[1]
        ns, _, short = name.rpartition("/")
        purl = PackageURL("npm", ns or None, short, entry["version"]).to_string()
        expected[purl] = entry["license"].strip("()")
    spdx, cdx = check_sbom(result, tmp_path, expected)
    assert registry.requests == []  # every license was in the lock file
    relationships = {
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in spdx["relationships"]
    }
    ids = {purl: p["SPDXID"] for purl, p in spdx_packages(spdx).items()}
    project = (
        spdx["documentDescribes"][0]
        if "documentDescribes" in spdx
        else next(r["relatedSpdxElement"] for r in spdx["relationships"] if r["relationshipType"] == "DESCRIBES")
    )
    assert (project, "DEPENDS_ON", ids["pkg:npm/chalk@4.1.2"]) in relationships
    assert (ids["pkg:npm/tslib@2.9.1"], "DEV_DEPENDENCY_OF", project) in relationships
    assert (ids["pkg:npm/chalk@4.1.2"], "DEPENDS_ON", ids["pkg:npm/ansi-styles@4.3.0"]) in relationships
    assert (ids["pkg:npm/debug@3.1.0"], "DEPENDS_ON", ids["pkg:npm/ms@2.0.0"]) in relationships
    assert (
        project,
        "CONTAINS",
        next(f["SPDXID"] for f in spdx["files"] if f["fileName"] == "./bin/hangul.js"),
    ) in relationships
    # CycloneDX: the graph, scopes and the scanned commit
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in cdx["dependencies"]}
    assert "pkg:npm/chalk@4.1.2" in deps["project"] and "pkg:npm/ms@2.1.3" not in deps["project"]
    assert deps["pkg:npm/debug@4.4.3"] == {"pkg:npm/ms@2.1.3"}
    scopes = {c["purl"]: c.get("scope") for c in cdx["components"]}
    assert scopes["pkg:npm/tslib@2.9.1"] == "excluded" and scopes["pkg:npm/chalk@4.1.2"] == "required"
    commit_prop = {p["name"]: p["value"] for p in cdx["metadata"]["properties"]}["oscheck:commit"]
    assert commit_prop == result.target.commit
    assert cdx["metadata"]["tools"]["components"][0]["name"] == "oscheck"
    sha512 = next(c for c in cdx["components"] if c["purl"] == "pkg:npm/ms@2.1.3")["hashes"][0]
    assert sha512["alg"] == "SHA-512" and len(sha512["content"]) == 128


@pytest.mark.parametrize("folder", ["yarn-classic", "yarn-berry", "pnpm"])
def test_yarn_and_pnpm_locks_get_licenses_from_the_npm_registry(
    tmp_path: Path, registry: RegistryServer, folder: str
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "sbom-js-locks" / folder, repo)
    commit(make_repo(repo), {})
    result = deps_scan(repo, tmp_path / "cache")
    npm_lock = json.loads((FIXTURES / "sbom-npm" / "package-lock.json").read_text(encoding="utf-8"))
    from packageurl import PackageURL

    expected = {}
    for path, entry in npm_lock["packages"].items():
        if path:
            ns, _, short = path.rsplit("node_modules/", 1)[1].rpartition("/")
            expected[PackageURL("npm", ns or None, short, entry["version"]).to_string()] = entry["license"].strip("()")
    check_sbom(result, tmp_path, expected)
    assert all(c.license_source == "registry:npm" for c in result.components)
    assert "/npm/@types%2Fms/0.7.34" in registry.requests or "/npm/@types/ms/0.7.34" in registry.requests


# ------------------------------------------------------------------ Python (registry: PyPI JSON API)

UV_LICENSES: dict[str, str | None] = {
    "certifi@2024.8.30": "MPL-2.0",  # License: MPL-2.0
    "charset-normalizer@3.4.0": "MIT",
    "click@8.1.8": None,  # only the "BSD License" classifier: which BSD is not said
    "colorama@0.4.6": None,  # the same
    "idna@3.10": None,  # the same
    "iniconfig@2.3.1": "MIT",  # License-Expression (PEP 639)
    "packaging@26.3": "Apache-2.0 OR BSD-2-Clause",
    "pluggy@1.7.0": "MIT",
    "pytest@8.3.3": "MIT",
    "requests@2.32.3": "Apache-2.0",
    "urllib3@2.2.3": "MIT",  # the "MIT License" classifier
}
POETRY_LICENSES: dict[str, str | None] = {
    "certifi@2026.10.18": "MPL-2.0",
    "charset-normalizer@3.5.2": "MIT",
    "click@8.5.1": "BSD-3-Clause",
    "colorama@0.4.6": None,
    "idna@3.20": "BSD-3-Clause",
    "iniconfig@2.3.1": "MIT",
    "packaging@26.3": "Apache-2.0 OR BSD-2-Clause",
    "pluggy@1.7.0": "MIT",
    "pytest@8.3.3": "MIT",
    "requests@2.32.3": "Apache-2.0",
    "urllib3@2.8.0": "MIT",
}


@pytest.mark.parametrize(
    ("fixture", "lock", "licenses"),
    [("sbom-python-uv", "uv.lock", UV_LICENSES), ("sbom-python-poetry", "poetry.lock", POETRY_LICENSES)],
)
def test_python_lock_files(
    tmp_path: Path, registry: RegistryServer, fixture: str, lock: str, licenses: dict[str, str | None]
) -> None:
    repo = fixture_repo(fixture, tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    locked = tomllib.loads((repo / lock).read_text(encoding="utf-8"))["package"]
    versions = {f"{p['name']}@{p['version']}" for p in locked if "editable" not in p.get("source", {})}
    assert set(licenses) == versions  # the table covers exactly what the lock lists
    check_sbom(result, tmp_path, {f"pkg:pypi/{k}": v for k, v in licenses.items()})
    unresolved = {o.purl: o for o in result.of_type(UnresolvedLicense)}
    assert {p.removeprefix("pkg:pypi/") for p in unresolved} == {k for k, v in licenses.items() if v is None}
    colorama = unresolved["pkg:pypi/colorama@0.4.6"]
    assert colorama.reason is UnresolvedReason.NOT_SPDX
    assert colorama.declared == "License :: OSI Approved :: BSD License"
    dep002 = [f for f in result.findings if f.rule_id == "DEP002"]
    assert len(dep002) == len(unresolved)
    assert any("BSD License" in f.message.en and "colorama" in f.message.en for f in dep002)
    scopes = {c.name: c.scope for c in result.components}
    assert scopes["pytest"] is DependencyScope.DEV and scopes["pluggy"] is DependencyScope.DEV
    assert scopes["requests"] is DependencyScope.RUNTIME and scopes["urllib3"] is DependencyScope.RUNTIME


def test_registry_answers_are_cached_and_offline_mode_uses_only_the_cache(
    tmp_path: Path, registry: RegistryServer
) -> None:
    repo = fixture_repo("sbom-python-uv", tmp_path / "repo")
    first = deps_scan(repo, tmp_path / "cache")
    asked = len(registry.requests)
    assert asked == len(UV_LICENSES)
    second = deps_scan(repo, tmp_path / "cache", offline=True)
    assert len(registry.requests) == asked  # nothing asked again
    assert [(c.purl, c.license) for c in second.components] == [(c.purl, c.license) for c in first.components]
    assert second.stats["dependencies"]["registry"]["cache_hits"] == asked
    # A cold cache offline: every license unresolved, with the reason, never a guess.
    cold = deps_scan(repo, tmp_path / "cold", offline=True)
    assert len(registry.requests) == asked
    assert all(c.license is None for c in cold.components)
    assert {o.reason for o in cold.of_type(UnresolvedLicense)} == {UnresolvedReason.OFFLINE}
    spdx_of(cold, tmp_path)  # NOASSERTION everywhere, still valid


def test_registry_outage_and_unknown_versions(
    tmp_path: Path, registry: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", {"requirements.txt": "requests==2.32.3\nno-such-package==1.0\n"})
    registry.fail["/pypi/requests/2.32.3/json"] = 503
    result = deps_scan(Path(repo.working_tree_dir or "."), tmp_path / "cache")
    reasons = {o.name: o.reason for o in result.of_type(UnresolvedLicense)}
    assert reasons == {"requests": UnresolvedReason.REGISTRY_ERROR, "no-such-package": UnresolvedReason.NOT_FOUND}
    assert registry.requests.count("/pypi/requests/2.32.3/json") == 2  # one retry
    # the outage is not cached: the next scan asks again and gets the license
    del registry.fail["/pypi/requests/2.32.3/json"]
    again = deps_scan(Path(repo.working_tree_dir or "."), tmp_path / "cache")
    assert {c.name: c.license for c in again.components}["requests"] == "Apache-2.0"


def test_requirements_setup_cfg_and_pipfile(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-python-misc", tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    _spdx, _cdx = check_sbom(
        result,
        tmp_path,
        {
            "pkg:pypi/certifi@2024.8.30": "MPL-2.0",
            "pkg:pypi/charset-normalizer@3.4.0": "MIT",
            "pkg:pypi/click@8.1.8": None,
            "pkg:pypi/colorama@0.4.6": None,
            "pkg:pypi/idna@3.10": None,
            "pkg:pypi/iniconfig@2.3.1": "MIT",
            "pkg:pypi/packaging@26.3": "Apache-2.0 OR BSD-2-Clause",
            "pkg:pypi/pluggy@1.7.0": "MIT",
            "pkg:pypi/pytest@8.3.3": "MIT",
            "pkg:pypi/requests@2.32.3": "Apache-2.0",
            "pkg:pypi/urllib3@2.2.3": "MIT",
            "pkg:pypi/numpy": None,  # numpy>=1.26,<3: no version, no lookup
            "pkg:pypi/requests": None,  # requests>=2.31 in legacy/setup.cfg
            "pkg:pypi/kss-lite?vcs_url=git%2Bhttps://github.com/hanbit-ai/kss-lite.git%40v0.3.1": None,
            "pkg:pypi/hangul-utils?download_url=https://github.com/hanbit-ai/hangul-utils/archive/refs/tags/v1.0.0.zip": None,
        },
    )
    reasons = {o.name + (o.version or ""): o.reason for o in result.of_type(UnresolvedLicense)}
    assert reasons["numpy"] is UnresolvedReason.NO_VERSION
    assert reasons["kss-lite"] is UnresolvedReason.NOT_FROM_REGISTRY
    dep003 = sorted(str(f.location) for f in result.findings if f.rule_id == "DEP003")
    assert dep003 == ["legacy/setup.cfg:11", "requirements.txt:10"]
    assert {"crawler/Pipfile", "crawler/Pipfile.lock", "requirements-base.txt", "legacy/setup.cfg"} <= {
        m.location.path for m in result.of_type(PackageManifest)
    }


def test_requirements_includes_are_followed(tmp_path: Path, registry: RegistryServer) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"requirements.txt": "-r deps/common.in\nrequests==2.32.3\n", "deps/common.in": "idna==3.10\n"},
    )
    result = deps_scan(Path(repo.working_tree_dir or "."), tmp_path / "cache", offline=True)
    assert {(c.name, c.manifest) for c in result.components} == {
        ("requests", "requirements.txt"),
        ("idna", "deps/common.in"),
    }


def test_python_environment_gives_versions_edges_and_licenses(tmp_path: Path, registry: RegistryServer) -> None:
    """--python-env: an unpinned requirement gets the installed version, its installed
    dependencies become the transitive graph, and licenses come from METADATA offline."""
    env = tmp_path / "venv"
    site = env / "lib" / "python3.11" / "site-packages"
    (env / "pyvenv.cfg").parent.mkdir(parents=True, exist_ok=True)
    (env / "pyvenv.cfg").write_text("home = /usr/bin\nversion_info = 3.11.7\n", encoding="utf-8")

    def dist(name: str, version: str, headers: str) -> None:
        folder = site / f"{name.replace('-', '_')}-{version}.dist-info"
        folder.mkdir(parents=True)
        (folder / "METADATA").write_text(
            f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{headers}\nlong description\n", encoding="utf-8"
        )

    dist(
        "requests",
        "2.32.3",
        "License: Apache-2.0\nRequires-Dist: idna<4,>=2.5\nRequires-Dist: PySocks!=1.5.7; extra == 'socks'\nRequires-Dist: win-inet-pton; sys_platform == 'win32'",
    )
    dist("idna", "3.10", "Classifier: License :: OSI Approved :: BSD License")
    dist("win-inet-pton", "1.1.0", "License: Public Domain")
    dist("PySocks", "1.7.1", "License: BSD")
    repo = make_repo(tmp_path / "repo", {"requirements.txt": "requests>=2.31\n"})
    result = deps_scan(Path(repo.working_tree_dir or "."), tmp_path / "cache", python_env=str(env), offline=True)
    got = {c.purl: (c.license, c.license_source, c.direct) for c in result.components}
    assert got == {
        "pkg:pypi/requests@2.32.3": ("Apache-2.0", "python-env", True),
        "pkg:pypi/idna@3.10": (None, None, False),  # installed, and still only "BSD License"
    }
    assert result.components[1].depends_on == ("pkg:pypi/idna@3.10",) or result.components[0].depends_on == (
        "pkg:pypi/idna@3.10",
    )
    assert registry.requests == []


def test_python_env_that_is_not_one(tmp_path: Path) -> None:
    repo = fixture_repo("sbom-python-misc", tmp_path / "repo")
    (tmp_path / "empty").mkdir()
    proc = run_oscheck("sbom", str(repo), "--python-env", str(tmp_path / "empty"), "--no-file-licenses", "--offline")
    assert proc.returncode == 2
    assert "--python-env" in proc.stderr and "site-packages" in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------ Go, Rust, Maven


@pytest.mark.parametrize(
    ("fixture", "manifest"),
    [("sbom-go", "go.mod"), ("sbom-rust", "Cargo.lock"), ("sbom-maven", "pom.xml")],
)
def test_go_rust_maven(tmp_path: Path, registry: RegistryServer, fixture: str, manifest: str) -> None:
    """No lock file of these ecosystems carries licenses and oscheck queries no registry
    for them: every dependency is listed with its version and NOASSERTION, and a finding
    says why."""
    repo = fixture_repo(fixture, tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    from oscheck.detectors.dependencies.parsers import manifest_type

    mt = manifest_type(manifest)
    assert mt is not None
    listed = mt.parse(manifest, (repo / manifest).read_text(encoding="utf-8")).entries
    expected = {c.purl: None for c in result.components}
    assert {(c.name, c.version) for c in result.components} == {(e.name, e.version) for e in listed}
    check_sbom(result, tmp_path, expected)
    assert {o.reason for o in result.of_type(UnresolvedLicense)} == {UnresolvedReason.NO_REGISTRY}
    assert registry.requests == []


def test_rust_scopes_and_graph(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-rust", tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    spdx, cdx = spdx_of(result, tmp_path)[0], cdx_of(result)
    by = {c.name: c for c in result.components}
    assert by["pretty_assertions"].scope is DependencyScope.DEV and by["diff"].scope is DependencyScope.DEV
    assert by["syn"].scope is DependencyScope.RUNTIME and not by["syn"].direct
    assert spdx["packages"][0]["licenseDeclared"] == "MIT OR Apache-2.0"  # the project's, from Cargo.toml
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in cdx["dependencies"]}
    assert deps["pkg:cargo/serde_derive@1.0.210"] == {
        "pkg:cargo/proc-macro2@1.0.87",
        "pkg:cargo/quote@1.0.37",
        "pkg:cargo/syn@2.0.79",
    }


# ------------------------------------------------------------------ malformed manifests


def test_malformed_manifests_give_findings_and_the_rest_is_still_produced(
    tmp_path: Path, registry: RegistryServer
) -> None:
    repo = fixture_repo("sbom-malformed", tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    dep001 = {str(f.location): f for f in result.findings if f.rule_id == "DEP001"}
    assert set(dep001) == {"pyproject.toml:8", "web/package.json:6", "requirements.txt:3"}
    assert "invalid TOML" in dep001["pyproject.toml:8"].message.en
    assert "invalid JSON" in dep001["web/package.json:6"].message.en
    assert "see the README for the GPU build of torch!" in dep001["requirements.txt:3"].message.en
    assert dep001["requirements.txt:3"].severity.value == "warning"  # "sbom" is reported-only without a program
    assert {o.location.path for o in result.of_type(ManifestProblem)} == {
        "pyproject.toml",
        "web/package.json",
        "requirements.txt",
    }
    purls = {c.purl for c in result.components}
    assert {"pkg:pypi/requests@2.32.3", "pkg:pypi/certifi@2024.8.30", "pkg:pypi/idna@3.10"} <= purls
    assert "pkg:golang/github.com/spf13/cobra@v1.8.1" in purls
    spdx, _ = spdx_of(result, tmp_path)
    cdx = cdx_of(result)
    assert len(spdx_packages(spdx)) == len(purls) == len(cdx["components"])


def test_use_track_requires_the_sbom(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-malformed", tmp_path / "repo")
    result = scan(
        str(repo),
        ScanOptions(
            only=("dependencies",), jobs=1, cache_dir=tmp_path / "c", program="nipa-oss-ai-use-2026", track="use"
        ),
    )
    assert {f.severity.value for f in result.findings if f.rule_id == "DEP001"} == {"error"}
    assert result.summary.verdict.value == "fail"


# ------------------------------------------------------------------ SPDX round trip, reproducibility


def test_spdx_parses_back_to_the_same_packages_and_relationships(tmp_path: Path, registry: RegistryServer) -> None:
    from oscheck.outputs.sbom import sbom_facts
    from oscheck.outputs.spdx import build_document

    repo = fixture_repo("sbom-python-uv", tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    built = build_document(sbom_facts(result))
    _doc, parsed = spdx_of(result, tmp_path)

    def packages(document: Any) -> set[tuple[str, str, str | None, str, tuple[str, ...]]]:
        return {
            (
                p.spdx_id,
                p.name,
                p.version,
                str(p.license_declared),
                tuple(sorted(r.locator for r in p.external_references)),
            )
            for p in document.packages
        }

    def relationships(document: Any) -> set[tuple[str, str, str]]:
        return {
            (r.spdx_element_id, r.relationship_type.name, str(r.related_spdx_element_id))
            for r in document.relationships
        }

    assert packages(parsed) == packages(built)
    assert relationships(parsed) == relationships(built)
    assert {(f.name, tuple(sorted((c.algorithm.name, c.value) for c in f.checksums))) for f in parsed.files} == {
        (f.name, tuple(sorted((c.algorithm.name, c.value) for c in f.checksums))) for f in built.files
    }
    kinds = {r.relationship_type.name for r in parsed.relationships}
    assert {"DESCRIBES", "CONTAINS", "DEPENDS_ON", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF"} <= kinds


def test_same_input_gives_byte_identical_sboms(
    tmp_path: Path, registry: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    repo = fixture_repo("sbom-npm", tmp_path / "repo")
    first = deps_scan(repo, tmp_path / "cache-a")
    second = deps_scan(repo, tmp_path / "cache-b")  # a cold cache, a later run
    for fmt in (OutputFormat.SPDX_JSON, OutputFormat.CYCLONEDX_JSON):
        a, b = formatter(fmt).render(first), formatter(fmt).render(second)
        assert a == b
    cdx = json.loads(formatter(OutputFormat.CYCLONEDX_JSON).render(first))
    assert cdx["metadata"]["timestamp"].startswith("2026-01-01T00:00:00")
    spdx = json.loads(formatter(OutputFormat.SPDX_JSON).render(first))
    assert spdx["creationInfo"]["created"] == "2026-01-01T00:00:00Z"
    assert result_commit(first) in spdx["documentNamespace"]
    # a new commit is a new document
    commit(make_repo(repo), {"README.md": "# changed\n"})
    third = deps_scan(repo, tmp_path / "cache-a")
    assert json.loads(formatter(OutputFormat.SPDX_JSON).render(third))["documentNamespace"] != spdx["documentNamespace"]
    assert json.loads(formatter(OutputFormat.CYCLONEDX_JSON).render(third))["serialNumber"] != cdx["serialNumber"]


def result_commit(result: ScanResult) -> str:
    assert result.target.commit
    return result.target.commit


# ------------------------------------------------------------------ models and file licenses (hand-built observations)


def with_observations(result: ScanResult, *extra: Any) -> ScanResult:
    return replace(result, observations=(*result.observations, *extra))


def test_models_render_as_packages_and_ml_bom_components(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-npm", tmp_path / "repo")
    base = deps_scan(repo, tmp_path / "cache")
    llama = AIModel(
        detector="models",
        location=Location(".oscheck.yml", 3),
        id="meta-llama/Llama-3.1-8B-Instruct",
        source="hub",
        revision="0e9e39f249a16976918f6564b8830bc894c89659",
        declared=True,
        license=None,
        license_tag="llama3.1",
        license_name="llama3.1",
        license_link="https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/LICENSE",
        openness=Openness.RESTRICTED,
        conditions=("attribution", "acceptable-use-policy", "700M MAU cap"),
        gated="manual",
        supplier="meta-llama",
        task="text-generation",
        library="transformers",
        architecture="LlamaForCausalLM",
        model_type="llama",
        weights=(ModelFile("model-00001-of-00004.safetensors", 4976698672, "a" * 64, "safetensors"),),
        lineage=(ModelLineage("meta-llama/Llama-3.1-8B", None, "finetune"),),
        card={"considerations": {"useCases": ["dialogue"], "technicalLimitations": ["English-centric"]}},
    )
    qwen = AIModel(
        detector="models",
        id="Qwen/Qwen2.5-7B-Instruct",
        source="hub",
        revision="a09a35458c702b33eeacc393d103063234e8bc28",
        license="Apache-2.0",
        license_tag="apache-2.0",
        openness=Openness.OPEN,
        task="text-generation",
        datasets=("klue/klue",),
        card={"metrics": [{"type": "accuracy", "value": 0.71, "slice": "KMMLU"}]},
    )
    local = AIModel(detector="models", id="models/ko-intent-clf", source="local", license=None, license_tag=None)
    result = with_observations(base, llama, qwen, local)
    spdx, _document = spdx_of(result, tmp_path)
    cdx = cdx_of(result)

    by_purl = spdx_packages(spdx)
    llama_pkg = by_purl["pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a16976918f6564b8830bc894c89659"]
    assert llama_pkg["licenseDeclared"] == "LicenseRef-huggingface-llama3.1"
    extracted = {e["licenseId"]: e for e in spdx["hasExtractedLicensingInfos"]}
    assert "llama3.1" in extracted["LicenseRef-huggingface-llama3.1"]["extractedText"]
    assert extracted["LicenseRef-huggingface-llama3.1"]["comment"] == "original Hub license tag: llama3.1"
    assert (
        by_purl["pkg:huggingface/Qwen/Qwen2.5-7B-Instruct@a09a35458c702b33eeacc393d103063234e8bc28"]["licenseDeclared"]
        == "Apache-2.0"
    )
    assert by_purl["pkg:generic/ko-intent-clf"]["licenseDeclared"] == "NOASSERTION"
    project = next(r["relatedSpdxElement"] for r in spdx["relationships"] if r["relationshipType"] == "DESCRIBES")
    assert (project, "DEPENDS_ON", llama_pkg["SPDXID"]) in {
        (r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in spdx["relationships"]
    }

    models = {c["bom-ref"]: c for c in cdx["components"] if c["type"] == "machine-learning-model"}
    assert len(models) == 3
    card = models["pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a16976918f6564b8830bc894c89659"]
    assert card["licenses"] == [{"license": {"name": "llama3.1"}}]  # the Hub tag kept, not forced into an id
    assert card["modelCard"]["modelParameters"]["modelArchitecture"] == "LlamaForCausalLM"
    assert card["modelCard"]["considerations"]["useCases"] == ["dialogue"]
    assert "license condition: 700M MAU cap" in card["modelCard"]["considerations"]["technicalLimitations"]
    qwen_card = models["pkg:huggingface/Qwen/Qwen2.5-7B-Instruct@a09a35458c702b33eeacc393d103063234e8bc28"]["modelCard"]
    assert qwen_card["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "accuracy", "value": "0.71", "slice": "KMMLU"}
    ]
    assert qwen_card["modelParameters"]["datasets"] == [{"type": "dataset", "name": "klue/klue"}]
    deps = {d["ref"]: set(d.get("dependsOn", [])) for d in cdx["dependencies"]}
    assert set(models) <= deps["project"]


def test_file_licenses_and_scancode_references(tmp_path: Path, registry: RegistryServer) -> None:
    """Files carry the licenses detected in them; LicenseRef-scancode-… ids get extracted licensing info."""
    repo = fixture_repo("sbom-npm", tmp_path / "repo")
    base = deps_scan(repo, tmp_path / "cache")
    record = next(f for f in base.files if f.path == "bin/hangul.js")
    detected = FileLicense(
        detector="scancode",
        location=Location("bin/hangul.js", 2),
        expression="apache-2.0 AND proprietary-license",
        spdx="Apache-2.0 AND LicenseRef-scancode-proprietary-license",
        detections=(),
        percentage_of_license_text=3.0,
        origin=record.origin,
        sha256=record.sha256 or "",
    )
    result = replace(with_observations(base, detected), detectors_run=(*base.detectors_run, "scancode"))
    spdx, _ = spdx_of(result, tmp_path)
    files = {f["fileName"]: f for f in spdx["files"]}
    assert files["./bin/hangul.js"]["licenseInfoInFiles"] == ["Apache-2.0", "LicenseRef-scancode-proprietary-license"]
    assert files["./README.md"]["licenseInfoInFiles"] == ["NONE"]  # detection ran and found nothing
    assert {c["algorithm"] for c in files["./bin/hangul.js"]["checksums"]} == {"SHA1", "SHA256"}
    assert files["./bin/hangul.js"]["checksums"][0]["checksumValue"] in (record.sha1, record.sha256)
    extracted = {e["licenseId"]: e for e in spdx["hasExtractedLicensingInfos"]}
    assert extracted["LicenseRef-scancode-proprietary-license"]["seeAlsos"] == [
        "https://scancode-licensedb.aboutcode.org/proprietary-license.html"
    ]
    project = spdx["packages"][0]
    assert set(project["licenseInfoFromFiles"]) == {"Apache-2.0", "LicenseRef-scancode-proprietary-license"}
    assert len(project["packageVerificationCode"]["packageVerificationCodeValue"]) == 40


@pytest.mark.slow
def test_full_scan_with_file_licenses_writes_both_sboms(tmp_path: Path, registry: RegistryServer) -> None:
    """The real pipeline with scancode: oscheck scan --format spdx,cyclonedx writes both into sbom/."""
    repo = fixture_repo("sbom-rust", tmp_path / "repo")
    (repo / "LICENSE-MIT").write_text(
        (FIXTURES / "headers-disagree" / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8"
    )
    commit(make_repo(repo), {})
    out = tmp_path / "out"
    proc = run_oscheck(
        "scan",
        str(repo),
        "--format",
        "json,spdx,cyclonedx",
        "--output-dir",
        str(out),
        "-j",
        "1",
        "--fail-on",
        "never",
        env={**registry.env(), "OSCHECK_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    spdx = json.loads((out / "repo.spdx.json").read_text(encoding="utf-8"))
    files = {f["fileName"]: f for f in spdx["files"]}
    assert files["./LICENSE-MIT"]["licenseInfoInFiles"] == ["MIT"]
    assert files["./src/lib.rs"]["licenseInfoInFiles"] == ["MIT", "Apache-2.0"]
    cdx = json.loads((out / "repo.cdx.json").read_text(encoding="utf-8"))
    assert len(cdx["components"]) == 15
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    assert validate_full_spdx_document(parse_file(str(out / "repo.spdx.json"))) == []


# ------------------------------------------------------------------ the command line


def test_sbom_command(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-python-poetry", tmp_path / "repo")
    env = {**registry.env(), "OSCHECK_CACHE_DIR": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1767225600"}
    out = tmp_path / "bom.cdx.json"
    proc = run_oscheck(
        "sbom", str(repo), "--format", "cyclonedx-json", "--output", str(out), "--no-file-licenses", env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "11 dependencies (1 without a known license)" in proc.stderr
    cdx = json.loads(out.read_text(encoding="utf-8"))
    assert cdx["specVersion"] == "1.6" and cdx["metadata"]["component"]["name"] == "kobert-serving"
    proc = run_oscheck(
        "sbom", str(repo), "--no-file-licenses", "--offline", "-q", env=env
    )  # SPDX to stdout, from the cache
    assert proc.returncode == 0, proc.stderr
    spdx = json.loads(proc.stdout)
    assert spdx["spdxVersion"] == "SPDX-2.3" and len(spdx_packages(spdx)) == 11
    assert proc.stderr == ""


def test_scan_writes_sboms_into_sbom_folder(tmp_path: Path, registry: RegistryServer) -> None:
    repo = fixture_repo("sbom-go", tmp_path / "repo")
    env = {**registry.env(), "OSCHECK_CACHE_DIR": str(tmp_path / "cache")}
    proc = run_oscheck(
        "scan",
        str(repo),
        "--only",
        "dependencies",
        "--format",
        "json,spdx,cyclonedx",
        "--offline",
        "-q",
        "--fail-on",
        "never",
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "sbom" / "repo.spdx.json").is_file() and (tmp_path / "sbom" / "repo.cdx.json").is_file()
    report = json.loads((tmp_path / "reports" / "repo.json").read_text(encoding="utf-8"))
    validate_report(report)
    assert {c["purl"] for c in report["components"]} == {
        c["purl"] for c in json.loads((tmp_path / "sbom" / "repo.cdx.json").read_text(encoding="utf-8"))["components"]
    }


def test_now_is_used_without_source_date_epoch(
    tmp_path: Path, registry: RegistryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = fixture_repo("sbom-go", tmp_path / "repo")
    result = deps_scan(repo, tmp_path / "cache")
    created = json.loads(formatter(OutputFormat.SPDX_JSON).render(result))["creationInfo"]["created"]
    stamp = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((stamp - result.started_at).total_seconds()) < 2


def test_credentials_in_manifests_never_reach_the_sbom(tmp_path: Path, registry: RegistryServer) -> None:
    secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
    repo = make_repo(
        tmp_path / "repo",
        {
            "requirements.txt": (
                f"private-lib @ https://deploy:{secret}@pkgs.example.kr/private_lib-1.0-py3-none-any.whl\n"
                f"-e git+https://{secret}@github.com/hanbit-ai/kss-lite.git@v0.3.1#egg=kss-lite\n"
            )
        },
    )
    result = deps_scan(Path(repo.working_tree_dir or "."), tmp_path / "cache")
    for fmt in (OutputFormat.SPDX_JSON, OutputFormat.CYCLONEDX_JSON, OutputFormat.JSON):
        text = formatter(fmt).render(result)
        assert secret not in text and "deploy:" not in text
    assert {c.name for c in result.components} == {"private-lib", "kss-lite"}


def test_names_from_lock_files_are_checked_before_they_go_into_a_url(tmp_path: Path, registry: RegistryServer) -> None:
    lock = '{"name": "x", "lockfileVersion": 3, "packages": {"": {"dependencies": {"../../evil": "1"}}, "node_modules/../../evil": {"version": "1.0.0"}}}'
    repo = make_repo(tmp_path / "repo", {"package-lock.json": lock})
    result = deps_scan(Path(repo.working_tree_dir or "."), tmp_path / "cache")
    assert registry.requests == []
    (unresolved,) = result.of_type(UnresolvedLicense)
    assert unresolved.reason is UnresolvedReason.REGISTRY_ERROR and "not a valid npm name" in (unresolved.detail or "")


@pytest.mark.slow
def test_a_lone_license_exception_stays_valid_spdx(tmp_path: Path) -> None:
    """scancode finds exception texts on their own; SPDX allows them only after WITH."""
    import re as _re

    data = Path(sys.executable).parent.parent / "lib"
    exception = next(data.rglob("licensedcode/data/licenses/classpath-exception-2.0.LICENSE"))
    text = exception.read_text().split("---", 2)[2]
    make_repo(tmp_path / "r", {"LICENSE": "MIT License\n", "NOTICE.txt": text})
    result = scan(str(tmp_path / "r"), ScanOptions(jobs=1, only=("licenses",)))
    doc = json.loads(formatter(OutputFormat.SPDX_JSON).render(result))  # validated before it is returned
    notice = next(f for f in doc["files"] if f["fileName"] == "./NOTICE.txt")
    assert any(_re.fullmatch(r"LicenseRef-scancode-classpath-exception-2\.0", x) for x in notice["licenseInfoInFiles"])
    refs = {e["licenseId"] for e in doc["hasExtractedLicensingInfos"]}
    assert "LicenseRef-scancode-classpath-exception-2.0" in refs
