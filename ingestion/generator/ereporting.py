"""Synthetic e-reporting records: declarants' VAT regimes, international B2B invoices (B2Bi),
B2C daily sales and payment receipts (shared/domain/e-reporting.md §5–§6).

Every private structure is VAT-registered and gets a VAT regime (by size: large and mid-size
companies file monthly, micro-enterprises often under the franchise). A small share of them
sell to consumers (B2C daily summaries, flow 10.3) and a small share export (B2Bi invoices,
flow 10.1). Services paid on receipt give payment data: B2C receipts (10.4) and payments of
international services invoices that carry French VAT (10.2). Vectorised like the rest of
the generator: each day draws from its own stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import polars as pl

from vigie.ingestion.generator import calibration as cal
from vigie.platform.contracts.types import CENT

VAT_REGIMES = ["reel_normal_mensuel", "reel_normal_trimestriel", "reel_simplifie", "franchise"]
#: VAT regime shares by supplier size (large, intermediate, sme, micro)
REGIME_SHARES = {
    "large": [1.0, 0.0, 0.0, 0.0],
    "intermediate": [0.9, 0.1, 0.0, 0.0],
    "sme": [0.45, 0.15, 0.40, 0.0],
    "micro": [0.05, 0.05, 0.45, 0.45],
}
VAT_ON_DEBITS_SHARE = 0.15
#: share of private structures selling to consumers / exporting
B2C_SELLER_SHARE = 0.005
EXPORTER_SHARE = 0.02
#: international B2B invoices a year at scale 1.0 (order of magnitude; not a published figure)
YEARLY_B2BI_INVOICES = 600_000
#: B2C categories, the share of sellers whose main activity they are, and their VAT rates
B2C_CATEGORIES = ["TLB1", "TPS1", "TNT1", "TMA1"]
B2C_CATEGORY_SHARES = [0.70, 0.20, 0.05, 0.05]
B2C_RATES = {
    "TLB1": ["20", "5.5", "10", "2.1"],
    "TPS1": ["20", "10"],
    "TNT1": ["0"],
    "TMA1": ["20"],
}
EU_COUNTRIES = ["DE", "BE", "ES", "IT", "NL", "LU", "PT", "IE", "AT", "PL"]
NON_EU_COUNTRIES = ["GB", "CH", "US", "CA", "MA", "JP"]


def assign_regimes(rng: np.random.Generator, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(vat_regime, vat_on_debits) of private structures of the given sizes."""
    regimes = np.empty(len(sizes), dtype=object)
    for size, shares in REGIME_SHARES.items():
        mask = sizes == size
        regimes[mask] = np.array(VAT_REGIMES)[rng.choice(4, int(mask.sum()), p=shares)]
    return regimes, rng.random(len(sizes)) < VAT_ON_DEBITS_SHARE


@dataclass(frozen=True)
class Declarants:
    """Private structures active in e-reporting: B2C sellers and exporters."""

    b2c_ids: np.ndarray
    b2c_created: np.ndarray  # naive datetime64[us]
    b2c_main_category: np.ndarray  # index in B2C_CATEGORIES
    b2c_also_services: np.ndarray  # bool: also sells services (TPS1)
    b2c_on_debits: np.ndarray
    exporter_ids: np.ndarray
    exporter_created: np.ndarray
    exporter_on_debits: np.ndarray


