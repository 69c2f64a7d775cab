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


EREPORTING_SQL = """
select declarant_siren, declarant_role, report_kind, period_start_date, period_end_date,
    declarant_name, vat_regime, invoice_record_count, aggregate_record_count, taxable_amount,
    tax_amount, received_amount, platform_deadline_date, administration_deadline_at
from reports.rpt_ereporting_transmissions
order by declarant_siren, period_start_date, report_kind
"""


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def ereporting_transmissions(snapshot_id: str, snapshot_path: str) -> pl.DataFrame:
    with duckdb.connect(snapshot_path, read_only=True) as con:
        return con.execute(EREPORTING_SQL).pl()


def with_export_status(transmissions: pl.DataFrame, settings) -> pl.DataFrame:
    """Adds the export status of each transmission: built, exported or rectified."""
    from vigie.orchestration.ereporting.export import status_by_period

    latest = status_by_period(settings)
    keys = transmissions.select(
        "declarant_siren", "declarant_role", "report_kind",
        pl.col("period_start_date").cast(pl.String),
    ).rows()  # fmt: skip
    return transmissions.with_columns(
        pl.Series("status", [latest.get(k, {}).get("status", "built") for k in keys]),
        pl.Series("transmission_id", [latest.get(k, {}).get("transmission_id") for k in keys],
                  dtype=pl.String),
    )  # fmt: skip


def ereporting_table(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The transmissions of one declarant for display, with labelled columns."""
    from vigie.dashboards.i18n import t

    return rows.select(
        pl.col("report_kind").replace_strict(
            {k: t(f"er_{k}", lang) for k in ("transactions", "payments")}
        ).alias(t("er_kind", lang)),
        pl.col("period_start_date").alias(t("er_period_start", lang)),
        pl.col("period_end_date").alias(t("er_period_end", lang)),
        (pl.col("invoice_record_count") + pl.col("aggregate_record_count")).alias(
            t("er_records", lang)
        ),
        pl.col("taxable_amount").alias(t("er_taxable", lang)),
        pl.col("tax_amount").alias(t("er_vat", lang)),
        pl.col("received_amount").alias(t("er_received", lang)),
        pl.col("platform_deadline_date").alias(t("er_deadline", lang)),
        pl.col("administration_deadline_at")
        .dt.convert_time_zone("Europe/Paris")
        .dt.strftime("%d/%m/%Y %H:%M")
        .alias(t("er_admin_deadline", lang)),
        pl.col("status").replace_strict(
            {s: t(f"er_status_{s}", lang) for s in ("built", "exported", "rectified")}
        ).alias(t("er_status", lang)),
        pl.col("transmission_id").alias(t("er_transmission_id", lang)),
    )  # fmt: skip


@st.cache_data(ttl="10m", max_entries=32, show_spinner=False)
def transmission_xml(
    snapshot_id: str,
    snapshot_path: str,
    declarant: str,
    kind: str,
    period_start,
    last_export: str | None,
) -> tuple[bytes, list[str]]:
    """The XML of one transmission as the next export would write it, and its findings
    (cached per snapshot, selection and last export of the period)."""
    from pathlib import Path

    from vigie.orchestration.ereporting.export import find_planned, preview
    from vigie.platform.settings import get_settings

    planned = find_planned(Path(snapshot_path), declarant, kind, period_start)
    return preview(get_settings(), Path(snapshot_path), planned)
