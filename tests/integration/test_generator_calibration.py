"""A whole year at scale 0.01 matches the published figures it is calibrated on."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from vigie.ingestion import landing
from vigie.ingestion.generator import calibration as cal
from vigie.ingestion.generator import generate

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.long]
SCALE = 0.01


@pytest.fixture(scope="module")
def year_2020(tmp_path_factory):
    root = tmp_path_factory.mktemp("landing2020")
    summary = generate(root, date(2020, 1, 1), date(2020, 12, 31), scale=SCALE, seed=7)
    tables = {t: landing.scan_table(root, t) for t in summary.rows}
    return summary, tables


def _within(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance * target


def test_yearly_invoices_match_the_published_count_within_half_a_percent(year_2020):
    _, t = year_2020
    # Chorus Pro's published count: invoices to public recipients (the B2Bi invoices are
    # e-reporting records added on top)
    b2g = t["invoices"].filter(pl.col("scope") == "B2G").select(pl.len()).collect().item()
    assert _within(b2g, 54_562_304 * SCALE, 0.005)


def test_new_structures_and_users_of_2020_match_the_activity_report(year_2020):
    _, t = year_2020
    created_2020 = pl.col("created_at").dt.convert_time_zone("Europe/Paris").dt.year() == 2020
    structures = t["structures"].filter(created_2020).collect()
    public = structures.filter(pl.col("is_public")).height
    assert _within(structures.height, 307_337 * SCALE, 0.01)
    assert _within(public, 3_209 * SCALE, 0.05)
    users = t["users"].collect()
    assert _within(users.filter(created_2020).height, 360_518 * SCALE, 0.01)
    assert _within(users.height, 1_098_257 * SCALE, 0.01)


def test_support_requests_split_between_assistant_and_humans(year_2020):
    _, t = year_2020
    sol = t["solicitations"].collect()
    assert _within(sol.height, (920_353 + 240_798) * SCALE, 0.005)
    assistant = sol.filter(pl.col("channel") == "assistant").height / sol.height
    assert abs(assistant - 0.79) < 0.01


def test_works_invoices_and_channel_mix_follow_the_figures(year_2020):
    _, t = year_2020
    inv = t["invoices"].select("billing_framework", "channel").collect()
    assert _within(
        inv.filter(pl.col("billing_framework") == "A19").height,
        cal.WORKS_INVOICES[2020] * SCALE,
        0.03,
    )
    shares = inv.get_column("channel").value_counts(normalize=True)
    share = dict(zip(shares.get_column("channel"), shares.get_column("proportion"), strict=True))
    assert abs(share["edi"] - 0.50) < 0.02
    assert abs(share["api"] - 0.14) < 0.02
    assert abs(share["portal"] - 0.36) < 0.02


def test_no_invoice_before_its_structures_were_created(year_2020):
    _, t = year_2020
    structures = t["structures"].select("structure_id", "created_at")
    inv = t["invoices"].select("supplier_structure_id", "recipient_structure_id", "deposited_at")
    for column in ("supplier_structure_id", "recipient_structure_id"):
        early = inv.join(structures, left_on=column, right_on="structure_id").filter(
            pl.col("deposited_at") < pl.col("created_at")
        )
        assert early.collect().is_empty(), column


def test_rejected_invoices_come_back_at_the_calibrated_rate_after_their_rejection(year_2020):
    _, t = year_2020
    invoices = (
        t["invoices"]
        .filter(pl.col("scope") == "B2G")
        .select(
            "invoice_id",
            "supplier_structure_id",
            "recipient_structure_id",
            "total_incl_vat",
            "deposited_at",
            "billing_framework",
        )
        .collect()
    )
    again = invoices.filter(pl.col("invoice_id").str.ends_with("R"))
    rejections = (
        t["invoice_status_events"]
        .filter(pl.col("status_code") == "REJETEE")
        .select("invoice_id", "reason_code", pl.col("occurred_at").alias("rejected_at"))
        .collect()
    )
    # a rejection of an ordinary document, for a reason that calls for a new deposit, early
    # enough in the year for the new one to land in it
    eligible = rejections.join(invoices, on="invoice_id").filter(
        ~pl.col("billing_framework").is_in(["A4", "A15", "A19"])
        & ~pl.col("reason_code").is_in(cal.REDEPOSIT_NOT_AFTER)
        & (pl.col("rejected_at").dt.date() < date(2020, 12, 10))
        & ~pl.col("invoice_id").str.ends_with("R")
    )
    pairs = (
        again.with_columns(pl.col("invoice_id").str.strip_suffix("R").alias("first_id"))
        .join(invoices, left_on="first_id", right_on="invoice_id", suffix="_first")
        .join(rejections, left_on="first_id", right_on="invoice_id")
    )
    came_back = eligible.join(pairs, left_on="invoice_id", right_on="first_id", how="semi")
    assert abs(came_back.height / eligible.height - cal.REDEPOSIT_AFTER_REJECTION_SHARE) < 0.03
    # each new one has the parties and the amount of the rejected one, deposited after it
    # was rejected for a reason that calls for it
    assert pairs.height == again.height
    assert pairs.filter(
        (pl.col("supplier_structure_id") != pl.col("supplier_structure_id_first"))
        | (pl.col("recipient_structure_id") != pl.col("recipient_structure_id_first"))
        | (pl.col("total_incl_vat") != pl.col("total_incl_vat_first"))
        | (pl.col("deposited_at") <= pl.col("rejected_at"))
        | pl.col("reason_code").is_in(cal.REDEPOSIT_NOT_AFTER)
    ).is_empty()
    days = (pl.col("deposited_at").dt.date() - pl.col("rejected_at").dt.date()).dt.total_days()
    # 1 to 15 days after the rejection, moved past a weekend at most
    assert pairs.select(days.min()).item() >= cal.REDEPOSIT_DAYS[0]
    assert pairs.select(days.max()).item() <= cal.REDEPOSIT_DAYS[1] + 3


def test_some_b2c_sellers_send_a_months_summaries_late(year_2020):
    _, t = year_2020
    sales = t["b2c_sales"].select("declarant_structure_id", "sale_date", "received_at").collect()
    lag = (
        pl.col("received_at").dt.convert_time_zone("Europe/Paris").dt.date() - pl.col("sale_date")
    ).dt.total_days()
    late = sales.with_columns(lag.alias("lag")).filter(pl.col("lag") > 0)
    assert late.get_column("lag").min() >= cal.LATE_B2C_SUMMARY_DAYS[0]
    assert late.get_column("lag").max() <= cal.LATE_B2C_SUMMARY_DAYS[1]
    months = sales.select("declarant_structure_id", pl.col("sale_date").dt.month()).unique()
    late_months = late.select("declarant_structure_id", pl.col("sale_date").dt.month()).unique()
    share = late_months.height / months.height
    assert abs(share - cal.LATE_B2C_SUMMARY_SHARE) < 0.02, share
