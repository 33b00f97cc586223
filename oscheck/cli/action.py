"""``oscheck action``: the scan step of the GitHub Action (``action.yml``), testable as a program.

It reads the action's inputs from ``INPUT_*`` variables (``action.yml`` passes them
explicitly: composite actions do not get them from the runner), scans, and then

* writes the reports into ``output-dir`` (the JSON report always; SARIF, SPDX and
  CycloneDX as asked; SBOMs under ``output-dir/sbom`` so one artifact holds them),
  whatever the verdict, so that the SBOMs are attached even to a failing run;
* prints at most 10 error, 10 warning and 10 notice annotations, most severe first
  (GitHub's per-step limit); the job summary has every finding;
* appends Markdown to ``$GITHUB_STEP_SUMMARY`` and the outputs to ``$GITHUB_OUTPUT``;
* says so when the checkout is shallow (history metrics are then unknown) and, with
  ``fetch-history: true``, fetches the history first.

It exits 0 once the scan is done, whatever the verdict: the composite action uploads
SARIF and SBOMs first and a last step fails per ``fail-on`` (``exit-code`` output), as
the ORT action does. ``--gate`` exits 1 here instead, for use without the composite.
A bad input or an unscannable target is an ``::error::`` line and exit 2 or 3.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import click

from oscheck.cli.common import split_groups
from oscheck.cli.scan import FAIL_ON
from oscheck.detectors import groups
from oscheck.errors import ExitCode, InputError, OscheckError, TargetUnavailable
from oscheck.i18n import _, set_language
from oscheck.model import ScanResult, Verdict
from oscheck.outputs import OutputFormat, formatter
from oscheck.outputs.github import ANNOTATION_LIMIT, annotation_lines, workflow_command
from oscheck.outputs.interface import ALIASES, SBOM_FORMATS, VERDICT_TEXT
from oscheck.outputs.markdown import MarkdownFormat
from oscheck.outputs.sarif import SarifFormat
from oscheck.scan import ScanOptions, scan
from oscheck.sources import redact_text
from oscheck.sources.changes import changed_paths, is_shallow, unshallow

# GitHub keeps at most 1 MiB of summary per step.
SUMMARY_LIMIT = 1024 * 1024 - 4096
REPORT_STEM = "oscheck"
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off", ""}


@dataclass(frozen=True)
class ActionInputs:
    """The action's inputs, validated."""

    path: str = "."
    config: str | None = None
    program: str | None = None
    track: str | None = None
    fail_on: str = "error"
    formats: tuple[str, ...] = ("sarif", "spdx-json", "cyclonedx-json")
    output_dir: str = "oscheck-reports"
    upload_sarif: bool = True
    upload_sbom: bool = True
    only: tuple[str, ...] = ()
    changed_since: str | None = None
    fetch_history: bool = False
    lang: str = "en"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionInputs:
        def get(name: str, default: str = "") -> str:
            # The runner's own convention is INPUT_<NAME> with the hyphens kept; action.yml
            # passes INPUT_<NAME_WITH_UNDERSCORES>, which a shell can read too.
            key = "INPUT_" + name.upper()
            value = env.get(key.replace("-", "_"), env.get(key))
            return default if value is None else value.strip()

        def flag(name: str, default: bool) -> bool:
            value = get(name, "true" if default else "false").lower()
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
            raise InputError(_("input '{name}': expected true or false, got '{value}'", name=name, value=value))

        fail_on = get("fail-on", "error").lower() or "error"
        if fail_on not in FAIL_ON:
            raise InputError(
                _(
                    "input 'fail-on': expected one of {choices}, got '{value}'",
                    choices=", ".join(FAIL_ON),
                    value=fail_on,
                )
            )
        only, unknown = split_groups([get("only")])
        if unknown:
            raise InputError(
                _(
                    "input 'only': unknown detector group '{name}'; choose from {known}",
                    name=unknown[0],
                    known=", ".join(groups()),
                )
            )
        lang = get("lang", "en").lower() or "en"
        if lang not in ("en", "ko"):
            raise InputError(_("input 'lang': expected en or ko, got '{value}'", value=lang))
        formats = tuple(
            ALIASES.get(f.strip().lower(), f.strip().lower())
            for f in get("formats", "sarif,spdx-json,cyclonedx-json").split(",")
        )
        return cls(
            path=get("path", ".") or ".",
            config=get("config") or None,
            program=get("program") or None,
            track=get("track") or None,
            fail_on=fail_on,
            formats=tuple(dict.fromkeys(f for f in formats if f)),
            output_dir=get("output-dir", "oscheck-reports") or "oscheck-reports",
            upload_sarif=flag("upload-sarif", True),
            upload_sbom=flag("upload-sbom", True),
            only=only,
            changed_since=get("changed-since") or None,
            fetch_history=flag("fetch-history", False),
            lang=lang,
        )


