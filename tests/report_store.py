"""A registry store with real data for the report tests: the example registry imported,
eligibility judged, GPU track 1 scored, obligations planned, and real scans of locally built
repositories recorded (two scans of one target, a failed clone, an XSS fixture).

Everything goes through the real commands and library: ``oscheck registry`` (in process,
through click), ``oscheck.scan`` and ``oscheck.store.scans.record_scan``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from helpers import FIXTURES, KST, ROOT, commit, make_repo
from hub_models import hub_models
from hub_server import serve_hub
from registry_server import RegistryServer

from oscheck import ScanOptions, scan
from oscheck.cli import cli
from oscheck.outputs.json_report import report_dict
from oscheck.store import Store
from oscheck.store.scans import finish_run, record_failed_scan, record_scan, start_run

EXAMPLES = ROOT / "examples" / "registry"
# A file name and an SPDX header that a careless page would execute.
XSS_FILE = "<script>alert(1)</script>.py"
XSS_VENDOR = 'vendor/<img src=x onerror="alert(2)">.c'
APACHE = (ROOT / "LICENSE").read_text(encoding="utf-8")
GPL_HEADER = "/* SPDX-License-Identifier: GPL-2.0-only */\nint vendored(void) { return 1; }\n"


@dataclass(frozen=True)
class ReportStore:
    db: str  # a SQLite file path or a database URL
    repos: dict[str, Path]  # name -> work tree


def _registry(db: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["registry", "--db", db, *args], catch_exceptions=False)
    assert result.exit_code in (0, 1, 4), result.output
    return result.output


def _options(only: tuple[str, ...], today: str = "2026-06-15") -> ScanOptions:
    from datetime import date

    return ScanOptions(only=only, jobs=1, today=date.fromisoformat(today), detector_options={"forge": False})


@contextmanager
def _local_services(base: Path) -> Iterator[None]:
    """The Hugging Face Hub and PyPI stand-ins on 127.0.0.1, for the scans only."""
    saved = dict(os.environ)
    with serve_hub(hub_models()) as (hub_url, _fake), RegistryServer().running() as registry:
        # A registry outage for one indirect dependency: its license stays unknown, and the
        # report must show how the project reaches it (pytest -> iniconfig).
        registry.fail["/pypi/iniconfig/2.3.1/json"] = 503
        os.environ.update({"HF_ENDPOINT": hub_url, "HF_HOME": str(base / "hf-home"), **registry.env()})
        os.environ.pop("HF_HUB_OFFLINE", None)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def build_report_store(base: Path, db: str | None = None) -> ReportStore:
    """The store the report tests read (a few seconds: real scans of two small repositories).

    ``db``: a database URL (a PostgreSQL test database); default a SQLite file under ``base``.
    """
    base.mkdir(parents=True, exist_ok=True)
    db = db or str(base / "registry.sqlite3")
    _registry(db, "init")
    _registry(db, "import", str(EXAMPLES / "registry.yaml"), "--today", "2026-06-15")
    for app in ("nipa-use-001", "nipa-dev-001", "keti-001", "kosmes-001", "gpu-001", "gpu-002", "gpu-004"):
        _registry(db, "eligibility", app)
    _registry(db, "score", "nipa-gpu-rental-2025", str(EXAMPLES / "scores-gpu-track-1.csv"))
    _registry(db, "obligations", "--today", "2026-06-15")

    repos: dict[str, Path] = {}
    # 1. The utilisation grantee: an external AI API, a vendored GPL file in an Apache project,
    #    file names with HTML in them. Scanned in May (run 1), fixed a little, scanned in June (run 2).
    qa = base / "repos" / "ko-civil-qa"
    shutil.rmtree(qa, ignore_errors=True)
    repo = make_repo(
        qa,
        {
            "LICENSE": APACHE,
            "README.md": "# 민원 질의응답\n\n## 설치\n\npip install .\n\n## 사용법\n\npython -m app\n\n## 라이선스\n\nApache-2.0\n",
            ".oscheck.yml": "program: nipa-oss-ai-use-2026\ntrack: use\nmodels: [acme/llama-ko-finetune]\n",
            "app/main.py": "import openai\nclient = openai.OpenAI()\n",
            "app/other.py": "import anthropic\nc = anthropic.Anthropic()\n",
            XSS_FILE: "# SPDX-License-Identifier: MIT\nprint('<b>hello</b>')\n",
            XSS_VENDOR: GPL_HEADER,
            "pyproject.toml": (FIXTURES / "sbom-python-uv" / "pyproject.toml").read_text(encoding="utf-8"),
            "uv.lock": (FIXTURES / "sbom-python-uv" / "uv.lock").read_text(encoding="utf-8"),
            "app/embed.py": 'from sentence_transformers import SentenceTransformer\nm = SentenceTransformer("acme/ko-sbert-apache")\n',
        },
        when=datetime(2026, 5, 4, 10, 0, tzinfo=KST),
    )
    repos["ko-civil-qa"] = qa
    store = Store(db)
    only_all = ("licenses", "dependencies", "models", "ai-api", "community")
    with store.transaction() as s:
        run1 = start_run(s, "portfolio.yaml", "d1", datetime(2026, 5, 20, 1, 0, tzinfo=UTC))
        run1_id = run1.id
    with _local_services(base):
        r1 = scan(str(qa), _options(only_all, "2026-05-20"))
    with store.transaction() as s:
        record_scan(
            s, r1, report=report_dict(r1), run_id=run1_id, organisation_id="hanbit-ai", application_id="nipa-use-001"
        )
    # 2. The development grantee: licenses only (the other checks did not run: shown as not checked).
    dev = base / "repos" / "vector-qc"
    shutil.rmtree(dev, ignore_errors=True)
    make_repo(dev, {"LICENSE": APACHE, "src/vq.py": "# SPDX-License-Identifier: Apache-2.0\nx = 1\n"})
    repos["vector-qc"] = dev
    r2 = scan(str(dev), _options(("licenses",), "2026-05-20"))
    with store.transaction() as s:
        record_scan(
            s, r2, report=report_dict(r2), run_id=run1_id, organisation_id="mega-cloud", application_id="nipa-dev-001"
        )
        finish_run(s, run1_id, datetime(2026, 5, 20, 1, 5, tzinfo=UTC))
        run2 = start_run(s, "portfolio.yaml", "d1", datetime(2026, 6, 15, 1, 0, tzinfo=UTC))
        run2_id = run2.id
    commit(
        repo,
        {},
        delete=["app/other.py"],
        message="drop the Anthropic client",
        when=datetime(2026, 6, 1, 9, 0, tzinfo=KST),
    )
    with _local_services(base):
        r3 = scan(str(qa), _options(only_all))
    r4 = scan(str(dev), _options(("licenses",)))
    with store.transaction() as s:
        record_scan(
            s, r3, report=report_dict(r3), run_id=run2_id, organisation_id="hanbit-ai", application_id="nipa-use-001"
        )
        record_scan(
            s, r4, report=report_dict(r4), run_id=run2_id, organisation_id="mega-cloud", application_id="nipa-dev-001"
        )
        # 3. A GPU user whose repository could not be cloned: unknown, never a pass.
        record_failed_scan(
            s,
            target_uri="https://git.example.kr/youth-vision/vision-kit.git",
            error="git clone failed: could not resolve host git.example.kr",
            tool_version=r3.tool_version,
            started_at=datetime(2026, 6, 15, 1, 2, tzinfo=UTC),
            program="nipa-gpu-rental-2025",
            track="track-1",
            run_id=run2_id,
            organisation_id="youth-vision",
            application_id="gpu-001",
        )
        finish_run(s, run2_id, datetime(2026, 6, 15, 1, 9, tzinfo=UTC))
    store.dispose()
    return ReportStore(db=db, repos=repos)
