"""The warehouse counts exactly what landed, and the payment-delay mart holds its invariants."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from vigie.ingestion import landing

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _landed_invoices(settings) -> pl.DataFrame:
    # the hub's activity, as the reports count it (B2Bi invoices are e-reporting records)
    frame = (
        landing.scan_table(settings.landing_dir, "invoices")
        .filter(pl.col("scope") == "B2G")
        .collect()
    )
    latest = frame.sort("updated_at").unique("invoice_id", keep="last")
    return latest.with_columns(
        pl.col("deposited_at")
        .dt.convert_time_zone("Europe/Paris")
        .dt.date()
        .dt.truncate("1mo")
        .alias("month_start_date")
    )


@pytest.mark.parametrize("breakdown", ["channel", "billing_framework", "syntax"])
def test_bilan_monthly_counts_exactly_what_landed(demo_home, breakdown):
    landed = (
        _landed_invoices(demo_home)
        .group_by("month_start_date", breakdown)
        .len("invoice_count")
        .rename({breakdown: "breakdown_value"})
        .sort("month_start_date", "breakdown_value")
    )
    with duckdb.connect(str(demo_home.warehouse_path), read_only=True) as con:
        reported = con.execute(
            "select month_start_date, breakdown_value, invoice_count"
            " from reports.rpt_bilan_monthly where breakdown = ?"
            " order by month_start_date, breakdown_value",
            [breakdown],
        ).pl()
    assert reported.with_columns(pl.col("invoice_count").cast(pl.UInt32)).equals(
        landed.with_columns(pl.col("invoice_count").cast(pl.UInt32))
    )


def test_bilan_yearly_totals_match_the_monthly_report_and_the_landing_zone(demo_home):
    landed = _landed_invoices(demo_home)
    with duckdb.connect(str(demo_home.warehouse_path), read_only=True) as con:
        yearly = dict(
            con.execute("select year, invoice_count from reports.rpt_bilan_yearly").fetchall()
        )
        works = dict(
            con.execute("select year, works_invoice_count from reports.rpt_bilan_yearly").fetchall()
        )
    by_year = landed.group_by(pl.col("month_start_date").dt.year().alias("y")).len()
    assert yearly == dict(zip(by_year["y"], by_year["len"], strict=True))
    a19 = (
        landed.filter(pl.col("billing_framework") == "A19")
        .group_by(pl.col("month_start_date").dt.year().alias("y"))
        .len()
    )
    assert {y: n for y, n in works.items() if n} == dict(zip(a19["y"], a19["len"], strict=True))


def test_payment_delays_are_consistent_for_every_paid_invoice(demo_home):
    with duckdb.connect(str(demo_home.warehouse_path), read_only=True) as con:
        bad = con.execute(
            """
            select count(*) from marts.fct_payment_delays
            where payment_status = 'paid' and (
                days_late != greatest(0, date_diff('day', due_date, payment_date))
                or (days_late > 0) != (recovery_indemnity_eur = 40)
                or abs(late_interest_eur - coalesce(
                    amount_incl_vat * interest_rate_pct / 100 * days_late / 365, 0)) > 0.005
                or observed_delay_days != date_diff('day', receipt_date, payment_date)
            )
            """
        ).fetchone()[0]
        paid = con.execute(
            "select count(*) from marts.fct_payment_delays where payment_status = 'paid'"
        ).fetchone()[0]
    assert paid > 0 and bad == 0


@pytest.mark.long
def test_bench_build_prints_seconds_memory_and_counts(vigie_cli, demo_home, tmp_path):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(demo_home.home, home)
    proc = vigie_cli(["bench", "build"], home)
    assert proc.returncode == 0, proc.stderr
    with duckdb.connect(str(demo_home.warehouse_path), read_only=True) as con:
        invoices = con.execute("select count(*) from marts.fct_invoices").fetchone()[0]
    assert proc.stdout.startswith("bench build (duckdb): ")
    assert "landing check and publication" in proc.stdout
    assert "peak RSS dbt" in proc.stdout and f"{invoices:,} invoices" in proc.stdout


@pytest.mark.long
def test_bench_build_at_a_scale_builds_a_generated_year_in_a_scratch_home(vigie_cli, tmp_path):
    home = tmp_path / "home"
    proc = vigie_cli(["bench", "build", "--engine", "duckdb", "--scale", "0.0001"], home)
    assert proc.returncode == 0, proc.stderr
    generated, built = proc.stdout.splitlines()
    invoices = generated.split(": ")[2].split(" invoices")[0]
    assert generated.startswith("bench build: generated 2020 at scale 0.0001: ")
    # the year built is the year generated, and neither is left behind
    assert built.startswith("bench build (duckdb): ") and f"; {invoices} invoices" in built
    assert not home.exists()
    assert not Path(built.rsplit(" → ", 1)[1]).exists()
