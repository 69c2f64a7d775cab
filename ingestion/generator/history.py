"""Synthetic national history, first version.

Vectorised with numpy and polars: the only Python loop is over days. Each day draws from
its own random stream (``seed`` and the day's ordinal), so a run is deterministic for a
seed and a day's rows do not depend on the days generated before it. Status events are
held until their day can no longer receive events (every later event belongs to a later
deposit day), then written, so memory stays bounded by the longest payment delay.
"""

from __future__ import annotations

import functools
import io
import time
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC as UTC_TZ
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl

from vigie.ingestion import landing
from vigie.ingestion.check import mark_checked
from vigie.ingestion.generator import calibration as cal
from vigie.ingestion.generator import ereporting as er
from vigie.platform.reference import LEGAL_DELAY_DAYS

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
    "b2c_sales",
    "payments",
    "solicitations",
)
UTC = "UTC"
#: days before a history whose works chains can still deposit inside it (8 + 15 + weekend)
WORKS_LEAD_DAYS = 30
#: held chunks of at least this many rows are kept compressed until their day is written
COMPRESS_FROM_ROWS = 5_000
PARIS = landing.PARIS
_HEX = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), dtype=np.uint8)
_HEX = _HEX.reshape(256, 2)
_CENT = pl.lit(Decimal("0.01"), dtype=pl.Decimal(3, 2))

PUBLIC_CATEGORIES = ["state", "local", "health", "other"]
CHANNELS = ["portal", "edi", "api"]
SYNTAXES = ["UBL", "CII", "FACTURX", "PDF"]
#: billing framework codes: the ordinary ones first (calibration order), then works
FRAMEWORKS = [*cal.FRAMEWORK_SHARES, "A4", "A15", "A19"]
A1, A2, A9, A12, A4, A15, A19 = (
    FRAMEWORKS.index(f) for f in ("A1", "A2", "A9", "A12", "A4", "A15", "A19")
)
PUBLIC_CATEGORY_STRUCTURE_SHARES = [0.25, 0.55, 0.08, 0.12]
SUPPLIER_SIZES = ["large", "intermediate", "sme", "micro"]
SUPPLIER_SIZE_STRUCTURE_SHARES = [0.01, 0.04, 0.35, 0.60]
REJECTION_REASONS = ["MONTANT_ERRONE", "DOUBLON", "EJ_ABSENT", "SERVICE_ERRONE", "AUTRE"]
#: rejected ordinary documents deposited again, per fresh one (``_redeposits``): the day's
#: published count holds them, so the fresh documents of a day are fewer by as much
REDEPOSIT_RATE = (
    cal.REJECTION_SHARE
    * (1 - len(cal.REDEPOSIT_NOT_AFTER) / len(REJECTION_REASONS))
    * cal.REDEPOSIT_AFTER_REJECTION_SHARE
)
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
    paths: list[Path] = field(default_factory=list)

    def add(self, written: list[landing.WrittenFile]) -> None:
        for w in written:
            self.rows[w.table] += w.rows
            self.files += 1
            self.paths.append(w.path)


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
    public_ids: pl.Series
    public_sirets: pl.Series
    public_service_counts: np.ndarray
    public_reports_payment: np.ndarray
    public_requires_ej: np.ndarray
    public_requires_service: np.ndarray
    supplier_offsets: np.ndarray
    supplier_counts: np.ndarray
    supplier_ids: pl.Series
    #: creation instants (naive Europe/Paris), sorted inside each category / size block
    public_created: np.ndarray
    supplier_created: np.ndarray

    def existing(self, day: date) -> tuple[np.ndarray, np.ndarray]:
        """How many structures of each public category / supplier size exist before ``day``."""
        t = np.datetime64(day, "us")

        def count(created, offsets, counts):
            return np.array(
                [
                    np.searchsorted(created[o : o + c], t, side="left")
                    for o, c in zip(offsets, counts, strict=True)
                ]
            )

        return (
            count(self.public_created, self.public_offsets, self.public_counts),
            count(self.supplier_created, self.supplier_offsets, self.supplier_counts),
        )


def _creation_times(
    rng: np.random.Generator, first: date, end: date, yearly: Callable[[int], float]
) -> np.ndarray:
    """Creation instants (naive Europe/Paris) of everything created from ``first`` to ``end``,
    ``yearly(y)`` a year, spread over the days like activity; sorted."""
    per_day = daily_counts(first, end, yearly)
    days = np.repeat(
        np.array(list(per_day), dtype="datetime64[D]"), np.fromiter(per_day.values(), np.int64)
    )
    seconds = (7 + rng.random(len(days)) * 12) * 3600
    return np.sort(days.astype("datetime64[us]") + pd_seconds(seconds))


