"""``oscheck batch PORTFOLIO.yaml`` and ``oscheck batch diff RUN_A RUN_B``."""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from oscheck.batch import BatchOptions, Outcome, Plan, TargetSpec, diff_runs, run_batch
from oscheck.cli.common import only_groups, progress_enabled
from oscheck.cli.scan import FAIL_ON
from oscheck.detectors import groups
from oscheck.errors import InputError
from oscheck.i18n import _, get_language
from oscheck.outputs import OutputFormat, parse_formats
from oscheck.store import Store

_BATCH_FORMATS = (OutputFormat.JSON, OutputFormat.MARKDOWN, OutputFormat.SPDX_JSON, OutputFormat.CYCLONEDX_JSON)


class _DefaultGroup(click.Group):
    """``oscheck batch FILE`` runs the portfolio; ``oscheck batch diff …`` is a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("batch", cls=_DefaultGroup)
def batch_group() -> None:
    """Scan a portfolio of grantees' repositories and models into the registry (resumable, parallel).

    oscheck batch PORTFOLIO.yaml [options] runs it; oscheck batch diff RUN_A RUN_B compares two runs.
    """


def _status_word(o: Outcome) -> str:
    if o.status == "failed":
        return _("failed")
    if o.status == "skipped":
        return _("already recorded")
    return _("scanned")


def _verdict_word(verdict: str | None) -> str:
    from oscheck.model import Verdict
    from oscheck.outputs.interface import VERDICT_TEXT

    if verdict is None:
        return "-"
    try:
        return _(VERDICT_TEXT[Verdict(verdict)])
    except (ValueError, KeyError):
        return verdict


def _line(o: Outcome) -> str:
    head = f"{o.key} {_status_word(o)}"
    if o.status == "failed":
        return f"{head}: {o.error}"
    body = _(
        "{verdict}: {errors} errors, {warnings} warnings, {notes} notes",
        verdict=_verdict_word(o.verdict),
        errors=o.errors,
        warnings=o.warnings,
        notes=o.notes,
    )
    commit = f" @{o.commit[:10]}" if o.commit else ""
    return f"{head}{commit} — {body} ({o.seconds:.1f} s)"


class PlainEvents:
    """One log line per event on stderr (not a terminal, CI, or ``--quiet``)."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0

    def _log(self, text: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        click.echo(f"{stamp} {text}", err=True)

    def begin(self, plan: Plan) -> None:
        self.total = plan.total
        head = _("resuming run {run}", run=plan.run_id) if plan.resumed else _("run {run}", run=plan.run_id)
        self._log(
            head
            + ": "
            + _(
                "{n} targets of {portfolio}, dates as of {day}, on {executor}",
                n=plan.total,
                portfolio=plan.portfolio,
                day=plan.as_of.isoformat(),
                executor=plan.executor,
            )
        )

    def running(self, spec: TargetSpec, attempt: int) -> None:
        return None

    def retry(self, spec: TargetSpec, attempt: int, delay: float, error: str) -> None:
        self._log(
            _(
                "{target}: attempt {n} failed ({error}); retrying in {seconds} s",
                target=spec.key,
                n=attempt,
                error=error,
                seconds=round(delay),
            )
        )

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        self._log(f"[{self.count}/{self.total}] {_line(outcome)}")

    def running_view(self) -> AbstractContextManager[Any]:
        return nullcontext()


class RichEvents(PlainEvents):
    """A progress bar for the batch, a row per target in flight, a line per finished target."""

    def __init__(self) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.overall: Any = None
        self.rows: dict[str, Any] = {}

    def _log(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False)

    def begin(self, plan: Plan) -> None:
        super().begin(plan)
        self.overall = self.progress.add_task(_("targets"), total=plan.total)

    def running(self, spec: TargetSpec, attempt: int) -> None:
        label = spec.key if attempt == 1 else f"{spec.key} ({_('attempt {n}', n=attempt)})"
        if spec.key in self.rows:
            self.progress.update(self.rows[spec.key], description=f"  {label}")
        else:
            self.rows[spec.key] = self.progress.add_task(f"  {label}", total=None)

    def retry(self, spec: TargetSpec, attempt: int, delay: float, error: str) -> None:
        super().retry(spec, attempt, delay, error)
        if spec.key in self.rows:
            self.progress.update(self.rows[spec.key], description=f"  {spec.key} ({_('waiting to retry')})")

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        row = self.rows.pop(outcome.key, None)
        if row is not None:
            self.progress.remove_task(row)
        if self.overall is not None:
            self.progress.advance(self.overall)
        mark = {"ok": "✓", "skipped": "·", "failed": "✗"}.get(outcome.status, "?")
        self._log(f"{mark} {_line(outcome)}")

    def running_view(self) -> AbstractContextManager[Any]:
        return self.progress


def _end_table(outcomes: tuple[Outcome, ...]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console.width = 160  # a log file: no terminal to fit
    table = Table(show_lines=False, pad_edge=False)
    for col in (_("target"), _("grantee"), _("commit"), _("status"), _("verdict"), "E", "W", "N", _("seconds")):
        table.add_column(col, no_wrap=True, overflow="ellipsis", justify="right" if len(col) == 1 else "left")
    for o in outcomes:
        failed = o.status == "failed"
        table.add_row(
            o.key,
            o.grantee_name,
            (o.commit or "-")[:10],
            _status_word(o),
            (o.error or "")[:70] if failed else _verdict_word(o.verdict),
            "-" if failed else str(o.errors),
            "-" if failed else str(o.warnings),
            "-" if failed else str(o.notes),
            f"{o.seconds:.1f}",
        )
    console.print(table)


@batch_group.command("run")
@click.argument("portfolio", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--db", help=_("Registry database URL or SQLite file (default: $OSCHECK_DB or the user data folder)."))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=None,
    help=_("Targets scanned at once (default: number of cores)."),
)
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", help=_("Run on an existing Dask scheduler (pip install 'oscheck[dask]').")
)
@click.option(
    "--dask-local",
    type=click.IntRange(1, 256),
    metavar="N",
    help=_("Run on a Dask LocalCluster of N worker processes."),
)
@click.option("--rescan", is_flag=True, help=_("Scan again targets already recorded in this run at the same commit."))
@click.option("--new-run", is_flag=True, help=_("Start a new run even if this portfolio already has one for the day."))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help=_("Write each target's JSON report, Markdown and SBOMs under OUT/<grantee>/."),
)
@click.option(
    "--format",
    "formats",
    default="json,markdown,spdx-json,cyclonedx-json",
    show_default=True,
    help=_("Files written per target under --out (json, markdown, spdx-json, cyclonedx-json, spdx3-json, sarif)."),
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    default="error",
    show_default=True,
    help=_("Exit with 1 when a target has a finding of at least this severity (or failed)."),
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help=_("Judge dates as of this day, YYYY-MM-DD (default: the portfolio's as_of, else today)."),
)
@click.option(
    "--timeout", type=click.FloatRange(1), help=_("Seconds per target (default: the portfolio's timeout, 3600).")
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    help=_("Retries of a transient clone failure (default: the portfolio's, 3)."),
)
@click.option(
    "--only",
    multiple=True,
    callback=only_groups,
    metavar="GROUP[,GROUP]",
    help=_(
        "Run only these detector groups on repositories: {groups} (repeatable, or comma-separated).",
        groups=", ".join(groups()),
    ),
)
@click.option("--offline", is_flag=True, help=_("Do not query package registries or the Hugging Face Hub."))
@click.option("--no-cache", is_flag=True, help=_("Do not read or write the detection cache."))
@click.option(
    "--policies",
    type=click.Path(path_type=Path, file_okay=False),
    help=_("Use this policy folder instead of the shipped one."),
)
@click.option("--quiet", "-q", is_flag=True, help=_("Plain log lines instead of a progress bar, and no end table."))
def run_command(
    portfolio: Path,
    db: str | None,
    jobs: int | None,
    scheduler: str | None,
    dask_local: int | None,
    rescan: bool,
    new_run: bool,
    out: Path | None,
    formats: str,
    fail_on: str,
    as_of: datetime | None,
    timeout: float | None,
    retries: int | None,
    only: tuple[str, ...],
    offline: bool,
    no_cache: bool,
    policies: Path | None,
    quiet: bool,
) -> None:
    """Scan every grantee's repositories and models of PORTFOLIO.yaml into the registry."""
    if scheduler and dask_local:
        raise click.UsageError(_("give either --scheduler or --dask-local, not both"))
    chosen = parse_formats(formats)
    allowed = {*_BATCH_FORMATS, OutputFormat.SPDX3_JSON, OutputFormat.SARIF}
    for fmt in chosen:
        if fmt not in allowed:
            raise InputError(_("--format: '{name}' cannot be written per target by oscheck batch", name=fmt.value))
    if not portfolio.is_file():
        raise InputError(_("{path}: no such portfolio file", path=portfolio))
    options = BatchOptions(
        db=db,
        jobs=jobs or BatchOptions().jobs,
        scheduler=scheduler,
        dask_local=dask_local,
        rescan=rescan,
        new_run=new_run,
        out=out,
        formats=tuple(f.value for f in chosen),
        fail_on=None if fail_on == "never" else fail_on,
        as_of=as_of.date() if as_of else None,
        timeout=timeout,
        retries=retries,
        only=only,
        use_cache=not no_cache,
        policies=policies,
        offline=offline,
        lang=get_language(),
    )
    fancy = progress_enabled(quiet)
    events = RichEvents() if fancy else PlainEvents()
    with events.running_view():
        summary = run_batch(portfolio, options, events)
    if not quiet:
        _end_table(summary.outcomes)
    d = summary.dedup
    click.echo(
        _(
            "run {run}: {ok} scanned, {skipped} already recorded, {failed} failed in {seconds} s; license detection: {files} files, {hits} from the shared cache, {scanned} detected",
            run=summary.run_id,
            ok=summary.count("ok"),
            skipped=summary.count("skipped"),
            failed=summary.count("failed"),
            seconds=round(summary.seconds, 1),
            files=d["scancode_files"],
            hits=d["scancode_cache_hits"],
            scanned=d["scancode_scanned"],
        ),
        err=True,
    )
    click.get_current_context().exit(int(summary.exit_code()))