def pick_declarants(structures: pl.DataFrame, seed: int) -> Declarants:
    rng = np.random.default_rng([seed, 7])
    private = structures.filter(~pl.col("is_public"))
    ids = private.get_column("structure_id").to_numpy()
    created = (
        private.get_column("created_at")
        .dt.convert_time_zone("Europe/Paris")
        .dt.replace_time_zone(None)
        .to_numpy()
    )
    debits = private.get_column("vat_on_debits").to_numpy()
    n = len(ids)
    b2c = np.flatnonzero(rng.random(n) < B2C_SELLER_SHARE)
    exporters = np.flatnonzero(rng.random(n) < EXPORTER_SHARE)
    # a few of each at every scale, owing VAT on receipt, so that small runs have every flow
    on_receipt = np.flatnonzero(~debits)
    if len(b2c) < 4:
        b2c = on_receipt[:4]
    if len(exporters) < 4:
        exporters = on_receipt[4:8]
    also_services = rng.random(len(b2c)) < 0.2
    also_services[0] = True
    return Declarants(
        b2c_ids=ids[b2c],
        b2c_created=created[b2c],
        b2c_main_category=rng.choice(4, len(b2c), p=B2C_CATEGORY_SHARES),
        b2c_also_services=also_services,
        b2c_on_debits=debits[b2c],
        exporter_ids=ids[exporters],
        exporter_created=created[exporters],
        exporter_on_debits=debits[exporters],
    )


def _money(cents: np.ndarray) -> pl.Series:
    """Integer cents as DECIMAL(18,2), exactly (never through a float)."""
    return pl.select(
        (
            pl.Series(cents, dtype=pl.Int64).cast(pl.Decimal(18, 0))
            * pl.lit(CENT, pl.Decimal(3, 2))
        ).cast(pl.Decimal(18, 2))
    ).to_series()


