"""Read-only questions to the current serving snapshot.

One read-only DuckDB connection, to the current snapshot: the first query on a new
publication opens it and lets the previous one go (its file is closed once the queries still
running on it end, so the publisher can take that file back for the next snapshot); each
query runs on a cursor of it and its answer is cached per snapshot, SQL and parameters. Every
query reads an ``rpt_`` table, or looks up a few rows of a mart by key (an invoice's
history): no page aggregates a fact table.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from vigie.dashboards.formatting import datetime_column_text
from vigie.platform.contracts.transmissions import SENT_STATUSES, ExportState
from vigie.platform.contracts.transmissions import states as export_states
from vigie.platform.settings import Settings

#: a transmission the export step has not written or checked yet
NOT_EXPORTED = ExportState("built")

MONTHLY_VOLUMES_SQL = """
select month_start_date, year, month, invoice_count
from reports.rpt_monthly_volumes
where {roles:operator}
order by month_start_date
"""


_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_connections_lock = threading.Lock()


def connection(snapshot_id: str, snapshot_path: str) -> duckdb.DuckDBPyConnection:
    """The read-only connection to one snapshot version, shared by every session of this
    process. Opening a newer one drops the older: not closed under a running query, but
    closed with the last cursor that uses it (a file kept open would stop the publisher from
    reusing it, and cost a 10 GB copy at national scale)."""
    with _connections_lock:
        con = _connections.get(snapshot_path)
        if con is None:
            con = duckdb.connect(snapshot_path, read_only=True)
            _connections.clear()
            _connections[snapshot_path] = con
        return con


def run_query(snapshot_id: str, snapshot_path: str, sql: str, params: tuple = ()) -> pl.DataFrame:
    """One query on a cursor of the snapshot's connection (no answer cache)."""
    cursor = connection(snapshot_id, snapshot_path).cursor()
    try:
        return cursor.execute(sql, list(params)).pl()
    finally:
        cursor.close()


_cached_query = st.cache_data(ttl="10m", max_entries=256, show_spinner=False)(run_query)


def query(snapshot_id: str, snapshot_path: str, sql: str, params: tuple = ()) -> pl.DataFrame:
    """The answer, cached per snapshot, SQL and parameters — unless VIGIE_DASHBOARD_CACHE=0
    (``vigie bench dashboards`` times pages as a first visitor sees them)."""
    if os.environ.get("VIGIE_DASHBOARD_CACHE") == "0":
        return run_query(snapshot_id, snapshot_path, sql, params)
    return _cached_query(snapshot_id, snapshot_path, sql, params)


TABLES_SQL = """
select schema_name || '.' || table_name as name from duckdb_tables()
"""


def has_table(snapshot_id: str, snapshot_path: str, name: str) -> bool:
    """Whether the snapshot holds ``schema.table``: a snapshot published by an older version
    lacks the reports added since, until the next build publishes a new one."""
    return name in query(snapshot_id, snapshot_path, TABLES_SQL).get_column("name").to_list()


def monthly_volumes(reader) -> pl.DataFrame:
    return reader.query(MONTHLY_VOLUMES_SQL)


def year_summary(monthly: pl.DataFrame, year: int) -> dict[str, float | int | None]:
    """Invoices of ``year``, of the year before, and the change (None without a base)."""
    totals = dict(monthly.group_by("year").agg(pl.col("invoice_count").sum()).iter_rows())
    current, previous = totals.get(year, 0), totals.get(year - 1)
    growth = (current - previous) / previous if previous else None
    months = monthly.filter(pl.col("year") == year).height
    return {"invoices": current, "previous": previous, "growth": growth, "months": months}


def monthly_table(
    monthly: pl.DataFrame, year: int, month_names: list[str], columns: tuple[str, str]
) -> pl.DataFrame:
    """The months of ``year`` for display: month name and invoices, labelled columns."""
    return monthly.filter(pl.col("year") == year).select(
        pl.col("month")
        .replace_strict(dict(enumerate(month_names, start=1)), return_dtype=pl.String)
        .alias(columns[0]),
        pl.col("invoice_count").alias(columns[1]),
    )


