"""``oscheck licenses explain EXPR`` and ``oscheck licenses check --inbound … --outbound …``.

Exit codes of ``check``: 0 compatible, 1 incompatible, 4 needs a human review, 2 for an
unknown or malformed expression (one line on stderr).
"""

from __future__ import annotations

import json
import sys

import click

from oscheck.errors import ExitCode
from oscheck.i18n import _, get_language
from oscheck.model import JsonValue
from oscheck.policy.licensing import Classification, classify
from oscheck.policy.licensing.compat import Compatibility, CompatibilityResult, UseContext, check, load_compat
from oscheck.policy.load import load_policy
from oscheck.policy.programs import program_track

_EXIT = {
    Compatibility.COMPATIBLE: ExitCode.OK,
    Compatibility.INCOMPATIBLE: ExitCode.FINDINGS,
    Compatibility.REVIEW: ExitCode.REVIEW,
}


@click.group("licenses")
def licenses_group() -> None:
    """Classify license expressions and check their compatibility."""


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def explain_dict(c: Classification) -> dict[str, JsonValue]:
    """The JSON form of ``licenses explain``."""
    lang = get_language()
    asks = load_compat(load_policy()).categories.get(c.category)
    return {
        "expression": c.expression,
        "category": c.category.value,
        "osi_approved": c.osi_approved,
        "fsf_free": c.fsf_free,
        "chosen": c.chosen,
        "asks": asks.get(lang) if asks else None,
        "conditions": [x.get(lang) for x in c.conditions()],
        "unknown": list(c.unknown),
        "licenses": [
            {
                "key": i.key,
                "spdx": i.spdx,
                "name": i.name,
                "category": i.category.value,
                "osi_approved": i.osi_approved,
                "fsf_free": i.fsf_free,
                "scancode_category": i.scancode_category,
                "decision": i.basis,
                "source": i.source,
            }
            for i in c.licenses
        ],
        "exceptions": [{"key": e.key, "spdx": e.spdx, "name": e.name} for e in c.exceptions],
    }


@licenses_group.command("explain")
@click.argument("expression")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain_command(expression: str, fmt: str) -> None:
    """Explain EXPRESSION: category, OSI status, restrictions, what it asks of you."""
    data = explain_dict(classify(expression))
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['expression']}")
    click.echo(_("  category: {category}", category=data["category"]))
    click.echo(
        _(
            "  OSI-approved: {osi}   FSF free: {fsf}",
            osi=_yes(bool(data["osi_approved"])),
            fsf=_yes(bool(data["fsf_free"])),
        )
    )
    if data["chosen"]:
        click.echo(_("  judged by the branch you may choose: {chosen}", chosen=data["chosen"]))
    if data["asks"]:
        click.echo(_("  what it asks of you: {asks}", asks=data["asks"]))
    for cond in data["conditions"]:
        click.echo(f"    - {cond}")
    if data["unknown"]:
        click.echo(_("  unknown (a person must read them): {ids}", ids=", ".join(data["unknown"])))
    for lic in data["licenses"]:
        click.echo(
            _(
                "  {spdx} — {name} (scancode key {key}; {category}; OSI {osi}, FSF {fsf})",
                spdx=lic["spdx"],
                name=lic["name"],
                key=lic["key"],
                category=lic["category"],
                osi=_yes(bool(lic["osi_approved"])),
                fsf=_yes(bool(lic["fsf_free"])),
            )
        )
        if lic["source"]:
            click.echo(_("      decision: {source}", source=lic["source"]))
    for exc in data["exceptions"]:
        click.echo(_("  exception {spdx} — {name}", spdx=exc["spdx"], name=exc["name"]))


def render_check(result: CompatibilityResult) -> str:
    """The text form of ``licenses check``."""
    lang = get_language()
    ctx = load_compat(load_policy()).contexts.get(result.context)
    lines = [
        _("verdict: {verdict}", verdict=result.verdict.value),
        _(
            "  {inbound} in a {outbound} project, {context}, {use}",
            inbound=result.inbound,
            outbound=result.outbound,
            context=ctx.get(lang) if ctx else result.context.value,
            use=_("commercial use") if result.commercial else _("non-commercial use"),
        ),
    ]
    if result.chosen_inbound or result.chosen_outbound:
        lines.append(
            _(
                "  chosen: inbound {inbound}, outbound {outbound}",
                inbound=result.chosen_inbound or "-",
                outbound=result.chosen_outbound or "-",
            )
        )
    lines.append(_("  why:"))
    for r in result.reasons:
        lines.append(f"    - [{r.rule}] {r.message.get(lang)}")
        lines.append(_("      source: {source}", source=r.source))
    if result.conditions:
        lines.append(_("  conditions:"))
        lines += [f"    - {c.get(lang)}" for c in result.conditions]
    if result.fixes:
        lines.append(_("  how to fix:"))
        lines += [f"    - {t.get(lang)}" for t in result.fix_texts()]
    return "\n".join(lines) + "\n"


@licenses_group.command("check")
@click.option("--inbound", required=True, help=_("License expression of what is used (SPDX, scancode key, HF tag)."))
@click.option("--outbound", required=True, help=_("The project's license expression."))
@click.option(
    "--context",
    type=click.Choice([c.value for c in UseContext]),
    default=UseContext.COMBINED.value,
    show_default=True,
    help=_("How the inbound material is used."),
)
@click.option(
    "--commercial/--non-commercial",
    default=None,
    help=_("Whether the use is commercial (default: policy.yaml default_commercial)."),
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check_command(inbound: str, outbound: str, context: str, commercial: bool | None, fmt: str) -> None:
    """May a project under OUTBOUND use INBOUND material? Exit 0 compatible, 1 incompatible, 4 review."""
    policy = load_policy()
    if commercial is None:
        commercial = program_track(policy, None, None).commercial
    result = check(inbound, outbound, UseContext(context), commercial, policy)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_check(result), nl=False)
    sys.exit(int(_EXIT[result.verdict]))
