"""``oscheck registry``: the grant registry — init, import, eligibility, score, obligations.

Thin: parse, open the store, call ``oscheck.store`` and ``oscheck.policy.grants``, print.
``--db`` (on the group or on each command) or ``OSCHECK_DB`` names the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from oscheck.errors import ExitCode, InputError
from oscheck.i18n import N_, _, get_language
from oscheck.policy.grants import (
    GrantProgram,
    Outcome,
    Ranked,
    ScoreRow,
    check_eligibility,
    grant_program,
    grant_programs,
    rank_track,
)
from oscheck.policy.load import load_policy

if TYPE_CHECKING:
    from oscheck.store import Store

# The store (SQLAlchemy, Alembic) is imported inside the commands: every other oscheck
# command starts without paying for it.

_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help=_("Output format.")
)
_POLICIES = click.option(
    "--policies",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Use this policy folder instead of the shipped one."),
)


def _db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db",
        metavar="URL|PATH",
        help=_("Registry database: a URL (postgresql://…, sqlite:///…) or a SQLite file path [env: OSCHECK_DB]."),
    )(f)


def _store(ctx: click.Context, db: str | None, *, current: bool = True) -> Store:
    from oscheck.store import Store

    store = Store(db or (ctx.obj or {}).get("db"))
    if current:
        store.require_current()
    return store


def _now() -> datetime:
    return datetime.now(UTC)


def _text(en: str, ko: str) -> str:
    return ko if get_language() == "ko" else en


def _echo_json(data: Any) -> None:
    click.echo(_dumps(data))


def _dumps(data: Any) -> str:
    """JSON with ``Decimal`` scores written as numbers with their exact decimals (72.50)."""
    marks: dict[str, str] = {}

    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            key = f"\x00dec{len(marks)}\x00"
            marks[key] = str(o)
            return key
        if isinstance(o, date):
            return o.isoformat()
        raise TypeError(type(o).__name__)

    text = json.dumps(data, ensure_ascii=False, indent=2, default=default)
    for key, value in marks.items():
        text = text.replace(json.dumps(key), value)
    return text


def _table(headers: list[str], rows: list[list[str]]) -> None:
    """A table for people (rich measures Korean double-width characters correctly)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers, show_lines=False, box=None, pad_edge=False, header_style="bold")
    for row in rows:
        table.add_row(*row)
    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    console.print(table)


@click.group("registry")
@_db_option
@click.pass_context
def registry_group(ctx: click.Context, db: str | None) -> None:
    """The grant registry: programs, organisations, applications, eligibility, selection, obligations."""
    ctx.obj = {"db": db}


@registry_group.command("init")
@_db_option
@_POLICIES
@click.pass_context
def init_command(ctx: click.Context, db: str | None, policies: Path | None) -> None:
    """Create the registry database or upgrade it to the current schema; load the programs."""
    from oscheck.store.registry import sync_programs

    store = _store(ctx, db, current=False)
    revision = store.upgrade()
    policy = load_policy(policies)
    programs = grant_programs(policy)
    with store.transaction() as s:
        sync_programs(s, policy, programs)
    click.echo(
        _(
            "Registry {db} at schema revision {revision}; {n} programs loaded.",
            db=store.display,
            revision=revision,
            n=len(programs),
        )
    )


@registry_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_db_option
@_POLICIES
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help=_("Date for obligation statuses (default: today)."))
@click.pass_context
def import_command(
    ctx: click.Context, file: Path, db: str | None, policies: Path | None, today: datetime | None
) -> None:
    """Import organisations, applications, agreements and evidence (YAML or CSV; see docs/registry.md)."""
    from oscheck.store.importer import read_import_file, write_batch

    store = _store(ctx, db)
    batch = read_import_file(file)  # every row checked before anything is written
    policy = load_policy(policies)
    with store.transaction() as s:
        write_batch(s, batch, policy, today.date() if today else date.today())
    click.echo(
        _(
            "Imported {orgs} organisations, {apps} applications, {agreements} agreements, {evidence} evidence records from {file}.",
            orgs=len(batch.organisations),
            apps=len(batch.applications),
            agreements=len(batch.agreements),
            evidence=len(batch.evidence),
            file=file,
        )
    )


_OUTCOME_TEXT = {
    Outcome.PASS: N_("pass"),
    Outcome.FAIL: N_("FAIL"),
    Outcome.UNKNOWN: N_("unknown"),
    Outcome.NOT_APPLICABLE: N_("n/a"),
}
_STATUS_TEXT = {"upcoming": N_("upcoming"), "due": N_("due"), "overdue": N_("overdue"), "done": N_("done")}


