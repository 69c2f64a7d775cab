"""E-reporting: transmissions per declarant and period, deadlines, status, XML and CSV."""

import polars as pl
import streamlit as st

from vigie.dashboards import queries
from vigie.dashboards.components import (
    download_button,
    downloadable_table,
    page_reader,
    url_selectbox,
)
from vigie.dashboards.formatting import format_date, format_eur
from vigie.dashboards.i18n import t
from vigie.platform.paris import today_in_paris
from vigie.platform.settings import get_settings

lang = st.session_state["vigie_lang"]

st.title(t("page_ereporting", lang))
reader = page_reader("ereporting", lang)

settings = get_settings()
found = reader.query(queries.EREPORTING_DECLARANTS_SQL)
if found.is_empty():
    st.info(t("er_none", lang))
    st.stop()
declarants = found.get_column("declarant_siren").to_list()
names = dict(found.iter_rows())
wanted = st.query_params.get("declarant")
with st.container(horizontal=True):
    declarant = st.selectbox(
        t("er_declarant", lang), declarants,
        index=declarants.index(wanted) if wanted in declarants else 0,
        format_func=lambda s: f"{s} — {names.get(s) or ''}", key="declarant",
        placeholder=t("choose", lang),
    )  # fmt: skip
    kinds = ["transactions", "payments"]
    kind = st.segmented_control(
        t("er_kind", lang), kinds, format_func=lambda k: t(f"er_{k}", lang),
        default=st.query_params.get("kind") if st.query_params.get("kind") in kinds else None,
        key="kind",
    )  # fmt: skip
st.query_params["declarant"] = declarant
if kind:
    st.query_params["kind"] = kind
elif "kind" in st.query_params:
    del st.query_params["kind"]

transmissions = queries.mark_late(
    queries.with_export_status(queries.ereporting_transmissions(reader, declarant), settings),
    today_in_paris(),
)
years = sorted({d.year for d in transmissions.get_column("period_start_date")}, reverse=True)
#: the latest year first; "all" (kept in the URL like a year) lists every period
chosen = url_selectbox(
    t("year", lang), [*years, "all"], "year", key="er_year",
    format_func=lambda y: t("er_all_years", lang) if y == "all" else str(y),
    parse=lambda v: v if v == "all" else int(v),
)  # fmt: skip
year = None if chosen == "all" else chosen
rows = transmissions
if kind:
    rows = rows.filter(pl.col("report_kind") == kind)
if year is not None:
    rows = rows.filter(pl.col("period_start_date").dt.year() == year)

with st.container(horizontal=True):
    st.metric(t("er_transmissions", lang), rows.height, border=True)
    st.metric(t("er_to_send", lang), rows.filter(pl.col("status") == "built").height, border=True)
    st.metric(t("er_late", lang), rows.filter(pl.col("is_late")).height, border=True)
    # the VAT of the transactions reports; the payments reports say what was received (their
    # VAT column is empty, not zero)
    sales = rows.filter(pl.col("report_kind") == "transactions")
    received = rows.filter(pl.col("report_kind") == "payments")
    if sales.height:
        vat = sales.get_column("tax_amount").sum() or 0
        st.metric(t("er_vat_metric", lang), format_eur(vat, lang), border=True)
    if received.height:
        st.metric(t("er_received_metric", lang),
                  format_eur(received.get_column("received_amount").sum() or 0, lang),
                  border=True)  # fmt: skip

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
    t("er_period", lang), periods,
    format_func=lambda r: f"{t('er_' + r[0], lang)} {format_date(r[1], lang)}", key="er_period",
    placeholder=t("choose", lang),
)  # fmt: skip
if choice is not None:
    # the last export of the period is part of the cache key: after it, the next is an RE
    last_export = rows.filter(
        (pl.col("report_kind") == choice[0]) & (pl.col("period_start_date") == choice[1])
    ).get_column("transmission_id")[0]
    xml, errors = queries.transmission_xml(reader, declarant, *choice, last_export)
    if errors:
        st.error(t("er_invalid", lang) + "\n\n" + "\n".join(f"- {e}" for e in errors))
    else:
        download_button(
            t("er_download_xml", lang), xml, file_name=f"{declarant}-{choice[0]}-{choice[1]}.xml",
            mime="application/xml", key="er_xml",
        )  # fmt: skip
