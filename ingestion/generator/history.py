"""Synthetic national history, first version.

Vectorised with numpy and polars: the only Python loop is over days. Each day draws from
its own random stream (``seed`` and the day's ordinal), so a run is deterministic for a
seed and a day's rows do not depend on the days generated before it. Status events are
held until their day can no longer receive events (every later event belongs to a later
deposit day), then written, so memory stays bounded by the longest payment delay.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl

from vigie.ingestion import landing
from vigie.ingestion.generator import calibration as cal

PART = "generated"
#: landing tables this generator writes
GENERATED_TABLES = (
    "structures",
    "services",
    "users",
    "invoices",
    "invoice_vat_lines",
    "invoice_status_events",
    "deposit_refusals",
    "solicitations",
)
UTC = "UTC"
PARIS = landing.PARIS
_HEX = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), dtype=np.uint8)
_HEX = _HEX.reshape(256, 2)
_CENT = pl.lit(Decimal("0.01"), dtype=pl.Decimal(3, 2))

PUBLIC_CATEGORIES = ["state", "local", "health", "other"]
PUBLIC_CATEGORY_STRUCTURE_SHARES = [0.25, 0.55, 0.08, 0.12]
SUPPLIER_SIZES = ["large", "intermediate", "sme", "micro"]
SUPPLIER_SIZE_STRUCTURE_SHARES = [0.01, 0.04, 0.35, 0.60]
REJECTION_REASONS = ["MONTANT_ERRONE", "DOUBLON", "EJ_ABSENT", "SERVICE_ERRONE", "AUTRE"]
# codes of vigie.platform.rules.RULES (a unit test keeps them in the catalogue)
REFUSAL_RULES = ["XML-01", "XSD-01", "BR-CO-15", "REG-01", "REG-03", "REG-05", "REG-06"]
SOLICITATION_CATEGORIES = [
    "suivi_facture",
    "acces_compte",
    "erreur_depot",
    "parametrage_structure",
    "delai_paiement",
    "autre",
]


@dataclass
class GenerateSummary:
    start: date
    end: date
    scale: float
    seed: int
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    files: int = 0
    seconds: float = 0.0

    def add(self, written: list[landing.WrittenFile]) -> None:
        for w in written:
            self.rows[w.table] += w.rows
            self.files += 1


def daily_counts(start: date, end: date, yearly: Callable[[int], float]) -> dict[date, int]:
    """Spread yearly totals over the days of ``start..end`` by ``calibration.day_weight``.

    Cumulative rounding over each whole year keeps every full year's sum exact.
    """
    counts: dict[date, int] = {}
    for year in range(start.year, end.year + 1):
        days = [date(year, 1, 1) + timedelta(d) for d in range(366)]
        days = [d for d in days if d.year == year]
        weights = np.array([cal.day_weight(d) for d in days])
        cumulative = np.floor(np.cumsum(weights) / weights.sum() * yearly(year) + 0.5)
        per_day = np.diff(np.concatenate([[0.0], cumulative])).astype(np.int64)
        for d, n in zip(days, per_day, strict=True):
            if start <= d <= end:
                counts[d] = int(n)
    return counts


def _luhn_sirets(rng: np.random.Generator, n: int, first_digits: list[int]) -> np.ndarray:
    """``n`` distinct 14-digit SIRETs passing the Luhn check, as strings."""
    digits = rng.integers(0, 10, size=(n, 13))
    digits[:, 0] = rng.choice(first_digits, size=n)
    digits[:, 1:9] = (np.arange(n)[:, None] // 10 ** np.arange(7, -1, -1)) % 10  # distinct
    doubled = digits.copy()
    odd = (12 - np.arange(13)) % 2 == 0  # doubled positions, counted from the check digit
    doubled[:, odd] *= 2
    doubled[doubled > 9] -= 9
    check = (10 - doubled.sum(axis=1) % 10) % 10
    full = np.concatenate([digits, check[:, None]], axis=1).astype(np.uint8) + ord("0")
    return full.view("S14").ravel().astype(str)


def _hex_digests(rng: np.random.Generator, n: int) -> pl.Series:
    raw = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    return pl.Series(_HEX[raw].reshape(n, 64).view("S64").ravel()).cast(pl.String)


def _money(cents: pl.Expr) -> pl.Expr:
    return (cents.cast(pl.Decimal(38, 0)) * _CENT).cast(pl.Decimal(18, 2))


def _paris_midnight_utc(day: date) -> datetime:
    return (
        pl.select(
            pl.lit(datetime(day.year, day.month, day.day))
            .dt.replace_time_zone(PARIS)
            .dt.convert_time_zone(UTC)
        )
        .item()
        .replace(tzinfo=None)
    )


@dataclass
class Population:
    """The structures invoices are exchanged between."""

    structures: pl.DataFrame
    public_offsets: np.ndarray  # start index of each public category in `public_ids`
    public_counts: np.ndarray
    public_ids: np.ndarray
    public_sirets: np.ndarray
    public_service_counts: np.ndarray
    public_reports_payment: np.ndarray
    public_requires_ej: np.ndarray
    public_requires_service: np.ndarray
    supplier_offsets: np.ndarray
    supplier_counts: np.ndarray
    supplier_ids: np.ndarray


def build_population(start: date, scale: float, seed: int) -> Population:
    rng = np.random.default_rng([seed, 0])
    n_pub = max(40, round(cal.PUBLIC_STRUCTURES * scale))
    n_priv = max(150, round(cal.PRIVATE_STRUCTURES * scale))
    pub_counts = np.maximum(1, np.round(np.array(PUBLIC_CATEGORY_STRUCTURE_SHARES) * n_pub))
    pub_counts = pub_counts.astype(np.int64)
    priv_counts = np.maximum(1, np.round(np.array(SUPPLIER_SIZE_STRUCTURE_SHARES) * n_priv))
    priv_counts = priv_counts.astype(np.int64)
    n_pub, n_priv = int(pub_counts.sum()), int(priv_counts.sum())
    n = n_pub + n_priv
    ids = _ids("ST", n, 8).to_numpy()
    sirets = np.concatenate(
        [_luhn_sirets(rng, n_pub, [1, 2]), _luhn_sirets(rng, n_priv, [3, 4, 5, 6, 7, 8, 9])]
    )
    category = np.repeat(PUBLIC_CATEGORIES, pub_counts)
    size = np.repeat(SUPPLIER_SIZES, priv_counts)
    origin = datetime(2017, 1, 1) if start.year > 2017 else datetime(start.year - 1, 1, 1)
    span = max(1.0, (datetime(start.year, start.month, start.day) - origin).total_seconds())
    created = np.datetime64(origin, "us") + pd_seconds(rng.random(n) * span)
    service_counts = rng.integers(1, 4, size=n_pub)
    reports_payment = rng.random(n_pub) >= cal.NOT_REPORTING_PAYMENT_SHARE
    requires_ej = (category == "state") | (rng.random(n_pub) < 0.2)
    requires_service = rng.random(n_pub) < 0.3
    public = pl.DataFrame(
        {
            "structure_id": ids[:n_pub],
            "siret": sirets[:n_pub],
            "name": pl.Series(category).replace_strict(_PUBLIC_NAMES)
            + " n°"
            + pl.Series(np.arange(n_pub)).cast(pl.String),
            "is_public": True,
            "public_category": category,
            "legal_payment_delay_days": [cal.LEGAL_DELAY_DAYS[c] for c in category],
            "supplier_size": None,
            "requires_engagement_number": requires_ej,
            "requires_service_code": requires_service,
            "reports_payment_status": reports_payment,
        },
        schema_overrides={"supplier_size": pl.String, "legal_payment_delay_days": pl.Int32},
    )
    private = pl.DataFrame(
        {
            "structure_id": ids[n_pub:],
            "siret": sirets[n_pub:],
            "name": _ids("Entreprise ", n_priv, 6),
            "is_public": False,
            "public_category": None,
            "legal_payment_delay_days": None,
            "supplier_size": size,
            "requires_engagement_number": False,
            "requires_service_code": False,
            "reports_payment_status": True,
        },
        schema_overrides={"public_category": pl.String, "legal_payment_delay_days": pl.Int32},
    )
    structures = (
        pl.concat([public, private])
        .with_columns(
            pl.col("siret").str.slice(0, 9).alias("siren"),
            pl.lit(None, pl.String).alias("vat_id"),
            pl.lit("FR").alias("country_code"),
            pl.lit(True).alias("is_active"),
            pl.Series("created_at", created).dt.replace_time_zone(UTC),
        )
        .with_columns(pl.col("created_at").alias("updated_at"))
        .with_columns(
            pl.when(~pl.col("is_public"))
            .then(
                pl.format(
                    "FR{}{}",
                    ((pl.col("siren").cast(pl.Int64) * 100 + 12) % 97).cast(pl.String).str.zfill(2),
                    pl.col("siren"),
                )
            )
            .alias("vat_id")
        )
    )
    return Population(
        structures=structures,
        public_offsets=np.concatenate([[0], np.cumsum(pub_counts)[:-1]]),
        public_counts=pub_counts,
        public_ids=ids[:n_pub],
        public_sirets=sirets[:n_pub],
        public_service_counts=service_counts,
        public_reports_payment=reports_payment,
        public_requires_ej=requires_ej,
        public_requires_service=requires_service,
        supplier_offsets=np.concatenate([[0], np.cumsum(priv_counts)[:-1]]),
        supplier_counts=priv_counts,
        supplier_ids=ids[n_pub:],
    )


_PUBLIC_NAMES = {
    "state": "Service de l'État",
    "local": "Collectivité territoriale",
    "health": "Centre hospitalier",
    "other": "Établissement public",
}


def _ids(prefix: str, n: int, width: int) -> pl.Series:
    """``prefix`` followed by 0..n-1 zero-padded to ``width`` digits."""
    return prefix + pl.Series(np.arange(n), dtype=pl.Int64).cast(pl.String).str.zfill(width)


def pd_seconds(seconds: np.ndarray) -> np.ndarray:
    return (seconds * 1_000_000).astype("timedelta64[us]")


def services_frame(pop: Population) -> pl.DataFrame:
    counts = pop.public_service_counts
    owner = np.repeat(np.arange(len(counts)), counts)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    created = pop.structures.get_column("created_at").gather(owner)
    return pl.DataFrame(
        {
            "service_id": _ids("SV", len(owner), 8),
            "structure_id": pop.public_ids[owner],
            "service_code": "SE" + pl.Series(rank).cast(pl.String).str.zfill(3),
            "name": "Service " + pl.Series(rank).cast(pl.String),
            "requires_engagement_number": pop.public_requires_ej[owner],
            "reports_payment_status": pop.public_reports_payment[owner],
            "is_active": True,
            "created_at": created,
            "updated_at": created,
        }
    )


def users_frame(pop: Population, seed: int, end: date) -> pl.DataFrame:
    rng = np.random.default_rng([seed, 1])
    n_struct = pop.structures.height
    per = rng.integers(1, 4, size=n_struct)
    owner = np.repeat(np.arange(n_struct), per)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(per) - per, per)
    created = pop.structures.get_column("created_at").gather(owner)
    delay = pl.Series(pd_seconds(rng.random(len(owner)) * 400 * 86_400 * (rank > 0)))
    frame = pl.DataFrame(
        {
            "user_id": _ids("US", len(owner), 9),
            "structure_id": pop.structures.get_column("structure_id").gather(owner),
            "role": np.where(rank == 0, "main_manager", "user"),
            "created_at": created + delay,
        }
    )
    limit = datetime(end.year, end.month, end.day, 23, 0)
    return frame.filter(pl.col("created_at").dt.replace_time_zone(None) < limit)


def invoices_for_day(
    pop: Population, day: date, n: int, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Invoices, VAT lines, status events and platform refusals deposited on ``day``."""
    rng = np.random.default_rng([seed, 2, day.toordinal()])
    size = rng.choice(4, n, p=list(cal.SUPPLIER_SIZE_SHARES.values()))
    supplier = pop.supplier_offsets[size] + np.floor(
        pop.supplier_counts[size] * rng.random(n) ** 2.5
    ).astype(np.int64)
    category = rng.choice(4, n, p=list(cal.RECIPIENT_CATEGORY_SHARES.values()))
    recipient = pop.public_offsets[category] + np.floor(
        pop.public_counts[category] * rng.random(n) ** 1.5
    ).astype(np.int64)
    is_state = category == 0
    other_portal = (cal.CHANNEL_SHARES["portal"] - 0.34 * cal.STATE_PORTAL_SHARE) / 0.66
    p_portal = np.where(is_state, cal.STATE_PORTAL_SHARE, other_portal)
    edi_of_rest = cal.CHANNEL_SHARES["edi"] / (
        cal.CHANNEL_SHARES["edi"] + cal.CHANNEL_SHARES["api"]
    )
    u = rng.random(n)
    channel = np.where(
        u < p_portal,
        "portal",
        np.where((u - p_portal) / (1 - p_portal) < edi_of_rest, "edi", "api"),
    )
    syntax = np.empty(n, dtype=object)
    for ch, shares in cal.SYNTAX_SHARES_BY_CHANNEL.items():
        mask = channel == ch
        syntax[mask] = rng.choice(list(shares), mask.sum(), p=list(shares.values()))
    framework = rng.choice(
        list(cal.FRAMEWORK_SHARES),
        n,
        p=np.array(list(cal.FRAMEWORK_SHARES.values())) / sum(cal.FRAMEWORK_SHARES.values()),
    )
    is_credit = (rng.random(n) < cal.CREDIT_NOTE_SHARE) & (framework == "A1")
    seconds = (7 + rng.random(n) * 12.5) * 3600
    local = np.datetime64(day, "us") + pd_seconds(seconds)
    deposited = (
        pl.Series(local)
        .dt.replace_time_zone(PARIS)
        .dt.convert_time_zone(UTC)
        .dt.cast_time_unit("us")
    )
    ymd = day.strftime("%Y%m%d")
    ids = _ids(f"FA{ymd}", n, 7)
    service_rank = np.floor(rng.random(n) * pop.public_service_counts[recipient]).astype(int) + 1
    needs_service = pop.public_requires_service[recipient] | (rng.random(n) < 0.5)
    needs_ej = pop.public_requires_ej[recipient] | (rng.random(n) < 0.3)
    # amounts in integer cents, one or two VAT lines
    net = np.maximum(100, np.round(np.exp(rng.normal(np.log(900.0), 1.25, n)) * 100)).astype(
        np.int64
    )
    two_lines = rng.random(n) < 0.2
    rates = np.array([2000, 1000, 550, 210])
    rate_idx = rng.choice(4, (n, 2), p=list(cal.VAT_RATE_SHARES.values()))
    rate_idx[:, 1] = np.where(
        rate_idx[:, 1] == rate_idx[:, 0], (rate_idx[:, 0] + 1) % 4, rate_idx[:, 1]
    )
    first_net = np.where(two_lines, np.floor(net * (0.2 + 0.6 * rng.random(n))), net).astype(
        np.int64
    )
    line_inv = np.concatenate([np.arange(n), np.flatnonzero(two_lines)])
    line_no = np.concatenate([np.ones(n, np.int64), np.full(two_lines.sum(), 2)])
    line_net = np.concatenate([first_net, (net - first_net)[two_lines]])
    line_rate = np.concatenate([rates[rate_idx[:, 0]], rates[rate_idx[two_lines, 1]]])
    line_tax = (line_net * line_rate + 5000) // 10000  # half-up on positive cents
    tax = np.bincount(line_inv, weights=line_tax, minlength=n).astype(np.int64)
    paid_already = framework == "A2"
    invoices = (
        pl.DataFrame(
            {
                "invoice_id": ids,
                "invoice_number": _ids(f"F{ymd}-", n, 6),
                "type_code": np.where(is_credit, "381", "380"),
                "supplier_structure_id": pop.supplier_ids[supplier],
                "recipient_structure_id": pop.public_ids[recipient],
                "service_code": pl.Series(service_rank).cast(pl.String),
                "engagement_number": pl.Series(rng.integers(0, 10**8, n)).cast(pl.String),
                "billing_framework": framework,
                "channel": channel,
                "syntax": syntax.astype(str),
                "scope": "B2G",
                "goods_services_nature": rng.choice(
                    ["goods", "services", "mixed"], n, p=[0.45, 0.45, 0.1]
                ),
                "issue_date": np.datetime64(day, "D")
                - rng.integers(0, 8, n).astype("timedelta64[D]"),
                "deposited_at": deposited,
                "currency_code": "EUR",
                "net": net,
                "tax": tax,
                "line_count": rng.integers(1, 21, n),
                "original_invoice_number": None,
                "document_sha256": _hex_digests(rng, n),
                "updated_at": deposited,
            },
            schema_overrides={"original_invoice_number": pl.String},
        )
        .with_columns(
            pl.when(pl.Series(needs_service))
            .then("SE" + pl.col("service_code").str.zfill(3))
            .alias("service_code"),
            pl.when(pl.Series(needs_ej))
            .then("EJ" + pl.col("engagement_number").str.zfill(8))
            .alias("engagement_number"),
            _money(pl.col("net")).alias("total_excl_vat"),
            _money(pl.col("tax")).alias("total_vat"),
            _money(pl.col("net") + pl.col("tax")).alias("total_incl_vat"),
            pl.when(pl.Series(paid_already))
            .then(_money(pl.lit(0)))
            .otherwise(_money(pl.col("net") + pl.col("tax")))
            .alias("amount_due"),
        )
        .drop("net", "tax")
    )
    vat_lines = pl.DataFrame(
        {
            "invoice_id": ids.gather(line_inv),
            "line_number": line_no,
            "deposited_at": deposited.gather(line_inv),
            "vat_category_code": "S",
            "vat_rate": line_rate,
            "taxable_amount": line_net,
            "tax_amount": line_tax,
        }
    ).with_columns(
        _money(pl.col("vat_rate")).cast(pl.Decimal(5, 2)),
        _money(pl.col("taxable_amount")),
        _money(pl.col("tax_amount")),
    )
    events = _status_events(rng, invoices, pop, recipient, category, paid_already)
    refusals = _refusals(rng, day, n, pop, seed)
    return invoices, vat_lines, events, refusals


