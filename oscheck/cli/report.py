"""``oscheck report``: the compliance site (or CSV, or a Markdown job summary) from the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from oscheck._version import __version__
from oscheck.i18n import _


@click.command("report")
@click.option(
    "--db",
    "db",
    metavar="URL|PATH",
    help=_("Registry database: a URL (postgresql://…, sqlite:///…) or a SQLite file path [env: OSCHECK_DB]."),
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help=_("Folder to write the site (html) or the CSV files into."),
)
@click.option(
    "--lang",
    "report_lang",
    type=click.Choice(["ko", "en"]),
    default="ko",
    show_default=True,
    help=_("The report's default language; the HTML site always has both."),
)
@click.option("--program", metavar="ID", help=_("Only the grantees of this program."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "markdown", "csv"]),
    default="html",
    show_default=True,
    help=_(
        "html: the static site; markdown: a GitHub job summary on standard output; csv: portfolio.csv and findings.csv."
    ),
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help=_("Judge obligation dates as of this day (default: OSCHECK_TODAY or today)."),
)
@click.option(
    "--policies",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Use this policy folder instead of the shipped one."),
)
def report_command(
    db: str | None,
    out: Path,
    report_lang: str,
    program: str | None,
    fmt: str,
    as_of: datetime | None,
    policies: Path | None,
) -> None:
    """Write the compliance report of every grantee in the registry."""
    from oscheck.policy.load import load_policy
    from oscheck.report import write_report
    from oscheck.scan import default_today

    result = write_report(
        db,
        out,
        policy=load_policy(policies),
        today=as_of.date() if as_of else default_today(),
        lang=report_lang,
        program=program,
        fmt=fmt,
        tool_version=__version__,
    )
    if result.text is not None:
        click.echo(result.text, nl=False)
        return
    if fmt == "html":
        click.echo(_("report of {n} grantees written to {path}", n=result.grantees, path=out / "index.html"), err=True)
    else:
        click.echo(
            _("{n} grantees: {files}", n=result.grantees, files=", ".join(str(p) for p in result.files)), err=True
        )
