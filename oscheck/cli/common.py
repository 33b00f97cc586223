"""What every command shares: exit codes, one-line errors, progress, writing outputs.

Exit codes are assigned here and only here (``ExitCode`` in errors.py documents them).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from oscheck.detectors import groups
from oscheck.errors import ExitCode, OscheckError
from oscheck.i18n import _
from oscheck.sources import redact_text


def split_groups(values: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Detector groups from ``--only`` values, comma- or space-separated; and the unknown names."""
    names: list[str] = []
    for value in values:
        names += [n for n in value.replace(",", " ").split() if n not in names]
    known = groups()
    return tuple(n for n in names if n in known), [n for n in names if n not in known]


def only_groups(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Click callback: ``--only licenses,ai-api`` means ``--only licenses --only ai-api``."""
    chosen, unknown = split_groups(values)
    if unknown:
        raise click.BadParameter(
            _("unknown detector group '{name}'; choose from {known}", name=unknown[0], known=", ".join(groups()))
        )
    return chosen


def fail(message: str, code: ExitCode) -> None:
    """Print one line to stderr and exit with ``code``."""
    click.echo(f"oscheck: {redact_text(message)}", err=True)
    sys.exit(int(code))


def run_main(command: click.Command, args: list[str] | None = None) -> None:
    """Run the click command; library errors become one line and their exit code."""
    try:
        _run(command, args)
    except SystemExit as exc:
        _exit(exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2))


def _exit(code: int) -> None:
    """Exit; skip the interpreter's teardown when scancode's 1.4 GB index is in memory.

    Freeing that heap takes over a second and there is nothing left to flush but stdio.
    """
    if "licensedcode.cache" in sys.modules:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _run(command: click.Command, args: list[str] | None) -> None:
    debug = "--debug" in (args if args is not None else sys.argv[1:])
    try:
        code = command.main(args=args, standalone_mode=False, prog_name="oscheck")
        # With standalone_mode=False click returns ctx.exit()'s code instead of exiting.
        if isinstance(code, int):
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        fail(_("aborted"), ExitCode.INPUT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.INPUT_ERROR)
    except OscheckError as exc:
        if debug:
            raise
        fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        fail(_("interrupted"), ExitCode.INPUT_ERROR)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if debug:
            raise
        fail(
            _(
                "unexpected error: {error} (run again with --debug for the details)",
                error=f"{type(exc).__name__}: {exc}",
            ),
            ExitCode.INPUT_ERROR,
        )


def progress_enabled(quiet: bool) -> bool:
    """No progress bars under CI, when quiet, or when stderr is not a terminal."""
    if quiet or os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
        return False
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class RichProgress:
    """The library's Progress protocol drawn with rich on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, Any] = {}

    def start(self, task: str, total: int | None) -> None:
        self._tasks[task] = self._progress.add_task(_(task), total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        if task in self._tasks:
            self._progress.advance(self._tasks[task], steps)

    def finish(self, task: str) -> None:
        if task in self._tasks:
            self._progress.remove_task(self._tasks.pop(task))

    @contextmanager
    def running(self) -> Iterator[RichProgress]:
        with self._progress:
            yield self


def write_text(path: Path | None, text: str) -> None:
    """Write ``text`` to ``path`` (``None`` or ``-``: standard output), creating folders."""
    if path is None or str(path) == "-":
        click.echo(text, nl=False)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
