"""Bilan annuel: the hub's yearly activity report (layout only)."""

import streamlit as st

from vigie.dashboards import charts, queries
from vigie.dashboards.formatting import format_number, format_percent
from vigie.dashboards.i18n import MONTHS, t

lang = st.session_state["vigie_lang"]
snapshot = st.session_state["vigie_snapshot"]

st.title(t("page_bilan", lang))
if snapshot is None:
    st.info(t("no_snapshot", lang))
    st.stop()

monthly = queries.monthly_volumes(snapshot.snapshot_id, str(snapshot.path))
years = sorted(monthly.get_column("year").unique().to_list(), reverse=True)
wanted = st.query_params.get("year")
default = int(wanted) if wanted and wanted.isdigit() and int(wanted) in years else years[0]
year = st.selectbox(t("year", lang), years, index=years.index(default), key="year")
st.query_params["year"] = str(year)

summary = queries.year_summary(monthly, year)
with st.container(horizontal=True):
    st.metric(t("invoices", lang), format_number(summary["invoices"], lang), border=True)
    st.metric(t("growth", lang), format_percent(summary["growth"], lang), border=True)
    st.metric(t("months_with_data", lang), summary["months"], border=True)

st.altair_chart(
    charts.monthly_comparison(queries.year_over_year(monthly, year), year, lang),
    width="stretch",
)

st.subheader(t("table_title", lang))
table = queries.monthly_table(monthly, year, MONTHS[lang], (t("month", lang), t("invoices", lang)))
st.dataframe(table, hide_index=True)
