"""E-reporting: an overview of the year across declarants (late transmissions first), then
one declarant's transmissions per period, deadlines, status, XML and CSV."""

import polars as pl
import streamlit as st

from vigie.dashboards import queries
from vigie.dashboards.components import (
    download_button,
    downloadable_table,
    new_pick,
    page_header,
    url_selectbox,
)
from vigie.dashboards.formatting import format_date, format_eur, format_number
from vigie.dashboards.i18n import MONTHS, t
from vigie.platform.contracts.transmissions import SENT_STATUSES
from vigie.platform.paris import today_in_paris
from vigie.platform.settings import get_settings

lang, reader = page_header("ereporting")

settings = get_settings()
today = today_in_paris()
sent = pl.col("status").is_in(SENT_STATUSES)
years = reader.query(queries.EREPORTING_YEARS_SQL).get_column("year").to_list()
if not years:
    st.info(t("er_none", lang))
    st.stop()
#: the latest year first; "all" (kept in the URL like a year) lists every period
chosen = url_selectbox(
    t("year", lang),
    [*years, "all"],
    "year",
    key="er_year",
    format_func=lambda y: t("er_all_years", lang) if y == "all" else str(y),
    parse=lambda v: v if v == "all" else int(v),
)
year = None if chosen == "all" else chosen

# ---------------------------------------------------------------- every declarant
if year is not None:
    st.subheader(t("er_overview_title", lang, year=year))
    st.caption(t("er_overview_caption", lang))
    everyone = queries.mark_late(
        queries.with_export_status(reader.query(queries.EREPORTING_YEAR_SQL, (year,)), settings),
        today,
    )
    with st.container(horizontal=True):
        for label, value in (
            ("er_declarants", everyone.get_column("declarant_siren").n_unique()),
            ("er_transmissions", everyone.height),
            ("er_sent", everyone.filter(sent).height),
            ("er_to_send", everyone.filter(~sent).height),
            ("er_late", everyone.filter(pl.col("is_late")).height),
        ):
            st.metric(t(label, lang), format_number(value, lang), border=True)
    overview = queries.ereporting_overview(everyone)
    downloadable_table(
        overview.select(
            pl.col("report_kind")
            .replace_strict({k: t(f"er_{k}", lang) for k in ("transactions", "payments")})
            .alias(t("er_kind", lang)),
            pl.col("transmission_count").alias(t("er_transmissions", lang)),
            pl.col("not_sent_late_count").alias(t("er_not_sent_late", lang)),
            pl.col("received_late_count").alias(t("er_received_late", lang)),
            *[
                pl.col(f"{s}_count").alias(t(f"er_status_{s}", lang).capitalize())
                for s in queries.EXPORT_STATUSES
            ],
            pl.col("earliest_late_deadline").alias(t("er_earliest_late", lang)),
        ),
        f"e-reporting-{year}-vue-d-ensemble",
        "er_overview",
        lang,
        totals=[
            t("er_transmissions", lang),
            t("er_not_sent_late", lang),
            t("er_received_late", lang),
            *[t(f"er_status_{s}", lang).capitalize() for s in queries.EXPORT_STATUSES],
        ],
    )
    st.subheader(t("er_late_list", lang))
    late = everyone.filter(pl.col("is_late"))
    if late.is_empty():
        st.success(t("er_no_late", lang))
    else:
        st.caption(t("er_late_pick", lang))
        picked = downloadable_table(
            queries.late_transmissions_table(late, lang),
            f"e-reporting-{year}-en-retard",
            "er_late_list",
            lang,
            selectable=True,
        )
        if new_pick("er_late_list", picked) is not None:
            st.query_params["declarant"] = late.get_column("declarant_siren")[picked]

