"""The project declaration: the short form works, mistakes name the file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import make_repo, run_oscheck

from oscheck.config import load_declaration, parse_declaration_text
from oscheck.errors import ConfigError

SHORT_FORM = """\
program: nipa-oss-ai-use-2026
track: use
license: Apache-2.0
models:
  - Qwen/Qwen2.5-7B-Instruct              # hub id (latest revision, pinned at scan time)
  - id: meta-llama/Llama-3.1-8B-Instruct
    revision: 0e9e39f249a16976918f6564b8830bc894c89659
  - ./models/ko-intent-clf               # local folder, relative to the repository
datasets: [klue/klue]
contributions:
  - https://github.com/vllm-project/vllm/pull/12345
exemptions:
  - rule: LIC003
    path: third_party/legacy/**
    reason: 검증기관 확인 완료 (2026-06-30)
    until: 2026-12-31
"""


def test_short_form_from_design() -> None:
    d = parse_declaration_text(SHORT_FORM, ".oscheck.yml").declaration
    assert d.program == "nipa-oss-ai-use-2026" and d.track == "use" and d.license == "Apache-2.0"
    assert [m.ref for m in d.models] == [
        "Qwen/Qwen2.5-7B-Instruct",
        "meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a16976918f6564b8830bc894c89659",
        "./models/ko-intent-clf",
    ]
    assert d.models[2].is_local and not d.models[0].is_local
    assert d.datasets[0].id == "klue/klue"
    ex = d.exemptions[0]
    assert ex.applies("LIC003", "third_party/legacy/x/y.c", date(2026, 12, 31))
    assert not ex.applies("LIC003", "third_party/legacy/x/y.c", date(2027, 1, 1))
    assert not ex.applies("LIC003", "src/y.c", date(2026, 6, 1))


@pytest.mark.parametrize("word", ["개발", "development", "dev", "개발과제"])
def test_track_words(word: str) -> None:
    assert parse_declaration_text(f"track: {word}\n", "x").declaration.track == "dev"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("models:\n  - id: a/b\n    path: ./x\n", ".oscheck.yml:2: 'models.0'"),
        ("licence: MIT\n", "'licence'"),
        ("program: [unclosed\n", ".oscheck.yml:2: invalid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("exemptions:\n  - rule: LIC003\n    until: someday\n", "'exemptions.0"),
    ],
)
def test_mistakes_name_file_line_and_field(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_declaration_text(text, ".oscheck.yml")
    assert needle in str(err.value)


def test_pyproject_tool_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname="x"\n[tool.oscheck]\nprogram = "nipa-oss-ai-dev-2026"\ntrack = "dev"\n'
    )
    loaded = load_declaration(tmp_path)
    assert loaded.source == "pyproject.toml" and loaded.declaration.track == "dev"


def test_bad_config_exits_2_with_one_line(tmp_path: Path) -> None:
    make_repo(tmp_path / "r", {".oscheck.yml": "program: nipa-oss-ai-use-2026\ntrack: researh\n"})
    proc = run_oscheck("scan", str(tmp_path / "r"), "--only", "licenses", "-q")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "oscheck: .oscheck.yml:2: program 'nipa-oss-ai-use-2026' has no track 'researh'; its tracks: use"
    )
    assert "Traceback" not in proc.stderr


def test_cli_overrides_declaration(tmp_path: Path) -> None:
    make_repo(tmp_path / "r", {".oscheck.yml": "program: nipa-oss-ai-use-2026\ntrack: use\n", "a.py": "x=1\n"})
    proc = run_oscheck(
        "scan",
        str(tmp_path / "r"),
        "--only",
        "licenses",
        "--program",
        "nipa-oss-ai-dev-2026",
        "--track",
        "dev",
        "--format",
        "json",
        "-q",
        "--jobs",
        "1",
    )
    import json

    doc = json.loads(proc.stdout)
    assert (doc["program"], doc["track"]) == ("nipa-oss-ai-dev-2026", "dev")
