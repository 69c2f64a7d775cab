from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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
    summary = generate(root, date(2020, 3, 1), date(2020, 4, 30), scale=0.0001, seed=11)
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
    b2g = inv.filter(pl.col("scope") == "B2G")
    assert set(b2g.get_column("recipient_structure_id")) <= ids
    # international invoices have no recipient on the platform, a foreign buyer instead
    b2bi = inv.filter(pl.col("scope") == "B2Bi")
    assert b2bi.height > 0 and b2bi.get_column("recipient_structure_id").null_count() == b2bi.height
    assert b2bi.get_column("buyer_identifier").null_count() == 0
    assert set(b2bi.get_column("buyer_country_code")).isdisjoint({"FR"})
    assert set(inv.get_column("scope")) == {"B2G", "B2Bi"}
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
    made_available = set(
        ev.filter(pl.col("status_code") == "MISE_A_DISPOSITION").get_column("invoice_id")
    )
    refused = set(ev.filter(pl.col("status_code") == "REFUSEE_1").get_column("invoice_id"))
    last = (
        ev.sort("occurred_at", "event_id").group_by("invoice_id").agg(pl.col("status_code").last())
    )
    waiting = set(last.filter(pl.col("status_code") == "A_VALIDER_1").get_column("invoice_id"))
    b2g = t["invoices"].filter(pl.col("scope") == "B2G")
    assert made_available | refused | waiting == set(b2g.get_column("invoice_id"))
    assert not made_available & refused


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


def test_every_status_path_is_legal_for_the_lifecycle(history):
    from vigie.platform.lifecycle import legal_pairs

    _, _, t = history
    allowed = pl.DataFrame(
        list(legal_pairs()), schema={"previous": pl.String, "status_code": pl.String}, orient="row"
    )
    pairs = (
        t["invoice_status_events"]
        .sort("invoice_id", "occurred_at", "event_id")
        .with_columns(pl.col("status_code").shift(1).over("invoice_id").alias("previous"))
        .select("invoice_id", "previous", "status_code")
    )
    illegal = pairs.join(allowed, on=["previous", "status_code"], how="anti", nulls_equal=True)
    assert illegal.is_empty(), illegal.head()


def test_works_chains_link_a4_a15_a19_and_only_a19_is_paid(history):
    _, _, t = history
    inv = t["invoices"]
    a19 = inv.filter(pl.col("billing_framework") == "A19")
    assert a19.height > 0
    heads = inv.filter(pl.col("billing_framework") == "A4").select(
        pl.col("invoice_number").alias("original_invoice_number"),
        pl.col("deposited_at").alias("a4_at"),
        pl.col("recipient_structure_id").alias("a4_recipient"),
    )
    linked = a19.join(heads, on="original_invoice_number")
    assert (
        linked.height
        == a19.filter(
            pl.col("original_invoice_number").is_in(
                heads.get_column("original_invoice_number").implode()
            )
        ).height
    )
    assert linked.filter(pl.col("deposited_at") <= pl.col("a4_at")).is_empty()
    assert (linked.get_column("recipient_structure_id") == linked.get_column("a4_recipient")).all()
    paid = t["invoice_status_events"].filter(pl.col("status_code") == "MISE_EN_PAIEMENT")
    paid_frameworks = set(
        inv.filter(pl.col("invoice_id").is_in(paid.get_column("invoice_id").implode())).get_column(
            "billing_framework"
        )
    )
    assert not paid_frameworks & {"A4", "A15", "A2"}
    assert "A19" in paid_frameworks


def test_subcontractor_invoices_wait_for_their_valideur(history):
    _, _, t = history
    ids = t["invoices"].filter(pl.col("billing_framework").is_in(["A9", "A12"]))
    ev = t["invoice_status_events"].filter(
        pl.col("invoice_id").is_in(ids.get_column("invoice_id").implode())
    )
    second = (
        ev.sort("occurred_at", "event_id").group_by("invoice_id").agg(pl.col("status_code").get(1))
    )
    assert set(second.get_column("status_code")) == {"A_VALIDER_1"}
    others = t["invoice_status_events"].filter(pl.col("status_code") == "A_VALIDER_1")
    assert set(others.get_column("invoice_id")) <= set(ids.get_column("invoice_id"))


def test_factored_invoices_and_credit_notes_are_present(history):
    _, _, t = history
    codes = t["invoices"].get_column("type_code").value_counts()
    assert {"380", "381", "393"} <= set(codes.get_column("type_code"))


def test_ereporting_records_hold_their_invariants(history):
    """Declarants have a VAT regime; B2C summaries and payments reference them; B2C VAT is
    the rate applied to the base; 10.2 payments are of B2Bi invoices, after their issue."""
    _, _, t = history
    structures = t["structures"]
    private = structures.filter(~pl.col("is_public"))
    assert private.get_column("vat_regime").null_count() == 0
    assert set(private.get_column("vat_regime")) <= {
        "reel_normal_mensuel",
        "reel_normal_trimestriel",
        "reel_simplifie",
        "franchise",
    }
    assert structures.filter(pl.col("is_public")).get_column("vat_regime").null_count() == (
        structures.filter(pl.col("is_public")).height
    )
    sales = t["b2c_sales"]
    assert sales.height > 0
    assert set(sales.get_column("declarant_structure_id")) <= set(
        private.get_column("structure_id")
    )
    assert set(sales.get_column("category_code")) <= {"TLB1", "TPS1", "TNT1", "TMA1"}
    for row in sales.head(50).iter_rows(named=True):
        exact = row["taxable_amount"] * row["vat_rate"] / 100
        assert row["tax_amount"] == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    pays = t["payments"]
    inv = t["invoices"]
    linked = pays.filter(pl.col("invoice_id").is_not_null()).join(
        inv.select("invoice_id", "scope", "issue_date", "total_incl_vat"), on="invoice_id"
    )
    assert linked.height == pays.filter(pl.col("invoice_id").is_not_null()).height > 0
    assert set(linked.get_column("scope")) == {"B2Bi"}
    assert linked.filter(pl.col("payment_date") <= pl.col("issue_date")).is_empty()
    assert linked.filter(pl.col("amount_incl_vat") != pl.col("total_incl_vat")).is_empty()
    assert set(pays.filter(pl.col("invoice_id").is_null()).get_column("scope")) == {"B2C"}
