"""``oscheck cache info|clear``: the content-addressed detection cache and cloned repositories."""

from __future__ import annotations

import json

import click

from oscheck.i18n import _
from oscheck.inventory import ContentCache, default_cache_dir


@click.group("cache")
def cache_group() -> None:
    """Inspect or empty the detection cache."""


@cache_group.command("info")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
def cache_info(as_json: bool) -> None:
    """Where the cache is, how big, and how many files it knows."""
    info = ContentCache(default_cache_dir()).info()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "path": str(info.path.parent),
                    "size_bytes": info.size_bytes,
                    "entries": dict(info.entries),
                    "repositories": info.repositories,
                },
                indent=2,
            )
        )
        return
    click.echo(_("cache folder: {path}", path=info.path.parent))
    click.echo(_("size: {mib} MiB", mib=round(info.size_bytes / 2**20, 1)))
    click.echo(_("cloned repositories: {n}", n=info.repositories))
    for namespace, n in sorted(info.entries.items()):
        click.echo(_("{namespace}: {n} files", namespace=namespace, n=n))


@cache_group.command("clear")
def cache_clear() -> None:
    """Forget every cached detection and cloned repository."""
    cache = ContentCache(default_cache_dir())
    cache.clear()
    click.echo(_("cleared {path}", path=cache.cache_dir))
