"""End to end: real git repositories through ``scan(--only ai-api)`` and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from oscheck.detectors.ai_api import AIApiUse, Classification
from oscheck.model import Severity
from oscheck.scan import ScanOptions, scan
from tests.helpers import commit, make_repo, run_oscheck, validate_report

KEY = "sk-ant-api03-" + "Zq8Wm3Lp7Rt2Yx6Nc1Vb5Hd9Kf4Gj0Qs"

APP = {
    "app/chat.py": (
        "import os\n"
        "from openai import OpenAI\n"
        "from anthropic import Anthropic\n"
        "\n"
        "local = OpenAI(base_url=os.getenv('LLM_URL', 'http://localhost:8000/v1'))\n"
        "claude = Anthropic()\n"
        f"KEY = '{KEY}'\n"
    ),
    "requirements.txt": "openai\nanthropic\n",
}


def _repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "repo"
    commit(make_repo(root), files)
    return root


def _opts(**kw: object) -> ScanOptions:
    return ScanOptions(only=("ai-api",), jobs=1, **kw)  # type: ignore[arg-type]


def test_use_track_makes_external_use_an_error_and_dev_track_a_warning(tmp_path: Path) -> None:
    root = _repo(tmp_path, APP)
    use = scan(str(root), _opts(program="nipa-oss-ai-use-2026", track="use"))
    dev = scan(str(root), _opts(program="nipa-oss-ai-dev-2026", track="dev"))
    by_rule = {(f.rule_id, f.location.line): f for f in use.findings if f.location.path == "app/chat.py"}
    assert by_rule[("API001", 6)].severity is Severity.ERROR
    assert by_rule[("API001", 6)].data["provider"] == "anthropic"
    assert by_rule[("API003", 5)].severity is Severity.NOTE
    assert by_rule[("API003", 5)].data["classification"] == "local"
    assert [s["step"] for s in by_rule[("API003", 5)].data["chain"]] == ["import", "client", "endpoint"]
    assert use.summary.verdict.value == "fail"
    dev_external = [f for f in dev.findings if f.rule_id == "API001"]
    assert dev_external and all(f.severity is Severity.WARNING for f in dev_external)


def test_keys_are_never_printed(tmp_path: Path) -> None:
    leaky = (
        "from anthropic import Anthropic\n"
        f"c = Anthropic(api_key='{KEY}')\n"
        "from openai import OpenAI\n"
        "o = OpenAI(api_key='plainsecretvalue99', base_url='https://bob:hunter2pass@api.openai.com/v1?key=q1w2e3')\n"
    )
    files = {**APP, "leaky.py": leaky, ".env": f"ANTHROPIC_API_KEY={KEY}\nOPENAI_API_KEY=abcdefghijklmnop1234\n"}
    root = _repo(tmp_path, files)
    out = tmp_path / "report.json"
    use = ("--program", "nipa-oss-ai-use-2026", "--track", "use")
    proc = run_oscheck("scan", str(root), "--only", "ai-api", *use, "--format", "json", "--output", str(out))
    assert proc.returncode == 1, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert KEY not in text and KEY[8:] not in text
    for secret in ("abcdefghijklmnop1234", "plainsecretvalue99", "hunter2pass", "q1w2e3"):
        assert secret not in text, secret
    doc = json.loads(text)
    validate_report(doc)
    keys = [f for f in doc["findings"] if f["rule_id"] == "API005"]
    assert {f["location"]["path"] for f in keys} == {"app/chat.py", "leaky.py", ".env"}
    assert all("****" in f["data"]["secret"] for f in keys)
    text_proc = run_oscheck("scan", str(root), "--only", "ai-api")
    assert KEY[8:] not in text_proc.stdout + text_proc.stderr


def test_allowed_endpoints_and_env_files_decide(tmp_path: Path) -> None:
    root = _repo(
        tmp_path,
        {
            ".oscheck.yml": "allowed_endpoints: [gpu.example.kr]\n",
            "a.py": "from openai import OpenAI\nc = OpenAI(base_url='https://gpu.example.kr/v1')\n",
            "b.py": "from openai import OpenAI\nc = OpenAI()\n",
            "docker-compose.yml": "services:\n  app:\n    environment:\n      OPENAI_BASE_URL: http://vllm:8000/v1\n",
        },
    )
    uses = {u.location.path: u for u in scan(str(root), _opts()).of_type(AIApiUse)}
    assert uses["a.py"].classification is Classification.LOCAL
    assert uses["a.py"].reason == "declared-endpoint"
    assert uses["b.py"].classification is Classification.LOCAL
    assert uses["b.py"].endpoint == "http://vllm:8000/v1"
    assert any(s.step == "env" and s.path == "docker-compose.yml" for s in uses["b.py"].chain)


def test_cache_gives_the_same_answer(tmp_path: Path, fresh_cache: Path) -> None:
    root = _repo(tmp_path, APP)
    first = scan(str(root), _opts(cache_dir=fresh_cache))
    second = scan(str(root), _opts(cache_dir=fresh_cache))
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    assert second.stats["ai-api"]["cache_hits"] == second.stats["ai-api"]["files"] > 0


def test_fingerprints_survive_line_moves(tmp_path: Path) -> None:
    root = _repo(tmp_path, APP)
    repo_before = scan(str(root), _opts(use_cache=False))
    moved = {"app/chat.py": "# a new first line\n" + str(APP["app/chat.py"])}
    commit(make_repo(tmp_path / "moved"), {**APP, **moved})
    after = scan(str(tmp_path / "moved"), _opts(use_cache=False))
    assert {f.fingerprint for f in repo_before.findings} == {f.fingerprint for f in after.findings}


def test_hostile_files_do_not_crash(tmp_path: Path) -> None:
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\nimport openai\n"
    root = _repo(
        tmp_path,
        {
            "py2.py": "import openai\nprint 'hello'\nopenai.api_base = 'https://api.openai.com/v1'\n",
            "deep.py": deep,
            "nul.py": b"import openai\x00\xff\xfe\n",
            "bad.ts": "import OpenAI from 'openai'; const c = new OpenAI({ baseURL: ",
            "template.py": "{% if x %}\nfrom anthropic import Anthropic\n{% endif %}\n",
            "package.json": "{not json",
            "pyproject.toml": "[project\n",
            "huge_line.js": "const u = 'https://api.groq.com/openai/v1';" + "a" * 300_000 + "\n",
            "weird.ipynb": "{]",
        },
    )
    result = scan(str(root), _opts())
    fallback = {o.location.path for o in result.observations if o.kind == "ai-api-parse-fallback"}
    assert {"py2.py", "template.py", "bad.ts", "huge_line.js"} <= fallback
    notes = [f for f in result.findings if f.rule_id == "API006"]
    assert notes and all(f.severity is Severity.NOTE for f in notes)
    external = {f.location.path for f in result.findings if f.rule_id == "API001"}
    assert {"py2.py", "template.py", "huge_line.js"} <= external


def test_cli_only_ai_api(tmp_path: Path) -> None:
    root = _repo(tmp_path, APP)
    proc = run_oscheck("scan", str(root), "--only", "ai-api", "--program", "nipa-oss-ai-use-2026", "--track", "use")
    assert proc.returncode == 1
    assert "API001" in proc.stdout and "Anthropic" in proc.stdout
    assert "scancode" not in proc.stderr.lower()


def test_components_of_the_dependency_detector_are_used(tmp_path: Path) -> None:
    """When the dependency detector has read a manifest, its components replace our own reading."""
    from oscheck.config import Declaration
    from oscheck.detectors.ai_api import AIApiDetector
    from oscheck.detectors.interface import DetectContext
    from oscheck.inventory import ContentCache, build_inventory
    from oscheck.model import Component, Location
    from oscheck.sources import open_source

    root = _repo(tmp_path, {"requirements.txt": "not-a-real-line ===\n", "app.py": "print('hi')\n"})
    with open_source(str(root), None, tmp_path / "cache").acquire() as tree:
        ctx = DetectContext(
            inventory=build_inventory(tree),
            declaration=Declaration(),
            cache=ContentCache(tmp_path / "cache", enabled=False),
        )
        ctx.observations.append(
            Component(
                detector="dependencies",
                location=Location("requirements.txt", 1),
                ecosystem="pypi",
                name="Anthropic",
                version="0.40.0",
                purl="pkg:pypi/anthropic@0.40.0",
                manifest="requirements.txt",
            )
        )
        uses = [o for o in AIApiDetector().detect(ctx) if isinstance(o, AIApiUse)]
    assert [(u.location.path, u.provider, u.classification, u.via) for u in uses] == [
        ("requirements.txt", "anthropic", Classification.EXTERNAL, "manifest")
    ]
