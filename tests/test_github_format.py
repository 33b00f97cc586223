"""GitHub workflow commands (``--format github``): escaping, the per-step limit, locations."""

from __future__ import annotations

from datetime import UTC, datetime

from oscheck.i18n import LocalizedText
from oscheck.model import FileKind, FileRecord, Finding, Location, ScanResult, ScanSummary, Severity, Target, TargetKind
from oscheck.outputs.github import GithubFormat, annotation_lines, escape_data, escape_property, workflow_command


def _result(findings: list[Finding], files: tuple[str, ...] = ("README.md",)) -> ScanResult:
    now = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)
    return ScanResult(
        target=Target(TargetKind.LOCAL, "/work/repo"),
        program=None,
        track=None,
        declared_license=None,
        files=tuple(FileRecord(p, 1, FileKind.TEXT) for p in files),
        observations=(),
        findings=tuple(findings),
        summary=ScanSummary.of(findings, Severity.ERROR),
        tool_version="0.1.0",
        policy_version="test",
        started_at=now,
        finished_at=now,
    )


def _finding(rule: str, severity: Severity, path: str | None, line: int | None = None, msg: str = "m") -> Finding:
    return Finding(rule, severity, LocalizedText(msg, msg), Location(path, line))


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = workflow_command("error", "line one\nline two", file="src/a,b:c.py", line=3, endLine=None, title="T: x")
    assert line == "::error file=src/a%2Cb%3Ac.py,line=3,title=T%3A x::line one%0Aline two"


def test_a_finding_cannot_inject_a_workflow_command() -> None:
    evil = "ok\n::add-mask::secret\n::set-output name=x::y"
    text = GithubFormat().render(_result([_finding("LIC004", Severity.WARNING, "a.py", 1, evil)], ("a.py",)))
    lines = text.splitlines()
    assert lines[0].startswith("::warning file=a.py,line=1,")
    assert not any(line.startswith("::add-mask") or line.startswith("::set-output") for line in lines)


def test_at_most_ten_per_severity_most_severe_first() -> None:
    findings = [_finding("LIC004", Severity.WARNING, f"w{i:02}.py", 2) for i in range(13)]
    findings += [_finding("LIC001", Severity.ERROR, None)]
    findings += [_finding("LIC005", Severity.NOTE, f"n{i}.py", 1) for i in range(3)]
    findings += [Finding("LIC004", Severity.WARNING, LocalizedText("x", "x"), Location("ex.py", 1), exempted="ok")]
    lines, left_out = annotation_lines(_result(findings, ("pyproject.toml", "README.md")))
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == ["::error"] + ["::warning"] * 10 + ["::notice"] * 3
    # A repository-level finding points at the README, line 1.
    assert lines[0].startswith("::error file=README.md,line=1,title=LIC001 The project has no license::")
    assert left_out == 3
    assert not any("ex.py" in line for line in lines)
    text = GithubFormat().render(_result(findings))
    assert "3 more findings are not annotated" in text


def test_prefix_and_anchor_without_readme() -> None:
    lines, _ = annotation_lines(
        _result([_finding("LIC001", Severity.ERROR, None)], ("pyproject.toml",)), prefix="./svc"
    )
    assert lines[0].startswith("::error file=svc/pyproject.toml,line=1,")
