"""``oscheck sbom TARGET``: scan what an SBOM needs and write one SPDX or CycloneDX document."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from oscheck.cli.common import RichProgress, progress_enabled, write_text
from oscheck.i18n import _
from oscheck.outputs import formatter, parse_formats
from oscheck.progress import NullProgress, Progress
from oscheck.scan import ScanOptions, scan

# The detector groups whose observations an SBOM renders (files' licenses, dependencies, models).
SBOM_GROUPS = ("licenses", "dependencies", "models")


def dependency_options(python_env: Path | None, offline: bool) -> dict[str, object]:
    """``--python-env`` and ``--offline`` as the dependency detector's options (scan and sbom share them)."""
    options: dict[str, object] = {"offline": offline}
    if python_env is not None:
        options["python_env"] = str(python_env)
    return options


@click.command("sbom")
@click.argument("target", default=".")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["spdx-json", "cyclonedx-json", "spdx", "cyclonedx", "cdx"]),
    default="spdx-json",
    show_default=True,
    help=_("SBOM format."),
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help=_("Write the SBOM here (default: standard output).")
)
@click.option("--ref", help=_("Branch, tag or commit to scan (git targets)."))
@click.option(
    "--python-env",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help=_("A virtual environment whose installed packages give versions and licenses (like pip-licenses)."),
)
@click.option("--offline", is_flag=True, help=_("Do not query package registries; use only cached answers."))
@click.option(
    "--no-file-licenses", is_flag=True, help=_("Skip license detection in files (faster; files get NOASSERTION).")
)
@click.option(
    "--jobs", "-j", type=click.IntRange(1, 256), default=None, help=_("Worker processes (default: number of cores).")
)
@click.option("--no-cache", is_flag=True, help=_("Do not read or write the detection cache."))
@click.option("--quiet", "-q", is_flag=True, help=_("No progress and no summary on stderr."))
def sbom_command(
    target: str,
    fmt: str,
    output: Path | None,
    ref: str | None,
    python_env: Path | None,
    offline: bool,
    no_file_licenses: bool,
    jobs: int | None,
    no_cache: bool,
    quiet: bool,
) -> None:
    """Write the SBOM of a repository: files, dependencies and models, in SPDX 2.3 or CycloneDX 1.6 JSON."""
    chosen = parse_formats(fmt)[0]
    groups = tuple(g for g in SBOM_GROUPS if not (no_file_licenses and g == "licenses"))
    options = ScanOptions(
        jobs=jobs or ScanOptions().jobs,
        ref=ref,
        only=groups,
        fail_on=None,
        use_cache=not no_cache,
        detector_options=dependency_options(python_env, offline),
    )
    progress: Progress = RichProgress() if progress_enabled(quiet) else NullProgress()
    running = progress.running() if isinstance(progress, RichProgress) else nullcontext()
    with running:
        result = scan(target, options, progress)
    write_text(output, formatter(chosen).render(result))
    if not quiet:
        unresolved = sum(1 for c in result.components if c.license is None)
        click.echo(
            _(
                "{components} dependencies ({unresolved} without a known license), {models} models, {files} files",
                components=len(result.components),
                unresolved=unresolved,
                models=len(result.models),
                files=len(result.files),
            ),
            err=True,
        )
        if output is not None and str(output) != "-":
            click.echo(_("wrote {path}", path=output), err=True)
