"""Délais de paiement: an entity (or a category) against the law and its category."""

from datetime import date

import polars as pl
import streamlit as st

from vigie.dashboards import charts, queries
from vigie.dashboards.components import (
    chart,
    downloadable_table,
    invoice_detail,
    labelled,
    new_pick,
    page_header,
    url_selectbox,
    year_selectbox,
)
from vigie.dashboards.formatting import format_date, format_eur, format_number, format_percent
from vigie.dashboards.i18n import HELP, MONTHS, t

lang, reader = page_header("delais")

if reader.scope.role == "supplier":
    # a supplier's view: what each of its public buyers pays, and how late
    year = year_selectbox(reader, queries.SUPPLIER_DELAY_YEARS_SQL, lang, key="delay_year")
    st.subheader(t("buyers_title", lang))
    buyers = reader.query(queries.SUPPLIER_BUYERS_SQL, (year,))
    downloadable_table(
        labelled(
            buyers,
            {
                "recipient_name": t("buyer", lang),
                "recipient_siret": t("buyer_siret", lang),
                "paid_invoice_count": t("paid_invoices", lang),
                "mean_delay_days": t("mean_delay", lang),
                "median_delay_days": t("median_delay", lang),
                "late_invoice_count": t("late_count", lang),
                "late_interest_eur": t("interest_eur", lang),
                "recovery_indemnity_eur": t("indemnity_eur", lang),
            },
        ),
        f"delais-clients-{year}",
        "buyers",
        lang,
        totals=[
            t(k, lang) for k in ("paid_invoices", "late_count", "interest_eur", "indemnity_eur")
        ],
    )
    st.stop()

years = reader.query(queries.DELAY_YEARS_SQL).get_column("year").to_list()
if not years:
    st.info(t("no_rows", lang))
    st.stop()

#: the public categories: label (fr, en) and legal delay, read once
legal_delays = {
    row["public_category"]: row for row in reader.query(queries.LEGAL_DELAYS_SQL).to_dicts()
}
views = ["entity", "category"]
with st.container(horizontal=True):
    view = url_selectbox(
        t("delay_view", lang),
        views,
        "view",
        key="view",
        format_func=lambda v: t(f"delay_by_{v}", lang),
    )
    year = url_selectbox(t("year", lang), years, "year", key="delay_year", parse=int)

entity = None
if view == "entity":
    wanted = st.query_params.get("entity")
    if wanted and not reader.scope.allows_structure(wanted):
        st.error(t("not_yours", lang))
        st.stop()
    search = st.text_input(t("entity_search", lang), key="entity_search")
    found = reader.query(queries.ENTITY_SEARCH_SQL, (search, search))
    if wanted and wanted not in found.get_column("structure_id").to_list():
        found = pl.concat(
            [reader.query(queries.ENTITY_SQL, (wanted,)).drop("reports_payment_status"), found]
        )
    if found.is_empty():
        st.info(t("no_rows", lang))
        st.stop()
    labels = {r["structure_id"]: f"{r['structure_name']} — {r['siret']}" for r in found.to_dicts()}
    entity_id = url_selectbox(
        t("entity", lang), list(labels), "entity", key="entity", format_func=labels.get
    )
    entity = reader.query(queries.ENTITY_SQL, (entity_id,)).to_dicts()[0]
    category = entity["public_category"]
    legal_days = entity["legal_payment_delay_days"]
else:
    categories = reader.query(queries.DELAY_CATEGORIES_SQL).get_column("public_category")
    category = url_selectbox(
        t("category", lang),
        categories.to_list(),
        "category",
        key="category",
        format_func=lambda c: legal_delays.get(c, {}).get(f"label_{lang}", c),
    )
    legal_days = legal_delays.get(category, {}).get("legal_delay_days")
    entity_id = None

category_labels = {c: row[f"label_{lang}"] for c, row in legal_delays.items()}
category_label = category_labels.get(category, category)
figures = reader.query(queries.DELAYS_YEARLY_SQL, (year, category, entity_id))
mine = figures.filter(pl.col("grain") == view).to_dicts()
theirs = figures.filter(pl.col("grain") == "category").to_dicts()
mine = mine[0] if mine else {}
theirs = theirs[0] if theirs else {}

if legal_days is not None:
    st.caption(t("legal_delay", lang, days=legal_days))
if entity is not None and not entity["reports_payment_status"]:
    st.info(t("unknown_payment", lang))


def _days(v) -> str:
    return "—" if v is None else format_number(v, lang, decimals=1 if "." in str(v) else 0)


def _pct(v) -> str:
    return format_percent(None if v is None else v / 100, lang, signed=False)


#: an entity that does not report its payments: its payment figures are not known, not zero
unknown = entity is not None and not entity["reports_payment_status"]


def _figure(value: str) -> str:
    return t("not_reported", lang) if unknown else value


