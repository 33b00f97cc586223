"""Models inside a repository scan: weight-file safety, declared vs used models, local folders."""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import make_repo, run_oscheck, validate_report
from hub_models import hub_models
from hub_server import serve_hub
from model_files import (
    evil_pickle_builtins_exec,
    evil_pickle_global,
    evil_pickle_memo,
    gguf_bytes,
    safetensors_bytes,
    state_dict_pickle,
    torch_zip,
    truncated_safetensors,
)

from oscheck import ScanOptions, scan
from oscheck.detectors.models import WeightFile
from oscheck.detectors.models.weights import inspect_weights
from oscheck.model import Openness, ScanResult


@pytest.fixture
def hub_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serve_hub(hub_models()) as (url, _fake):
        monkeypatch.setenv("HF_ENDPOINT", url)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
        yield url


def _scan(root: Path) -> ScanResult:
    return scan(str(root), ScanOptions(only=("models",), jobs=1))


def _rules(result: ScanResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule_id, []).append(f.location.path or "")
    return out


def test_os_system_pickle_is_caught_and_state_dict_is_not(tmp_path: Path, hub_env: str) -> None:
    evil_in_zip = torch_zip(evil_pickle_global(), name="archive")
    repo = make_repo(
        tmp_path / "repo",
        {
            "weights/plain.pkl": evil_pickle_global(),
            "weights/hidden.pt": evil_pickle_memo(),
            "weights/exec.pth": evil_pickle_builtins_exec(),
            "weights/archive.bin": evil_in_zip,
            "weights/good.bin": torch_zip(state_dict_pickle()),
            "weights/legacy.bin": state_dict_pickle() + b"\x00" * 64,
            "weights/ok.safetensors": safetensors_bytes(),
            "weights/ok.gguf": gguf_bytes(),
        },
    )
    result = _scan(Path(repo.working_tree_dir or "."))
    files = {w.location.path: w for w in result.of_type(WeightFile)}
    assert files["weights/plain.pkl"].globals == ("os.system",)
    assert files["weights/hidden.pt"].globals == ("posix.system",)  # resolved through the memo
    assert files["weights/exec.pth"].globals == ("builtins.exec",)
    assert files["weights/archive.bin"].format == "pytorch-zip" and files["weights/archive.bin"].globals == (
        "os.system",
    )
    assert files["weights/good.bin"].format == "pytorch-zip" and not files["weights/good.bin"].problems
    assert files["weights/legacy.bin"].format == "pytorch-legacy"
    dangerous = _rules(result).get("MOD020", [])
    assert sorted(dangerous) == ["weights/archive.bin", "weights/exec.pth", "weights/hidden.pt", "weights/plain.pkl"]
    for f in result.findings:
        assert f.location.path not in (
            "weights/good.bin",
            "weights/legacy.bin",
            "weights/ok.safetensors",
            "weights/ok.gguf",
        )
    assert "would run code" in next(f for f in result.findings if f.rule_id == "MOD020").message.en
    assert files["weights/ok.gguf"].details["metadata"]["general.license"] == "apache-2.0"


def test_global_outside_the_allow_list_is_an_error(tmp_path: Path) -> None:
    # a harmless-looking but unlisted global: allow-list, not deny-list
    data = b"\x80\x02cmypackage.layers\nCustomLayer\n)R."
    repo = make_repo(tmp_path / "repo", {"model.ckpt": data})
    result = _scan(Path(repo.working_tree_dir or "."))
    [finding] = [f for f in result.findings if f.rule_id.startswith("MOD02")]
    assert finding.rule_id == "MOD021" and finding.severity.value == "error"
    assert finding.data["global"] == "mypackage.layers.CustomLayer"


def test_truncated_and_malformed_headers_are_reported(tmp_path: Path) -> None:
    bad_offsets = bytearray(safetensors_bytes())
    repo = make_repo(
        tmp_path / "repo",
        {
            "m/truncated.safetensors": truncated_safetensors(),
            "m/offsets.safetensors": bytes(bad_offsets[:-4]),  # data shorter than the offsets say
            "m/tiny.safetensors": b"\x01\x02",
            "m/bad.gguf": b"GGUF" + (99).to_bytes(4, "little") + b"\0" * 16,
            "m/broken.pkl": b"\x80\x04\x95\xff\xff",
        },
    )
    result = _scan(Path(repo.working_tree_dir or "."))
    invalid = {f.location.path: f.data["problem"] for f in result.findings if f.rule_id == "MOD023"}
    assert invalid["m/truncated.safetensors"].startswith("truncated header: it declares")
    assert "past the" in invalid["m/offsets.safetensors"]
    assert invalid["m/tiny.safetensors"].startswith("truncated header")
    assert invalid["m/bad.gguf"] == "unsupported GGUF version 99"
    assert invalid["m/broken.pkl"].startswith("malformed pickle")