def _status_events(
    rng: np.random.Generator,
    invoices: pl.DataFrame,
    pop: Population,
    recipient: np.ndarray,
    category: np.ndarray,
    paid_already: np.ndarray,
) -> pl.DataFrame:
    n = invoices.height
    day_s = 86_400.0
    t0 = invoices.get_column("deposited_at").to_numpy().astype("datetime64[us]")
    t_mad = t0 + pd_seconds(30 + rng.random(n) * 570)
    outcome = rng.random(n)
    rejected = outcome < cal.REJECTION_SHARE
    suspended = (~rejected) & (outcome < cal.REJECTION_SHARE + cal.SUSPENSION_SHARE)
    recycled = (~rejected & ~suspended) & (
        outcome < cal.REJECTION_SHARE + cal.SUSPENSION_SHARE + cal.RECYCLING_SHARE
    )
    rows: list[tuple[np.ndarray, str, np.ndarray, str, np.ndarray | None]] = []

    def add(mask, status, when, actor, reason=None):
        rows.append((mask, status, when, actor, reason))

    everyone = np.ones(n, dtype=bool)
    add(everyone, "DEPOSEE", t0, "platform")
    add(everyone, "MISE_A_DISPOSITION", t_mad, "platform")
    t_rej = t_mad + pd_seconds((1 + rng.random(n) * 19) * day_s)
    add(rejected, "REJETEE", t_rej, "recipient", rng.choice(REJECTION_REASONS, n))
    t_susp = t_mad + pd_seconds((2 + rng.random(n) * 12) * day_s)
    t_comp = t_susp + pd_seconds((1 + rng.random(n) * 19) * day_s)
    add(suspended, "SUSPENDUE", t_susp, "recipient", rng.choice(["PIECE_MANQUANTE", "AUTRE"], n))
    add(suspended, "COMPLETEE", t_comp, "supplier")
    t_recy = t_mad + pd_seconds((1 + rng.random(n) * 4) * day_s)
    t_redep = t_recy + pd_seconds((1 + rng.random(n) * 4) * day_s)
    t_remad = t_redep + pd_seconds(30 + rng.random(n) * 570)
    add(recycled, "A_RECYCLER", t_recy, "recipient", rng.choice(["SERVICE_ERRONE", "EJ_ERRONE"], n))
    add(recycled, "DEPOSEE", t_redep, "supplier")
    add(recycled, "MISE_A_DISPOSITION", t_remad, "platform")
    clock = np.where(suspended, t_comp, np.where(recycled, t_remad, t_mad))
    mean_delay = np.array([cal.MEAN_PAYMENT_DELAY_DAYS[c] for c in PUBLIC_CATEGORIES])[category]
    delay_days = rng.gamma(2.5, mean_delay / 2.5)
    flows = ~rejected & ~paid_already
    reports = pop.public_reports_payment[recipient]
    t_sf = clock + pd_seconds(delay_days * 0.3 * day_s + 3600)
    add(flows & (rng.random(n) < 0.6), "SERVICE_FAIT", t_sf, "recipient")
    t_pay = clock + pd_seconds(np.maximum(delay_days, 0.5) * day_s + 7200)
    add(flows & reports, "MISE_EN_PAIEMENT", t_pay, "accountant")
    amounts = invoices.get_column("amount_due")
    frames = []
    for mask, status, when, actor, reason in rows:
        idx = np.flatnonzero(mask)
        if not len(idx):
            continue
        frames.append(
            pl.DataFrame(
                {
                    "invoice_id": invoices.get_column("invoice_id").gather(idx),
                    "status_code": status,
                    "occurred_at": pl.Series(when[idx]).dt.replace_time_zone(UTC),
                    "actor_role": actor,
                    "reason_code": None if reason is None else reason[idx],
                    "payment_amount": amounts.gather(idx) if status == "MISE_EN_PAIEMENT" else None,
                },
                schema_overrides={"reason_code": pl.String, "payment_amount": pl.Decimal(18, 2)},
            )
        )
    return (
        pl.concat(frames)
        .sort("invoice_id", "occurred_at")
        .with_columns(
            pl.format(
                "{}-{}", pl.col("invoice_id"), pl.int_range(pl.len()).over("invoice_id") + 1
            ).alias("event_id"),
            pl.lit(None, pl.String).alias("comment"),
            pl.when(pl.col("status_code") == "MISE_EN_PAIEMENT")
            .then(pl.col("occurred_at").dt.convert_time_zone(PARIS).dt.date())
            .alias("payment_date"),
        )
    )