def year_over_year(monthly: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per month of ``year`` and ``year - 1``: month number, year, invoices."""
    return monthly.filter(pl.col("year").is_in([year, year - 1])).select(
        "month", "year", "invoice_count"
    )


EREPORTING_SQL = """
select declarant_siren, declarant_role, report_kind, period_start_date, period_end_date,
    declarant_name, vat_regime, invoice_record_count, aggregate_record_count, taxable_amount,
    tax_amount, received_amount, platform_deadline_date, administration_deadline_at,
    last_received_at, received_after_deadline
from reports.rpt_ereporting_transmissions
where declarant_siren = ? and {roles:operator,tax_administration}
order by period_start_date, report_kind
"""

#: the years with transmissions, latest first
EREPORTING_YEARS_SQL = """
select distinct year(period_start_date) as year from reports.rpt_ereporting_transmissions
where {roles:operator,tax_administration}
order by year desc
"""

#: every declarant's transmissions of a year: the overview's rows
EREPORTING_YEAR_SQL = """
select declarant_siren, declarant_role, report_kind, period_start_date, declarant_name,
    platform_deadline_date, last_received_at, received_after_deadline
from reports.rpt_ereporting_transmissions
where year(period_start_date) = ? and {roles:operator,tax_administration}
"""

EREPORTING_DECLARANTS_SQL = """
select declarant_siren, any_value(declarant_name) as declarant_name
from reports.rpt_ereporting_transmissions
where {roles:operator,tax_administration}
group by declarant_siren
order by declarant_siren
"""


def ereporting_transmissions(reader, declarant: str) -> pl.DataFrame:
    """The transmissions of one declarant (the national table holds hundreds of thousands)."""
    return reader.query(EREPORTING_SQL, (declarant,))


def with_export_status(transmissions: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Adds where each transmission stands, as the export step recorded it: its
    ``status`` (built, exported, rectified or invalid), ``transmission_id``, the
    ``export_path`` of the file sent and the ``export_errors`` of a refused export."""
    sirens = transmissions.get_column("declarant_siren").unique().to_list()
    latest = export_states(settings, sirens[0] if len(sirens) == 1 else None)
    keys = transmissions.select(
        "declarant_siren",
        "declarant_role",
        "report_kind",
        pl.col("period_start_date").cast(pl.String),
    ).rows()
    found = [latest.get(k, NOT_EXPORTED) for k in keys]
    return transmissions.with_columns(
        pl.Series("status", [s.status for s in found], dtype=pl.String),
        pl.Series("transmission_id", [s.transmission_id for s in found], dtype=pl.String),
        pl.Series("export_path", [s.path and str(s.path) for s in found], dtype=pl.String),
        pl.Series("export_errors", [list(s.errors) for s in found], dtype=pl.List(pl.String)),
    )


def mark_late(transmissions: pl.DataFrame, today) -> pl.DataFrame:
    """Adds ``late_reason`` and ``is_late``; the late ones first, then by period.

    A transmission is late when the declarant's data reached the hub after the platform
    deadline (``received_late``: it could not leave on time, whatever the export did), or
    when it is not sent yet (built, or refused by the checks) and the deadline is past on
    ``today`` in Paris (``not_sent``)."""
    return (
        transmissions.with_columns(
            pl.when(pl.col("received_after_deadline"))
            .then(pl.lit("received_late"))
            .when(
                ~pl.col("status").is_in(SENT_STATUSES) & (pl.col("platform_deadline_date") < today)
            )
            .then(pl.lit("not_sent"))
            .alias("late_reason")
        )
        .with_columns(pl.col("late_reason").is_not_null().alias("is_late"))
        .sort(
            ["is_late", "period_start_date", "report_kind", "declarant_siren"],
            descending=[True, False, False, False],
        )
    )


#: the statuses of a transmission, in the order an overview counts them
EXPORT_STATUSES = ("built", "invalid", "exported", "rectified")


def ereporting_overview(rows: pl.DataFrame) -> pl.DataFrame:
    """Per kind of transmission: how many, by export status, and how many are late (sent
    or not), with the deadline of the earliest late one."""
    return (
        rows.group_by("report_kind")
        .agg(
            pl.len().alias("transmission_count"),
            *[(pl.col("status") == s).sum().alias(f"{s}_count") for s in EXPORT_STATUSES],
            (pl.col("late_reason") == "not_sent").sum().alias("not_sent_late_count"),
            (pl.col("late_reason") == "received_late").sum().alias("received_late_count"),
            pl.col("platform_deadline_date")
            .filter(pl.col("is_late"))
            .min()
            .alias("earliest_late_deadline"),
        )
        .sort("report_kind", descending=True)  # transactions, then payments
    )


#: why a transmission is late (``mark_late``)
LATE_REASONS = ("received_late", "not_sent")


def late_transmissions_table(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The late transmissions of every declarant, for display: who, which period, why."""
    from vigie.dashboards.i18n import t

    return rows.filter(pl.col("is_late")).select(
        # who and which period, why late and by how much; the name last (it is long)
        pl.col("declarant_siren").alias(t("er_declarant", lang)),
        pl.col("report_kind")
        .replace_strict({k: t(f"er_{k}", lang) for k in ("transactions", "payments")})
        .alias(t("er_kind", lang)),
        pl.col("period_start_date").alias(t("er_period_start", lang)),
        pl.col("late_reason")
        .replace_strict({r: t(f"er_late_{r}", lang) for r in LATE_REASONS})
        .alias(t("er_late", lang)),
        pl.col("platform_deadline_date").alias(t("er_deadline", lang)),
        pl.col("last_received_at")
        .dt.convert_time_zone("Europe/Paris")
        .alias(t("er_received_at", lang)),
        pl.col("status")
        .replace_strict({s: t(f"er_status_{s}", lang) for s in EXPORT_STATUSES})
        .alias(t("er_status", lang)),
        pl.col("declarant_name").alias(t("name", lang)),
    )


def ereporting_table(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The transmissions of one declarant for display, with labelled columns."""
    from vigie.dashboards.i18n import t

    return rows.select(
        # the period and where it stands first; amounts and the other dates after
        pl.col("report_kind")
        .replace_strict({k: t(f"er_{k}", lang) for k in ("transactions", "payments")})
        .alias(t("er_kind", lang)),
        pl.col("period_start_date").alias(t("er_period_start", lang)),
        pl.col("status")
        .replace_strict({s: t(f"er_status_{s}", lang) for s in EXPORT_STATUSES})
        .alias(t("er_status", lang)),
        pl.col("late_reason")
        .replace_strict({r: t(f"er_late_{r}", lang) for r in LATE_REASONS}, default="")
        .alias(t("er_late", lang)),
        pl.col("platform_deadline_date").alias(t("er_deadline", lang)),
        (pl.col("invoice_record_count") + pl.col("aggregate_record_count")).alias(
            t("er_records", lang)
        ),
        pl.col("taxable_amount").alias(t("er_taxable", lang)),
        pl.col("tax_amount").alias(t("er_vat", lang)),
        pl.col("received_amount").alias(t("er_received", lang)),
        pl.col("last_received_at")
        .dt.convert_time_zone("Europe/Paris")
        .alias(t("er_received_at", lang)),
        pl.col("period_end_date").alias(t("er_period_end", lang)),
        # a time stamp (in Paris): the table shows it in the language's order, the CSV in
        # the one date format of the file
        pl.col("administration_deadline_at")
        .dt.convert_time_zone("Europe/Paris")
        .alias(t("er_admin_deadline", lang)),
        pl.col("transmission_id").alias(t("er_transmission_id", lang)),
    )


def sent_file(reader, path: str) -> bytes | None:
    """The XML file the export step wrote for a transmission (None when it is no longer
    there), for a reader whose role opens the e-reporting only."""
    reader.require("ereporting")
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None


# ---------------------------------------------------------------- Bilan annuel
BILAN_YEARLY_SQL = "select * from reports.rpt_bilan_yearly where {roles:operator} order by year"

BILAN_SPLITS_SQL = """
select breakdown, breakdown_value,
    sum(invoice_count) as invoice_count,
    sum(invoice_count_previous_year) as invoice_count_previous_year
from reports.rpt_bilan_monthly
where year = ? and breakdown <> 'total' and {roles:operator}
group by all
order by breakdown, invoice_count desc, breakdown_value
"""

# ---------------------------------------------------------------- Délais de paiement
ENTITY_SEARCH_SQL = """
select structure_id, siret, structure_name, public_category, legal_payment_delay_days
from marts.dim_structures
where is_public and (structure_name ilike '%' || ? || '%' or siret like ? || '%')
    and {scope:structure_id}
order by structure_name, siret
limit 50
"""

ENTITY_SQL = """
select structure_id, siret, structure_name, public_category, legal_payment_delay_days,
    reports_payment_status
from marts.dim_structures where structure_id = ? and {scope:structure_id}
"""

DELAYS_YEARLY_SQL = """
select * from reports.rpt_payment_delays_yearly
where year = ? and public_category = ? and {roles:operator,public_entity}
    and (grain = 'category' or (recipient_structure_id = ? and {scope:recipient_structure_id}))
"""

#: the public categories with figures (the category view's choices)
DELAY_CATEGORIES_SQL = """
select distinct public_category from reports.rpt_payment_delays_yearly
where public_category is not null and {roles:operator,public_entity}
order by 1
"""

#: each public category's words and legal delay (a reference table: nobody's rows)
LEGAL_DELAYS_SQL = """
select public_category, legal_delay_days, label_fr, label_en from reference.ref_legal_delays
"""

DELAY_YEARS_SQL = """
select distinct year from reports.rpt_payment_delays_yearly
where {roles:operator,public_entity} order by year desc
"""

DISTRIBUTION_SQL = """
select grain, delay_bucket_start_days, paid_invoice_count
from reports.rpt_payment_delays_distribution
where year = ? and public_category = ? and {roles:operator,public_entity}
    and (grain = 'category' or (recipient_structure_id = ? and {scope:recipient_structure_id}))
order by grain, delay_bucket_start_days
"""

ENTITY_MONTHS_SQL = """
select payment_month_start_date, paid_invoice_count, mean_delay_days, median_delay_days,
    paid_within_30_days_pct, late_invoice_count, late_interest_eur, recovery_indemnity_eur
from reports.rpt_payment_delays_by_entity_month
where recipient_structure_id = ? and year(payment_month_start_date) = ?
    and {scope:recipient_structure_id}
order by payment_month_start_date
"""

CATEGORY_MONTHS_SQL = """
select payment_month_start_date, paid_invoice_count, mean_delay_days, median_delay_days,
    paid_within_30_days_pct, late_invoice_count, late_interest_eur, recovery_indemnity_eur
from reports.rpt_payment_delays_by_category_month
where public_category = ? and year(payment_month_start_date) = ?
    and {roles:operator,public_entity}
order by payment_month_start_date
"""

LATE_INVOICES_SQL = """
select invoice_id, invoice_number, supplier_name, supplier_siret, amount_incl_vat,
    receipt_date, due_date, payment_date, days_late, interest_rate_pct, late_interest_eur,
    recovery_indemnity_eur, amount_owed_eur
from reports.rpt_late_invoices
where recipient_structure_id = ? and year(payment_date) = ?
    and {scope:recipient_structure_id}
order by days_late desc, invoice_number
"""

#: the invoices an entity paid in one month (a row of its months table, drilled into)
PAID_IN_MONTH_SQL = """
select d.invoice_id, d.invoice_number, s.structure_name as supplier_name,
    s.siret as supplier_siret, d.amount_incl_vat, d.receipt_date, d.due_date, d.payment_date,
    d.observed_delay_days, d.days_late, d.late_interest_eur, d.recovery_indemnity_eur
from marts.fct_payment_delays as d
left join marts.dim_structures as s on d.supplier_structure_id = s.structure_id
where d.recipient_structure_id = $1 and d.payment_status = 'paid'
    and d.payment_date >= $2::date and d.payment_date < $2::date + interval 1 month
    and {scope:d.recipient_structure_id}
order by d.observed_delay_days desc, d.invoice_number
"""

OVERDUE_INVOICES_SQL = """
select invoice_id, invoice_number, supplier_name, supplier_siret, amount_incl_vat,
    receipt_date, due_date, overdue_on_date, days_overdue, interest_rate_pct,
    accrued_interest_eur, recovery_indemnity_eur, amount_owed_eur
from reports.rpt_overdue_invoices
where recipient_structure_id = ? and {scope:recipient_structure_id}
order by days_overdue desc, invoice_number
"""

# ---------------------------------------------------------------- Rejets
REJECTIONS_SQL = """
select * from reports.rpt_rejections_monthly
where year(month_start_date) = ? and {roles:operator}
order by month_start_date, breakdown, breakdown_value
"""

REJECTION_YEARS_SQL = """
select distinct cast(year(month_start_date) as integer) as year
from reports.rpt_rejections_monthly where {roles:operator} order by 1 desc
"""

TOP_PARTIES_SQL = """
select party_role, rank, siret, structure_name, deposited_count, rejection_count,
    recycling_count, rejection_rate_pct
from reports.rpt_rejections_by_party where year = ? and {roles:operator}
order by party_role, rank
"""

HIDDEN_DELAYS_SQL = """
select month_start_date, recipient_category, redeposited_invoice_count, mean_days_lost,
    total_days_lost, max_days_lost, amount_incl_vat
from reports.rpt_hidden_delays_monthly
where year(month_start_date) = ? and {roles:operator}
order by month_start_date, recipient_category
"""

#: the invoices behind a reason or a party of the year's rejections (an operator's
#: drill-down): the recipients' rejections and returns for recycling, the latest first;
#: $2 a reason code, $3 a supplier's SIRET, $4 a recipient's (each null for any)
REJECTED_INVOICES_SQL = """
with returned as (
    select invoice_id, status_code, occurred_date, reason_code
    from marts.fct_status_events
    where status_code in ('REJETEE', 'A_RECYCLER') and year(occurred_date) = $1
        and ($2::varchar is null or reason_code = $2) and {roles:operator}
)
select
    i.invoice_id, i.invoice_number, s.siret as supplier_siret, s.structure_name as supplier_name,
    r.siret as recipient_siret, r.structure_name as recipient_name, i.total_incl_vat,
    e.status_code, e.occurred_date as rejected_at, e.reason_code
from returned as e
inner join marts.fct_invoices as i on e.invoice_id = i.invoice_id
left join marts.dim_structures as s on i.supplier_structure_id = s.structure_id
left join marts.dim_structures as r on i.recipient_structure_id = r.structure_id
where ($3::varchar is null or s.siret = $3) and ($4::varchar is null or r.siret = $4)
order by e.occurred_date desc, i.invoice_number
limit 1000
"""

# a supplier's view: what each of its buyers pays, and how late
SUPPLIER_DELAY_YEARS_SQL = """
select distinct cast(year(payment_date) as integer) as year
from marts.fct_payment_delays
where payment_date is not null and {scope:supplier_structure_id}
order by year desc
"""

SUPPLIER_BUYERS_SQL = """
with mine as (
    select * from marts.fct_payment_delays
    where year(payment_date) = ? and {scope:supplier_structure_id}
)
select
    b.siret as recipient_siret,
    b.structure_name as recipient_name,
    count(*) as paid_invoice_count,
    cast(round(avg(m.observed_delay_days), 1) as decimal(6, 1)) as mean_delay_days,
    cast(median(m.observed_delay_days) as decimal(6, 1)) as median_delay_days,
    count(*) filter (where m.is_late) as late_invoice_count,
    sum(m.late_interest_eur) as late_interest_eur,
    sum(m.recovery_indemnity_eur) as recovery_indemnity_eur
from mine as m
left join marts.dim_structures as b on m.recipient_structure_id = b.structure_id
group by all
order by paid_invoice_count desc, recipient_name
"""

# the rejections of a public entity (it made them) or of a supplier (it received them)
PARTY_REJECTION_YEARS_SQL = """
select distinct cast(year(e.occurred_date) as integer) as year
from marts.fct_status_events as e
inner join marts.fct_invoices as i on e.invoice_id = i.invoice_id
where e.status_code = 'REJETEE'
    and ({scope:i.supplier_structure_id} or {scope:i.recipient_structure_id})
order by year desc
"""

PARTY_REJECTIONS_SQL = """
with mine as (
    select invoice_id, invoice_number, supplier_structure_id, recipient_structure_id,
        total_incl_vat
    from marts.fct_invoices
    where {scope:supplier_structure_id} or {scope:recipient_structure_id}
)
select
    i.invoice_id, i.invoice_number, s.siret as supplier_siret, s.structure_name as supplier_name,
    r.siret as recipient_siret, r.structure_name as recipient_name, i.total_incl_vat,
    e.occurred_date as rejected_at, e.reason_code
from marts.fct_status_events as e
inner join mine as i on e.invoice_id = i.invoice_id
left join marts.dim_structures as s on i.supplier_structure_id = s.structure_id
left join marts.dim_structures as r on i.recipient_structure_id = r.structure_id
where e.status_code = 'REJETEE' and year(e.occurred_date) = ?
order by e.occurred_at desc, i.invoice_number
"""

# ---------------------------------------------------------------- Recherche facture
# the parties are read by the few ids found: a join with the whole dim_structures built a
# hash table of its 1.3 M national rows twice per look-up (120 ms; 24 ms this way)
INVOICE_LOOKUP_SQL = """
with found as (
    select * from marts.fct_invoices
    -- the number as typed: any case, spaces around (the snapshot's key is of its
    -- upper-cased, trimmed form: publish.LOOKUP_KEYS)
    where lookup_key = hash(upper(trim($1::varchar)))
        and upper(trim(invoice_number)) = upper(trim($1::varchar))
        and ({scope:supplier_structure_id} or {scope:recipient_structure_id})
),
parties as (
    select structure_id, siret, structure_name from marts.dim_structures
    where structure_id in (
        select supplier_structure_id from found union all select recipient_structure_id from found
    )
)
select i.invoice_id, i.invoice_number, s.siret as supplier_siret,
    s.structure_name as supplier_name, r.siret as recipient_siret,
    r.structure_name as recipient_name, i.total_incl_vat, i.issue_date, i.deposited_at,
    i.channel, c.label_fr as channel_label_fr, c.label_en as channel_label_en,
    i.billing_framework
from found as i
left join parties as s on i.supplier_structure_id = s.structure_id
left join parties as r on i.recipient_structure_id = r.structure_id
left join reference.ref_channels as c on i.channel = c.channel
where $2::varchar is null or s.siret = $2
order by i.deposited_at desc
limit 20
"""

#: an invoice's delay, for the look-up (the invoice was found in the reader's scope already;
#: the scope is applied again here, where the row is read)
INVOICE_DELAY_SQL = """
select recipient_structure_id, payment_status, due_date, payment_date, days_late,
    late_interest_eur, recovery_indemnity_eur
from marts.fct_payment_delays
where invoice_id = $1
    and ({scope:supplier_structure_id} or {scope:recipient_structure_id})
"""

INVOICE_HISTORY_SQL = """
select e.event_sequence, e.occurred_at, e.status_code, s.label_fr as status_label_fr,
    s.label_en as status_label_en, e.previous_status_code,
    p.label_fr as previous_status_label_fr, p.label_en as previous_status_label_en,
    e.actor_role, e.reason_code, e.payment_date, e.payment_amount
from marts.fct_status_events as e
left join reference.ref_statuses as s on e.status_code = s.status_code
left join reference.ref_statuses as p on e.previous_status_code = p.status_code
where e.lookup_key = hash($1::varchar) and e.invoice_id = $1
    -- the invoice is one of the reader's: read by its number's key (the snapshot keeps
    -- fct_invoices sorted by it; by invoice_id it was a scan of every invoice)
    and e.invoice_id in (
        select invoice_id from marts.fct_invoices
        where lookup_key = hash(upper(trim($2::varchar)))
            and upper(trim(invoice_number)) = upper(trim($2::varchar))
            and ({scope:supplier_structure_id} or {scope:recipient_structure_id})
    )
order by e.event_sequence
"""


#: the words for the values of a breakdown, from the reference tables (the others: ``i18n``)
BREAKDOWN_LABELS_SQL = """
select 'channel' as breakdown, channel as code, label_fr, label_en from reference.ref_channels
union all
select 'syntax', syntax, label_fr, label_en from reference.ref_syntaxes
union all
select 'recipient_category', public_category, label_fr, label_en from reference.ref_legal_delays
"""
#: breakdown values named in ``i18n`` (``<breakdown>_<code>``): no reference table has them
I18N_BREAKDOWNS = {
    "supplier_size": ("micro", "sme", "intermediate", "large"),
    "document_type": ("invoice", "credit_note", "works_invoice"),
}


def breakdown_labels(reader, lang: str) -> dict[str, dict]:
    """Per breakdown, its codes in words (``edi`` → ``EDI``, ``health`` → ``Établissements
    publics de santé``, ``sme`` → ``PME``, ``A9`` → ``A9 — Facture de sous-traitant``). A
    code without a label is shown as it is."""
    from vigie.dashboards.i18n import BILLING_FRAMEWORKS, t

    labels: dict[str, dict] = {}
    found = reader.query(BREAKDOWN_LABELS_SQL)
    for breakdown, code, label in found.select("breakdown", "code", f"label_{lang}").iter_rows():
        labels.setdefault(breakdown, {})[code] = label
    for breakdown, codes in I18N_BREAKDOWNS.items():
        labels[breakdown] = {code: t(f"{breakdown}_{code}", lang) for code in codes}
    labels["billing_framework"] = {code: names[lang] for code, names in BILLING_FRAMEWORKS.items()}
    return labels


def in_words(column: str, labels: dict[str, str]) -> pl.Expr:
    """``column``'s codes replaced by their ``labels`` (codes without one kept)."""
    return pl.col(column).replace(labels)


def bilan_splits(frame: pl.DataFrame, breakdown: str) -> pl.DataFrame:
    """One breakdown of the year: value, invoices, the year before, change in percent."""
    return (
        frame.filter(pl.col("breakdown") == breakdown)
        .select(
            "breakdown_value",
            pl.col("invoice_count").cast(pl.Int64),
            pl.col("invoice_count_previous_year").cast(pl.Int64),
        )
        .with_columns(
            pl.when(pl.col("invoice_count_previous_year") > 0)
            .then(
                (
                    (pl.col("invoice_count") - pl.col("invoice_count_previous_year"))
                    * 100.0
                    / pl.col("invoice_count_previous_year")
                ).round(1)
            )
            .alias("change_pct")
        )
    )


#: who records a status event (``actor_role``), each with a label in ``i18n``
ACTOR_ROLES = ("platform", "supplier", "recipient", "validator", "accountant")


def history_table(history: pl.DataFrame, lang: str) -> pl.DataFrame:
    """An invoice's status events for display, times in Paris, reasons in words."""
    from vigie.dashboards.i18n import reason_label, t

    return history.select(
        pl.col("event_sequence").alias(t("event_sequence", lang)),
        datetime_column_text("occurred_at", lang).alias(t("occurred_at", lang)),
        pl.coalesce(f"status_label_{lang}", "status_code").alias(t("status", lang)),
        pl.coalesce(f"previous_status_label_{lang}", "previous_status_code").alias(
            t("previous_status", lang)
        ),
        pl.col("actor_role")
        .replace({role: t(f"actor_{role}", lang) for role in ACTOR_ROLES})
        .alias(t("actor", lang)),
        pl.col("reason_code")
        .map_elements(lambda c: reason_label(c, lang), return_dtype=pl.String)
        .alias(t("reason", lang)),
        pl.col("payment_date").alias(t("payment_date", lang)),
        pl.col("payment_amount").alias(t("payment_amount", lang)),
    )


def distribution_shares(frame: pl.DataFrame) -> pl.DataFrame:
    """Per grain and 10-day bucket: invoices paid and their share of the grain's total (%)."""
    return frame.with_columns(
        (pl.col("paid_invoice_count") * 100.0 / pl.col("paid_invoice_count").sum().over("grain"))
        .round(1)
        .alias("share_pct")
    )


QUARANTINE_SQL = """
select
    q.rule_code, r.label_fr, r.label_en, r.left_out_of_fr, r.left_out_of_en, q.producer,
    q.structure_id, s.siret, s.structure_name, q.record_table, q.record_id, q.invoice_id,
    q.detected_date, q.detail
from marts.fct_quarantined_records as q
inner join reference.ref_quality_rules as r on q.rule_code = r.rule_code
left join marts.dim_structures as s on q.structure_id = s.structure_id
where {roles:operator}
order by q.detected_date desc, q.rule_code, q.invoice_id
"""


def quarantined_records(reader) -> pl.DataFrame | None:
    """The records set apart in the snapshot, with their rule in words; None for a snapshot
    published before the quarantine existed."""
    if not reader.has_table("marts.fct_quarantined_records"):
        return None
    return reader.query(QUARANTINE_SQL)


def quarantine_counts(records: pl.DataFrame, by: str, lang: str) -> pl.DataFrame:
    """How many records are set apart per ``by`` (``rule``, ``producer`` or ``structure``)."""
    label = f"label_{lang}"
    keys = {
        "rule": ["rule_code", label],
        "producer": ["producer"],
        "structure": ["siret", "structure_name"],
    }[by]
    return (
        records.group_by(keys)
        .agg(pl.len().alias("records"), pl.col("invoice_id").n_unique().alias("invoices"))
        .sort(["records", *keys], descending=[True] + [False] * len(keys), nulls_last=True)
    )