@dataclass
class Written:
    """What the step produced, for the outputs and the summary."""

    files: dict[str, Path] = field(default_factory=dict)  # format value -> file
    unavailable: list[str] = field(default_factory=list)  # SBOM formats this oscheck cannot write yet


def resolve_formats(inputs: ActionInputs) -> tuple[list[OutputFormat], list[str]]:
    """Formats to write and SBOM formats that are not available; a misspelt format is an input error."""
    known = {f.value for f in OutputFormat}
    wanted = ["json", *inputs.formats]
    if inputs.upload_sarif:
        wanted.append("sarif")
    chosen: list[OutputFormat] = []
    unavailable: list[str] = []
    for name in dict.fromkeys(wanted):
        if name in known:
            fmt = OutputFormat(name)
            if fmt not in (OutputFormat.TEXT, OutputFormat.GITHUB):  # these two go to the log
                chosen.append(fmt)
        elif name in SBOM_FORMATS:
            unavailable.append(name)
        else:
            raise InputError(
                _(
                    "input 'formats': unknown format '{name}'; choose from {known}",
                    name=name,
                    known=", ".join(sorted(known | SBOM_FORMATS)),
                )
            )
    return chosen, unavailable


def _display(path: Path, workspace: Path) -> str:
    """A path for outputs: relative to the workspace (the steps' working folder) when inside it."""
    try:
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return str(path)


def write_reports(
    result: ScanResult, inputs: ActionInputs, workspace: Path, prefix: str, chosen: list[OutputFormat]
) -> dict[str, Path]:
    out_dir = workspace / inputs.output_dir
    files: dict[str, Path] = {}
    for fmt in chosen:
        f = SarifFormat(prefix) if fmt is OutputFormat.SARIF else formatter(fmt)
        folder = out_dir / "sbom" if fmt.is_sbom else out_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{REPORT_STEM}{f.suffix}"
        path.write_text(f.render(result, inputs.lang), encoding="utf-8")
        files[fmt.value] = path
    return files


def set_outputs(env: Mapping[str, str], values: Mapping[str, str]) -> None:
    """Append ``name=value`` lines to ``$GITHUB_OUTPUT`` (a delimiter block for multi-line values)."""
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as fh:
        for name, value in values.items():
            if "\n" in value or "\r" in value:
                delim = f"ghadelimiter_{uuid.uuid4()}"
                fh.write(f"{name}<<{delim}\n{value}\n{delim}\n")
            else:
                fh.write(f"{name}={value}\n")


def append_summary(env: Mapping[str, str], markdown: str) -> None:
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    data = markdown.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        cut = data[:SUMMARY_LIMIT].decode("utf-8", "ignore")
        markdown = (
            cut.rsplit("\n", 1)[0] + "\n\n" + _("… the summary was cut at GitHub's 1 MiB limit; see the report.") + "\n"
        )
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(markdown)


