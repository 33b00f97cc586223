"""Build the demo portfolio's repositories from fixture trees and scan them (no network).

``make demo`` runs this. Each folder under ``examples/portfolio/repos/`` becomes a real git
repository under ``examples/portfolio/_build/``; each is scanned with the embedded cache
and its JSON and Markdown reports are written to ``reports/demo/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = HERE / "_build"
OUT = ROOT / "reports" / "demo"
sys.path.insert(0, str(ROOT))

from oscheck import ScanOptions, scan  # noqa: E402
from oscheck.outputs import OutputFormat, formatter  # noqa: E402

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Demo Builder",
    "GIT_AUTHOR_EMAIL": "demo@example.kr",
    "GIT_COMMITTER_NAME": "Demo Builder",
    "GIT_COMMITTER_EMAIL": "demo@example.kr",
    "GIT_AUTHOR_DATE": "1777856400 +0900",
    "GIT_COMMITTER_DATE": "1777856400 +0900",
}


def build_repo(src: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=True)
    env = {**os.environ, **_GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", f"demo: {src.name}"]):
        subprocess.run(["git", "-C", str(dest), *args], check=True, env=env)
    return dest


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for src in sorted(p for p in (HERE / "repos").iterdir() if p.is_dir()):
        repo = build_repo(src, BUILD / src.name)
        result = scan(str(repo), ScanOptions())
        for fmt in (OutputFormat.JSON, OutputFormat.MARKDOWN):
            f = formatter(fmt)
            (OUT / f"{src.name}{f.suffix}").write_text(f.render(result, "ko"), encoding="utf-8")
        s = result.summary
        print(f"{src.name}: {s.verdict.value} ({s.errors} errors, {s.warnings} warnings, {s.notes} notes)")
    print(f"reports in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