def _refusals(rng: np.random.Generator, day: date, n: int, pop: Population, seed: int):
    k = int(rng.binomial(n, cal.PLATFORM_REFUSAL_SHARE / (1 - cal.PLATFORM_REFUSAL_SHARE)))
    supplier = rng.integers(0, len(pop.supplier_ids), k)
    recipient = rng.integers(0, len(pop.public_ids), k)
    rule = rng.choice(REFUSAL_RULES, k)
    seconds = (7 + rng.random(k) * 12.5) * 3600
    local = np.datetime64(day, "us") + pd_seconds(seconds)
    ymd = day.strftime("%Y%m%d")
    return pl.DataFrame(
        {
            "refusal_id": _ids(f"RF{ymd}", k, 6),
            "supplier_structure_id": pop.supplier_ids[supplier],
            "recipient_siret": pop.public_sirets[recipient],
            "invoice_number": _ids(f"R{ymd}-", k, 6),
            "channel": rng.choice(["edi", "api", "portal"], k, p=[0.6, 0.2, 0.2]),
            "syntax": rng.choice(["UBL", "CII", "FACTURX"], k),
            "refused_at": pl.Series(local, dtype=pl.Datetime("us"))
            .dt.replace_time_zone(PARIS)
            .dt.convert_time_zone(UTC),
            "rule_code": rule,
            "rule_codes": rule,
        },
        schema_overrides={"refusal_id": pl.String, "invoice_number": pl.String},
    )


