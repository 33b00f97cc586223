"""Each manifest and lock-file parser on real files (tests/fixtures/sbom-*) and on the
corner cases of its format; no scan, no network."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from helpers import FIXTURES

from oscheck.detectors.dependencies import cargo, golang, maven, npm, python_locks, python_manifests, yarn_pnpm
from oscheck.detectors.dependencies.entries import ParsedFile, ParseFailure
from oscheck.detectors.dependencies.graph import build_components
from oscheck.detectors.dependencies.parsers import manifest_type


def parse(fixture: str, path: str) -> ParsedFile:
    mt = manifest_type(path)
    assert mt is not None, path
    return mt.parse(path, (FIXTURES / fixture / path).read_text(encoding="utf-8"))


def by_key(pf: ParsedFile) -> dict[str, object]:
    return {e.key: e for e in pf.entries}


# ------------------------------------------------------------------ file names


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("requirements.txt", "requirements.txt"),
        ("requirements-dev.txt", "requirements.txt"),
        ("ci/test-requirements.txt", "requirements.txt"),
        ("requirements/base.txt", "requirements.txt"),
        ("web/package.json", "package.json"),
        ("npm-shrinkwrap.json", "package-lock.json"),
        ("svc/go.mod", "go.mod"),
        ("pom.xml", "pom.xml"),
        ("node_modules/chalk/package.json", None),
        ("tests/fixtures/app/package.json", None),
        ("pkg/testdata/go.mod", None),
        ("notes.txt", None),
    ],
)
def test_manifest_types(path: str, fmt: str | None) -> None:
    mt = manifest_type(path)
    assert (mt.format if mt else None) == fmt


# ------------------------------------------------------------------ Python


def test_requirements_file() -> None:
    pf = parse("sbom-python-misc", "requirements.txt")
    entries = by_key(pf)
    assert pf.includes == ("requirements-base.txt",)
    assert not pf.problems
    requests = entries["requests"]
    assert (requests.version, requests.line, requests.scope) == ("2.32.3", 5, "runtime")  # type: ignore[attr-defined]
    assert entries["urllib3"].requirement == '==2.2.3; python_version >= "3.8"'  # type: ignore[attr-defined]
    numpy = entries["numpy"]
    assert numpy.version is None and numpy.requirement == "<3,>=1.26"  # type: ignore[attr-defined]
    kss = entries["kss-lite"]
    assert kss.source == "git" and kss.download_url == "git+https://github.com/hanbit-ai/kss-lite.git@v0.3.1"  # type: ignore[attr-defined]
    assert entries["hangul-utils"].source == "url"  # type: ignore[attr-defined]
    dev = parse("sbom-python-misc", "requirements-dev.txt")
    assert [(e.name, e.scope) for e in dev.entries] == [("pytest", "dev")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("this is not a requirement", "not a requirement: 'this is not a requirement'"),
        ("requests==2.*.1", "not a requirement"),
        ("--frobnicate", "unknown pip option '--frobnicate'"),
    ],
)
def test_requirement_lines_that_pip_rejects(line: str, problem: str) -> None:
    pf = python_manifests.parse_requirements("requirements.txt", f"click==8.1.8\n{line}\nidna==3.10\n")
    assert [p.line for p in pf.problems] == [2]
    assert problem in pf.problems[0].message
    assert [e.name for e in pf.entries] == ["click", "idna"]  # the rest is still read


def test_requirements_continuations_wheels_and_editables() -> None:
    text = (
        "pkg-a==1.0 \\\n    --hash=sha256:aa\n"
        "./wheels/tokenizers_ko-0.2.1-py3-none-any.whl\n"
        "-e .\n"
        "-e git+https://github.com/org/proj.git@main#egg=proj_x\n"
    )
    entries = by_key(python_manifests.parse_requirements("requirements.txt", text))
    assert entries["pkg-a"].version == "1.0"  # type: ignore[attr-defined]
    assert entries["tokenizers-ko"].version == "0.2.1" and entries["tokenizers-ko"].source == "path"  # type: ignore[attr-defined]
    assert entries["proj-x"].source == "git"  # type: ignore[attr-defined]
    assert len(entries) == 3  # "-e ." is the project itself


def test_pyproject_pep621_and_groups() -> None:
    pf = parse("sbom-python-uv", "pyproject.toml")
    assert pf.project is not None and (pf.project.name, pf.project.version, pf.project.license) == (
        "ko-summarizer",
        "0.2.0",
        "Apache-2.0",
    )
    scopes = {e.name: e.scope for e in pf.entries}
    assert scopes == {
        "requests": "runtime",
        "click": "runtime",
        "urllib3": "runtime",
        "certifi": "runtime",
        "charset-normalizer": "runtime",
        "idna": "runtime",
        "colorama": "optional",
        "pytest": "dev",
    }
    assert by_key(pf)["requests"].line == 9  # type: ignore[attr-defined]


def test_pyproject_poetry() -> None:
    pf = parse("sbom-python-poetry", "pyproject.toml")
    assert pf.project is not None and pf.project.name == "kobert-serving"
    entries = by_key(pf)
    assert set(entries) == {"requests", "click", "pytest"}  # "python" is the interpreter
    assert entries["requests"].version == "2.32.3"  # type: ignore[attr-defined]  # Poetry's bare version is exact
    assert entries["click"].version is None and entries["click"].requirement == "^8.1"  # type: ignore[attr-defined]
    assert entries["pytest"].scope == "dev"  # type: ignore[attr-defined]


def test_invalid_toml_names_its_line() -> None:
    with pytest.raises(ParseFailure) as info:
        parse("sbom-malformed", "pyproject.toml")
    assert info.value.line == 8
    assert "invalid TOML" in info.value.message


def test_setup_cfg() -> None:
    pf = parse("sbom-python-misc", "legacy/setup.cfg")
    assert pf.project is not None and pf.project.license == "MIT"
    assert {(e.name, e.version, e.scope) for e in pf.entries} == {
        ("click", "8.1.8", "runtime"),
        ("requests", None, "runtime"),
        ("pytest", "8.3.3", "dev"),
    }


@pytest.mark.parametrize(
    ("fixture", "lock"),
    [
        ("sbom-python-uv", "uv.lock"),
        ("sbom-python-poetry", "poetry.lock"),
        ("sbom-python-misc", "crawler/Pipfile.lock"),
    ],
)
def test_python_locks_list_every_package_with_its_version(fixture: str, lock: str) -> None:
    pf = parse(fixture, lock)
    text = (FIXTURES / fixture / lock).read_text(encoding="utf-8")
    if lock.endswith("Pipfile.lock"):
        data = json.loads(text)
        expected = {
            (n, v["version"].lstrip("=")) for section in ("default", "develop") for n, v in data[section].items()
        }
    else:
        data = tomllib.loads(text)
        expected = {(p["name"], p["version"]) for p in data["package"] if "editable" not in p.get("source", {})}
    assert {(e.name, e.version) for e in pf.entries} == expected


def test_uv_lock_graph_and_hashes() -> None:
    entries = by_key(parse("sbom-python-uv", "uv.lock"))
    requests = entries["requests==2.32.3"]
    assert set(requests.depends_on) == {  # type: ignore[attr-defined]
        "certifi==2024.8.30",
        "charset-normalizer==3.4.0",
        "idna==3.10",
        "urllib3==2.2.3",
    }
    assert requests.hashes == (  # type: ignore[attr-defined]
        ("SHA-256", "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"),  # the sdist's
    )
    assert requests.direct and entries["pytest==8.3.3"].scope == "dev"  # type: ignore[attr-defined]
    assert entries["colorama==0.4.6"].scope == "optional"  # type: ignore[attr-defined]  # the "cli" extra


def test_poetry_lock_groups() -> None:
    entries = by_key(parse("sbom-python-poetry", "poetry.lock"))
    assert entries["requests==2.32.3"].scope == "runtime"  # type: ignore[attr-defined]
    assert entries["iniconfig==2.3.1"].scope == "dev"  # type: ignore[attr-defined]
    assert "urllib3==2.8.0" in entries["requests==2.32.3"].depends_on  # type: ignore[attr-defined]


# ------------------------------------------------------------------ npm


def test_package_lock_v3() -> None:
    pf = parse("sbom-npm", "package-lock.json")
    data = json.loads((FIXTURES / "sbom-npm" / "package-lock.json").read_text(encoding="utf-8"))
    expected = {(k.rsplit("node_modules/", 1)[1], v["version"], v["license"]) for k, v in data["packages"].items() if k}
    assert {(e.name, e.version, e.license) for e in pf.entries} == expected
    entries = by_key(pf)
    nested = entries["node_modules/follow-redirects/node_modules/debug"]
    assert nested.version == "3.1.0"  # type: ignore[attr-defined]
    # Node's lookup: the nested ms 2.0.0 wins over the hoisted ms 2.1.3.
    assert nested.depends_on == ("node_modules/follow-redirects/node_modules/ms",)  # type: ignore[attr-defined]
    assert entries["node_modules/debug"].depends_on == ("node_modules/ms",)  # type: ignore[attr-defined]
    assert entries["node_modules/tslib"].scope == "dev" and entries["node_modules/tslib"].direct  # type: ignore[attr-defined]
    assert not entries["node_modules/ms"].direct  # type: ignore[attr-defined]
    alg, digest = entries["node_modules/ms"].hashes[0]  # type: ignore[attr-defined]
    assert alg == "SHA-512" and len(digest) == 128


def test_package_lock_v1_nested_tree() -> None:
    lock = {
        "name": "old-app",
        "version": "1.0.0",
        "lockfileVersion": 1,
        "dependencies": {
            "a": {"version": "1.0.0", "requires": {"b": "^2.0.0"}, "dependencies": {"b": {"version": "2.0.0"}}},
            "b": {"version": "1.0.0", "dev": True},
        },
    }
    pf = npm.parse_package_lock("package-lock.json", json.dumps(lock, indent=2))
    entries = by_key(pf)
    assert entries["node_modules/a"].depends_on == ("node_modules/a/node_modules/b",)  # type: ignore[attr-defined]
    assert entries["node_modules/b"].scope == "dev"  # type: ignore[attr-defined]
    assert not pf.states_direct  # v1 does not name the root's dependencies


def test_package_json_aliases_and_sources() -> None:
    text = json.dumps(
        {
            "name": "x",
            "license": {"type": "MIT"},
            "dependencies": {"lodash4": "npm:lodash@^4.17.21", "local": "file:../local", "gh": "user/repo#v1"},
            "devDependencies": {"left-pad": "1.3.0"},
            "peerDependencies": {"react": "^18"},
        },
        indent=2,
    )
    pf = npm.parse_package_json("package.json", text)
    entries = by_key(pf)
    assert entries["lodash4"].name == "lodash"  # type: ignore[attr-defined]
    assert entries["local"].source == "path" and entries["gh"].source == "git"  # type: ignore[attr-defined]
    assert entries["left-pad"].version == "1.3.0" and entries["left-pad"].scope == "dev"  # type: ignore[attr-defined]
    assert entries["react"].scope == "optional"  # type: ignore[attr-defined]
    assert pf.project is not None and pf.project.license == "MIT"


def test_broken_json_names_its_line() -> None:
    with pytest.raises(ParseFailure) as info:
        parse("sbom-malformed", "web/package.json")
    assert info.value.line == 6


def test_legacy_licenses_list_is_kept_as_written() -> None:
    doc = json.loads((FIXTURES / "registry" / "npm" / "json-schema" / "0.2.3.json").read_text(encoding="utf-8"))
    assert npm.license_of(doc) == "AFLv2.1, BSD"


@pytest.mark.parametrize("lock", ["yarn-classic/yarn.lock", "yarn-berry/yarn.lock", "pnpm/pnpm-lock.yaml"])
def test_yarn_and_pnpm_locks_give_the_same_graph_as_package_lock(lock: str) -> None:
    """The four lock files were made by the real tools from the same package.json."""
    reference = build_components([parse("sbom-npm", "package.json"), parse("sbom-npm", "package-lock.json")])
    folder = lock.split("/")[0]
    other = build_components([parse("sbom-js-locks", f"{folder}/package.json"), parse("sbom-js-locks", lock)])

    def shape(components: list) -> set:  # type: ignore[type-arg]
        return {(c.purl, c.scope.value, c.direct, c.depends_on) for c in components}

    assert shape(other) == shape(reference)


@pytest.mark.parametrize(
    ("key", "version_5", "expected"),
    [
        ("/@types/ms@0.7.34", False, ("@types/ms", "0.7.34")),
        ("react-dom@18.2.0(react@18.2.0)", False, ("react-dom", "18.2.0")),
        ("/@babel/core/7.24.0", True, ("@babel/core", "7.24.0")),
        ("/react-dom/18.2.0_react@18.2.0", True, ("react-dom", "18.2.0")),
        ("registry.npmjs.org/ms/2.1.3", True, ("ms", "2.1.3")),
    ],
)
def test_pnpm_keys_of_every_lockfile_version(key: str, version_5: bool, expected: tuple[str, str]) -> None:
    assert yarn_pnpm._pnpm_key(key, version_5) == expected


def test_pnpm_v6_lock() -> None:
    text = """lockfileVersion: '6.0'