def _vat_cents(net_cents: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """VAT in cents, rounded half up, from net cents and a rate in percent (exact integers)."""
    rate_hundredths = np.round(rate * 100).astype(np.int64)
    return (net_cents * rate_hundredths + 5_000) // 10_000


def b2c_for_day(
    d: Declarants, day: date, seed: int, received_at: datetime
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The day's B2C sales summaries (one row per rate) and the receipts of services sold."""
    rng = np.random.default_rng([seed, 8, day.toordinal()])
    alive = d.b2c_created < np.datetime64(day, "us")
    selling = alive & (rng.random(len(alive)) < 0.85)
    who = np.flatnonzero(selling)
    if len(who) == 0:
        return pl.DataFrame(), pl.DataFrame()
    # (seller, category) pairs: the main activity, and services for some
    main = d.b2c_main_category[who]
    extra = who[d.b2c_also_services[who] & (main != 1)]
    pair_seller = np.concatenate([who, extra])
    pair_cat = np.concatenate([main, np.ones(len(extra), dtype=main.dtype)])
    # each pair sells at 1 to 3 of its category's rates
    rate_count = np.array([len(B2C_RATES[c]) for c in B2C_CATEGORIES])[pair_cat]
    k = np.minimum(rng.integers(1, 4, len(pair_cat)), rate_count)
    idx = np.repeat(pair_seller, k)
    cat = np.repeat(pair_cat, k)
    rank = np.arange(len(idx)) - np.repeat(np.cumsum(k) - k, k)
    table = np.array(
        [[float(r) for r in B2C_RATES[c]] + [0.0] * (4 - len(B2C_RATES[c])) for c in B2C_CATEGORIES]
    )
    rate = table[cat, rank]
    rows = idx
    count = rng.poisson(25, len(rows)) + 1
    ticket_cents = np.exp(rng.normal(np.log(2_500), 0.8, len(rows))).astype(np.int64) + 100
    net = count * ticket_cents
    vat = _vat_cents(net, rate)
    n = len(rows)
    # the sellers late this month send each day's summaries and receipts days later
    month = np.random.default_rng([seed, 12, day.year, day.month])
    low, high = cal.LATE_B2C_SUMMARY_DAYS
    late_days = np.where(
        month.random(len(alive)) < cal.LATE_B2C_SUMMARY_SHARE,
        month.integers(low, high + 1, len(alive)),
        0,
    )
    received = pl.Series([received_at] * len(rows)) + pl.Series(
        late_days[idx].astype("timedelta64[D]").astype("timedelta64[us]")
    )
    categories = pl.Series(np.array(B2C_CATEGORIES)[cat])
    summary = f"BC{day:%Y%m%d}-" + pl.Series(d.b2c_ids[idx]) + "-" + categories
    sales = pl.DataFrame(
        {
            "summary_id": summary,
            "line_number": pl.Series(np.ones(n, dtype=np.int64)),
            "declarant_structure_id": d.b2c_ids[idx],
            "sale_date": [day] * n,
            "currency_code": "EUR",
            "category_code": np.array(B2C_CATEGORIES)[cat],
            "transaction_count": count.astype(np.int64),
            "vat_rate": _money(np.round(rate * 100).astype(np.int64)).cast(pl.Decimal(5, 2)),
            "taxable_amount": _money(net),
            "tax_amount": _money(vat),
            "received_at": received,
        }
    ).with_columns(pl.col("line_number").cum_count().over("summary_id").cast(pl.Int64))
    # services paid on the day (VAT due on receipt unless the seller opted for debits)
    paid = (cat == 1) & ~d.b2c_on_debits[idx]
    p = np.flatnonzero(paid)
    payments = pl.DataFrame(
        {
            "payment_id": f"PB{day:%Y%m%d}-" + pl.Series(np.arange(len(p))).cast(pl.String),
            "declarant_structure_id": pl.Series(d.b2c_ids[idx[p]], dtype=pl.String),
            "invoice_id": pl.Series([None] * len(p), dtype=pl.String),
            "scope": "B2C",
            "payment_date": pl.Series([day] * len(p), dtype=pl.Date),
            "currency_code": "EUR",
            "vat_rate": sales.get_column("vat_rate").gather(p),
            "amount_incl_vat": _money(net[p] + vat[p]),
            "received_at": received.gather(p),
        }
    )
    return sales, payments


#: the exemption of an international invoice's VAT line, by VAT category: (BT-120, BT-121)
EXEMPTIONS = {
    "K": ("Exoneration TVA, article 262 ter I du CGI", "VATEX-EU-IC"),
    "G": ("Exoneration TVA, article 262 I du CGI", "VATEX-EU-G"),
    "AE": ("Autoliquidation", "VATEX-EU-AE"),
}


@dataclass(frozen=True)
class _B2bi:
    """The day's international invoices before they are frames (one value per invoice)."""

    ids: pl.Series
    who: np.ndarray
    kind: np.ndarray  # 0 goods, 1 services, 2 mixed
    eu: np.ndarray
    country: np.ndarray
    buyer_no: np.ndarray
    french_vat: np.ndarray
    category: np.ndarray
    rate: np.ndarray
    net: np.ndarray
    vat: np.ndarray
    credit: np.ndarray
    delivery: pl.Series
    due: pl.Series
    deposited: pl.Series


def b2bi_for_day(
    d: Declarants, day: date, n: int, seed: int, deposited: np.ndarray
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``n`` international invoices deposited on ``day`` by exporters: (invoices, VAT
    lines, DEPOSEE events, later payments of the services invoices that carry French VAT).

    ``deposited``: their deposit instants (UTC, datetime64[us]). The random draws come in a
    fixed order, so a seed gives the same history.
    """
    rng = np.random.default_rng([seed, 9, day.toordinal()])
    alive = np.flatnonzero(d.exporter_created < np.datetime64(day, "us"))
    if n == 0 or len(alive) == 0:
        return pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), pl.DataFrame()
    who = alive[rng.integers(0, len(alive), n)]
    kind = rng.choice(3, n, p=[0.6, 0.3, 0.1])  # goods, services, mixed
    eu = rng.random(n) < 0.7
    country = np.where(
        eu,
        np.array(EU_COUNTRIES)[rng.integers(0, len(EU_COUNTRIES), n)],
        np.array(NON_EU_COUNTRIES)[rng.integers(0, len(NON_EU_COUNTRIES), n)],
    )
    buyer_no = rng.integers(100_000_000, 999_999_999, n)
    # French VAT on some services (place of supply in France): 20 %; otherwise exempt
    # intra-EU goods (K), exports (G) or reverse-charged services (AE), at 0 %
    french_vat = (kind == 1) & (rng.random(n) < 0.3)
    rate = np.where(french_vat, 20.0, 0.0)
    net = np.exp(rng.normal(np.log(400_000), 1.2, n)).astype(np.int64) + 1_000
    credit = rng.random(n) < 0.03
    today = np.array(day, dtype="datetime64[D]")
    delivery = rng.integers(0, 6, n).astype("timedelta64[D]")
    due = rng.choice([30, 45, 60], n).astype("timedelta64[D]")
    b = _B2bi(
        ids=pl.Series([f"FX{day:%Y%m%d}{i:06d}" for i in range(n)]),
        who=who,
        kind=kind,
        eu=eu,
        country=country,
        buyer_no=buyer_no,
        french_vat=french_vat,
        category=np.where(french_vat, "S", np.where(kind == 1, "AE", np.where(eu, "K", "G"))),
        rate=rate,
        net=net,
        vat=_vat_cents(net, rate),
        credit=credit,
        delivery=pl.Series(today - delivery).cast(pl.Date),
        due=pl.Series(today + due).cast(pl.Date),
        deposited=pl.Series(deposited).dt.replace_time_zone("UTC"),
    )
    invoices = _b2bi_invoices(rng, d, day, b)
    vat_lines = _b2bi_vat_lines(b)
    return invoices, vat_lines, _b2bi_events(b), _b2bi_payments(rng, d, day, b, vat_lines)


def _b2bi_invoices(rng: np.random.Generator, d: Declarants, day: date, b: _B2bi) -> pl.DataFrame:
    n = len(b.ids)
    nothing = pl.Series([None] * n, dtype=pl.String)
    vat_id = pl.Series(b.country) + pl.Series(b.buyer_no).cast(pl.String)
    foreign_id = pl.Series(b.country) + "CLIENT" + pl.Series(b.buyer_no).cast(pl.String)
    buyer_id = pl.Series(np.where(b.eu, vat_id.to_numpy(), foreign_id.to_numpy()))
    return pl.DataFrame(
        {
            "invoice_id": b.ids,
            "invoice_number": "EX-" + b.ids.str.slice(2),
            "type_code": np.where(b.credit, "381", "380"),
            "supplier_structure_id": d.exporter_ids[b.who],
            "recipient_structure_id": nothing,
            "service_code": nothing,
            "engagement_number": nothing,
            "billing_framework": np.array(["B1", "S1", "M1"])[b.kind],
            "channel": np.array(["api", "edi"])[rng.integers(0, 2, n)],
            "syntax": np.array(["UBL", "CII"])[rng.integers(0, 2, n)],
            "scope": "B2Bi",
            "goods_services_nature": np.array(["goods", "services", "mixed"])[b.kind],
            "issue_date": pl.Series([day] * n, dtype=pl.Date),
            "deposited_at": b.deposited,
            "currency_code": "EUR",
            "total_excl_vat": _money(b.net),
            "total_vat": _money(b.vat),
            "total_incl_vat": _money(b.net + b.vat),
            "amount_due": _money(b.net + b.vat),
            "line_count": pl.Series(rng.integers(1, 8, n), dtype=pl.Int64),
            "original_invoice_number": nothing,
            "document_sha256": pl.Series(
                [f"{h:064x}" for h in rng.integers(0, 2**62, n, dtype=np.int64)]
            ),
            "updated_at": b.deposited,
            "buyer_identifier": buyer_id.str.slice(0, 18),
            "buyer_identifier_scheme": np.where(b.eu, "0223", "0227"),
            "buyer_vat_id": vat_id.zip_with(pl.Series(b.eu), nothing),
            "buyer_country_code": b.country,
            "buyer_name": "Client " + pl.Series(b.buyer_no).cast(pl.String),
            "due_date": b.due,
            # services have no delivery: their operation date is the issue date
            "delivery_date": b.delivery.zip_with(pl.Series(b.kind != 1), b.due.clear(n)),
        }
    )


def _b2bi_vat_lines(b: _B2bi) -> pl.DataFrame:
    category = pl.Series(b.category)
    return pl.DataFrame(
        {
            "invoice_id": b.ids,
            "line_number": pl.Series(np.ones(len(b.ids), dtype=np.int64)),
            "deposited_at": b.deposited,
            "vat_category_code": b.category,
            "vat_rate": pl.Series([f"{r:.2f}" for r in b.rate]).cast(pl.Decimal(5, 2)),
            "taxable_amount": _money(b.net),
            "tax_amount": _money(b.vat),
            "exemption_reason": category.replace_strict(
                {k: v[0] for k, v in EXEMPTIONS.items()}, default=None, return_dtype=pl.String
            ),
            "exemption_reason_code": category.replace_strict(
                {k: v[1] for k, v in EXEMPTIONS.items()}, default=None, return_dtype=pl.String
            ),
        }
    )


def _b2bi_events(b: _B2bi) -> pl.DataFrame:
    """Their DEPOSEE events: an international invoice has no recipient on the platform."""
    n = len(b.ids)
    return pl.DataFrame(
        {
            "event_id": "EX" + b.ids.str.slice(2) + "-1",
            "invoice_id": b.ids,
            "status_code": "DEPOSEE",
            "occurred_at": b.deposited,
            "actor_role": "platform",
            "reason_code": pl.Series([None] * n, dtype=pl.String),
            "comment": pl.Series([None] * n, dtype=pl.String),
            "payment_date": pl.Series([None] * n, dtype=pl.Date),
            "payment_amount": pl.Series([None] * n, dtype=pl.Decimal(18, 2)),
            "event_sequence": pl.Series([1] * n, dtype=pl.Int32),
            "previous_status_code": pl.Series([None] * n, dtype=pl.String),
            "previous_status_at": pl.Series([None] * n, dtype=b.deposited.dtype),
            "deposit_round": pl.Series([1] * n, dtype=pl.Int32),
            "is_out_of_order": False,
            "recorded_at": b.deposited,
        }
    )


def _b2bi_payments(
    rng: np.random.Generator, d: Declarants, day: date, b: _B2bi, vat_lines: pl.DataFrame
) -> pl.DataFrame:
    """Receipts of the services invoices with French VAT, 10 to 90 days later (VAT on
    receipt: an exporter that opted for VAT on debits reports none)."""
    p = np.flatnonzero(b.french_vat & ~b.credit & ~d.exporter_on_debits[b.who])
    pay_day = pl.Series(
        np.array(day, dtype="datetime64[D]") + rng.integers(10, 91, len(p)).astype("timedelta64[D]")
    ).cast(pl.Date)
    return pl.DataFrame(
        {
            "payment_id": "PX" + b.ids.gather(p).str.slice(2),
            "declarant_structure_id": pl.Series(d.exporter_ids[b.who[p]], dtype=pl.String),
            "invoice_id": b.ids.gather(p),
            "scope": "B2Bi",
            "payment_date": pay_day,
            "currency_code": "EUR",
            "vat_rate": vat_lines.get_column("vat_rate").gather(p),
            "amount_incl_vat": _money(b.net[p] + b.vat[p]),
            "received_at": pl.Series(
                [datetime(x.year, x.month, x.day, 12) for x in pay_day.to_list()],
                dtype=pl.Datetime("us"),
            )
            .dt.replace_time_zone("Europe/Paris")
            .dt.convert_time_zone("UTC"),
        }
    )


def daily_b2bi(day: date, scale: float) -> float:
    return YEARLY_B2BI_INVOICES * scale / (366 if day.year % 4 == 0 else 365)