@registry_group.command("eligibility")
@click.argument("application")
@_db_option
@_POLICIES
@_FORMAT
@click.pass_context
def eligibility_command(ctx: click.Context, application: str, db: str | None, policies: Path | None, fmt: str) -> None:
    """Check one application against its program's eligibility rules and record the results.

    Exit 0: eligible; 1: a rule fails; 4: a fact is missing and a person must look.
    """
    from oscheck.store.registry import load_application, save_eligibility

    store = _store(ctx, db)
    policy = load_policy(policies)
    with store.transaction() as s:
        app, siblings = load_application(s, application)
        program = grant_program(policy, app.program)
        report = check_eligibility(program, app, siblings)
        save_eligibility(s, report, _now(), policy.version)
    if fmt == "json":
        _echo_json(
            {
                "application": report.application,
                "program": report.program,
                "track": report.track,
                "outcome": report.outcome.value,
                "results": [
                    {
                        "check": r.check_id,
                        "rule_id": r.rule_id,
                        "outcome": r.outcome.value,
                        "requirement": {"en": r.requirement.en, "ko": r.requirement.ko},
                        "message": {"en": r.message.en, "ko": r.message.ko},
                        "evidence": r.evidence,
                        "source": r.source,
                    }
                    for r in report.results
                ],
            }
        )
    else:
        click.echo(f"{report.application} [{report.program}/{report.track}]")
        _table(
            [_("rule"), _("check"), _("outcome"), _("finding"), _("source")],
            [
                [r.rule_id, r.check_id, _(_OUTCOME_TEXT[r.outcome]), r.message.get(get_language()), r.source]
                for r in report.results
            ],
        )
        click.echo(_("Eligibility: {outcome}", outcome=_(_OUTCOME_TEXT[report.outcome])))
    code = {Outcome.FAIL: ExitCode.FINDINGS, Outcome.UNKNOWN: ExitCode.REVIEW}.get(report.outcome, ExitCode.OK)
    ctx.exit(int(code))


# --- score ------------------------------------------------------------------------------------


def read_scores(path: Path, program: GrantProgram, known: dict[str, str]) -> list[ScoreRow]:
    """SCORES.csv (application,evaluator,item,score[,stage]) checked against the program.

    ``known`` maps application id -> track. ``item`` is an item id or its Korean name.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(_("{path}: cannot read the scores: {error}", path=path, error=exc.strerror)) from None
    except UnicodeDecodeError:
        raise InputError(_("{path}: the scores file is not UTF-8 text", path=path)) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    for col in ("application", "evaluator", "item", "score"):
        if col not in header:
            raise InputError(
                _("{path}:1: row 1 (header), column '{column}': this column is missing", path=path, column=col)
            )
    rows: list[ScoreRow] = []
    seen: set[tuple[str, str, str, str]] = set()
    for n, raw in enumerate(reader, start=1):
        line = reader.line_num
        rec = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}

        def fail(column: str, problem: str, n: int = n, line: int = line) -> InputError:
            return InputError(f"{path}:{line}: " + _("row {n}", n=n) + f", {_('column')} '{column}': {problem}")

        for col in ("application", "evaluator", "item", "score"):
            if not rec.get(col):
                raise fail(col, _("no value"))
        app = rec["application"]
        if app not in known:
            raise fail(
                "application",
                _("no application '{app}' of program {program} in the registry", app=app, program=program.id),
            )
        scoring = program.track(known[app]).scoring
        if scoring is None:
            raise InputError(_("program '{program}' has no scoring table in its source text", program=program.id))
        stage_key = rec.get("stage") or scoring.stages[0].id
        stage = next((st for st in scoring.stages if stage_key in (st.id, st.name.ko)), None)
        if stage is None:
            raise fail(
                "stage",
                _(
                    "'{value}' is not one of {choices}",
                    value=stage_key,
                    choices=", ".join(st.id for st in scoring.stages),
                ),
            )
        item = next((i for i in stage.items if rec["item"] in (i.id, i.ko)), None)
        if item is None:
            raise fail(
                "item",
                _("'{value}' is not one of {choices}", value=rec["item"], choices=", ".join(i.ko for i in stage.items)),
            )
        try:
            value = Decimal(rec["score"])
        except InvalidOperation:
            raise fail("score", _("'{value}' is not a number", value=rec["score"])) from None
        if not (0 <= value <= item.max) or not value.is_finite():
            raise fail("score", _("{value} is outside 0–{max} for {item}", value=value, max=item.max, item=item.ko))
        key = (app, stage.id, rec["evaluator"], item.id)
        if key in seen:
            raise fail("item", _("evaluator {evaluator} scored {item} twice", evaluator=rec["evaluator"], item=item.ko))
        seen.add(key)
        rows.append(ScoreRow(app, rec["evaluator"], item.id, value, stage.id))
    return rows


@registry_group.command("score")
@click.argument("program_id", metavar="PROGRAM")
@click.argument("scores", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--slots", type=click.IntRange(min=1), help=_("Projects to select per track (default: the program's number).")
)
@_db_option
@_POLICIES
@_FORMAT
@click.pass_context
def score_command(
    ctx: click.Context,
    program_id: str,
    scores: Path,
    slots: int | None,
    db: str | None,
    policies: Path | None,
    fmt: str,
) -> None:
    """Score, rank and select a program's applications from SCORES.csv (application,evaluator,item,score)."""
    from sqlalchemy import select

    from oscheck.store.models import Application
    from oscheck.store.registry import save_scores, save_selection, sectors_of

    store = _store(ctx, db)
    policy = load_policy(policies)
    program = grant_program(policy, program_id)
    if not any(t.scoring for t in program.tracks):
        raise InputError(
            _("program '{program}' has no scoring table in its source text; nothing to score", program=program.id)
        )
    results: list[Ranked] = []
    with store.transaction() as s:
        known = {a.id: a.track_id for a in s.scalars(select(Application).where(Application.program_id == program.id))}
        rows = read_scores(scores, program, known)
        by_track: dict[str, list[ScoreRow]] = defaultdict(list)
        for r in rows:
            by_track[known[r.application]].append(r)
        for track_id in sorted(by_track):
            track = program.track(track_id)
            assert track.scoring is not None
            quota = track.selection.sector_quota if track.selection else None
            sectors = sectors_of(s, {r.application for r in by_track[track_id]}, quota.private_kinds) if quota else None
            results += rank_track(track.scoring, track.selection, track_id, by_track[track_id], sectors, slots)
        save_scores(s, rows)
        save_selection(s, results, _now(), policy.version)
    lang = get_language()
    if fmt == "json":
        _echo_json(
            [
                {
                    "application": r.application,
                    "track": r.track,
                    "score": r.score,
                    "rank": r.rank,
                    "selected": r.selected,
                    "reasons": [x.get(lang) for x in r.reasons],
                    "stages": {st.stage: st.score for st in r.stages},
                    **({"sector": r.sector} if r.sector else {}),
                }
                for r in results
            ]
        )
        return
    _table(
        [_("rank"), _("application"), _("track"), _("score"), _("selected"), _("reasons")],
        [
            [
                str(r.rank or "-"),
                r.application,
                r.track or "-",
                str(r.score) if r.score is not None else "-",
                _("yes") if r.selected else _("no"),
                "; ".join(x.get(lang) for x in r.reasons),
            ]
            for r in results
        ],
    )


