"""YAML written to stall or crash the scanner: alias bombs and deep nesting.

A 1 KB document of nested aliases stands for 10**11 values; before oscheck bounded alias
expansion, ``oscheck scan`` on a repository holding one in ``.oscheck.yml``, in any YAML
file the model detector reads, or in a model card's front matter never finished.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from helpers import make_repo, run_oscheck

from oscheck import ScanOptions, safeparse, scan
from oscheck.sources.hf_hub import card_data_of


def _bomb(levels: int = 11) -> str:
    """``a{levels}`` expands to 10**(levels+1) strings."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


DEEP = "[" * 50_000 + "]" * 50_000


def test_an_alias_bomb_is_refused_in_milliseconds_with_its_line() -> None:
    start = time.monotonic()
    with pytest.raises(safeparse.YamlRefused) as info:
        safeparse.load_yaml(_bomb())
    assert time.monotonic() - start < 5
    line, problem = safeparse.yaml_error_location(info.value)
    assert "alias bomb" in problem
    assert line is not None and 2 <= line <= 12


def test_ordinary_anchors_still_load() -> None:
    text = "base: &base {image: python:3.11, env: [A, B]}\njob1: *base\njob2: {<<: *base, image: python:3.12}\n"
    data = safeparse.load_yaml(text)
    assert data["job1"] == {"image": "python:3.11", "env": ["A", "B"]}
    assert data["job2"]["image"] == "python:3.12" and data["job2"]["env"] == ["A", "B"]
    assert data == yaml.safe_load(text)


def test_a_self_referring_alias_and_deep_nesting_are_refused_not_crashed() -> None:
    with pytest.raises(safeparse.YamlRefused, match="refers to the collection"):
        safeparse.load_yaml("a: &x [1, *x]\n")
    with pytest.raises(safeparse.YamlRefused, match="nested"):
        safeparse.load_yaml(DEEP)  # libyaml's composer dies with SIGSEGV on this


@pytest.mark.parametrize(("payload", "problem"), [(_bomb(), "alias bomb"), (DEEP, "nested")], ids=["bomb", "deep"])
def test_declaration_with_a_bomb_exits_2_with_one_line(tmp_path: Path, payload: str, problem: str) -> None:
    root = tmp_path / "repo"
    make_repo(
        root, {".oscheck.yml": "program: nipa-oss-ai-use-2026\ndatasets:\n" + _indent(payload), "a.py": "x = 1\n"}
    )
    proc = run_oscheck("scan", str(root), "--only", "licenses", timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("oscheck: .oscheck.yml:") and problem in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_bombs_in_scanned_files_do_not_stall_the_scan(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_repo(
        root,
        {
            "LICENSE": "MIT License\n",
            "deploy/values.yaml": _bomb() + "model: *a11\n",
            "deploy/deep.yml": DEEP,
            "pnpm-lock.yaml": "lockfileVersion: '6.0'\n" + _bomb() + "packages:\n  /x@1.0.0: {dependencies: *a11}\n",
            "models/m/README.md": "---\nlicense: mit\n" + _bomb() + "---\n# m\n",
            "models/m/config.json": json.dumps({"model_type": "bert", "architectures": ["BertModel"]}),
        },
    )
    start = time.monotonic()
    result = scan(str(root), ScanOptions(jobs=1, only=("dependencies", "models"), detector_options={"offline": True}))
    assert time.monotonic() - start < 60
    malformed = [f for f in result.findings if f.rule_id == "DEP001"]
    assert [f.location.path for f in malformed] == ["pnpm-lock.yaml"]
    assert "alias bomb" in malformed[0].message.en


def test_model_card_with_a_bomb_gives_no_card_data() -> None:
    start = time.monotonic()
    assert card_data_of("---\nlicense: mit\n" + _bomb() + "---\n# card\n") == {}
    assert time.monotonic() - start < 5
    assert card_data_of("---\nlicense: mit\nbase: &b [x]\nalso: *b\n---\n# card\n")["license"] == "mit"


def _indent(text: str) -> str:
    return "".join("  " + line + "\n" for line in text.splitlines())
