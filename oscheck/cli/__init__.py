"""The command line: a click group; one small module per command, no decisions here."""

from __future__ import annotations

import logging

import click

from oscheck._version import __version__
from oscheck.cli.action import action_command
from oscheck.cli.batch import batch_group
from oscheck.cli.cache import cache_group
from oscheck.cli.common import run_main
from oscheck.cli.init import init_command
from oscheck.cli.licenses import licenses_group
from oscheck.cli.model import model_command
from oscheck.cli.registry import registry_group
from oscheck.cli.report import report_command
from oscheck.cli.rules import rules_command
from oscheck.cli.sbom import sbom_command
from oscheck.cli.scan import scan_command
from oscheck.cli.service import service_group
from oscheck.i18n import _, set_language


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="oscheck")
@click.option("--lang", type=click.Choice(["en", "ko"]), help=_("Language of messages (default: from LANG)."))
@click.option("--debug", is_flag=True, help=_("Show tracebacks and debug logs."))
def cli(lang: str | None, debug: bool) -> None:
    """oscheck: open-source license and AI compliance checks for publicly funded AI software."""
    if lang:
        set_language(lang)
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


cli.add_command(init_command)
cli.add_command(scan_command)
cli.add_command(cache_group)
cli.add_command(rules_command)
cli.add_command(service_group)
cli.add_command(action_command)
cli.add_command(licenses_group)
cli.add_command(model_command)
cli.add_command(sbom_command)
cli.add_command(registry_group)
cli.add_command(batch_group)
cli.add_command(report_command)


def main(args: list[str] | None = None) -> None:
    run_main(cli, args)