# --- obligations ------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$")


def parse_duration(text: str) -> timedelta:
    """``30d``, ``2w`` or ``30`` (days)."""
    m = _DURATION.match(text)
    if m is None:
        raise click.BadParameter(_("'{value}' is not a duration such as 30d or 2w", value=text))
    n = int(m.group(1))
    return timedelta(days=n * 7 if m.group(2) == "w" else n)


@registry_group.command("obligations")
@click.option(
    "--due-within",
    "due_within",
    metavar="DURATION",
    help=_("Only open obligations due within this period (30d, 2w), overdue ones included."),
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help=_("Judge statuses as of this date (default: today)."))
@_db_option
@_POLICIES
@_FORMAT
@click.pass_context
def obligations_command(
    ctx: click.Context, due_within: str | None, today: datetime | None, db: str | None, policies: Path | None, fmt: str
) -> None:
    """Plan every agreement's obligations from its program, update their statuses and list them."""
    from oscheck.store.registry import obligations_in_window, sync_obligations

    window = parse_duration(due_within) if due_within else None
    day = today.date() if today else date.today()
    store = _store(ctx, db)
    policy = load_policy(policies)
    with store.transaction() as s:
        shown = obligations_in_window(sync_obligations(s, policy, day), day, window)
        data: list[dict[str, Any]] = [
            {
                "application": o.agreement.application_id,
                "program": o.agreement.application.program_id,
                "track": o.agreement.application.track_id,
                "obligation": o.obligation,
                "seq": o.seq,
                "rule_id": o.rule_id,
                "kind": o.kind,
                "name": {"en": o.name_en, "ko": o.name_ko},
                "opens_on": o.opens_on,
                "due_on": o.due_on,
                "provisional": o.provisional,
                "covers_until": o.covers_until,
                "status": o.status,
                "completed_on": o.completed_on,
                "evidence": {"url": o.evidence_url, "sha256": o.evidence_sha256, "scan": o.evidence_scan_id},
                "source": o.source,
            }
            for o in shown
        ]
    if fmt == "json":
        _echo_json(data)
        return
    _table(
        [_("due"), _("status"), _("application"), _("obligation"), _("rule")],
        [
            [
                d["due_on"].isoformat() + ("*" if d["provisional"] else ""),
                _(_STATUS_TEXT[d["status"]]),
                d["application"],
                _text(d["name"]["en"], d["name"]["ko"]) + (f" #{d['seq']}" if d["seq"] > 1 else ""),
                d["rule_id"],
            ]
            for d in data
        ],
    )
    if any(d["provisional"] for d in data):
        click.echo(_("* the agency sets the exact date; shown is the latest the source text allows"))