def build_population(start: date, end: date, scale: float, seed: int) -> Population:
    """Every structure created up to ``end`` (from the hub's launch), in creation order
    within each public category and supplier size."""
    rng = np.random.default_rng([seed, 0])
    launch = date(min(cal.NEW_STRUCTURES), 1, 1)
    pub_created = _creation_times(rng, launch, end, lambda y: cal.new_structures(y)[0] * scale)
    priv_created = _creation_times(rng, launch, end, lambda y: cal.new_structures(y)[1] * scale)
    # ten structures of every block exist from the first day, so that every block can
    # trade at once, however small the scale
    seed_times = np.full(40, np.datetime64(launch, "us"))
    pub_created = np.concatenate([seed_times, pub_created])
    priv_created = np.concatenate([seed_times, priv_created])
    n_pub, n_priv = len(pub_created), len(priv_created)
    # blocks by category / size; creation order is kept inside each block
    pub_block = rng.choice(len(PUBLIC_CATEGORIES), n_pub, p=PUBLIC_CATEGORY_STRUCTURE_SHARES)
    pub_block[:40] = np.arange(40) % 4
    priv_block = rng.choice(len(SUPPLIER_SIZES), n_priv, p=SUPPLIER_SIZE_STRUCTURE_SHARES)
    priv_block[:40] = np.arange(40) % 4
    pub_order = np.lexsort((pub_created, pub_block))
    priv_order = np.lexsort((priv_created, priv_block))
    pub_created, pub_block = pub_created[pub_order], pub_block[pub_order]
    priv_created, priv_block = priv_created[priv_order], priv_block[priv_order]
    pub_counts = np.bincount(pub_block, minlength=len(PUBLIC_CATEGORIES)).astype(np.int64)
    priv_counts = np.bincount(priv_block, minlength=len(SUPPLIER_SIZES)).astype(np.int64)
    n = n_pub + n_priv
    ids = _ids("ST", n, 8).to_numpy()
    sirets = np.concatenate(
        [_luhn_sirets(rng, n_pub, [1, 2]), _luhn_sirets(rng, n_priv, [3, 4, 5, 6, 7, 8, 9])]
    )
    category = np.array(PUBLIC_CATEGORIES)[pub_block]
    size = np.array(SUPPLIER_SIZES)[priv_block]
    created = np.concatenate([pub_created, priv_created])
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
            "legal_payment_delay_days": [LEGAL_DELAY_DAYS[c] for c in category],
            "supplier_size": None,
            "requires_engagement_number": requires_ej,
            "requires_service_code": requires_service,
            "reports_payment_status": reports_payment,
            "vat_regime": None,
            "vat_on_debits": False,
        },
        schema_overrides={
            "supplier_size": pl.String,
            "legal_payment_delay_days": pl.Int32,
            "vat_regime": pl.String,
        },
    )
    regimes, on_debits = er.assign_regimes(rng, size)
    private = pl.DataFrame(
        {
            "vat_regime": regimes.astype(str),
            "vat_on_debits": on_debits,
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
        pl.concat([public, private], how="diagonal_relaxed")
        .with_columns(
            pl.col("siret").str.slice(0, 9).alias("siren"),
            pl.lit(None, pl.String).alias("vat_id"),
            pl.lit("FR").alias("country_code"),
            pl.lit(True).alias("is_active"),
            pl.Series("created_at", created)
            .dt.replace_time_zone(PARIS)
            .dt.convert_time_zone(UTC)
            .dt.cast_time_unit("us"),
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
        public_ids=pl.Series(ids[:n_pub]),
        public_sirets=pl.Series(sirets[:n_pub]),
        public_service_counts=service_counts,
        public_reports_payment=reports_payment,
        public_requires_ej=requires_ej,
        public_requires_service=requires_service,
        supplier_offsets=np.concatenate([[0], np.cumsum(priv_counts)[:-1]]),
        supplier_counts=priv_counts,
        supplier_ids=pl.Series(ids[n_pub:]),
        public_created=pub_created,
        supplier_created=priv_created,
    )


_PUBLIC_NAMES = {
    "state": "Service de l'État",
    "local": "Collectivité territoriale",
    "health": "Centre hospitalier",
    "other": "Établissement public",
}


def _labels(codes: np.ndarray, labels: list[str]) -> pl.Series:
    """Integer codes → their string labels, in polars (no Python string per row)."""
    return pl.Series(labels, dtype=pl.String).gather(pl.Series(codes, dtype=pl.UInt32))


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
            "structure_id": pop.public_ids.gather(owner),
            "service_code": "SE" + pl.Series(rank).cast(pl.String).str.zfill(3),
            "name": "Service " + pl.Series(rank).cast(pl.String),
            "requires_engagement_number": pop.public_requires_ej[owner],
            "reports_payment_status": pop.public_reports_payment[owner],
            "is_active": True,
            "created_at": created,
            "updated_at": created,
        }
    )


def users_frame(pop: Population, scale: float, seed: int, end: date) -> pl.DataFrame:
    """User accounts created up to ``end``, each in a structure that existed by then; the
    first account of a structure is its main manager."""
    rng = np.random.default_rng([seed, 1])
    launch = date(min(cal.NEW_USERS), 1, 1)
    created = _creation_times(rng, launch, end, lambda y: cal.new_users(y) * scale)
    structures_created = np.concatenate([pop.public_created, pop.supplier_created])
    order = np.argsort(structures_created, kind="stable")
    existing = np.searchsorted(structures_created[order], created, side="right")
    owner = order[np.floor(np.maximum(existing, 1) * rng.random(len(created))).astype(np.int64)]
    owner_created = structures_created[owner]
    created = np.maximum(created, owner_created + np.timedelta64(60, "s").astype("timedelta64[us]"))
    frame = pl.DataFrame(
        {
            "user_id": _ids("US", len(owner), 9),
            "structure_id": pop.structures.get_column("structure_id").gather(owner),
            "created_at": pl.Series(created)
            .dt.replace_time_zone(PARIS)
            .dt.convert_time_zone(UTC)
            .dt.cast_time_unit("us"),
        }
    ).sort("created_at", "user_id")
    first = frame.get_column("structure_id").is_first_distinct()
    secondary = pl.Series(rng.random(frame.height) < 0.1)
    limit = np.datetime64(_paris_midnight_utc(end + timedelta(1)), "us")
    return (
        frame.with_columns(
            role=pl.when(first)
            .then(pl.lit("main_manager"))
            .when(secondary)
            .then(pl.lit("secondary_manager"))
            .otherwise(pl.lit("user"))
        )
        .select("user_id", "structure_id", "role", "created_at")
        .filter(pl.col("created_at").dt.replace_time_zone(None) < limit)
    )


