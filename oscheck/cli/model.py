"""``oscheck model ID_OR_PATH``: the open-weight verdict and weight safety of one model."""

from __future__ import annotations

from pathlib import Path

import click

from oscheck.cli.common import write_text
from oscheck.cli.scan import FAIL_ON
from oscheck.config import ModelDecl
from oscheck.detectors.models import ModelsOptions
from oscheck.errors import ExitCode, InputError
from oscheck.i18n import _, get_language
from oscheck.inventory import default_cache_dir
from oscheck.model import Verdict
from oscheck.outputs import OutputFormat, formatter, parse_formats
from oscheck.outputs.model_report import model_report_json, model_report_text
from oscheck.scan import ScanOptions, scan
from oscheck.sources import LocalSource, Source
from oscheck.sources.hf_hub import HubClient, HubModelSource, is_hub_id


@click.command("model")
@click.argument("model")
@click.option("--revision", help=_("Branch, tag or commit of a Hugging Face model (default: the main branch)."))
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    help=_("Output format: text, json, cyclonedx, spdx, spdx3."),
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help=_("Output file (default: standard output)."))
@click.option("--program", help=_("Program id whose requirements apply, e.g. nipa-oss-ai-use-2026."))
@click.option("--track", help=_("Track of the program: dev or use."))
@click.option(
    "--download-weights",
    is_flag=True,
    help=_("Also download the model's weight files and inspect them (pickle globals, headers)."),
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="error",
    show_default=True,
    help=_("Exit with 1 when a finding has at least this severity."),
)
def model_command(
    model: str,
    revision: str | None,
    fmt: str,
    output: Path | None,
    program: str | None,
    track: str | None,
    download_weights: bool,
    fail_on: str,
) -> None:
    """Check one model (a Hugging Face id or a local folder): license, open-weight verdict, lineage, weights."""
    chosen = parse_formats(fmt)
    if len(chosen) != 1:
        raise InputError(_("--format takes one format for oscheck model"))
    path = Path(model).expanduser()
    source: Source
    if path.exists():
        source = LocalSource(path)
        decl = ModelDecl(path=".")
    elif is_hub_id(model) and "/" in model:
        cache = default_cache_dir()
        source = HubModelSource(model, revision, HubClient(cache / "hub-models"))
        decl = ModelDecl(id=model, revision=revision)
    else:
        raise InputError(_("{model}: neither a folder nor a Hugging Face model id (org/name)", model=model))
    options = ScanOptions(
        jobs=1,
        only=("models",),
        program=program,
        track=track,
        fail_on=FAIL_ON[fail_on],
        detector_options={
            "models": ModelsOptions(
                extra=(decl,),
                download_weights=download_weights,
                references=False,
                strict=True,
                target_is_model=True,
            )
        },
    )
    result = scan(source, options)
    lang = get_language()
    out = chosen[0]
    if out is OutputFormat.TEXT:
        text = model_report_text(result, lang)
    elif out is OutputFormat.JSON:
        text = model_report_json(result, lang)
    else:
        text = formatter(out).render(result, lang)
    write_text(output, text)
    click.get_current_context().exit(int(ExitCode.FINDINGS if result.summary.verdict is Verdict.FAIL else ExitCode.OK))