def run_action(env: Mapping[str, str], out: TextIO, gate: bool = False) -> int:
    """The whole step; returns the exit code."""

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    try:
        inputs = ActionInputs.from_env(env)
        chosen, unavailable = resolve_formats(inputs)
    except OscheckError as exc:
        say(workflow_command("error", redact_text(exc.message), title="oscheck"))
        set_outputs(env, {"verdict": "error", "exit-code": str(int(exc.exit_code))})
        return int(exc.exit_code)
    set_language(inputs.lang)
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    folder = (workspace / inputs.path).resolve()
    try:
        prefix = folder.relative_to(workspace.resolve()).as_posix()
    except ValueError:
        prefix = ""
    notes: list[str] = []
    for name in unavailable:
        message = _("format {name} is not available in this version of oscheck; it was skipped", name=name)
        say(workflow_command("warning", message, title="oscheck"))
        notes.append(message)
    try:
        if not folder.is_dir():
            raise TargetUnavailable(
                _(
                    "input 'path': {path} is not a folder of the workspace {workspace}",
                    path=inputs.path,
                    workspace=workspace,
                )
            )
        if is_shallow(folder):
            if inputs.fetch_history and unshallow(folder):
                notes.append(_("The checkout was shallow; oscheck fetched the whole history first."))
            else:
                message = _(
                    "This is a shallow clone: history metrics (contributors, activity) are unknown. "
                    "Use actions/checkout with fetch-depth: 0, or the input fetch-history: true."
                )
                say(workflow_command("notice", message, title="oscheck"))
                notes.append(message)
        only_paths = changed_paths(folder, inputs.changed_since) if inputs.changed_since else None
        if only_paths is not None:
            notes.append(
                _(
                    "Only files changed since {rev} were checked file by file ({n} files); project-level rules ran as usual.",
                    rev=inputs.changed_since,
                    n=len(only_paths),
                )
            )
        options = ScanOptions(
            program=inputs.program,
            track=inputs.track,
            only=inputs.only,
            fail_on=FAIL_ON[inputs.fail_on],
            config=(workspace / inputs.config) if inputs.config else None,
            only_paths=only_paths,
        )
        result = scan(str(folder), options)
    except OscheckError as exc:
        say(workflow_command("error", redact_text(exc.message), title="oscheck"))
        set_outputs(env, {"verdict": "error", "exit-code": str(int(exc.exit_code))})
        return int(exc.exit_code)

    files = write_reports(result, inputs, workspace, prefix, chosen)
    lines, left_out = annotation_lines(result, inputs.lang, prefix, ANNOTATION_LIMIT)
    for line in lines:
        say(line)
    s = result.summary
    failed = s.verdict is Verdict.FAIL
    message = _(
        "{verdict}: {errors} errors, {warnings} warnings, {notes} notes (fail-on: {fail_on})",
        verdict=_(VERDICT_TEXT[s.verdict]),
        errors=s.errors,
        warnings=s.warnings,
        notes=s.notes,
        fail_on=inputs.fail_on,
    )
    say("oscheck: " + message)
    if left_out:
        notes.append(
            _(
                "{n} findings were not annotated: GitHub shows at most {limit} errors and {limit} warnings per step. All findings are in the table above.",
                n=left_out,
                limit=ANNOTATION_LIMIT,
            )
        )
    summary = MarkdownFormat().render(result, inputs.lang)
    extra = [f"> {n}" for n in notes]
    if files:
        extra += ["", f"{_('Reports')}: " + ", ".join(f"`{_display(p, workspace)}`" for p in files.values())]
    append_summary(env, summary + ("\n" + "\n\n".join(extra) + "\n" if extra else ""))
    sbom_dir = workspace / inputs.output_dir / "sbom"
    set_outputs(
        env,
        {
            "verdict": s.verdict.value,
            "errors": str(s.errors),
            "warnings": str(s.warnings),
            "notes": str(s.notes),
            "exempted": str(s.exempted),
            "report-file": _display(files["json"], workspace),
            "sarif-file": _display(files["sarif"], workspace) if "sarif" in files else "",
            "spdx-file": _display(files["spdx-json"], workspace) if "spdx-json" in files else "",
            "cyclonedx-file": _display(files["cyclonedx-json"], workspace) if "cyclonedx-json" in files else "",
            "sbom-dir": _display(sbom_dir, workspace) if any(OutputFormat(k).is_sbom for k in files) else "",
            "exit-code": str(int(ExitCode.FINDINGS if failed else ExitCode.OK)),
            "message": message,
        },
    )
    return int(ExitCode.FINDINGS) if (failed and gate) else int(ExitCode.OK)


@click.command("action")
@click.option(
    "--gate", is_flag=True, help=_("Exit with 1 when the verdict fails (the composite action fails in a later step).")
)
def action_command(gate: bool) -> None:
    """The GitHub Action's scan step: inputs from INPUT_* variables, results for GitHub."""
    code = run_action(os.environ, sys.stdout, gate=gate)
    click.get_current_context().exit(code)
