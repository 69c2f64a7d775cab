from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from vigie.ingestion import landing
from vigie.ingestion.generator import daily_counts, generate
from vigie.ingestion.generator.calibration import YEARLY_INVOICES


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    root = tmp_path_factory.mktemp("landing")
    summary = generate(root, date(2020, 3, 1), date(2020, 5, 31), scale=0.0001, seed=11)
    tables = {t: landing.scan_table(root, t).collect() for t in summary.rows}
    return root, summary, tables


def test_daily_counts_of_a_full_year_add_up_to_the_calibrated_total():
    counts = daily_counts(date(2020, 1, 1), date(2020, 12, 31), lambda y: YEARLY_INVOICES[y])
    assert sum(counts.values()) == 54_562_304
    assert len(counts) == 366
    # first week of the month peaks; the spring 2020 lockdown dips
    assert counts[date(2020, 2, 3)] > counts[date(2020, 2, 17)]
    assert counts[date(2020, 4, 14)] < counts[date(2020, 2, 18)]


def test_generation_is_deterministic_for_a_seed(tmp_path):
    a = generate(tmp_path / "a", date(2020, 1, 6), date(2020, 1, 8), scale=0.0002, seed=3)
    b = generate(tmp_path / "b", date(2020, 1, 6), date(2020, 1, 8), scale=0.0002, seed=3)
    assert dict(a.rows) == dict(b.rows)
    for table in a.rows:
        fa = landing.scan_table(tmp_path / "a", table).collect()
        fb = landing.scan_table(tmp_path / "b", table).collect()
        assert fa.equals(fb), table


def test_invoices_reference_existing_structures(history):
    _, _, t = history
    ids = set(t["structures"].get_column("structure_id"))
    inv = t["invoices"]
    assert set(inv.get_column("supplier_structure_id")) <= ids
    assert set(inv.get_column("recipient_structure_id")) <= ids
    assert set(t["invoice_status_events"].get_column("invoice_id")) <= set(
        inv.get_column("invoice_id")
    )
    assert set(t["invoice_vat_lines"].get_column("invoice_id")) == set(inv.get_column("invoice_id"))


def test_gross_equals_net_plus_vat_per_invoice_and_per_vat_breakdown(history):
    _, _, t = history
    inv = t["invoices"]
    assert inv.filter(
        pl.col("total_incl_vat") != pl.col("total_excl_vat") + pl.col("total_vat")
    ).is_empty()
    sums = (
        t["invoice_vat_lines"]
        .group_by("invoice_id")
        .agg(pl.col("taxable_amount").sum().alias("base"), pl.col("tax_amount").sum().alias("tax"))
    )
    joined = inv.join(sums, on="invoice_id")
    assert joined.height == inv.height
    assert joined.filter(
        (pl.col("base") != pl.col("total_excl_vat")) | (pl.col("tax") != pl.col("total_vat"))
    ).is_empty()
    line = t["invoice_vat_lines"].row(0, named=True)
    expected_tax = (line["taxable_amount"] * line["vat_rate"] / 100).quantize(Decimal("0.01"))
    assert abs(line["tax_amount"] - expected_tax) <= Decimal("0.01")


def test_no_event_precedes_its_invoice_deposit_and_every_invoice_was_made_available(history):
    _, _, t = history
    ev = t["invoice_status_events"].join(
        t["invoices"].select("invoice_id", "deposited_at"), on="invoice_id"
    )
    assert ev.filter(pl.col("occurred_at") < pl.col("deposited_at")).is_empty()
    first = ev.sort("occurred_at").group_by("invoice_id").first()
    assert set(first.get_column("status_code")) == {"DEPOSEE"}
    made_available = ev.filter(pl.col("status_code") == "MISE_A_DISPOSITION")
    assert made_available.get_column("invoice_id").n_unique() == t["invoices"].height


def test_no_event_lies_after_the_end_of_the_history(history):
    root, _, _ = history
    days = [p.parent.name for p in landing.list_files(root, "invoice_status_events")]
    assert max(days) <= "date=2020-05-31"


def test_structures_carry_valid_sirets(history):
    _, _, t = history
    sirets = t["structures"].get_column("siret").to_list()
    assert all(len(s) == 14 and _luhn_ok(s) for s in sirets)
    assert len(set(sirets)) == len(sirets)


def test_generated_refusals_use_codes_of_the_platform_rule_catalogue():
    from vigie.ingestion.generator.history import REFUSAL_RULES
    from vigie.platform.rules import RULES

    assert set(REFUSAL_RULES) <= set(RULES)
