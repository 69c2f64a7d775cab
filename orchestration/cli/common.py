"""What the commands share: date options, a progress bar, the snapshot to export from."""

from __future__ import annotations

import sys
from datetime import date

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