with st.container(horizontal=True):
    for label, value in (
        ("paid_invoices", format_number(mine.get("paid_invoice_count") or 0, lang)),
        ("mean_delay", _days(mine.get("mean_delay_days"))),
        ("median_delay", _days(mine.get("median_delay_days"))),
        ("p90_delay", _days(mine.get("p90_delay_days"))),
        ("within_30", _pct(mine.get("paid_within_30_days_pct"))),
        ("late_count", format_number(mine.get("late_invoice_count") or 0, lang)),
        ("interest_owed", format_eur(mine.get("late_interest_eur") or 0, lang)),
        ("indemnity_owed", format_eur(mine.get("recovery_indemnity_eur") or 0, lang)),
    ):
        st.metric(t(label, lang), _figure(value), border=True, help=HELP[label][lang])


def _days_unit(v) -> str:
    return "—" if v is None else t("days_signed", lang, days=format_number(v, lang, decimals=1))


def _signed_days(v) -> str:
    if v is None:
        return "—"
    text = format_number(v, lang, decimals=1)
    return t("days_signed", lang, days=("+" + text) if v > 0 else text)


def _rank(row: dict) -> str:
    if row.get("rank_in_category") is None:
        return "—"
    if row["rank_in_category"] == 1:
        return t("rank_first", lang, count=row["entities_in_category"])
    return t("rank_of", lang, rank=row["rank_in_category"], count=row["entities_in_category"])


st.caption(t("compare_title", lang))
with st.container(horizontal=True):
    compared = [
        ("itp", _signed_days(mine.get("timeliness_index_days"))),
        ("pmp", _days_unit(mine.get("average_payment_period_days"))),
        ("band_31_60", _pct(mine.get("paid_31_to_60_days_pct"))),
        ("band_over_60", _pct(mine.get("paid_over_60_days_pct"))),
    ]
    if view == "entity":
        compared.append(("rank_in_category", _rank(mine)))
    for label, value in compared:
        st.metric(t(label, lang), _figure(value), border=True, help=HELP[label][lang])
if view == "entity" and theirs:
    st.caption(
        t(
            "vs_category",
            lang,
            category=category_label,
            mean=_days(theirs["mean_delay_days"]),
            median=_days(theirs["median_delay_days"]),
            within=_pct(theirs["paid_within_30_days_pct"]),
        )
    )

category_months = reader.query(queries.CATEGORY_MONTHS_SQL, (category, year))
if view == "entity":
    months = reader.query(queries.ENTITY_MONTHS_SQL, (entity_id, year))
else:
    months = category_months
trend = months.select("payment_month_start_date", "mean_delay_days", "median_delay_days")
series = {"mean_delay_days": t("mean_delay", lang), "median_delay_days": t("median_delay", lang)}
if view == "entity":
    trend = trend.join(
        category_months.select(
            "payment_month_start_date", pl.col("mean_delay_days").alias("category_mean")
        ),
        on="payment_month_start_date",
        how="full",
        coalesce=True,
    ).sort("payment_month_start_date")
    series["category_mean"] = t("category_mean", lang)
if not trend.is_empty():
    chart(
        charts.lines_by_month(
            trend,
            "payment_month_start_date",
            series,
            title=t("trend_title", lang, year=year),
            y_title=t("delay_axis", lang),
            lang=lang,
            legal_delay_days=legal_days,
        ),
        labelled(trend, {"payment_month_start_date": t("month", lang), **series}),
        "trend_data",
        lang,
    )
distribution = queries.distribution_shares(
    reader.query(queries.DISTRIBUTION_SQL, (year, category, entity_id))
)
if not distribution.is_empty():
    grains = (
        {"category": category_label}
        if view == "category"
        else {"entity": entity["structure_name"], "category": category_label}
    )
    shown = distribution.filter(pl.col("grain").is_in(list(grains)))
    chart(
        charts.delay_distribution(
            shown,
            grains,
            title=t("distribution_title", lang, year=year),
            x_title=t("delay_bucket", lang),
            y_title=t("share_axis", lang),
            lang=lang,
        ),
        labelled(
            shown.with_columns(pl.col("grain").replace_strict(grains)),
            {
                "grain": t("measure", lang),
                "delay_bucket_start_days": t("delay_bucket_from", lang),
                "share_pct": t("share_axis", lang),
                "paid_invoice_count": t("paid_invoices", lang),
            },
        ),
        "distribution_data",
        lang,
    )
if view == "entity":
    st.caption(t("pick_a_month", lang))
month_picked = downloadable_table(
    labelled(
        months,
        {
            # what was paid, how late, what it costs; then the rest of the distribution
            "payment_month_start_date": t("month_start", lang),
            "paid_invoice_count": t("paid_invoices", lang),
            "mean_delay_days": t("mean_delay", lang),
            "late_invoice_count": t("late_count", lang),
            "late_interest_eur": t("interest_eur", lang),
            "recovery_indemnity_eur": t("indemnity_eur", lang),
            "median_delay_days": t("median_delay", lang),
            "paid_within_30_days_pct": t("within_30_pct", lang),
        },
    ),
    f"delais-{entity_id or category}-{year}",
    "delay_months",
    lang,
    totals=[t(k, lang) for k in ("paid_invoices", "late_count", "interest_eur", "indemnity_eur")],
    selectable=view == "entity",
)
if new_pick("delay_months", month_picked) is not None:
    # a month drilled into: the invoices paid in it (in the URL, so the view can be shared)
    st.query_params["month"] = months.get_column("payment_month_start_date")[
        month_picked
    ].isoformat()