def test_hostile_weight_headers_are_findings_not_crashes(tmp_path: Path) -> None:
    """Headers written to exhaust the reader: recursion in GGUF, giant integers in safetensors."""
    # GGUF: one key whose value is an array of arrays of arrays ... 5,000 deep.
    key = b"general.deep"
    gguf = b"GGUF" + struct.pack("<I", 3) + struct.pack("<Q", 0) + struct.pack("<Q", 1)
    gguf += struct.pack("<Q", len(key)) + key + struct.pack("<I", 9)
    gguf += (struct.pack("<I", 9) + struct.pack("<Q", 1)) * 5000 + struct.pack("<I", 4) + struct.pack("<Q", 0)

    # safetensors: dims of 5,000 digits (their product cannot even be printed) and deep JSON.
    def header(digits: int) -> bytes:
        dim = "9" * digits
        return ('{"a": {"dtype": "F32", "shape": [' + dim + ", " + dim + '], "data_offsets": [0, 4]}}').encode()

    huge, huger = header(4000), header(5000)  # Python refuses to parse ints of over 4,300 digits
    deep = b"[" * 100_000 + b"]" * 100_000
    repo = make_repo(
        tmp_path / "repo",
        {
            "m/deep.gguf": gguf,
            "m/huge.safetensors": struct.pack("<Q", len(huge)) + huge + b"\0" * 4,
            "m/huger.safetensors": struct.pack("<Q", len(huger)) + huger + b"\0" * 4,
            "m/deep.safetensors": struct.pack("<Q", len(deep)) + deep,
        },
    )
    result = _scan(Path(repo.working_tree_dir or "."))
    invalid = {f.location.path: f.data["problem"] for f in result.findings if f.rule_id == "MOD023"}
    assert invalid["m/deep.gguf"] == "invalid GGUF metadata: arrays nested more than 16 deep"
    assert invalid["m/huge.safetensors"] == "tensor 'a': bad shape [" + "9" * 76 + "..."
    assert "unusable value: Exceeds the limit (4300 digits)" in invalid["m/huger.safetensors"]
    assert "nested too deeply" in invalid["m/deep.safetensors"]


def test_a_pickle_of_only_marks_is_refused_without_holding_them(tmp_path: Path) -> None:
    # 8 MB of MARK opcodes (deflate makes that a few KB): 8 million stack entries if held.
    bomb = torch_zip(b"\x80\x02" + b"(" * (8 << 20))
    repo = make_repo(tmp_path / "repo", {"m/bomb.pt": bomb})
    result = _scan(Path(repo.working_tree_dir or "."))
    [problem] = [f.data["problem"] for f in result.findings if f.rule_id == "MOD023"]
    assert "more than 1,000,000 values on the stack" in problem


def test_lfs_pointers_are_listed_not_inspected(tmp_path: Path) -> None:
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 4976698672\n"
    repo = make_repo(tmp_path / "repo", {"models/clf/model.safetensors": pointer})
    result = _scan(Path(repo.working_tree_dir or "."))
    [w] = result.of_type(WeightFile)
    assert not w.inspected and w.not_inspected_reason == "lfs-pointer"
    assert [f.rule_id for f in result.findings] == ["MOD025"]


def test_oversized_weights_in_a_work_tree_are_streamed(tmp_path: Path) -> None:
    big = torch_zip(evil_pickle_global()) + b""
    repo = make_repo(tmp_path / "repo", {"big.pt": big})
    result = scan(str(repo.working_tree_dir), ScanOptions(only=("models",), jobs=1, max_file_bytes=64))
    [w] = result.of_type(WeightFile)
    assert w.inspected and w.globals == ("os.system",)


