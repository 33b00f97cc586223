"""``oscheck scan TARGET``: parse, call the library, emit, exit."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

import click

from oscheck.cli.common import RichProgress, only_groups, progress_enabled, write_text
from oscheck.cli.sbom import dependency_options
from oscheck.config import Declaration
from oscheck.detectors import groups
from oscheck.detectors.models import ModelsOptions
from oscheck.errors import ExitCode, InputError
from oscheck.i18n import _, get_language
from oscheck.model import ScanResult, Severity, Verdict
from oscheck.outputs import OutputFormat, formatter, parse_formats
from oscheck.outputs.interface import VERDICT_TEXT
from oscheck.progress import NullProgress, Progress
from oscheck.scan import ScanOptions, scan
from oscheck.sources.changes import changed_paths, given_paths
from oscheck.sources.git import is_git_url

FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE, "never": None}


def output_name(result: ScanResult) -> str:
    """A file name stem for the target: its folder or repository name."""
    uri = result.target.uri.rstrip("/")
    stem = uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem) or "oscheck"


def emit(
    result: ScanResult,
    formats: list[OutputFormat],
    output: Path | None,
    output_dir: Path | None,
    sbom_dir: Path | None,
    lang: str,
) -> list[Path]:
    """Write each format; one format without a directory goes to ``output`` or stdout."""
    written: list[Path] = []
    if len(formats) == 1 and output_dir is None:
        fmt = formats[0]
        write_text(output, formatter(fmt).render(result, lang))
        if output is not None and str(output) != "-":
            written.append(output)
        return written
    stem = output_name(result)
    for fmt in formats:
        f = formatter(fmt)
        folder = (sbom_dir or output_dir or Path("sbom")) if fmt.is_sbom else (output_dir or Path("reports"))
        path = folder / f"{stem}{f.suffix}"
        write_text(path, f.render(result, lang))
        written.append(path)
    return written


def selection(
    target: str, files_flag: bool, files: tuple[str, ...], changed_since: str | None
) -> tuple[str, frozenset[str] | None]:
    """``--files`` / ``--changed-since`` -> (target, paths file-level detectors look at; ``None``: all).

    With ``--files`` every positional argument after the target is a file; when the first
    one is not a folder (``oscheck scan --files a.py b.py``, as pre-commit calls it) it is
    a file too and the target is the current folder.
    """
    if files and not files_flag:
        raise click.UsageError(
            _("unexpected extra arguments {args}; add --files to scan only these files", args=" ".join(files))
        )
    only: frozenset[str] | None = None
    if files_flag:
        names = list(files)
        if not Path(target).is_dir() and not is_git_url(target):
            names.insert(0, target)
            target = "."
        root = Path(target)
        only = given_paths(root, names) if root.is_dir() else frozenset(n.replace("\\", "/").lstrip("/") for n in names)
    if changed_since:
        if not Path(target).is_dir():
            raise click.UsageError(_("--changed-since needs a local folder as the target"))
        changed = changed_paths(Path(target), changed_since)
        only = changed if only is None else only | changed
    return target, only


def models_options(models: tuple[str, ...], download_weights: bool) -> ModelsOptions:
    """``--model`` values in the declaration's short form (``org/name@rev``, ``./folder``)."""
    try:
        extra = Declaration.model_validate({"models": list(models)}).models
    except ValueError as exc:
        raise InputError(_("--model: {problem}", problem=exc)) from None
    return ModelsOptions(extra=extra, download_weights=download_weights)


