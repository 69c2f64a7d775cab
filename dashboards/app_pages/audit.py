"""Journal d'audit: who signed in, read which page with which filters, downloaded what —
read from the platform store's append-only ``audit_log``, for operators only."""

import polars as pl
import streamlit as st

from vigie.dashboards.components import downloadable_table, labelled, page_header
from vigie.dashboards.i18n import t
from vigie.platform import access

lang, reader = page_header("audit")
if not reader.scope.is_operator:  # read here, for operators only (page_reader says so too)
    st.error(t("not_yours", lang))
    st.stop()
st.caption(t("audit_caption", lang))
downloads_only = st.toggle(t("audit_only_downloads", lang), key="audit_downloads")
entries = access.audit_entries(
    st.session_state["vigie_store"], limit=5000, action="download" if downloads_only else None
)
frame = pl.DataFrame(
    entries,
    schema={
        "entry_id": pl.Int64,
        "at": pl.String,
        "who": pl.String,
        "role": pl.String,
        "action": pl.String,
        "page": pl.String,
        "detail": pl.String,
    },
)
downloadable_table(
    labelled(
        frame,
        {
            "at": t("audit_at", lang),
            "who": t("audit_who", lang),
            "role": t("audit_role", lang),
            "action": t("audit_action", lang),
            "page": t("audit_page", lang),
            "detail": t("audit_detail", lang),
        },
    ),
    "journal-audit",
    "audit",
    lang,
)
