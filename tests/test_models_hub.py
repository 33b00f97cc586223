"""Models on the Hub: the real huggingface_hub client against a local Hub (HF_ENDPOINT)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from helpers import FIXTURES, run_oscheck
from hub_models import hub_models
from hub_server import FakeHub, serve_hub

from oscheck.sources.hf_hub import HubClient, ModelUnavailable

TOKEN = "hf_testtokenthatmustneverbeprinted0123"


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[dict[str, str], FakeHub]]:
    """A running fake Hub and the environment that points the client (and oscheck) at it."""
    with serve_hub(hub_models()) as (url, fake):
        env = {
            "HF_ENDPOINT": url,
            "HF_HOME": str(tmp_path / "hf-home"),
            "OSCHECK_CACHE_DIR": str(tmp_path / "oscheck-cache"),
        }
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        yield env, fake


def _model(env: dict[str, str], *args: str, extra: dict[str, str] | None = None) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    r = run_oscheck("model", *args, "--format", "json", env={**env, **(extra or {})})
    return r.returncode, json.loads(r.stdout) if r.stdout else {}, r.stderr


def _fetched(fake: FakeHub) -> list[str]:
    return [path for method, path, _h in fake.requests if method == "GET" and "/resolve/" in path]


def test_apache_model_with_safetensors_is_open(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, fake = hub
    code, doc, _err = _model(env, "acme/ko-sbert-apache")
    assert code == 0
    assert doc["verdict"] == "open"
    assert doc["license"] == "Apache-2.0" and doc["license_tag"] == "apache-2.0"
    assert doc["revision"] == fake.find("acme/ko-sbert-apache").sha  # type: ignore[union-attr]
    assert doc["purl"].startswith(f"pkg:huggingface/acme/ko-sbert-apache@{doc['revision']}")
    assert [w["path"] for w in doc["weights"]] == ["model.safetensors"]
    assert doc["weights"][0]["sha256"] and doc["task"] == "sentence-similarity"
    assert doc["datasets"] == ["klue/klue"] and doc["architecture"] == "BertModel"
    assert doc["findings"] == []
    # card, config and license files only, each at the pinned commit; never the weights
    fetched = _fetched(fake)
    assert sorted(p.rsplit("/", 1)[-1] for p in fetched) == ["LICENSE", "README.md", "config.json"]
    assert all(f"/resolve/{doc['revision']}/" in p for p in fetched)


def test_gated_llama_is_restricted_with_conditions(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, fake = hub
    code, doc, _err = _model(env, "meta-llama/Llama-3.1-8B-Instruct", "--program", "nipa-oss-ai-use-2026")
    assert code == 0  # restricted is a warning, not an error
    assert doc["verdict"] == "restricted" and doc["gated"] == "manual"
    assert doc["license"] == "LicenseRef-scancode-llama-3.1-license-2024" and doc["license_tag"] == "llama3.1"
    assert any("700,000,000 monthly active users" in c for c in doc["conditions"])
    assert any("Built with Llama" in c for c in doc["conditions"])
    rules = {f["rule_id"]: f for f in doc["findings"]}
    assert rules["MOD002"]["severity"] == "warning" and "acceptable-use policy" in rules["MOD002"]["message"]["en"]
    assert rules["MOD009"]["severity"] == "warning"
    assert doc["lineage"][0]["id"] == "meta-llama/Llama-3.1-8B" and doc["lineage"][0]["relation"] == "finetune"
    # the gated files are not readable without access; the card is
    assert _fetched(fake) == [f"/meta-llama/Llama-3.1-8B-Instruct/resolve/{doc['revision']}/README.md"]


def test_non_commercial_model_fails_the_commercial_track(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, _fake = hub
    code, doc, _err = _model(env, "acme/ko-chat-nc", "--program", "nipa-oss-ai-use-2026")
    assert code == 1
    assert doc["verdict"] == "non-commercial" and doc["license"] == "CC-BY-NC-4.0"
    by_rule = {f["rule_id"]: f["severity"] for f in doc["findings"]}
    assert by_rule == {"MOD003": "error", "MOD022": "warning"}
    # the development track does not commercialise: the same model is a warning there
    code, doc, _err = _model(env, "acme/ko-chat-nc", "--program", "nipa-oss-ai-dev-2026")
    assert code == 0 and {f["rule_id"]: f["severity"] for f in doc["findings"]}["MOD003"] == "warning"


def test_repo_without_weights_is_not_open(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, _fake = hub
    code, doc, _err = _model(env, "acme/config-only", "--program", "nipa-oss-ai-use-2026")
    assert code == 1
    assert doc["verdict"] == "not-open" and doc["license"] == "MIT" and doc["weights"] == []
    [finding] = doc["findings"]
    assert finding["rule_id"] == "MOD001" and finding["data"]["reason"] == "no-weights"


def test_finetune_of_a_more_restrictive_base(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, _fake = hub
    code, doc, _err = _model(env, "acme/llama-ko-finetune")
    assert code == 0
    assert doc["license"] == "Apache-2.0"
    assert doc["verdict"] == "restricted"  # the least open of its lineage
    assert [(a["id"], a["depth"], a["verdict"]) for a in doc["lineage"]] == [
        ("meta-llama/Llama-3.1-8B-Instruct", 1, "restricted"),
        ("meta-llama/Llama-3.1-8B", 2, "restricted"),
    ]
    looser = [f for f in doc["findings"] if f["rule_id"] == "MOD005"]
    assert len(looser) == 1 and looser[0]["data"]["base"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert "is tagged Apache-2.0 but is a finetune of" in looser[0]["message"]["en"]


def test_missing_id_is_one_line_and_exit_3(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, _fake = hub
    r = run_oscheck("model", "acme/does-not-exist", env=env)
    assert r.returncode == 3 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "oscheck: acme/does-not-exist: model not found on the Hugging Face Hub (or private: set HF_TOKEN to a token that can read it)"
    ]
    r = run_oscheck("model", "acme/ko-sbert-apache", "--revision", "v9.9", env=env)
    assert r.returncode == 3 and "revision 'v9.9' not found" in r.stderr and "Traceback" not in r.stderr


def test_token_is_sent_as_a_header_and_never_printed(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, fake = hub
    r = run_oscheck("model", "acme/private-model", "--format", "json", env={**env, "HF_TOKEN": TOKEN})
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["private"] is True and doc["verdict"] == "not-open"
    assert {f["rule_id"] for f in doc["findings"]} == {"MOD001", "MOD010"}
    assert TOKEN not in r.stdout + r.stderr
    assert any(h.get("authorization") == f"Bearer {TOKEN}" for _m, _p, h in fake.requests)
    r = run_oscheck("model", "acme/private-model", env=env)  # without the token: not found
    assert r.returncode == 3 and TOKEN not in r.stderr


def test_other_license_resolved_by_license_name_and_gguf_quantisation(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, _fake = hub
    _code, doc, _err = _model(env, "acme/exaone-gguf")
    assert doc["license_tag"] == "other" and doc["license_name"] == "exaone"
    assert doc["license"] == "LicenseRef-scancode-exaone-ai-model-1.1-nc" and doc["verdict"] == "non-commercial"
    assert doc["lineage"][0]["relation"] == "quantized" and doc["lineage"][0]["problem"] == "not-found"


def test_lineage_cycle_is_cut(hub: tuple[dict[str, str], FakeHub]) -> None:
    _env, _fake = hub
    client = HubClient()
    ancestors = client.lineage(client.model("acme/cycle-a"))
    assert [(a.id, a.depth, a.cycle) for a in ancestors] == [("acme/cycle-b", 1, False), ("acme/cycle-a", 2, True)]


def test_download_weights_inspects_the_pickle(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, fake = hub
    _code, doc, _err = _model(env, "acme/ko-chat-nc", "--download-weights")
    [w] = doc["weights"]
    assert w["inspected"] and w["inspected_format"] == "pytorch-zip"
    assert w["globals"] == ["collections.OrderedDict", "torch.FloatStorage", "torch._utils._rebuild_tensor_v2"]
    assert not {"MOD020", "MOD021"} & {f["rule_id"] for f in doc["findings"]}
    assert any(p.endswith("/pytorch_model.bin") for p in _fetched(fake))


def test_offline_uses_what_was_kept(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, fake = hub
    _code, online, _err = _model(env, "acme/ko-sbert-apache")
    before = len(fake.requests)
    code, offline, err = _model(env, "acme/ko-sbert-apache", extra={"HF_HUB_OFFLINE": "1"})
    assert code == 0, err
    assert len(fake.requests) == before  # nothing was requested
    assert (offline["revision"], offline["verdict"], offline["license"]) == (
        online["revision"],
        online["verdict"],
        online["license"],
    )
    r = run_oscheck("model", "acme/never-seen", env={**env, "HF_HUB_OFFLINE": "1"})
    assert r.returncode == 3 and "not in the local Hugging Face cache" in r.stderr


def test_unreachable_hub_is_one_line(tmp_path: Path) -> None:
    r = run_oscheck(
        "model",
        "acme/anything",
        env={"HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path), "OSCHECK_CACHE_DIR": str(tmp_path / "c")},
    )
    assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1 and "could not be reached" in r.stderr


def test_missing_model_inside_a_scan_is_a_finding(hub: tuple[dict[str, str], FakeHub], tmp_path: Path) -> None:
    from helpers import make_repo

    from oscheck import ScanOptions, scan

    repo = make_repo(
        tmp_path / "repo",
        {
            ".oscheck.yml": "program: nipa-oss-ai-use-2026\nmodels:\n  - acme/does-not-exist\n  - acme/ko-sbert-apache\n",
            "README.md": "# x\n",
        },
    )
    result = scan(str(repo.working_tree_dir), ScanOptions(only=("models",), jobs=1))
    found = [f for f in result.findings if f.rule_id == "MOD008"]
    assert len(found) == 1 and found[0].severity.value == "error" and found[0].location.path == ".oscheck.yml"
    assert {m.id for m in result.models} == {"acme/does-not-exist", "acme/ko-sbert-apache"}


def test_spdx3_document_validates_against_the_3_0_1_schema(hub: tuple[dict[str, str], FakeHub]) -> None:
    env, _fake = hub
    r = run_oscheck("model", "acme/llama-ko-finetune", "--format", "spdx3", env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    schema = json.loads((FIXTURES / "schemas" / "spdx-3.0.1.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(doc)) == []
    graph = doc["@graph"]
    packages = {e["name"]: e for e in graph if e["type"] == "ai_AIPackage"}
    assert set(packages) == {"acme/llama-ko-finetune", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B"}
    model = packages["acme/llama-ko-finetune"]
    assert model["software_packageUrl"].startswith("pkg:huggingface/acme/llama-ko-finetune@")
    assert model["software_primaryPurpose"] == "model"
    rels = [(e["from"], e["relationshipType"], tuple(e["to"])) for e in graph if e["type"] == "Relationship"]
    base = packages["meta-llama/Llama-3.1-8B-Instruct"]["spdxId"]
    assert (base, "ancestorOf", (model["spdxId"],)) in rels
    exprs = {e["simplelicensing_licenseExpression"] for e in graph if e["type"] == "simplelicensing_LicenseExpression"}
    assert "LicenseRef-scancode-llama-3.1-license-2024" in exprs and "llama3.1" not in exprs
    # the validator is not a rubber stamp: a dataset without its required type fails
    broken = json.loads(r.stdout)
    broken["@graph"].append({"type": "dataset_DatasetPackage", "spdxId": "urn:x", "creationInfo": "_:CreationInfo0"})
    assert list(validator.iter_errors(broken))


def test_client_errors_carry_a_reason(hub: tuple[dict[str, str], FakeHub]) -> None:
    client = HubClient()
    with pytest.raises(ModelUnavailable) as info:
        client.model("not a valid id")
    assert info.value.reason == "invalid-id"


def test_cyclonedx_and_spdx_through_the_sbom_formatters(hub: tuple[dict[str, str], FakeHub], tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    env, _fake = hub
    r = run_oscheck("model", "meta-llama/Llama-3.1-8B-Instruct", "--format", "cyclonedx", env=env)
    assert r.returncode == 0, r.stderr
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(r.stdout) is None
    [component] = [c for c in json.loads(r.stdout)["components"] if c["type"] == "machine-learning-model"]
    assert component["purl"].startswith("pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct@")
    assert component["modelCard"]["modelParameters"]["task"] == "text-generation"
    # never a Hub tag as an SPDX id
    [lic] = component["licenses"]
    assert lic.get("license", {}).get("id") != "llama3.1"
    props = {p["name"]: p["value"] for p in component["properties"]}
    assert props["oscheck:openness"] == "restricted" and props["oscheck:license-tag"] == "llama3.1"

    r = run_oscheck("model", "acme/ko-sbert-apache", "--format", "spdx", "-o", str(tmp_path / "m.spdx.json"), env=env)
    assert r.returncode == 0, r.stderr
    assert validate_full_spdx_document(parse_file(str(tmp_path / "m.spdx.json"))) == []
    doc = json.loads((tmp_path / "m.spdx.json").read_text(encoding="utf-8"))
    [pkg] = [p for p in doc["packages"] if p["name"] == "acme/ko-sbert-apache"]
    assert pkg["licenseDeclared"] == "Apache-2.0"
    assert any(
        ref["referenceLocator"].startswith("pkg:huggingface/acme/ko-sbert-apache@") for ref in pkg["externalRefs"]
    )