@click.command("scan")
@click.argument("target", default=".")
@click.argument("files", nargs=-1)
@click.option("--ref", help=_("Branch, tag or commit to scan (git targets)."))
@click.option("--program", help=_("Program id (overrides .oscheck.yml), e.g. nipa-oss-ai-use-2026."))
@click.option("--track", help=_("Track of the program (overrides .oscheck.yml): dev or use."))
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 256), default=None, help=_("Worker processes (default: number of cores).")
)
@click.option(
    "--format",
    "formats",
    default="text",
    show_default=True,
    help=_("Output formats, comma-separated: text, json, markdown, …"),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help=_("Output file for a single format (default: standard output)."),
)
@click.option(
    "--output-dir", type=click.Path(path_type=Path), help=_("Folder for several formats (default: reports/ and sbom/).")
)
@click.option("--sbom-dir", type=click.Path(path_type=Path), help=_("Folder for SBOM formats (default: sbom/)."))
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="error",
    show_default=True,
    help=_("Exit with 1 when a finding has at least this severity."),
)
@click.option(
    "--only",
    multiple=True,
    callback=only_groups,
    metavar="GROUP[,GROUP]",
    help=_("Run only these detector groups: {groups} (repeatable, or comma-separated).", groups=", ".join(groups())),
)
@click.option("--no-cache", is_flag=True, help=_("Do not read or write the detection cache."))
@click.option(
    "--config", type=click.Path(path_type=Path), help=_("Use this declaration instead of the target's .oscheck.yml.")
)
@click.option(
    "--policies",
    type=click.Path(path_type=Path, file_okay=False),
    help=_("Use this policy folder instead of the shipped one."),
)
@click.option(
    "--max-file-size", type=click.IntRange(1), default=32, show_default=True, help=_("Largest file to read, in MiB.")
)
@click.option("--shallow", is_flag=True, help=_("Clone git targets with depth 1 (history metrics become unknown)."))
@click.option(
    "--changed-since",
    metavar="REV",
    help=_("Look only at files changed since REV (file-level checks); project-level rules still run."),
)
@click.option(
    "--files",
    "files_flag",
    is_flag=True,
    help=_("Look only at the files given as arguments (pre-commit); project-level rules still run."),
)
@click.option(
    "--model",
    "models",
    multiple=True,
    help=_("A model to check besides those in .oscheck.yml: a Hub id[@revision] or a folder (repeatable)."),
)
@click.option(
    "--download-weights", is_flag=True, help=_("Download declared Hub models' weight files and inspect them.")
)
@click.option(
    "--python-env",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help=_("A virtual environment whose installed packages give versions and licenses (like pip-licenses)."),
)
@click.option("--offline", is_flag=True, help=_("Do not query package registries; use only cached answers."))
@click.option(
    "--forge/--no-forge",
    default=None,
    help=_("Ask the GitHub API for community data (default: only when GITHUB_TOKEN is set)."),
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=_("Judge dates (deadlines, inactivity, exemption expiry) as of this day, YYYY-MM-DD (default: today)."),
)
@click.option("--quiet", "-q", is_flag=True, help=_("No progress and no summary on stderr."))
def scan_command(
    target: str,
    files: tuple[str, ...],
    changed_since: str | None,
    files_flag: bool,
    ref: str | None,
    program: str | None,
    track: str | None,
    jobs: int | None,
    formats: str,
    output: Path | None,
    output_dir: Path | None,
    sbom_dir: Path | None,
    fail_on: str,
    only: tuple[str, ...],
    no_cache: bool,
    config: Path | None,
    policies: Path | None,
    max_file_size: int,
    shallow: bool,
    models: tuple[str, ...],
    download_weights: bool,
    python_env: Path | None,
    offline: bool,
    forge: bool | None,
    as_of: datetime | None,
    quiet: bool,
) -> None:
    """Scan a repository (a folder or a git URL) for license and AI compliance.

    With --files FILE… or --changed-since REV only those files get file-level checks.
    """
    chosen = parse_formats(formats)
    target, only_paths = selection(target, files_flag, files, changed_since)
    options = ScanOptions(
        jobs=jobs or ScanOptions().jobs,
        ref=ref,
        program=program,
        track=track,
        only=only,
        fail_on=FAIL_ON[fail_on],
        use_cache=not no_cache,
        config=config,
        policies=policies,
        max_file_bytes=max_file_size << 20,
        shallow=shallow,
        only_paths=only_paths,
        today=as_of.date() if as_of else None,
        detector_options={
            **dependency_options(python_env, offline),
            **({} if forge is None else {"forge": forge}),
            "models": models_options(models, download_weights),
        },
    )
    progress: Progress = RichProgress() if progress_enabled(quiet) else NullProgress()
    running = progress.running() if isinstance(progress, RichProgress) else nullcontext()
    with running:
        result = scan(target, options, progress)
    lang = get_language()
    written = emit(result, chosen, output, output_dir, sbom_dir, lang)
    if not quiet and (written or chosen != [OutputFormat.TEXT]):
        s = result.summary
        click.echo(
            _(
                "{verdict}: {errors} errors, {warnings} warnings, {notes} notes",
                verdict=_(VERDICT_TEXT[s.verdict]),
                errors=s.errors,
                warnings=s.warnings,
                notes=s.notes,
            ),
            err=True,
        )
        for path in written:
            click.echo(_("wrote {path}", path=path), err=True)
    click.get_current_context().exit(int(ExitCode.FINDINGS if result.summary.verdict is Verdict.FAIL else ExitCode.OK))
