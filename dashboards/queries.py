"""Read-only questions to the current serving snapshot, one function per question.

Each function takes plain, hashable arguments (the snapshot id and path included, so a
new publication is a new cache key) and opens its own read-only connection.
"""

from __future__ import annotations

import duckdb
import polars as pl
import streamlit as st

MONTHLY_VOLUMES_SQL = """
select month_start_date, year, month, invoice_count
from reports.rpt_monthly_volumes
order by month_start_date
"""


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def monthly_volumes(snapshot_id: str, snapshot_path: str) -> pl.DataFrame:
    with duckdb.connect(snapshot_path, read_only=True) as con:
        return con.execute(MONTHLY_VOLUMES_SQL).pl()


def year_summary(monthly: pl.DataFrame, year: int) -> dict[str, float | int | None]:
    """Invoices of ``year``, of the year before, and the change (None without a base)."""
    totals = dict(monthly.group_by("year").agg(pl.col("invoice_count").sum()).iter_rows())
    current, previous = totals.get(year, 0), totals.get(year - 1)
    growth = (current - previous) / previous if previous else None
    months = monthly.filter(pl.col("year") == year).height
    return {"invoices": current, "previous": previous, "growth": growth, "months": months}


def monthly_table(monthly: pl.DataFrame, year: int, month_names: list[str],
                  columns: tuple[str, str]) -> pl.DataFrame:  # fmt: skip
    """The months of ``year`` for display: month name and invoices, labelled columns."""
    return monthly.filter(pl.col("year") == year).select(
        pl.col("month")
        .replace_strict(dict(enumerate(month_names, start=1)), return_dtype=pl.String)
        .alias(columns[0]),
        pl.col("invoice_count").alias(columns[1]),
    )  # fmt: skip


def year_over_year(monthly: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per month of ``year`` and ``year - 1``: month number, year, invoices."""
    return monthly.filter(pl.col("year").is_in([year, year - 1])).select(
        "month", "year", "invoice_count"
    )
