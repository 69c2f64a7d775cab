"""Legal time: delays and dates of the hub are counted in Europe/Paris."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def today_in_paris(now: datetime | None = None) -> date:
    """The calendar day in Paris at ``now`` (default: this instant)."""
    return (now or datetime.now(PARIS)).astimezone(PARIS).date()
