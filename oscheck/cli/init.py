"""``oscheck init``: write the project declaration (``.oscheck.yml``), asking or from flags.

The first thing a grantee does. Defaults are read from the project (its license metadata
and files, the program's only track); what is written is parsed back with the same code
that reads it in a scan, so ``init`` never writes a file that ``scan`` rejects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from oscheck.config import CONFIG_FILENAMES, parse_declaration_text
from oscheck.errors import ConfigError, InputError
from oscheck.i18n import _, get_language
from oscheck.policy import load_policy
from oscheck.policy.programs import program_ids


def _programs() -> dict[str, tuple[str, list[str]]]:
    """program id -> (name in the current language, track ids)."""
    policy = load_policy()
    out: dict[str, tuple[str, list[str]]] = {}
    for pid in program_ids(policy):
        data = policy.yaml(f"programs/{pid}.yaml") or {}
        name = (data.get("name") or {}).get(get_language()) or (data.get("name") or {}).get("en") or pid
        out[pid] = (str(name), [str(t.get("id")) for t in data.get("tracks") or [] if isinstance(t, dict)])
    return out


def _detected_license(root: Path) -> str | None:
    """The project's license as its files and metadata state it (a quick, licenses-only scan)."""
    from oscheck.detectors.project_license import LICENSE_FILE
    from oscheck.scan import ScanOptions, scan

    license_files = frozenset(p.name for p in root.iterdir() if p.is_file() and LICENSE_FILE.match(p.name))
    metadata = frozenset(
        n for n in ("pyproject.toml", "setup.cfg", "package.json", "Cargo.toml") if (root / n).is_file()
    )
    if not license_files and not metadata:
        return None
    result = scan(str(root), ScanOptions(only=("licenses",), only_paths=license_files | metadata, jobs=1))
    return result.declared_license


def render(fields: dict[str, Any]) -> str:
    """The declaration as YAML, in the order a person reads it, with a pointer to the docs."""
    order = ("program", "track", "license", "commercial", "models", "datasets", "contributions", "email_domains")
    body = {k: fields[k] for k in order if fields.get(k) not in (None, [], ())}
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, default_flow_style=False)
    header = (
        "# oscheck project declaration — https://github.com/oscheck/oscheck/blob/main/README.md\n"
        "# models: Hugging Face ids (org/name or org/name@revision) or folders in this repository.\n"
    )
    return header + text


@click.command("init")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--program", help=_("Program id, e.g. nipa-oss-ai-use-2026 (`oscheck init` lists them)."))
@click.option("--track", help=_("Track of the program."))
@click.option("--license", "license_", help=_("The project's own license as an SPDX expression (default: detected)."))
@click.option(
    "--model", "models", multiple=True, help=_("A model the project uses: Hub id[@revision] or folder (repeatable).")
)
@click.option("--dataset", "datasets", multiple=True, help=_("A dataset the project uses (repeatable)."))
@click.option("--contribution", "contributions", multiple=True, help=_("An upstream contribution URL (repeatable)."))
@click.option("--email-domain", "email_domains", multiple=True, help=_("The grantee's own e-mail domain (repeatable)."))
@click.option("--force", is_flag=True, help=_("Overwrite an existing declaration."))
@click.option("--no-input", is_flag=True, help=_("Ask nothing; use the flags and what was detected."))
def init_command(
    path: Path,
    program: str | None,
    track: str | None,
    license_: str | None,
    models: tuple[str, ...],
    datasets: tuple[str, ...],
    contributions: tuple[str, ...],
    email_domains: tuple[str, ...],
    force: bool,
    no_input: bool,
) -> None:
    """Write .oscheck.yml: the program, track, license and models of this project."""
    if not path.is_dir():
        raise InputError(_("{path}: no such folder", path=path))
    existing = next((path / n for n in CONFIG_FILENAMES if (path / n).exists()), None)
    if existing is not None and not force:
        raise InputError(_("{path} exists already; use --force to replace it", path=existing))
    programs = _programs()
    interactive = not no_input
    if program is None and interactive:
        click.echo(_("Programs:"))
        for pid, (name, _tracks) in programs.items():
            click.echo(f"  {pid:<34} {name}")
        program = click.prompt(_("Program id (empty: none)"), default="", show_default=False) or None
    if program is not None and program not in programs:
        raise InputError(
            _("unknown program '{program}'; known programs: {known}", program=program, known=", ".join(programs))
        )
    tracks = programs[program][1] if program else []
    if program and track is None:
        if len(tracks) == 1:
            track = tracks[0]
        elif interactive:
            track = click.prompt(_("Track"), type=click.Choice(tracks))
    if license_ is None:
        license_ = _detected_license(path)
        if interactive:
            license_ = click.prompt(_("The project's license (SPDX expression)"), default=license_ or "Apache-2.0")
    model_list = list(models)
    if not model_list and interactive:
        typed = click.prompt(_("Models used, comma-separated (empty: none)"), default="", show_default=False)
        model_list = [m.strip() for m in typed.split(",") if m.strip()]
    text = render(
        {
            "program": program,
            "track": track,
            "license": license_,
            "models": model_list,
            "datasets": list(datasets),
            "contributions": list(contributions),
            "email_domains": list(email_domains),
        }
    )
    try:
        parse_declaration_text(text, ".oscheck.yml")
    except ConfigError as exc:
        raise InputError(exc.message) from None
    target = path / ".oscheck.yml"
    target.write_text(text, encoding="utf-8")
    click.echo(_("wrote {path}", path=target))