# ---------------------------------------------------------------- one declarant
st.subheader(t("er_by_declarant", lang))
found = reader.query(queries.EREPORTING_DECLARANTS_SQL)
declarants = found.get_column("declarant_siren").to_list()
names = dict(found.iter_rows())
wanted = st.query_params.get("declarant")
with st.container(horizontal=True):
    declarant = st.selectbox(
        t("er_declarant", lang),
        declarants,
        index=declarants.index(wanted) if wanted in declarants else 0,
        format_func=lambda s: f"{s} — {names.get(s) or ''}",
        key=f"declarant_{wanted}",
        placeholder=t("choose", lang),
    )
    kinds = ["transactions", "payments"]
    kind = st.segmented_control(
        t("er_kind", lang),
        kinds,
        format_func=lambda k: t(f"er_{k}", lang),
        default=st.query_params.get("kind") if st.query_params.get("kind") in kinds else None,
        key="kind",
    )
    # a period within the year: one month, or all
    month = (
        url_selectbox(
            t("er_month", lang),
            ["all", *range(1, 13)],
            "month",
            key="er_month",
            format_func=lambda m: t("er_all_months", lang) if m == "all" else MONTHS[lang][m - 1],
            parse=lambda v: v if v == "all" else int(v),
        )
        if year is not None
        else "all"
    )
st.query_params["declarant"] = declarant
if kind:
    st.query_params["kind"] = kind
elif "kind" in st.query_params:
    del st.query_params["kind"]

transmissions = queries.mark_late(
    queries.with_export_status(queries.ereporting_transmissions(reader, declarant), settings),
    today,
)
rows = transmissions
if kind:
    rows = rows.filter(pl.col("report_kind") == kind)
if year is not None:
    rows = rows.filter(pl.col("period_start_date").dt.year() == year)
if month != "all":
    rows = rows.filter(pl.col("period_start_date").dt.month() == month)

with st.container(horizontal=True):
    st.metric(t("er_transmissions", lang), rows.height, border=True)
    st.metric(t("er_to_send", lang), rows.filter(~sent).height, border=True)
    st.metric(t("er_late", lang), rows.filter(pl.col("is_late")).height, border=True)
    # the VAT of the transactions reports; the payments reports say what was received (their
    # VAT column is empty, not zero)
    sales = rows.filter(pl.col("report_kind") == "transactions")
    received = rows.filter(pl.col("report_kind") == "payments")
    if sales.height:
        vat = sales.get_column("tax_amount").sum() or 0
        st.metric(t("er_vat_metric", lang), format_eur(vat, lang), border=True)
    if received.height:
        st.metric(
            t("er_received_metric", lang),
            format_eur(received.get_column("received_amount").sum() or 0, lang),
            border=True,
        )

downloadable_table(
    queries.ereporting_table(rows, lang),
    f"e-reporting-{declarant}",
    "er",
    lang,
    totals=[t(k, lang) for k in ("er_records", "er_taxable", "er_vat", "er_received")],
)

st.subheader(t("er_xml_title", lang))
periods = rows.select("report_kind", "period_start_date").rows()
choice = st.selectbox(
    t("er_period", lang),
    periods,
    format_func=lambda r: f"{t('er_' + r[0], lang)} {format_date(r[1], lang)}",
    key="er_period",
    placeholder=t("choose", lang),
)
if choice is not None:
    chosen = rows.filter(
        (pl.col("report_kind") == choice[0]) & (pl.col("period_start_date") == choice[1])
    ).row(0, named=True)
    path = chosen["export_path"]
    if chosen["status"] == "invalid":
        st.error(
            t("er_invalid", lang) + "\n\n" + "\n".join(f"- {e}" for e in chosen["export_errors"])
        )
    elif chosen["status"] == "built":
        end = chosen["period_end_date"]
        if end >= today:
            st.info(t("er_not_due", lang, day=format_date(end, lang)))
        else:
            st.info(t("er_not_exported", lang))
    if path is not None:
        data = queries.sent_file(reader, path)
        name = path.rsplit("/", 1)[-1]
        if data is None:
            st.warning(t("er_file_missing", lang, path=path))
        else:
            if chosen["status"] == "invalid":
                st.caption(t("er_last_sent", lang, name=name))
            else:
                st.caption(t("er_sent_file", lang, name=name, id=chosen["transmission_id"]))
            download_button(
                t("er_download_xml", lang),
                data,
                file_name=name,
                mime="application/xml",
                key="er_xml",
            )
