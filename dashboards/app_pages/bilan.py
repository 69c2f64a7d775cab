"""Bilan annuel: the hub's yearly activity report (layout only)."""

import polars as pl
import streamlit as st

from vigie.dashboards import charts, queries, report_pdf
from vigie.dashboards.components import (
    download_button,
    downloadable_table,
    labelled,
    page_header,
    url_selectbox,
)
from vigie.dashboards.formatting import format_number, format_percent
from vigie.dashboards.i18n import MONTHS, t
from vigie.dashboards.report_html import bilan_html

lang, reader = page_header("bilan")
snapshot = st.session_state["vigie_snapshot"]

monthly = queries.monthly_volumes(reader)
yearly = reader.query(queries.BILAN_YEARLY_SQL)
years = sorted(monthly.get_column("year").unique().to_list(), reverse=True)
year = url_selectbox(t("year", lang), years, "year", key="year", parse=int)

summary = queries.year_summary(monthly, year)
row = yearly.filter(pl.col("year") == year).to_dicts()
row = row[0] if row else {}


def _n(key: str) -> str:
    return format_number(row.get(key) or 0, lang)


requests = (row.get("assistant_request_count") or 0) + (row.get("human_request_count") or 0)
share = row.get("assistant_share_pct")
headline = [
    (t("invoices", lang), format_number(summary["invoices"], lang)),
    (t("growth", lang), format_percent(summary["growth"], lang)),
    (t("works_invoices", lang), _n("works_invoice_count")),
    (t("credit_notes", lang), _n("credit_note_count")),
    (t("new_users", lang), _n("new_user_count")),
    (t("new_public", lang), _n("new_public_structure_count")),
    (t("new_private", lang), _n("new_private_structure_count")),
    (t("support_requests", lang), format_number(requests, lang)),
    (
        t("assistant_share", lang),
        format_percent(None if share is None else share / 100, lang, signed=False),
    ),
    (t("months_with_data", lang), str(summary["months"])),
]
with st.container(horizontal=True):
    for label, value in headline:
        st.metric(label, value, border=True)

chart = charts.monthly_comparison(queries.year_over_year(monthly, year), year, lang)
st.altair_chart(chart, width="stretch")

st.subheader(t("table_title", lang))
table = queries.monthly_table(monthly, year, MONTHS[lang], (t("month", lang), t("invoices", lang)))
downloadable_table(table, f"bilan-{year}-mois", "months", lang, totals=[t("invoices", lang)])

st.subheader(t("splits_title", lang))
splits = reader.query(queries.BILAN_SPLITS_SQL, (year,))
words = queries.breakdown_labels(reader, lang)
tables = [(t("table_title", lang), table)]
for tab, breakdown in zip(
    st.tabs([t(f"bd_{b}", lang) for b in charts.BREAKDOWNS]), charts.BREAKDOWNS, strict=True
):
    frame = labelled(
        queries.bilan_splits(splits, breakdown).with_columns(
            queries.in_words("breakdown_value", words.get(breakdown, {}))
        ),
        {
            "breakdown_value": t(f"bd_{breakdown}", lang),
            "invoice_count": t("invoices", lang),
            "invoice_count_previous_year": t("previous_year", lang),
            "change_pct": t("change_pct", lang),
        },
    )
    tables.append((t(f"bd_{breakdown}", lang), frame))
    with tab:
        downloadable_table(
            frame,
            f"bilan-{year}-{breakdown}",
            f"split_{breakdown}",
            lang,
            totals=[t("invoices", lang), t("previous_year", lang)],
        )


def _report() -> str:
    return bilan_html(
        title=f"{t('page_bilan', lang)} {year}",
        lang=lang,
        data_as_of=snapshot.published_at,
        headline=headline,
        chart=chart,
        tables=tables,
    )


with st.container(horizontal=True):
    # made when the user clicks (vl-convert draws the chart as SVG): page renders stay fast
    download_button(
        t("export_html", lang),
        _report,
        file_name=f"bilan-annuel-{year}.html",
        mime="text/html",
        key="export_html",
        icon=":material/download:",
    )
    if report_pdf.chromium() is not None:
        download_button(
            t("export_pdf", lang),
            lambda: report_pdf.html_to_pdf(_report()),
            file_name=f"bilan-annuel-{year}.pdf",
            mime="application/pdf",
            key="export_pdf",
            icon=":material/picture_as_pdf:",
        )
    else:
        st.button(
            t("export_pdf", lang),
            disabled=True,
            key="export_pdf_off",
            help=t("export_pdf_needs_chromium", lang),
        )