#: the columns of the invoices to chase (paid late, or unpaid past due) and their labels
INVOICE_LABELS = {
    # what to chase first: the invoice, how late, what is owed; then the rest
    "invoice_number": "invoice_number",
    "supplier_name": "supplier",
    "days_late": "days_late",
    "days_overdue": "days_overdue",
    "amount_owed_eur": "owed_eur",
    "late_interest_eur": "interest_eur",
    "accrued_interest_eur": "accrued_interest_eur",
    "recovery_indemnity_eur": "indemnity_eur",
    "observed_delay_days": "delay_days",
    "amount_incl_vat": "amount_incl_vat",
    "due_date": "due_date",
    "payment_date": "payment_date",
    "receipt_date": "receipt_date",
    "interest_rate_pct": "interest_rate",
    "supplier_siret": "supplier_siret",
}


#: what a list of invoices to chase adds up to (its CSV's totals row)
INVOICE_TOTALS = (
    "amount_owed_eur",
    "late_interest_eur",
    "accrued_interest_eur",
    "recovery_indemnity_eur",
    "amount_incl_vat",
)


def invoice_labels(columns: list[str]) -> dict[str, str]:
    return {c: t(key, lang) for c, key in INVOICE_LABELS.items() if c in columns}


def invoice_list(frame: pl.DataFrame, name: str, key: str) -> None:
    """A list of invoices to chase; a row picked in it is the invoice drilled into (URL)."""
    labels = invoice_labels(frame.columns)
    amounts = [labels[c] for c in INVOICE_TOTALS if c in labels]
    picked = downloadable_table(
        labelled(frame, labels), name, key, lang, selectable=True, totals=amounts
    )
    if new_pick(key, picked) is not None:
        st.query_params["invoice"] = frame.get_column("invoice_id")[picked]


if view == "entity":
    st.subheader(t("late_title", lang))
    st.caption(t("pick_a_row", lang))
    late = reader.query(queries.LATE_INVOICES_SQL, (entity_id, year))
    invoice_list(late, f"retards-{entity['siret']}-{year}", "late")
    # a snapshot of an older version has no overdue list: it comes with the next build
    chase = [late]
    if reader.has_table("reports.rpt_overdue_invoices"):
        overdue = reader.query(queries.OVERDUE_INVOICES_SQL, (entity_id,))
        chase.append(overdue)
        day = overdue.get_column("overdue_on_date").max()
    else:
        overdue, day = None, None
    # without any overdue invoice the list has no day of data to say
    st.subheader(
        t("overdue_title", lang, day=format_date(day, lang))
        if day
        else t("overdue_title_undated", lang)
    )
    st.caption(t("overdue_caption", lang))
    if overdue is None:
        st.info(t("needs_new_build", lang))
    elif overdue.height:
        invoice_list(overdue, f"echues-{entity['siret']}", "overdue")
    else:
        st.info(t("no_overdue", lang))
    # the invoices of a month drilled into in the months table
    month = st.query_params.get("month")
    try:
        month = date.fromisoformat(month) if month else None
    except ValueError:
        month = None
    if month is not None and month.year == year:
        paid = reader.query(queries.PAID_IN_MONTH_SQL, (entity_id, month))
        st.subheader(
            t("paid_in_month_title", lang, month=f"{MONTHS[lang][month.month - 1]} {month.year}")
        )
        invoice_list(paid, f"payees-{entity['siret']}-{month:%Y-%m}", "paid_in_month")
        chase.append(paid)
    chase = pl.concat([frame.select("invoice_id", "invoice_number") for frame in chase])
    if chase.height:
        # the invoice drilled into: a row picked in a list above, or chosen here; in the URL
        numbers = dict(chase.iter_rows())
        wanted = st.query_params.get("invoice")
        wanted = wanted if wanted in numbers else None
        options = [None, *numbers]

        def _choose() -> None:
            value = st.session_state.get(f"late_invoice_{wanted}")
            if value:
                st.query_params["invoice"] = value
            elif "invoice" in st.query_params:
                del st.query_params["invoice"]

        st.selectbox(
            t("timeline_of", lang),
            options,
            index=options.index(wanted),
            key=f"late_invoice_{wanted}",
            on_change=_choose,
            placeholder=t("choose", lang),
            format_func=lambda i: "—" if i is None else numbers[i],
        )
        if wanted:
            invoice_detail(reader, wanted, numbers[wanted], lang, key="timeline")