@functools.cache
def _works_landings(day: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (A15, A19) delay pair of a works chain started on ``day``, equally likely (A15
    after 3–8 days, A19 5–15 days after that, a weekend deposit moved to Monday): the days
    after ``day`` of its A15 and of its A19, and the year its A19 lands in."""
    a15 = np.arange(cal.WORKS_A15_DAYS[0], cal.WORKS_A15_DAYS[1] + 1)
    a19 = np.arange(cal.WORKS_A19_DAYS[0], cal.WORKS_A19_DAYS[1] + 1)
    first = np.repeat(a15, a19.size)
    total = first + np.tile(a19, a15.size)
    years = np.array([_next_weekday(day + timedelta(days=int(t))).year for t in total])
    return first, total, years


def _next_weekday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


@functools.cache
def _year_weight(year: int) -> float:
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    return sum(cal.day_weight(date(year, 1, 1) + timedelta(d)) for d in range(days))


def _works_rate(day: date, year: int) -> float:
    """A19 landing in ``year`` per document of ``day`` before the yearly correction."""
    if not cal.yearly_invoices(day.year):  # before the hub opened
        return 0.0
    return cal.works_share(year) * cal.yearly_invoices(year) / cal.yearly_invoices(day.year)


@functools.cache
def _works_correction(year: int) -> float:
    """Published A19 count of ``year`` / the count the uncorrected rates give: the chains
    started in late December lose their A19 to January, the previous year's ones bring
    theirs, and the two differ (day weights are normalised per year, 2020's lockdown
    raised its December's; -0.5 % without this)."""
    expected = 0.0
    day = date(year, 1, 1) - timedelta(WORKS_LEAD_DAYS)
    while day.year <= year:
        if cal.yearly_invoices(day.year):
            volume = cal.yearly_invoices(day.year) * cal.day_weight(day) / _year_weight(day.year)
            _, _, years = _works_landings(day)
            expected += volume * _works_rate(day, year) * float(np.mean(years == year))
        day += timedelta(1)
    return cal.works_share(year) * cal.yearly_invoices(year) / expected if expected else 1.0


def _works_lags(day: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The delay pairs of a works chain started on ``day`` (see ``_works_landings``) and
    each pair's rate: A19 per document of ``day``, at the rate of the year it lands in.

    Drawing the pairs in proportion to that rate, corrected so that each year's expected
    A19 count is its published figure, makes the yearly counts right whatever the delays
    (a single year per start day, by the mean delay, was 0.6 % short in 2020).
    """
    first, total, years = _works_landings(day)
    rates = {int(y): _works_rate(day, int(y)) * _works_correction(int(y)) for y in np.unique(years)}
    return first, total, np.array([rates[int(y)] for y in years])


@dataclass(frozen=True)
class _Documents:
    """The day's documents before they are frames: who deposits what to whom, how.

    Arrays of one value per document; the last ``3 * chains`` documents are works chains
    (A4, A15, A19), the ``regular`` ones before them ordinary documents."""

    regular: int
    chains: int
    supplier: np.ndarray
    recipient: np.ndarray
    category: np.ndarray
    channel: np.ndarray
    syntax: np.ndarray
    framework: np.ndarray
    #: 0 for an ordinary document, 1..3 in a chain
    chain_step: np.ndarray
    #: the position of the chain's first document (a document's own for an ordinary one)
    chain_head: np.ndarray
    is_credit: np.ndarray
    is_factored: np.ndarray

    @property
    def n(self) -> int:
        return self.regular + 3 * self.chains


@dataclass(frozen=True)
class _Amounts:
    """Integer cents of the day's documents and of their one or two VAT lines."""

    net: np.ndarray
    tax: np.ndarray
    #: per VAT line: its document, its number, net, rate (hundredths of a percent), tax
    line_invoice: np.ndarray
    line_number: np.ndarray
    line_net: np.ndarray
    line_rate: np.ndarray
    line_tax: np.ndarray


def invoices_for_day(
    pop: Population, day: date, n: int, seed: int, *, chains_only: bool = False
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Invoices, VAT lines, status events and platform refusals of the documents of ``day``
    (works chains deposit their A15 and A19 days later).

    ``chains_only``: only the works chains started that day (for the days before a history
    begins, whose A15 / A19 land inside it). The random draws come in a fixed order, so a
    seed gives the same history.
    """
    rng = np.random.default_rng([seed, 2, day.toordinal(), int(chains_only)])
    # works chains A4 -> A15 -> A19 take the last 3c documents; the others are ordinary.
    # The published count is of A19 deposits, by the year they land in: a chain's rate is
    # that year's, and its delays are drawn knowing it (late-December chains land in
    # January, at the next year's rate)
    lag_a15, lag_a19, lag_rates = _works_lags(day)
    share = float(lag_rates.mean())
    chains = min(n // 3, int(rng.binomial(n, min(share, 1 / 3))))
    # the ordinary documents: fewer fresh ones, as the rejected ones deposited again later
    # come on top of them
    published = n
    regular = 0 if chains_only else round((n - 3 * chains) / (1 + REDEPOSIT_RATE))
    if regular + 3 * chains == 0:
        return tuple(
            pl.DataFrame(schema=landing.landing_schema(landing.model_for(t)))
            for t in ("invoices", "invoice_vat_lines", "invoice_status_events", "deposit_refusals")
        )
    docs = _documents(rng, pop, day, regular, chains)
    lags = rng.choice(lag_rates.size, chains, p=lag_rates / lag_rates.sum()) if chains else []
    offset_days = np.zeros(docs.n, dtype=np.int64)
    offset_days[docs.chain_step == 2] = lag_a15[lags]
    offset_days[docs.chain_step == 3] = lag_a19[lags]
    deposit_day, deposited = _deposit_times(rng, day, offset_days)
    invoices, vat_lines = _frames(rng, pop, day, docs, deposit_day, deposited)
    paid_already = docs.framework == A2
    events = _status_events(
        rng,
        invoices,
        pop,
        docs.recipient,
        docs.category,
        paid_already,
        docs.chain_step,
        docs.framework,
    )
    again = _redeposits(rng, invoices, vat_lines, events, docs.chain_step)
    if again is not None:
        twins, twin_lines, at = again
        twin_events = _status_events(
            rng,
            twins,
            pop,
            docs.recipient[at],
            docs.category[at],
            paid_already[at],
            np.zeros(at.size, dtype=np.int64),
            docs.framework[at],
        )
        invoices = pl.concat([invoices, twins])
        vat_lines = pl.concat([vat_lines, twin_lines])
        events = pl.concat([events, twin_events])
    refusals = _refusals(rng, day, 0 if chains_only else published, pop, seed)
    return invoices, vat_lines, events, refusals


def _documents(
    rng: np.random.Generator, pop: Population, day: date, regular: int, chains: int
) -> _Documents:
    """Supplier, recipient, channel, syntax and framework of each document; a chain's
    documents share the titulaire and the public owner of its first one."""
    n = regular + 3 * chains
    public_existing, suppliers_existing = pop.existing(day)
    size = rng.choice(4, n, p=list(cal.SUPPLIER_SIZE_SHARES.values()))
    # the oldest structures of a block trade most (skewed ranks), only existing ones trade
    supplier = pop.supplier_offsets[size] + np.floor(
        suppliers_existing[size] * rng.random(n) ** 2.5
    ).astype(np.int64)
    category = rng.choice(4, n, p=list(cal.RECIPIENT_CATEGORY_SHARES.values()))
    recipient = pop.public_offsets[category] + np.floor(
        public_existing[category] * rng.random(n) ** 1.5
    ).astype(np.int64)
    is_state = category == 0
    other_portal = (cal.CHANNEL_SHARES["portal"] - 0.34 * cal.STATE_PORTAL_SHARE) / 0.66
    p_portal = np.where(is_state, cal.STATE_PORTAL_SHARE, other_portal)
    edi_of_rest = cal.CHANNEL_SHARES["edi"] / (
        cal.CHANNEL_SHARES["edi"] + cal.CHANNEL_SHARES["api"]
    )
    u = rng.random(n)
    # codes, turned into labels by polars at the end (no per-row Python strings)
    channel = np.where(
        u < p_portal, 0, np.where((u - p_portal) / (1 - p_portal) < edi_of_rest, 1, 2)
    )
    syntax = np.empty(n, dtype=np.int64)
    for code, ch in enumerate(CHANNELS):
        mask = channel == code
        shares = cal.SYNTAX_SHARES_BY_CHANNEL[ch]
        syntax[mask] = rng.choice(len(SYNTAXES), mask.sum(), p=[shares[x] for x in SYNTAXES])
    framework = np.empty(n, dtype=np.int64)
    framework[:regular] = rng.choice(
        len(cal.FRAMEWORK_SHARES), regular, p=list(cal.FRAMEWORK_SHARES.values())
    )
    framework[regular:] = np.tile([A4, A15, A19], chains)
    chain_step = np.zeros(n, dtype=np.int64)
    chain_step[regular:] = np.tile([1, 2, 3], chains)
    chain_head = np.arange(n)
    chain_head[regular:] = regular + (np.arange(3 * chains) // 3) * 3
    is_credit = (rng.random(n) < cal.CREDIT_NOTE_SHARE) & (framework == A1)
    is_factored = ~is_credit & (framework == A1) & (rng.random(n) < cal.FACTORED_SHARE)
    return _Documents(
        regular=regular,
        chains=chains,
        supplier=supplier[chain_head],
        recipient=recipient[chain_head],
        category=category[chain_head],
        channel=channel[chain_head],
        syntax=syntax[chain_head],
        framework=framework,
        chain_step=chain_step,
        chain_head=chain_head,
        is_credit=is_credit,
        is_factored=is_factored,
    )


def _deposit_times(
    rng: np.random.Generator, day: date, offset_days: np.ndarray
) -> tuple[np.ndarray, pl.Series]:
    """Each document's deposit day (``day`` plus its offset, a weekend moved to Monday) and
    time stamp (office hours in Paris, stored in UTC)."""
    deposit_day = np.datetime64(day, "D") + offset_days.astype("timedelta64[D]")
    weekday = (deposit_day.astype(np.int64) + 3) % 7  # 0 = Monday
    deposit_day = deposit_day + np.where(weekday >= 5, 7 - weekday, 0).astype("timedelta64[D]")
    seconds = (7 + rng.random(offset_days.size) * 12.5) * 3600
    local = deposit_day.astype("datetime64[us]") + pd_seconds(seconds)
    deposited = (
        pl.Series(local)
        .dt.replace_time_zone(PARIS)
        .dt.convert_time_zone(UTC)
        .dt.cast_time_unit("us")
    )
    return deposit_day, deposited


def _amounts(rng: np.random.Generator, n: int) -> _Amounts:
    """Net amounts (log-normal, 9 € at the least) and one or two VAT lines per document."""
    net = np.maximum(100, np.round(np.exp(rng.normal(np.log(900.0), 1.25, n)) * 100)).astype(
        np.int64
    )
    two_lines = rng.random(n) < 0.2
    # the calibration's VAT rates, in hundredths of a percent, in its order
    rates = np.array([round(Decimal(rate) * 100) for rate in cal.VAT_RATE_SHARES])
    rate_idx = rng.choice(4, (n, 2), p=list(cal.VAT_RATE_SHARES.values()))
    rate_idx[:, 1] = np.where(
        rate_idx[:, 1] == rate_idx[:, 0], (rate_idx[:, 0] + 1) % 4, rate_idx[:, 1]
    )
    first_net = np.where(two_lines, np.floor(net * (0.2 + 0.6 * rng.random(n))), net).astype(
        np.int64
    )
    line_invoice = np.concatenate([np.arange(n), np.flatnonzero(two_lines)])
    line_net = np.concatenate([first_net, (net - first_net)[two_lines]])
    line_rate = np.concatenate([rates[rate_idx[:, 0]], rates[rate_idx[two_lines, 1]]])
    line_tax = (line_net * line_rate + 5000) // 10000  # half-up on positive cents
    return _Amounts(
        net=net,
        tax=np.bincount(line_invoice, weights=line_tax, minlength=n).astype(np.int64),
        line_invoice=line_invoice,
        line_number=np.concatenate([np.ones(n, np.int64), np.full(two_lines.sum(), 2)]),
        line_net=line_net,
        line_rate=line_rate,
        line_tax=line_tax,
    )


def _frames(
    rng: np.random.Generator,
    pop: Population,
    day: date,
    docs: _Documents,
    deposit_day: np.ndarray,
    deposited: pl.Series,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The landing rows of the day's invoices and of their VAT lines."""
    n = docs.n
    ymd = day.strftime("%Y%m%d")
    ids = _ids(f"FA{ymd}", n, 7)
    number = _ids(f"F{ymd}-", n, 6)
    recipient = docs.recipient
    service_rank = np.floor(rng.random(n) * pop.public_service_counts[recipient]).astype(int) + 1
    needs_service = pop.public_requires_service[recipient] | (rng.random(n) < 0.5)
    needs_ej = pop.public_requires_ej[recipient] | (rng.random(n) < 0.3)
    amounts = _amounts(rng, n)
    paid_already = docs.framework == A2
    invoices = (
        pl.DataFrame(
            {
                "invoice_id": ids,
                "invoice_number": number,
                "type_code": _labels(
                    np.where(docs.is_credit, 1, np.where(docs.is_factored, 2, 0)),
                    ["380", "381", "393"],
                ),
                "supplier_structure_id": pop.supplier_ids.gather(docs.supplier),
                "recipient_structure_id": pop.public_ids.gather(recipient),
                "service_code": pl.Series(service_rank).cast(pl.String),
                "engagement_number": pl.Series(rng.integers(0, 10**8, n)).cast(pl.String),
                "billing_framework": _labels(docs.framework, FRAMEWORKS),
                "channel": _labels(docs.channel, CHANNELS),
                "syntax": _labels(docs.syntax, SYNTAXES),
                "scope": "B2G",
                "goods_services_nature": _labels(
                    rng.choice(3, n, p=[0.45, 0.45, 0.1]), ["goods", "services", "mixed"]
                ),
                "issue_date": deposit_day - rng.integers(0, 8, n).astype("timedelta64[D]"),
                "deposited_at": deposited,
                "currency_code": "EUR",
                "net": amounts.net,
                "tax": amounts.tax,
                "line_count": rng.integers(1, 21, n),
                "original_invoice_number": pl.DataFrame(
                    {"later": docs.chain_step > 1, "head": number.gather(docs.chain_head)}
                )
                .select(pl.when(pl.col("later")).then(pl.col("head")))
                .to_series(),
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
            "invoice_id": ids.gather(amounts.line_invoice),
            "line_number": amounts.line_number,
            "deposited_at": deposited.gather(amounts.line_invoice),
            "vat_category_code": "S",
            "vat_rate": amounts.line_rate,
            "taxable_amount": amounts.line_net,
            "tax_amount": amounts.line_tax,
        }
    ).with_columns(
        _money(pl.col("vat_rate")).cast(pl.Decimal(5, 2)),
        _money(pl.col("taxable_amount")),
        _money(pl.col("tax_amount")),
    )
    return invoices, vat_lines


def _redeposits(
    rng: np.random.Generator,
    invoices: pl.DataFrame,
    vat_lines: pl.DataFrame,
    events: pl.DataFrame,
    chain_step: np.ndarray,
) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray] | None:
    """The rejected invoices that their suppliers deposit again (``cal.REDEPOSIT_*``): a
    new invoice (its own id, number and document) with the same parties, lines and amount,
    deposited on a working day 1 to 15 days after the rejection. Returns the new invoices,
    their VAT lines and the positions of the rejected ones in ``invoices``, or None."""
    rejected = (
        invoices.select("invoice_id")
        .with_row_index("at")
        .join(
            events.filter(
                (pl.col("status_code") == "REJETEE")
                & ~pl.col("reason_code").is_in(cal.REDEPOSIT_NOT_AFTER)
            ).select("invoice_id", "occurred_at"),
            on="invoice_id",
        )
        .sort("at")
    )
    at = rejected.get_column("at").to_numpy().astype(np.int64)
    keep = (rng.random(at.size) < cal.REDEPOSIT_AFTER_REJECTION_SHARE) & (chain_step[at] == 0)
    at, rejected = at[keep], rejected.filter(pl.Series(keep))
    if not at.size:
        return None
    low, high = cal.REDEPOSIT_DAYS
    rejected_day = (
        rejected.get_column("occurred_at").dt.convert_time_zone(PARIS).dt.date().to_numpy()
    )
    day = rejected_day.astype("datetime64[D]") + rng.integers(low, high + 1, at.size).astype(
        "timedelta64[D]"
    )
    weekday = (day.astype(np.int64) + 3) % 7  # 0 = Monday
    day = day + np.where(weekday >= 5, 7 - weekday, 0).astype("timedelta64[D]")
    local = day.astype("datetime64[us]") + pd_seconds((7 + rng.random(at.size) * 12.5) * 3600)
    deposited = (
        pl.Series(local)
        .dt.replace_time_zone(PARIS)
        .dt.convert_time_zone(UTC)
        .dt.cast_time_unit("us")
    )
    twins = invoices[at].with_columns(
        (pl.col("invoice_id") + "R").alias("invoice_id"),
        (pl.col("invoice_number") + "-R").alias("invoice_number"),
        pl.Series("issue_date", day - rng.integers(0, 4, at.size).astype("timedelta64[D]")),
        deposited.alias("deposited_at"),
        _hex_digests(rng, at.size).alias("document_sha256"),
        deposited.alias("updated_at"),
    )
    new_deposit = pl.DataFrame(
        {"invoice_id": invoices.get_column("invoice_id").gather(at), "new_at": deposited}
    )
    twin_lines = (
        vat_lines.join(new_deposit, on="invoice_id")
        .with_columns(
            (pl.col("invoice_id") + "R").alias("invoice_id"), pl.col("new_at").alias("deposited_at")
        )
        .drop("new_at")
    )
    return twins, twin_lines, at


def _status_events(
    rng: np.random.Generator,
    invoices: pl.DataFrame,
    pop: Population,
    recipient: np.ndarray,
    category: np.ndarray,
    paid_already: np.ndarray,
    chain_step: np.ndarray,
    framework: np.ndarray,
) -> pl.DataFrame:
    n = invoices.height
    day_s = 86_400.0
    t0 = invoices.get_column("deposited_at").to_numpy().astype("datetime64[us]")
    rows: list[tuple[np.ndarray, str, np.ndarray, str, list[str] | None]] = []

    def add(mask, status, when, actor, reason=None):
        rows.append((mask, status, when, actor, reason))

    everyone = np.ones(n, dtype=bool)
    add(everyone, "DEPOSEE", t0, "platform")
    # A9 / A12: the valideur accepts, lets the 15 days run out, or refuses (chorus-pro §2.3)
    validated = (framework == A9) | (framework == A12)
    outcome = rng.choice(
        list(cal.VALIDATION_OUTCOME_SHARES), n, p=list(cal.VALIDATION_OUTCOME_SHARES.values())
    )
    t_ask = t0 + pd_seconds(60 + rng.random(n) * 540)
    t_answer = np.where(
        outcome == "ABSENCE_VALIDATION_1_HORS_DELAI",
        t0 + pd_seconds(np.full(n, 15 * day_s)),
        t_ask + pd_seconds((0.2 + rng.random(n) * 12) * day_s),
    )
    add(validated, "A_VALIDER_1", t_ask, "platform")
    for status, actor in (
        ("VALIDEE_1", "validator"),
        ("REFUSEE_1", "validator"),
        ("ABSENCE_VALIDATION_1_HORS_DELAI", "platform"),
    ):
        reason = ["ERREUR_MONTANT", "AUTRE"] if status == "REFUSEE_1" else None
        add(validated & (outcome == status), status, t_answer, actor, reason)
    refused_by_validator = validated & (outcome == "REFUSEE_1")
    available = ~refused_by_validator
    t_mad = np.where(validated, t_answer, t0) + pd_seconds(30 + rng.random(n) * 570)
    add(available, "MISE_A_DISPOSITION", t_mad, "platform")
    # works drafts (A4 to the MOE, A15 to the MOA) stop once made available: A19 is paid
    processed = available & ((chain_step == 0) | (chain_step == 3))
    outcome = rng.random(n)
    rejected = processed & (outcome < cal.REJECTION_SHARE)
    suspended = processed & ~rejected & (outcome < cal.REJECTION_SHARE + cal.SUSPENSION_SHARE)
    recycled = (processed & ~rejected & ~suspended) & (
        outcome < cal.REJECTION_SHARE + cal.SUSPENSION_SHARE + cal.RECYCLING_SHARE
    )
    t_rej = t_mad + pd_seconds((1 + rng.random(n) * 19) * day_s)
    add(rejected, "REJETEE", t_rej, "recipient", REJECTION_REASONS)
    t_susp = t_mad + pd_seconds((2 + rng.random(n) * 12) * day_s)
    t_comp = t_susp + pd_seconds((1 + rng.random(n) * 19) * day_s)
    add(suspended, "SUSPENDUE", t_susp, "recipient", ["PIECE_MANQUANTE", "AUTRE"])
    add(suspended, "COMPLETEE", t_comp, "supplier")
    t_recy = t_mad + pd_seconds((1 + rng.random(n) * 4) * day_s)
    t_redep = t_recy + pd_seconds((1 + rng.random(n) * 4) * day_s)
    t_remad = t_redep + pd_seconds(30 + rng.random(n) * 570)
    add(recycled, "A_RECYCLER", t_recy, "recipient", ["SERVICE_ERRONE", "EJ_ERRONE"])
    add(recycled, "DEPOSEE", t_redep, "supplier")
    add(recycled, "MISE_A_DISPOSITION", t_remad, "platform")
    clock = np.where(suspended, t_comp, np.where(recycled, t_remad, t_mad))
    mean_delay = np.array([cal.MEAN_PAYMENT_DELAY_DAYS[c] for c in PUBLIC_CATEGORIES])[category]
    delay_days = rng.gamma(2.5, mean_delay / 2.5)
    flows = processed & ~rejected & ~paid_already
    reports = pop.public_reports_payment[recipient]
    t_sf = clock + pd_seconds(delay_days * 0.3 * day_s + 3600)
    add(flows & (rng.random(n) < 0.6), "SERVICE_FAIT", t_sf, "recipient")
    t_pay = clock + pd_seconds(np.maximum(delay_days, 0.5) * day_s + 7200)
    add(flows & reports, "MISE_EN_PAIEMENT", t_pay, "accountant")
    amounts = invoices.get_column("amount_due")
    frames = []
    ids = invoices.get_column("invoice_id")
    for step, (mask, status, when, actor, reason) in enumerate(rows, start=1):
        idx = np.flatnonzero(mask)
        if not len(idx):
            continue
        frames.append(
            pl.DataFrame(
                {
                    # the event's step in this list makes its id: no sort needed
                    "__invoice": pl.Series(idx, dtype=pl.Int32),
                    "__step": step,
                    "event_id": ids.gather(idx) + f"-{step:02d}",
                    "invoice_id": ids.gather(idx),
                    "status_code": status,
                    "occurred_at": pl.Series(when[idx]).dt.replace_time_zone(UTC),
                    "actor_role": actor,
                    "reason_code": None
                    if reason is None
                    else _labels(rng.integers(0, len(reason), len(idx)), reason),
                    "payment_amount": amounts.gather(idx) if status == "MISE_EN_PAIEMENT" else None,
                },
                schema_overrides={
                    "reason_code": pl.String,
                    "payment_amount": pl.Decimal(18, 2),
                    "__step": pl.Int8,
                },
            )
        )
    events = pl.concat(frames).with_columns(
        pl.lit(None, pl.String).alias("comment"),
        pl.when(pl.col("status_code") == "MISE_EN_PAIEMENT")
        .then(pl.col("occurred_at").dt.convert_time_zone(PARIS).dt.date())
        .alias("payment_date"),
    )
    # numbered by the invoice's position and the step (integers: sorting the ids took 0.3 s
    # a national day)
    return number_events(events, invoice="__invoice", tie="__step").drop("__invoice", "__step")


def number_events(
    events: pl.DataFrame, *, invoice: str = "invoice_id", tie: str = "event_id"
) -> pl.DataFrame:
    """Each event's place in its invoice's lifecycle, as the platform records it (landing
    contract ``InvoiceStatusEvent``), for the whole, in-order histories the generator draws:
    recorded as they occur, numbered by time, then by ``tie`` (the step that drew them).
    ``invoice``: a column that tells the invoices apart (their id, or a number for it)."""
    return events.sort(invoice, "occurred_at", tie).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over(invoice).alias("event_sequence"),
        pl.col("status_code").shift(1).over(invoice).alias("previous_status_code"),
        pl.col("occurred_at").shift(1).over(invoice).alias("previous_status_at"),
        (pl.col("status_code") == "DEPOSEE")
        .cast(pl.Int32)
        .cum_sum()
        .over(invoice)
        .alias("deposit_round"),
        pl.lit(False).alias("is_out_of_order"),
        pl.col("occurred_at").alias("recorded_at"),
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
            "supplier_structure_id": pop.supplier_ids.gather(supplier),
            "recipient_siret": pop.public_sirets.gather(recipient),
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


class _Writer:
    """Writes landing tables on a background thread while the next day is generated.

    Polars releases the GIL while it encodes Parquet, so writing overlaps generation on the
    second core. At most ``depth`` writes wait in line, which bounds memory; the first
    error is raised in the caller's thread.
    """

    def __init__(self, landing_dir: Path, summary: GenerateSummary, depth: int = 6) -> None:
        self.landing_dir, self.summary = landing_dir, summary
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="landing-writer")
        self.queue: deque[Future] = deque()
        self.depth = depth

    def write(self, table: str, frame: pl.DataFrame) -> None:
        while len(self.queue) >= self.depth:
            self.summary.add(self.queue.popleft().result())
        self.queue.append(
            self.pool.submit(
                landing.write_table, self.landing_dir, table, frame, part=PART, durable=False
            )
        )

    def close(self) -> None:
        try:
            while self.queue:
                self.summary.add(self.queue.popleft().result())
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


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
    writer = _Writer(landing_dir, summary)
    try:
        _generate(writer, start, end, scale, seed, progress)
    finally:
        writer.close()
    # every frame was checked against its contract on its way in: the build need not re-read
    mark_checked(landing_dir, summary.paths)
    summary.seconds = time.perf_counter() - began
    return summary


def _generate(writer: _Writer, start, end, scale, seed, progress) -> None:
    pop = build_population(start, end, scale, seed)
    cutoff = np.datetime64(_paris_midnight_utc(end + timedelta(1)), "us")
    writer.write("structures", pop.structures)
    writer.write("services", services_frame(pop))
    writer.write("users", users_frame(pop, scale, seed, end))
    invoice_counts = daily_counts(start, end, lambda y: cal.yearly_invoices(y) * scale)
    lead = start - timedelta(days=WORKS_LEAD_DAYS)
    lead_counts = daily_counts(lead, start - timedelta(1), lambda y: cal.yearly_invoices(y) * scale)
    history_begins = np.datetime64(_paris_midnight_utc(start), "us")
    solicitation_counts = daily_counts(start, end, lambda y: cal.YEARLY_SOLICITATIONS * scale)
    # rows wait until their Europe/Paris day can receive nothing more: status events come
    # later than their deposit, and works chains deposit their A15 / A19 days later
    # Payment events wait months: big chunks are held as LZ4-compressed Arrow (a fifth of
    # the memory); small ones stay frames, so small scales pay no per-chunk encoding.
    pending: dict[str, dict[date, list[pl.DataFrame | bytes]]] = {
        t: defaultdict(list) for t in ("invoices", "invoice_vat_lines", "invoice_status_events")
    }

    def hold(table: str, frame: pl.DataFrame, column: str) -> None:
        naive = pl.col(column).dt.replace_time_zone(None)
        frame = frame.filter((naive >= history_begins) & (naive < cutoff))
        day_of = pl.col(column).dt.convert_time_zone(PARIS).dt.date().alias("__d")
        parts = frame.with_columns(day_of).partition_by("__d", as_dict=True, include_key=False)
        for (d,), chunk in parts.items():
            if chunk.height >= COMPRESS_FROM_ROWS:
                buffer = io.BytesIO()
                chunk.write_ipc(buffer, compression="lz4")
                pending[table][d].append(buffer.getvalue())
            else:
                pending[table][d].append(chunk)

    # e-reporting payments wait for their (later) day of receipt
    payments: dict[date, list[pl.DataFrame]] = defaultdict(list)

    def hold_payments(frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        frame = frame.filter(pl.col("payment_date") <= end)
        for (d,), chunk in frame.partition_by("payment_date", as_dict=True).items():
            payments[d].append(chunk)

    def flush(up_to: date) -> None:
        for table, days in pending.items():
            for d in sorted(k for k in days if k <= up_to):
                chunks = [
                    pl.read_ipc(io.BytesIO(c)) if isinstance(c, bytes) else c for c in days.pop(d)
                ]
                # B2G and B2Bi invoices carry different optional columns: union by name
                writer.write(table, pl.concat(chunks, how="diagonal_relaxed", rechunk=True))
        for d in sorted(k for k in payments if k <= up_to):
            writer.write("payments", pl.concat(payments.pop(d), how="diagonal_relaxed"))

    declarants = er.pick_declarants(pop.structures, seed)

    def ereporting_day(day: date) -> None:
        received = (_paris_midnight_utc(day) + timedelta(hours=21)).replace(tzinfo=UTC_TZ)
        sales, b2c_payments = er.b2c_for_day(declarants, day, seed, received)
        if sales.height:
            writer.write("b2c_sales", sales)
        hold_payments(b2c_payments)
        n = int(
            np.random.default_rng([seed, 10, day.toordinal()]).poisson(er.daily_b2bi(day, scale))
        )
        rng = np.random.default_rng([seed, 11, day.toordinal()])
        deposited = np.datetime64(_paris_midnight_utc(day), "us") + pd_seconds(
            (8 + rng.random(n) * 10) * 3600
        )
        invoices, vat_lines, events, later = er.b2bi_for_day(declarants, day, n, seed, deposited)
        if invoices.height:
            hold("invoices", invoices, "deposited_at")
            hold("invoice_vat_lines", vat_lines, "deposited_at")
            hold("invoice_status_events", events, "occurred_at")
        hold_payments(later)

    # works chains started before the history deposit their A15 / A19 inside it
    for day in sorted(lead_counts):
        invoices, vat_lines, events, _ = invoices_for_day(
            pop, day, lead_counts[day], seed, chains_only=True
        )
        hold("invoices", invoices, "deposited_at")
        hold("invoice_vat_lines", vat_lines, "deposited_at")
        inside = invoices.filter(
            pl.col("deposited_at").dt.replace_time_zone(None) >= history_begins
        ).get_column("invoice_id")
        kept = events.filter(pl.col("invoice_id").is_in(inside.implode()))
        hold("invoice_status_events", kept, "occurred_at")
    for day in sorted(invoice_counts):
        writer.write(
            "solicitations", solicitations_for_day(pop, day, solicitation_counts[day], seed)
        )
        ereporting_day(day)
        if invoice_counts[day] == 0:
            flush(day)
            continue
        invoices, vat_lines, events, refusals = invoices_for_day(
            pop, day, invoice_counts[day], seed
        )
        hold("invoices", invoices, "deposited_at")
        hold("invoice_vat_lines", vat_lines, "deposited_at")
        hold("invoice_status_events", events, "occurred_at")
        writer.write("deposit_refusals", refusals)
        flush(day)
        if progress:
            progress(day)
    flush(end)