dependencies:
  debug:
    specifier: ^4.3.7
    version: 4.3.7
devDependencies:
  tslib:
    specifier: ^2.6.2
    version: 2.6.2
packages:
  /debug@4.3.7:
    resolution: {integrity: sha512-Er2nc/H7RrMXZBFCEim6TCmMk02Z8vLC2Rbi1KEBggpo0fS6l0S1nnapwmIi3yW/+GOJap1Krg4w0Hg80oCqgQ==}
    dependencies:
      ms: 2.1.3
    dev: false
  /ms@2.1.3:
    resolution: {integrity: sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==}
    dev: false
  /tslib@2.6.2:
    resolution: {integrity: sha512-AEYxH93jGFPn/a2iVAwW87VuUIkR1FVUKB77NwMF7nBTDkDrrT/Hpt/IrCJ0QXhW27jTBDcf5ZY7w6RiqTMw2Q==}
    dev: true
"""
    entries = by_key(yarn_pnpm.parse_pnpm_lock("pnpm-lock.yaml", text))
    assert entries["debug@4.3.7"].depends_on == ("ms@2.1.3",)  # type: ignore[attr-defined]
    assert entries["debug@4.3.7"].direct and entries["tslib@2.6.2"].scope == "dev"  # type: ignore[attr-defined]
    assert entries["ms@2.1.3"].scope == "runtime" and not entries["ms@2.1.3"].direct  # type: ignore[attr-defined]


def test_yarn_lock_that_is_not_one() -> None:
    pf = yarn_pnpm.parse_yarn_lock("yarn.lock", 'ms@^2.1.3:\n  version "2.1.3"\nthis line is wrong\n')
    assert [(p.line, "not a yarn.lock entry header" in p.message) for p in pf.problems] == [(3, True)]
    assert [e.key for e in pf.entries] == ["ms@2.1.3"]


# ------------------------------------------------------------------ Go, Rust, Maven


def test_go_mod() -> None:
    pf = parse("sbom-go", "go.mod")
    assert pf.project is not None and pf.project.name == "github.com/hanbit-ai/ko-tokenizer-api"
    got = {(e.name, e.version, e.direct) for e in pf.entries}
    assert got == {
        ("github.com/spf13/cobra", "v1.8.1", True),
        # replaced by the fork named in the replace directive
        ("github.com/hanbit-ai/text", "v0.16.1-0.20240611023512-3c1f5e4b7a9d", True),
        ("gopkg.in/yaml.v3", "v3.0.1", True),
        ("github.com/inconshreveable/mousetrap", "v1.1.0", False),
        ("github.com/spf13/pflag", "v1.0.5", False),
    }
    fork = next(e for e in pf.entries if e.name == "github.com/hanbit-ai/text")
    assert fork.replaces == "golang.org/x/text@v0.16.0"


def test_go_mod_problems_and_local_replacements() -> None:
    text = "module example.com/m\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d\n)\nreplace github.com/a/b => ../b\nfrobnicate x\n"
    pf = golang.parse_go_mod("go.mod", text)
    assert [(p.line, p.message.split(":")[0]) for p in pf.problems] == [
        (5, "a require line needs a module path and a version"),
        (8, "unknown go.mod directive 'frobnicate'"),
    ]
    assert [(e.name, e.source) for e in pf.entries] == [("../b", "path")]


def test_go_sum_is_checked() -> None:
    assert not parse("sbom-go", "go.sum").problems
    pf = golang.parse_go_sum("go.sum", "github.com/a/b v1.0.0 h1:short\n")
    assert pf.problems[0].line == 1


def test_cargo() -> None:
    lock = parse("sbom-rust", "Cargo.lock")
    data = tomllib.loads((FIXTURES / "sbom-rust" / "Cargo.lock").read_text(encoding="utf-8"))
    assert {(e.name, e.version) for e in lock.entries} == {
        (p["name"], p["version"]) for p in data["package"] if "source" in p
    }
    entries = by_key(lock)
    assert entries["serde@1.0.210"].direct and not entries["syn@2.0.79"].direct  # type: ignore[attr-defined]
    assert entries["serde@1.0.210"].hashes == (  # type: ignore[attr-defined]
        ("SHA-256", "c8e3592472072e6e22e0a54d5904d9febf8508f65fb8552499a1abc7d1078c3a"),
    )
    manifest = by_key(parse("sbom-rust", "Cargo.toml"))
    assert manifest["pretty_assertions"].scope == "dev" and manifest["cc"].scope == "dev"  # type: ignore[attr-defined]


def test_pom() -> None:
    pf = parse("sbom-maven", "pom.xml")
    assert pf.project is not None and pf.project.name == "kr.example.nlp:ko-ner-service"
    got = {(e.name, e.version, e.scope, e.line) for e in pf.entries}
    assert got == {
        ("com.fasterxml.jackson.core:jackson-databind", "2.17.2", "runtime", 38),  # ${jackson.version}
        ("com.google.guava:guava", "33.3.0-jre", "runtime", 43),
        ("commons-codec:commons-codec", "1.17.1", "runtime", 48),  # from dependencyManagement
        ("jakarta.servlet:jakarta.servlet-api", "6.0.0", "runtime", 52),  # provided
        ("org.xerial.snappy:snappy-java", "1.1.10.5", "optional", 58),
        ("org.junit.jupiter:junit-jupiter", "5.10.3", "dev", 64),  # test
    }


def test_pom_refuses_entities() -> None:
    evil = '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaa">]>\n<project><artifactId>&a;</artifactId></project>\n'
    with pytest.raises(ParseFailure) as info:
        maven.parse_pom("pom.xml", evil)
    assert "DOCTYPE" in info.value.message


def test_pom_unknown_property_keeps_the_requirement() -> None:
    text = "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${revision}</version></dependency></dependencies></project>"
    (entry,) = maven.parse_pom("pom.xml", text).entries
    assert entry.version is None and entry.requirement == "${revision}"


def test_cargo_lock_v1_checksums() -> None:
    text = """[[package]]
