"""Daily partitions of the warehouse: one per landing day (the event date), Paris time.

The partition of a day names the landing days its run (re)loads; a range of partitions —
a backfill from the UI or ``vigie pipeline backfill`` — runs as one dbt build over the range.
Today's partition exists (``end_offset=1``) so that a file dropped in the EDI inbox is loaded
the same day; the morning schedule builds yesterday's.
"""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

from vigie.platform.paris import PARIS, today_in_paris

__all__ = ["PARIS", "landing_days", "landing_window", "today_in_paris"]

#: Chorus Pro opened on 1 January 2017
FIRST_LANDING_DAY = "2017-01-01"

landing_days = dg.DailyPartitionsDefinition(
    start_date=FIRST_LANDING_DAY, timezone="Europe/Paris", end_offset=1, fmt="%Y-%m-%d"
)


def landing_window(window: dg.TimeWindow) -> tuple[date, date]:
    """The first and the last landing day of a partition time window (its end is exclusive)."""
    return window.start.date(), (window.end - timedelta(days=1)).date()