def solicitations_for_day(pop: Population, day: date, n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng([seed, 3, day.toordinal()])
    structure = rng.integers(0, pop.structures.height, n)
    seconds = (8 + rng.random(n) * 10) * 3600
    local = np.datetime64(day, "us") + pd_seconds(seconds)
    ymd = day.strftime("%Y%m%d")
    return pl.DataFrame(
        {
            "solicitation_id": _ids(f"SO{ymd}", n, 6),
            "structure_id": pop.structures.get_column("structure_id").gather(structure),
            "category": rng.choice(SOLICITATION_CATEGORIES, n),
            "channel": np.where(rng.random(n) < cal.ASSISTANT_SHARE, "assistant", "human"),
            "invoice_id": None,
            "created_at": pl.Series(local, dtype=pl.Datetime("us"))
            .dt.replace_time_zone(PARIS)
            .dt.convert_time_zone(UTC),
        },
        schema_overrides={"solicitation_id": pl.String, "invoice_id": pl.String},
    )


def generate(
    landing_dir: Path,
    start: date,
    end: date,
    *,
    scale: float = 0.001,
    seed: int = 7,
    progress: Callable[[date], None] | None = None,
) -> GenerateSummary:
    """Write a synthetic history of ``start..end`` (inclusive) into the landing zone."""
    if end < start:
        raise ValueError("--to must not be before --from")
    if not 0 < scale <= 2:
        raise ValueError("scale must be in (0, 2]")
    began = time.perf_counter()
    summary = GenerateSummary(start, end, scale, seed)
    pop = build_population(start, scale, seed)
    cutoff = np.datetime64(_paris_midnight_utc(end + timedelta(1)), "us")
    summary.add(
        landing.write_table(landing_dir, "structures", pop.structures, part=PART, durable=False)
    )
    summary.add(
        landing.write_table(landing_dir, "services", services_frame(pop), part=PART, durable=False)
    )
    summary.add(
        landing.write_table(
            landing_dir, "users", users_frame(pop, seed, end), part=PART, durable=False
        )
    )
    invoice_counts = daily_counts(start, end, lambda y: cal.yearly_invoices(y) * scale)
    solicitation_counts = daily_counts(start, end, lambda y: cal.YEARLY_SOLICITATIONS * scale)
    pending: dict[date, list[pl.DataFrame]] = defaultdict(list)

    def flush(up_to: date) -> None:
        for d in sorted(k for k in pending if k <= up_to):
            frame = pl.concat(pending.pop(d))
            summary.add(
                landing.write_table(
                    landing_dir, "invoice_status_events", frame, part=PART, durable=False
                )
            )

    for day in sorted(invoice_counts):
        sol = solicitations_for_day(pop, day, solicitation_counts[day], seed)
        summary.add(
            landing.write_table(landing_dir, "solicitations", sol, part=PART, durable=False)
        )
        if invoice_counts[day] == 0:
            flush(day)
            continue
        invoices, vat_lines, events, refusals = invoices_for_day(
            pop, day, invoice_counts[day], seed
        )
        summary.add(
            landing.write_table(landing_dir, "invoices", invoices, part=PART, durable=False)
        )
        summary.add(
            landing.write_table(
                landing_dir, "invoice_vat_lines", vat_lines, part=PART, durable=False
            )
        )
        summary.add(
            landing.write_table(landing_dir, "deposit_refusals", refusals, part=PART, durable=False)
        )
        events = events.filter(pl.col("occurred_at").dt.replace_time_zone(None) < cutoff)
        keyed = events.with_columns(
            pl.col("occurred_at").dt.convert_time_zone(PARIS).dt.date().alias("__day")
        )
        for (event_day,), chunk in keyed.partition_by("__day", as_dict=True).items():
            pending[event_day].append(chunk.drop("__day"))
        flush(day)
        if progress:
            progress(day)
    flush(end)
    summary.seconds = time.perf_counter() - began
    return summary