name = "app"
version = "0.1.0"
dependencies = ["itoa 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)"]

[[package]]
name = "itoa"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[metadata]
"checksum itoa 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
"""
    (itoa,) = cargo.parse_cargo_lock("Cargo.lock", text).entries
    assert itoa.direct and itoa.hashes == (("SHA-256", "a" * 64),)


def test_parsed_files_round_trip_through_the_cache_format() -> None:
    pf = parse("sbom-npm", "package-lock.json")
    assert ParsedFile.from_json(pf.path, json.loads(json.dumps(pf.to_json()))) == pf


def test_poetry_lock_without_versions_is_reported() -> None:
    pf = python_locks.parse_poetry_lock("poetry.lock", '[[package]]\nname = "x"\n')
    assert pf.problems[0].line == 1 and not pf.entries


def test_fixture_files_exist() -> None:
    assert Path(FIXTURES / "sbom-npm" / "package-lock.json").is_file()


# ------------------------------------------------------------------ scancode's packagedcode as a second opinion

# Where packagedcode's handler (package_only=True, which loads no license index for these
# formats) lists other packages than ours, and why (docs/sbom.md).
PACKAGEDCODE_EXTRA = {
    "sbom-js-locks/yarn-classic/yarn.lock": set(),
    "sbom-js-locks/pnpm/pnpm-lock.yaml": set(),
    "sbom-python-poetry/poetry.lock": set(),
    "sbom-python-misc/requirements.txt": set(),
    "sbom-python-misc/crawler/Pipfile.lock": set(),  # it lists colorama twice (default and develop)
    "sbom-js-locks/yarn-berry/yarn.lock": {"pkg:npm/hangul-cli@workspace:."},  # the project itself
    "sbom-rust/Cargo.lock": {"pkg:cargo/hangul-jamo@0.4.2"},  # the project itself
    # it ignores the replace directive, and lists an excluded version as a dependency
    "sbom-go/go.mod": {"pkg:golang/golang.org/x/text@v0.16.0", "pkg:golang/gopkg.in/yaml.v3@v3.0.0"},
    "sbom-maven/pom.xml": set(),  # it lists commons-codec twice (dependencyManagement too)
}
HANDLERS = {
    "yarn.lock": ("yarn_lock_v1", "yarn_lock_v2"),
    "pnpm-lock.yaml": ("pnpm_lock_yaml",),
    "poetry.lock": ("pypi_poetry_lock",),
    "requirements.txt": ("pip_requirements",),
    "Pipfile.lock": ("pipfile_lock",),
    "Cargo.lock": ("cargo_lock",),
    "go.mod": ("go_mod",),
    "pom.xml": ("maven_pom",),
}


@pytest.mark.parametrize("rel", sorted(PACKAGEDCODE_EXTRA))
def test_packagedcode_lists_the_same_packages(rel: str) -> None:
    packagedcode = pytest.importorskip("packagedcode")
    import licensedcode.cache
    from packageurl import PackageURL

    path = FIXTURES / rel
    base = rel.rsplit("/", 1)[-1]
    theirs: set[str] = set()
    # Another test on this worker may have loaded the index already; only a load *here* counts.
    index_was_loaded = licensedcode.cache._LICENSE_CACHE is not None
    for datasource in HANDLERS[base]:
        handler = packagedcode.HANDLER_BY_DATASOURCE_ID[datasource]
        if not handler.is_datafile(str(path)):
            continue
        for package in handler.parse(str(path), package_only=True):
            for dep in package.dependencies:
                d = dep if isinstance(dep, dict) else dep.to_dict()
                theirs.add(PackageURL.from_string(d["purl"]).to_string())
    if not index_was_loaded:  # these handlers must not load the 1.4 GB index
        assert licensedcode.cache._LICENSE_CACHE is None
    folder, _, name = rel.partition("/")
    ours = {
        PackageURL.from_string(e_purl).to_string()
        for e_purl in (c.purl.split("?", 1)[0] for c in build_components([parse(folder, name)]))
    }
    assert theirs - ours == PACKAGEDCODE_EXTRA[rel]
    # ...and the only package we list that it does not is the fork go.mod's replace names.
    assert ours - theirs == (
        {"pkg:golang/github.com/hanbit-ai/text@v0.16.1-0.20240611023512-3c1f5e4b7a9d"}
        if rel.endswith("go.mod")
        else set()
    )
