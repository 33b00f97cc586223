"""Untrusted repositories: nothing is followed or read that should not be, and all is reported."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import commit, make_repo, run_oscheck

from oscheck import ScanOptions, scan
from oscheck.model import FileKind, SkipReason


def _finding_paths(result, rule_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.location.path for f in result.findings if f.rule_id == rule_id]


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    root = tmp_path / "hostile"
    repo = make_repo(root, {"README.md": "# hostile\n", "LICENSE": "MIT License\n"})
    os.symlink("/etc/passwd", root / "passwd-link")
    os.symlink("../../outside", root / "escape")
    os.symlink("README.md", root / "inside-link")
    bad_name = os.fsencode(str(root)) + b"/bad-\xff\xfe-name.py"
    with open(bad_name, "wb") as fh:
        fh.write(b"# SPDX-License-Identifier: MIT\n")
    with open(root / "huge.bin", "wb") as fh:  # 2 GB, sparse: costs no disk
        fh.truncate(2 << 30)
    # A submodule pointing at the local file system, recorded as a gitlink, never fetched.
    (root / ".gitmodules").write_text('[submodule "evil"]\n\tpath = evil\n\turl = file:///etc\n')
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "update-index",
            "--add",
            "--cacheinfo",
            "160000,1111111111111111111111111111111111111111,evil",
        ],
        check=True,
    )
    commit(repo, {}, message="hostile things", stage_all=False)
    return root


def test_work_tree_hostile_entries_are_reported_not_read(hostile_repo: Path) -> None:
    result = scan(str(hostile_repo), ScanOptions(jobs=1, only=("licenses",)))
    files = {f.path: f for f in result.files}

    assert files["passwd-link"].skipped is SkipReason.SYMLINK_OUTSIDE_ROOT
    assert files["passwd-link"].sha256 is None
    assert files["escape"].skipped is SkipReason.SYMLINK_OUTSIDE_ROOT
    assert files["inside-link"].skipped is SkipReason.SYMLINK
    assert files["huge.bin"].skipped is SkipReason.OVERSIZED and files["huge.bin"].sha256 is None
    bad = [p for p in files if p.startswith("bad-")]
    assert bad == ["bad-\ufffd\ufffd-name.py"]
    assert files[bad[0]].path_is_valid_utf8 is False
    assert files[bad[0]].sha256 is not None  # its content is still scanned

    assert sorted(_finding_paths(result, "SCN002")) == ["escape", "passwd-link"]
    assert _finding_paths(result, "SCN001") == ["huge.bin"]
    assert _finding_paths(result, "SCN003") == bad
    assert _finding_paths(result, "SCN004") == ["evil"]
    submodule = next(f for f in result.findings if f.rule_id == "SCN004")
    assert submodule.severity.value == "warning" and submodule.data["url"] == "file:///etc"


def test_cloned_hostile_repository_is_read_from_git_objects(hostile_repo: Path, tmp_path: Path) -> None:
    result = scan(f"file://{hostile_repo}", ScanOptions(jobs=1, only=("licenses",), cache_dir=tmp_path / "c"))
    files = {f.path: f for f in result.files}
    assert files["passwd-link"].skipped is SkipReason.SYMLINK_OUTSIDE_ROOT
    assert files["passwd-link"].link_target == "/etc/passwd"
    assert files["huge.bin"].skipped is SkipReason.OVERSIZED
    assert files["evil"].kind is FileKind.SUBMODULE
    assert "root:" not in repr(result)  # /etc/passwd was never read
    # nothing was checked out: the clone is bare
    clones = list((tmp_path / "c" / "repos").glob("*.git"))
    assert len(clones) == 1 and (clones[0] / "HEAD").is_file() and not (clones[0] / "passwd-link").exists()
    cfg = subprocess.run(
        ["git", "--git-dir", str(clones[0]), "config", "--get", "protocol.file.allow"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert cfg.stdout.strip() == "never"


def test_hostile_output_has_no_passwd_and_valid_json(hostile_repo: Path) -> None:
    proc = run_oscheck("scan", str(hostile_repo), "--only", "licenses", "--format", "json", "-q", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    assert "root:x:0:0" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_fifo_in_a_plain_folder_is_listed_never_opened(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    os.mkfifo(root / "pipe")  # opening it for reading would block forever
    result = scan(str(root), ScanOptions(jobs=1, only=("licenses",)))
    files = {f.path: f for f in result.files}
    assert files["pipe"].kind is FileKind.SPECIAL and files["pipe"].skipped is SkipReason.SPECIAL_FILE
    assert _finding_paths(result, "SCN005") == ["pipe"]


def _config(root: Path, *pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        subprocess.run(["git", "-C", str(root), "config", key, value], check=True)


def test_programs_named_by_the_repositorys_own_git_config_never_run(tmp_path: Path) -> None:
    """A folder's .git/config is the repository author's: its filter and gpg programs must not run.

    ``git status`` (dirty check), ``git diff`` (``--changed-since``) and ``git log`` (history)
    would run them: the clean filter on every modified file, gpg when ``log.showSignature``.
    """
    root = tmp_path / "repo"
    repo = make_repo(root, {"LICENSE": "MIT License\n", "a.py": "x = 1\n", ".gitattributes": "* filter=evil\n"})
    commit(repo, {"b.py": "y = 2\n"})
    marker = tmp_path / "ran"
    program = tmp_path / "evil.sh"
    program.write_text(f"#!/bin/sh\necho ran >> {marker}\ncat\n")
    program.chmod(0o755)
    _config(
        root,
        ("filter.evil.clean", str(program)),
        ("filter.evil.smudge", str(program)),
        ("filter.evil.required", "true"),
        ('filter.a.b"c.process', str(program)),
        ("log.showSignature", "true"),
        ("gpg.program", str(program)),
        ("diff.external", str(program)),
    )
    (root / "a.py").write_text("x = 3\n")  # modified: git status would clean it through the filter
    for args in (("--only", "licenses"), ("--only", "community"), ("--changed-since", "HEAD~1")):
        proc = run_oscheck("scan", str(root), *args, "-q", "--jobs", "1", "--fail-on", "never")
        assert proc.returncode == 0, proc.stderr
        assert not marker.exists(), f"oscheck scan {' '.join(args)} ran the repository's program"
    result = scan(str(root), ScanOptions(jobs=1, only=("licenses",)))
    assert result.target.dirty is True and result.target.commit is not None


def test_a_filter_name_git_cannot_override_is_refused_in_one_line(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_repo(root, {"a.py": "x = 1\n"})
    _config(root, ("filter.x=y.clean", "/bin/sh -c 'touch /tmp/never'"))
    proc = run_oscheck("scan", str(root), "--only", "licenses", "--jobs", "1")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "filter.x=y.clean" in lines[0] and "fresh clone" in lines[0], proc.stderr


def test_a_work_tree_moved_by_config_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_repo(root, {"a.py": "x = 1\n"})
    _config(root, ("core.worktree", "/etc"))
    result = scan(str(root), ScanOptions(jobs=1, only=("licenses",)))
    assert sorted(f.path for f in result.files) == ["a.py"]
    assert "root:x:0:0" not in repr(result)


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": 'project = "x"\ntool = 1\n', "Cargo.toml": 'package = "x"\n', "package.json": '"mit"'},
        {"pyproject.toml": "[project]\nlicense = 7\n[tool]\npoetry = []\n", "REUSE.toml": "annotations = 1\n"},
        {"REUSE.toml": 'version = 1\n[[annotations]]\npath = [1, "a.py"]\nSPDX-License-Identifier = [1, "MIT"]\n'},
    ],
    ids=["scalars-for-tables", "wrong-types", "lists-of-numbers"],
)
def test_manifests_with_the_wrong_types_are_read_as_far_as_they_make_sense(
    tmp_path: Path, files: dict[str, str]
) -> None:
    make_repo(tmp_path / "repo", {"a.py": "x = 1\n", **files})
    result = scan(str(tmp_path / "repo"), ScanOptions(jobs=1, only=("licenses",)))
    assert {f.path for f in result.files} >= set(files)
    proc = run_oscheck("scan", str(tmp_path / "repo"), "--only", "licenses", "-q", "--jobs", "1")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("MIT AND (Foo", "Invalid expression"),
        ("MIT AND " * 3 + "(Apache-2.0 OR " * 100 + "MIT" + ")" * 100, "parentheses nested more than 32 deep"),
    ],
    ids=["malformed", "nested-100-deep"],
)
def test_a_declared_license_that_is_no_spdx_expression_is_reported(tmp_path: Path, expression: str, error: str) -> None:
    make_repo(tmp_path / "repo", {".oscheck.yml": f"license: '{expression}'\n", "a.py": "x = 1\n"})
    result = scan(str(tmp_path / "repo"), ScanOptions(jobs=1, only=("licenses",)))
    [lic004] = [f for f in result.findings if f.rule_id == "LIC004"]
    assert lic004.location.path == ".oscheck.yml"
    assert error in lic004.message.en and len(lic004.message.en) < 250
    # the same expression in a file's SPDX tag
    make_repo(tmp_path / "tagged", {"b.py": f"# SPDX-License-Identifier: {expression}\n"})
    tagged = scan(str(tmp_path / "tagged"), ScanOptions(jobs=1, only=("licenses",)))
    assert [f.location.path for f in tagged.findings if f.rule_id == "LIC004"] == ["b.py"]


def test_odd_but_harmless_repository_content_never_stops_a_scan(tmp_path: Path) -> None:
    """Each of these once ended a scan with "unexpected error"; now each is read around or reported."""
    root = tmp_path / "repo"
    notebook = {"cells": [{"cell_type": "code", "source": [1, "import os\n"]}, "not a cell"], "nbformat": 4}
    repo = make_repo(
        root,
        {
            "LICENSE": "MIT License\n",
            ".gitignore": "[z-a]\nfoo\\\n/\nbuild/\n",  # a bad range, a lone trailing backslash, "/" alone
            ".oscheckignore": "[z-a]\n",
            "build/out.py": "x = 1\n",
            "nb.ipynb": json.dumps(notebook),
            "package.json": json.dumps({"name": "x", "version": "1.0.0", "dependencies": {"": "1.0.0"}}),
            "go.mod": "module x\n\ngo 1.21\n\nrequire github.com/ v1.0.0\n",
        },
    )
    del repo
    # A tag whose date git prints with a six-digit year.
    subprocess.run(
        ["git", "-C", str(root), "tag", "-a", "v1.0.0", "-m", "t"],
        check=True,
        env={**os.environ, "GIT_COMMITTER_DATE": "@9999999999999 +0000"},
    )
    options = ScanOptions(
        jobs=1, only=("dependencies", "ai-api", "models", "community"), detector_options={"offline": True}
    )
    result = scan(str(root), options)
    problems = {f.location.path: f.message.en for f in result.findings if f.rule_id == "DEP001"}
    assert "package '' cannot be listed" in problems["package.json"]
    assert "package 'github.com/' cannot be listed" in problems["go.mod"]
    assert "build/out.py" not in {f.path for f in result.files}  # the valid patterns still apply
    proc = run_oscheck("scan", str(root), "--only", "community,ai-api", "-q", "--jobs", "1", "--fail-on", "never")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def test_files_built_to_multiply_work_are_bounded(tmp_path: Path) -> None:
    """Each input once cost minutes or gigabytes; the bounds keep the scan linear and the report small."""
    calls = "import openai\n" + 'c = openai.OpenAI(base_url="https://api.openai.com/v1")\n' * 300
    gitattributes = "".join(f"x{i}/*.py linguist-vendored\n" for i in range(40_000))  # > fnmatch's cache
    files = {
        "LICENSE": "MIT License\n",
        "go.mod": "module x\n\ngo 1.21\n",
        "go.sum": "x\n" * 50_000,  # 50,000 malformed lines
        "calls.py": calls,  # hundreds of uses in one file
        ".gitattributes": gitattributes,
        ".oscheckignore": "*a*a*a*a*a*a*b\n",  # catastrophic backtracking in a regex translation
        "a" * 64: "x\n",
    }
    files.update({f"src/f{i}.txt": "x\n" for i in range(200)})
    make_repo(tmp_path / "repo", files)
    result = scan(
        str(tmp_path / "repo"), ScanOptions(jobs=1, only=("dependencies", "ai-api"), detector_options={"offline": True})
    )
    gosum = [f for f in result.findings if f.rule_id == "DEP001" and f.location.path == "go.sum"]
    assert len(gosum) == 21
    assert any(f.message.en.endswith("49,980 more lines that are not what the format allows") for f in gosum)
    per_rule: dict[str, list[str]] = {}
    for f in result.findings:
        if f.location.path == "calls.py":
            per_rule.setdefault(f.rule_id, []).append(f.message.en)
    assert per_rule and all(len(msgs) <= 101 for msgs in per_rule.values())
    capped = [msgs for msgs in per_rule.values() if len(msgs) == 101]
    assert capped and all(any("calls.py: 200 more findings of this rule" in m for m in msgs) for msgs in capped)
    assert "a" * 64 in {f.path for f in result.files}  # the over-complex ignore pattern was skipped


def test_inputs_that_made_parsers_quadratic_or_exponential(tmp_path: Path) -> None:
    """Shapes that once took minutes (or recursed forever) now parse, with the right answers."""
    uv_lock = (
        'version = 1\n[[package]]\nname = "root"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "p0", extra = ["x"] }]\n'
        # p0[x] needs p1[x] twice, p1[x] needs p0[x]: exponential paths and a cycle
        '[[package]]\nname = "p0"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n'
        '[package.optional-dependencies]\nx = [{ name = "p1", extra = ["x"] }, { name = "p1", extra = ["x"] }]\n'
        '[[package]]\nname = "p1"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n'
        '[package.optional-dependencies]\nx = [{ name = "p0", extra = ["x"] }]\n'
    )
    pipfile = {"_meta": {}, "default": {f"pkg{i}": {"version": "==1.0"} for i in range(3000)}, "develop": {}}
    make_repo(
        tmp_path / "repo",
        {
            "uv.lock": uv_lock,
            "pyproject.toml": '[project]\nname = "root"\nversion = "0.1.0"\ndependencies = ["p0[x]"]\n',
            "web/Pipfile.lock": json.dumps(pipfile, indent=4),
            "pom.xml": "<project><description>" + "\n" * 200_000 + "</description></project>",
            ".gitmodules": '[submodule "x"]\n\tpath = lib' + " " * 50_000 + "\n\turl = https://example.org/x.git\n",
            "build.gradle": "dependencies {\n" + "  implementation 'org.example:lib:1.0'\n" * 20_000 + "}\n",
        },
    )
    options = ScanOptions(jobs=1, only=("dependencies", "ai-api"), detector_options={"offline": True})
    result = scan(str(tmp_path / "repo"), options)
    components = {(c.name, c.manifest) for c in result.components}  # type: ignore[attr-defined]
    assert {("p0", "uv.lock"), ("p1", "uv.lock")} <= components
    assert sum(1 for c in result.components if c.manifest == "web/Pipfile.lock") == 3000  # type: ignore[attr-defined]
    assert not [f for f in result.findings if f.rule_id == "DEP001"]