@batch_group.command("diff")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@click.option("--db", help=_("Registry database URL or SQLite file (default: $OSCHECK_DB or the user data folder)."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(run_a: int, run_b: int, db: str | None, fmt: str) -> None:
    """New and resolved findings per grantee between two runs (matched by fingerprint)."""
    store = Store(db)
    store.require_current()
    with store.transaction() as s:
        diff = diff_runs(s, run_a, run_b)
    store.dispose()
    if fmt == "json":
        click.echo(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
        return
    ko = get_language() == "ko"
    total = diff.as_dict()
    out = [
        _(
            "run {a} → run {b}: {new} new, {resolved} resolved findings",
            a=run_a,
            b=run_b,
            new=total["new"],
            resolved=total["resolved"],
        )
    ]
    for g in diff.grantees:
        out.append("")
        out.append(
            f"{g.id} {g.name or ''}".rstrip()
            + ": "
            + _("{new} new, {resolved} resolved", new=g.new, resolved=g.resolved)
        )
        for t in g.targets:
            if not (t.new or t.resolved or t.commit_a != t.commit_b or t.status_a != t.status_b):
                continue
            a = (t.commit_a or "-")[:10] if t.status_a else _("not in run")
            b = (t.commit_b or "-")[:10] if t.status_b else _("not in run")
            state = ""
            if "failed" in (t.status_a, t.status_b):
                state = " [" + _("failed in run {run}", run=run_a if t.status_a == "failed" else run_b) + "]"
            out.append(f"  {t.uri} ({a} → {b}){state}")
            for sign, changes in (("+", t.new), ("-", t.resolved)):
                for f in changes:
                    where = f"{f.path}:{f.line}" if f.path and f.line else (f.path or "")
                    message = f.message_ko if ko and f.message_ko else f.message_en
                    out.append(f"    {sign} {f.rule_id} {f.severity} {where} {message}".rstrip())
    click.echo("\n".join(out))
    sys.stdout.flush()
