"""What the commands share: date options, a progress bar, the snapshot to export from."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import click


def parse_day(_ctx, _param, value):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def progress_bar(total_days: int):
    """A progress bar on stderr when it is a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total_days, unit="day", file=sys.stderr, leave=False)
    return (lambda _day: bar.update(1)), bar.close


def snapshot_to_export(settings):
    from vigie.platform.contracts.serving import current_snapshot

    snapshot = current_snapshot(settings)
    if snapshot is None:
        raise click.ClickException("no serving snapshot yet: run `vigie pipeline run` first")
    return snapshot


#: where ``vigie demo`` and ``vigie serve`` serve
_SERVING_OPTIONS = (
    click.option("--host", default="127.0.0.1", show_default=True),
    click.option("--api-port", default=8000, show_default=True),
    click.option("--dagster-port", default=3000, show_default=True),
    click.option("--dashboards-port", default=8501, show_default=True),
    click.option(
        "--sign-in-port",
        default=9400,
        show_default=True,
        help="Port of the local OIDC provider the dashboards sign in with (not started when"
        " VIGIE_DASHBOARD_SECRETS names a production provider).",
    ),
)


def serving_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--host`` and the four ports of the services, in this order in ``--help``."""
    for option in reversed(_SERVING_OPTIONS):
        command = option(command)
    return command