def test_declared_used_and_local_models(tmp_path: Path, hub_env: str) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            ".oscheck.yml": (
                "program: nipa-oss-ai-use-2026\ntrack: use\nlicense: Apache-2.0\n"
                "models:\n  - acme/ko-sbert-apache\n  - acme/config-only\n  - ./models/intent\n"
            ),
            "app/embed.py": (
                "from sentence_transformers import SentenceTransformer\n"
                'emb = SentenceTransformer("acme/ko-sbert-apache")\n'
                'chat = AutoModelForCausalLM.from_pretrained("acme/ko-chat-nc")\n'
                'clf = AutoModel.from_pretrained("./models/intent")\n'
            ),
            "deploy/compose.yaml": "services:\n  llm:\n    command: --model-id acme/llama-ko-finetune\n",
            "models/intent/README.md": "---\nlicense: mit\nbase_model: acme/ko-sbert-apache\n---\n# intent\n",
            "models/intent/config.json": json.dumps(
                {"architectures": ["BertForSequenceClassification"], "model_type": "bert"}
            ),
            "models/intent/model.safetensors": safetensors_bytes(),
            "models/intent/LICENSE": "MIT License\n\nCopyright (c) 2026 Acme\n",
        },
    )
    result = _scan(Path(repo.working_tree_dir or "."))
    models = {m.id: m for m in result.models}
    assert set(models) == {
        "acme/ko-sbert-apache",
        "acme/config-only",
        "models/intent",
        "acme/ko-chat-nc",
        "acme/llama-ko-finetune",
    }
    local = models["models/intent"]
    assert local.source == "local" and local.declared and local.license == "MIT" and local.openness is Openness.OPEN
    assert local.lineage[0].id == "acme/ko-sbert-apache" and local.lineage[0].openness is Openness.OPEN
    assert local.architecture == "BertForSequenceClassification" and local.license_file_title == "MIT License"
    assert models["acme/ko-chat-nc"].openness is Openness.NON_COMMERCIAL and not models["acme/ko-chat-nc"].declared
    rules = _rules(result)
    assert sorted(rules["MOD006"]) == ["app/embed.py", "deploy/compose.yaml"]  # undeclared
    assert rules["MOD007"] == [".oscheck.yml"]  # acme/config-only is declared, never loaded
    assert rules["MOD001"] == [".oscheck.yml"]  # and has no weights
    assert rules["MOD003"] == ["app/embed.py"]
    assert "MOD005" in rules  # the Apache-2.0 tagged Llama fine-tune
    undeclared = next(f for f in result.findings if f.rule_id == "MOD006" and f.location.path == "app/embed.py")
    assert undeclared.location.line == 3


def test_json_report_and_scan_model_option(tmp_path: Path, hub_env: str) -> None:
    repo = make_repo(tmp_path / "repo", {"README.md": "# demo\n"})
    r = run_oscheck(
        "scan",
        str(repo.working_tree_dir),
        "--only",
        "models",
        "--model",
        "acme/ko-sbert-apache",
        "--format",
        "json",
        "--jobs",
        "1",
        env={"HF_ENDPOINT": hub_env},
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    validate_report(doc)
    [model] = doc["models"]
    assert model["id"] == "acme/ko-sbert-apache" and model["openness"] == "open" and model["declared"]
    assert model["license"] == "Apache-2.0" and model["license_tag"] == "apache-2.0"
    assert [f["rule_id"] for f in doc["findings"]] == ["MOD007"]


def test_hostile_weight_files_do_not_crash(tmp_path: Path) -> None:
    cases = [
        b"PK\x03\x04" + b"\xff" * 40,  # a broken zip
        b"\x80\x05" + b"(" * 10000 + b".",  # marks without end
        b"GGUF" + (3).to_bytes(4, "little") + (2**40).to_bytes(8, "little") * 2,  # absurd counts
        (2**63).to_bytes(8, "little") + b"{}",  # absurd safetensors header length
        b"\x93NUMPY\x01\x00\x10\x00{'descr': '|O'}\n" + b"\x80\x02cos\nsystem\n.",
    ]
    for i, data in enumerate(cases):
        name = ["a.bin", "b.pkl", "c.gguf", "d.safetensors", "e.npy"][i]
        result = inspect_weights(name, io.BytesIO(data), len(data))
        assert result.problems or result.globals, name
    npy = inspect_weights("e.npy", io.BytesIO(cases[4]), len(cases[4]))
    assert npy.globals == ("os.system",)


def test_model_command_on_a_local_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ko-intent-clf"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: cc-by-nc-4.0\npipeline_tag: text-classification\n---\n# clf\n")
    (folder / "config.json").write_text(json.dumps({"architectures": ["BertForSequenceClassification"]}))
    (folder / "pytorch_model.bin").write_bytes(torch_zip(evil_pickle_global()))
    r = run_oscheck(
        "model", str(folder), "--format", "json", "--program", "nipa-oss-ai-use-2026", env={"HF_HUB_OFFLINE": "1"}
    )
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["source"] == "local" and doc["verdict"] == "non-commercial" and doc["license"] == "CC-BY-NC-4.0"
    assert doc["task"] == "text-classification" and doc["architecture"] == "BertForSequenceClassification"
    [w] = doc["weights"]
    assert w["path"] == "pytorch_model.bin" and w["globals"] == ["os.system"]
    rules = {f["rule_id"]: f["severity"] for f in doc["findings"]}
    assert rules == {"MOD003": "error", "MOD020": "error", "MOD022": "warning"}
    r = run_oscheck("model", "no/such/path/here")
    assert r.returncode == 2 and "neither a folder nor a Hugging Face model id" in r.stderr
