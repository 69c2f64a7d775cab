"""Accueil: the home of a person who is not an operator — what their role lets them see, and
a link to each of their pages (an operator's home is the yearly report)."""

import streamlit as st

from vigie.dashboards.i18n import t
from vigie.dashboards.scope import PAGES_BY_ROLE

lang = st.session_state["vigie_lang"]
person = st.session_state["vigie_person"]

st.title(t("page_accueil", lang))
st.write(t(f"home_{person.role}", lang))
if person.sirets:
    st.caption(t("your_structures", lang) + " : " + ", ".join(sorted(person.sirets)))
for page in PAGES_BY_ROLE[person.role]:
    if page != "accueil":
        st.page_link(f"app_pages/{page}.py", label=t(f"page_{page}", lang))
