"""Recherche facture: by number (and supplier), who it went to, where it is, its history —
what the hub's virtual assistant answers."""

import streamlit as st

from vigie.dashboards import queries
from vigie.dashboards.components import invoice_delay, page_header, table
from vigie.dashboards.formatting import format_date, format_eur
from vigie.dashboards.i18n import t

lang, reader = page_header("recherche")
#: the delays page of the recipient is linked for those who may open it about that entity
person_sees_delays = reader.scope.may_open("delais") and reader.scope.role != "supplier"

for param, key in (("number", "lookup_number"), ("supplier", "lookup_supplier")):
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, "")
with st.container(horizontal=True):
    number = st.text_input(t("lookup_number", lang), key="lookup_number").strip()
    supplier = st.text_input(t("lookup_supplier", lang), key="lookup_supplier").strip()
for param, value in (("number", number), ("supplier", supplier)):
    if value:
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]

if not number:
    st.info(t("lookup_hint", lang))
    st.stop()
found = reader.query(queries.INVOICE_LOOKUP_SQL, (number, supplier or None))
if found.is_empty():
    st.warning(t("lookup_none", lang))
    st.stop()

for invoice in found.to_dicts():
    history = reader.query(
        queries.INVOICE_HISTORY_SQL, (invoice["invoice_id"], invoice["invoice_number"])
    )
    with st.container(border=True):
        st.subheader(f"{invoice['invoice_number']} — {invoice['supplier_name']}")
        latest = history.tail(1).to_dicts()
        with st.container(horizontal=True):
            st.metric(t("recipient", lang), invoice["recipient_name"] or "—")
            if latest:
                when = format_date(latest[0]["occurred_at"], lang)
                st.metric(
                    t("current_status", lang),
                    latest[0][f"status_label_{lang}"] or latest[0]["status_code"],
                    delta=t("status_since", lang, when=when),
                    delta_color="off",
                    delta_arrow="off",
                )
            st.metric(t("amount_incl_vat", lang), format_eur(invoice["total_incl_vat"], lang))
            st.metric(t("deposited_at", lang), format_date(invoice["deposited_at"], lang))
            st.metric(t("channel", lang), invoice[f"channel_label_{lang}"] or invoice["channel"])
        st.caption(
            f"{t('supplier_siret', lang)} {invoice['supplier_siret']} · "
            f"{t('recipient', lang)} {invoice['recipient_siret']}"
        )
        invoice_delay(
            reader,
            invoice["invoice_id"],
            lang,
            link_to=invoice["recipient_name"] if person_sees_delays else None,
        )
        table(queries.history_table(history, lang), f"history_{invoice['invoice_id']}", lang)
