"""Data quality: the landed records set apart by the warehouse, with the rule each broke.

One party's bad record never stops the build for everyone: it is set apart
(``marts.fct_quarantined_records``), left out of the figures it would falsify, and counted
here by rule, by producer and by structure, with the records themselves and their CSV.
"""

import polars as pl
import streamlit as st

from vigie.dashboards import queries
from vigie.dashboards.components import downloadable_table, labelled, page_header
from vigie.dashboards.i18n import t

lang, reader = page_header("qualite")
records = queries.quarantined_records(reader)
if records is None:
    st.info(t("dq_not_published", lang))
    st.stop()

st.caption(t("dq_intro", lang))
with st.container(horizontal=True):
    st.metric(t("dq_records", lang), records.height, border=True)
    st.metric(t("dq_invoices", lang), records.get_column("invoice_id").n_unique(), border=True)
    st.metric(t("dq_rules", lang), records.get_column("rule_code").n_unique(), border=True)
if records.is_empty():
    st.success(t("dq_none", lang))
    st.stop()

counts = {"records": t("dq_records", lang), "invoices": t("dq_invoices", lang)}
by_rule, by_producer, by_structure = st.tabs(
    [t("dq_by_rule", lang), t("dq_by_producer", lang), t("dq_by_structure", lang)]
)
with by_rule:
    frame = queries.quarantine_counts(records, "rule", lang)
    downloadable_table(
        labelled(
            frame,
            {"rule_code": t("dq_rule", lang), f"label_{lang}": t("dq_rule_label", lang), **counts},
        ),
        "quarantine-by-rule",
        "dq_rule",
        lang,
        totals=[counts["records"]],
    )
with by_producer:
    frame = queries.quarantine_counts(records, "producer", lang)
    downloadable_table(
        labelled(frame, {"producer": t("dq_producer", lang), **counts}),
        "quarantine-by-producer",
        "dq_producer",
        lang,
        totals=[counts["records"]],
    )
with by_structure:
    frame = queries.quarantine_counts(records, "structure", lang)
    downloadable_table(
        labelled(frame, {"siret": "SIRET", "structure_name": t("dq_structure", lang), **counts}),
        "quarantine-by-structure",
        "dq_structure",
        lang,
        totals=[counts["records"]],
    )

st.subheader(t("dq_records_title", lang))
rules = records.get_column("rule_code").unique().sort().to_list()
chosen = st.multiselect(t("dq_rule", lang), rules, key="dq_rules", placeholder=t("dq_all", lang))
shown = records.filter(pl.col("rule_code").is_in(chosen)) if chosen else records
downloadable_table(
    labelled(
        shown,
        {
            "detected_date": t("dq_detected", lang),
            "rule_code": t("dq_rule", lang),
            f"label_{lang}": t("dq_rule_label", lang),
            f"left_out_of_{lang}": t("dq_left_out_of", lang),
            "producer": t("dq_producer", lang),
            "siret": "SIRET",
            "structure_name": t("dq_structure", lang),
            "record_table": t("dq_table", lang),
            "record_id": t("dq_record", lang),
            "invoice_id": t("dq_invoice", lang),
            "detail": t("dq_detail", lang),
        },
    ),
    "quarantined-records",
    "dq_all_records",
    lang,
)
