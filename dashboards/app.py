"""Vigie dashboards: ``streamlit run dashboards/app.py``.

Reads only the published serving snapshot (never the warehouse being built).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from vigie.dashboards.formatting import format_datetime
from vigie.dashboards.i18n import LANGUAGES, t
from vigie.dashboards.snapshot import current_snapshot, last_build
from vigie.platform.settings import get_settings

# a local icon: a Material icon here would be fetched from fonts.gstatic.com, which an
# offline installation cannot reach
ICON = str(Path(__file__).with_name("assets") / "vigie.png")
st.set_page_config(page_title="Vigie", page_icon=ICON, layout="wide")

if st.query_params.get("lang") not in LANGUAGES:
    st.query_params["lang"] = "fr"
lang = st.query_params["lang"]

settings = get_settings()
snapshot = current_snapshot(settings)
build = last_build(settings)


def _switch_language() -> None:
    st.query_params["lang"] = st.session_state.get("language") or "fr"


st.session_state["language"] = lang  # the URL decides; the control follows it
with st.sidebar:
    st.segmented_control(
        t("language", lang), options=list(LANGUAGES), format_func=str.upper,
        key="language", on_change=_switch_language,
    )  # fmt: skip
    if snapshot is None:
        st.warning(t("no_snapshot", lang))
    else:
        when = format_datetime(snapshot.published_at, lang)
        st.caption(t("data_as_of", lang, when=when))
    if build is not None and not build.ok:
        when = format_datetime(build.at, lang)
        st.error(t("last_build_failed", lang, when=when), icon=":material/error:")

st.session_state["vigie_lang"] = lang
st.session_state["vigie_snapshot"] = snapshot

page = st.navigation(
    [
        st.Page(
            "app_pages/bilan.py",
            title=t("page_bilan", lang),
            icon=":material/bar_chart:",
            url_path="bilan",
            default=True,
        ),
        st.Page(
            "app_pages/delais.py",
            title=t("page_delais", lang),
            icon=":material/schedule:",
            url_path="delais",
        ),
        st.Page(
            "app_pages/rejets.py",
            title=t("page_rejets", lang),
            icon=":material/block:",
            url_path="rejets",
        ),
        st.Page(
            "app_pages/ereporting.py",
            title=t("page_ereporting", lang),
            icon=":material/receipt_long:",
            url_path="ereporting",
        ),
        st.Page(
            "app_pages/recherche.py",
            title=t("page_recherche", lang),
            icon=":material/search:",
            url_path="recherche",
        ),
        st.Page(
            "app_pages/qualite.py",
            title=t("page_qualite", lang),
            icon=":material/rule:",
            url_path="qualite",
        ),
    ]  # fmt: skip
)
page.run()
