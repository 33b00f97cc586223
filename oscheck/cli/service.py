"""``oscheck service status|stop``: the background process that keeps scancode's index warm."""

from __future__ import annotations

import click

from oscheck.detectors.scancode_service import ScancodeService
from oscheck.i18n import _
from oscheck.inventory import default_cache_dir


@click.group("service")
def service_group() -> None:
    """The warm license-index service that makes repeated scans fast."""


@service_group.command("status")
def service_status() -> None:
    """Whether the service runs, with its process id and workers."""
    service = ScancodeService.connect(default_cache_dir())
    if service is None:
        click.echo(_("the license-index service is not running"))
        return
    info = service.info
    service.close()
    click.echo(
        _(
            "the license-index service runs: process {pid}, {jobs} workers, socket {socket}",
            pid=info.pid,
            jobs=info.jobs,
            socket=info.socket,
        )
    )


@service_group.command("stop")
def service_stop() -> None:
    """Stop the service now (it also stops by itself after 15 idle minutes)."""
    service = ScancodeService.connect(default_cache_dir())
    if service is None:
        click.echo(_("the license-index service is not running"))
        return
    service.stop()
    click.echo(_("stopped the license-index service"))
