"""Vigie dashboards: ``streamlit run dashboards/app.py``.

Reads only the published serving snapshot (never the warehouse being built).
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from vigie.dashboards import sign_in
from vigie.dashboards.formatting import browser_locale_script, format_datetime
from vigie.dashboards.i18n import LANGUAGES, t
from vigie.dashboards.scope import PAGES_BY_ROLE, Reader, structure_scope
from vigie.platform import access
from vigie.platform.contracts.serving import current_snapshot, last_build
from vigie.platform.settings import get_settings
from vigie.platform.store import Store

LOG = logging.getLogger("vigie.dashboards")

# a local icon: a Material icon here would be fetched from fonts.gstatic.com, which an
# offline installation cannot reach
ICON = str(Path(__file__).with_name("assets") / "vigie.png")
st.set_page_config(page_title="Vigie", page_icon=ICON, layout="wide")

if st.query_params.get("lang") not in LANGUAGES:
    st.query_params["lang"] = "fr"
lang = st.query_params["lang"]

settings = get_settings()
st.session_state["vigie_lang"] = lang


@st.cache_resource(show_spinner=False)
def platform_store(path: str) -> Store:
    """The platform store (grants, audit log), one connection per dashboards process."""
    return Store(Path(path))


def _switch_language() -> None:
    st.query_params["lang"] = st.session_state.get("language") or "fr"


st.session_state["language"] = lang  # the URL decides; the control follows it
with st.sidebar:
    st.segmented_control(
        t("language", lang),
        options=list(LANGUAGES),
        format_func=str.upper,
        key="language",
        on_change=_switch_language,
    )
    # Streamlit writes a table's numbers in the browser's languages (navigator.languages)
    # and has no option to choose them (streamlit#7702): a French page in an English
    # browser showed "1,384". The page's language decides: the browser reports its locale.
    st.html(browser_locale_script(lang), unsafe_allow_javascript=True)


def _stop_with(message_key: str | None, *, sign_out: bool = False) -> None:
    """The page of a person not (or no longer) allowed in: nothing else is rendered."""
    st.title(t("sign_in_title", lang))
    if message_key:
        st.warning(t(message_key, lang))
    elif not sign_in.configured():
        st.error(t("sign_in_not_configured", lang))
    else:
        st.write(t("sign_in_intro", lang))
        st.button(t("sign_in", lang), type="primary", on_click=st.login, key="sign_in")
    if sign_out:
        st.button(t("sign_out", lang), on_click=st.logout, key="sign_out_denied")
    st.stop()


store = platform_store(str(settings.platform_db_path))
if not sign_in.configured() or not st.user.is_logged_in:
    _stop_with(None)
if sign_in.session_expired():
    st.logout()
try:
    claims = sign_in.identity()
    person = sign_in.resolve(store, claims)
except (sign_in.IdentityError, OSError, ValueError, KeyError) as err:
    LOG.warning("sign-in refused for %s: %s", st.user.get("sub"), err)
    claims, person = {"sub": st.user.get("sub")}, None
if person is None:
    # the same words whether the account is unknown, revoked, or its provider answered badly
    who = claims.get("email") or f"sub:{claims.get('sub')}"
    if st.session_state.get("vigie_denied") != who:
        access.record(store, who=who, role=None, action="denied", page=None, detail={})
        st.session_state["vigie_denied"] = who
    _stop_with("no_access", sign_out=True)
if st.session_state.get("vigie_signed_in") != person.who:
    access.record(
        store,
        who=person.who,
        role=person.role,
        action="sign_in",
        page=None,
        detail={"sub": claims.get("sub")},
    )
    st.session_state["vigie_signed_in"] = person.who

snapshot = current_snapshot(settings)
build = last_build(settings)
if snapshot is None:
    reader = None
else:
    scope = structure_scope(person.role, person.sirets, snapshot.snapshot_id, str(snapshot.path))
    reader = Reader(snapshot.snapshot_id, str(snapshot.path), scope)

with st.sidebar:
    if snapshot is None:
        st.warning(t("no_snapshot", lang))
    else:
        when = format_datetime(snapshot.published_at, lang)
        st.caption(t("data_as_of", lang, when=when))
    if build is not None and not build.ok and person.is_operator:
        when = format_datetime(build.at, lang)
        st.error(t("last_build_failed", lang, when=when), icon=":material/error:")
    st.caption(
        t("signed_in_as", lang, name=person.name or person.who, role=t(f"role_{person.role}", lang))
    )
    st.button(t("sign_out", lang), on_click=st.logout, key="sign_out", icon=":material/logout:")

st.session_state["vigie_snapshot"] = snapshot
st.session_state["vigie_reader"] = reader
st.session_state["vigie_person"] = person
st.session_state["vigie_store"] = store
allowed = set(PAGES_BY_ROLE[person.role])

#: every page: url path, title key, icon (Material Symbols ship inside Streamlit's bundle)
PAGES = (
    ("accueil", "page_accueil", ":material/home:"),
    ("bilan", "page_bilan", ":material/bar_chart:"),
    ("delais", "page_delais", ":material/schedule:"),
    ("rejets", "page_rejets", ":material/block:"),
    ("ereporting", "page_ereporting", ":material/receipt_long:"),
    ("recherche", "page_recherche", ":material/search:"),
    ("qualite", "page_qualite", ":material/rule:"),
    ("audit", "page_audit", ":material/history:"),
)
#: the pages this person may open, the first one as their home
mine = [spec for spec in PAGES if spec[0] in allowed]
visible = [
    st.Page(
        f"app_pages/{path}.py", title=t(title, lang), icon=icon, url_path=path, default=(i == 0)
    )
    for i, (path, title, icon) in enumerate(mine)
]
page = st.navigation(visible)
st.session_state["vigie_page"] = page.url_path
viewed = (page.url_path, tuple(sorted(st.query_params.to_dict().items())))
if st.session_state.get("vigie_viewed") != viewed:
    access.record(
        store,
        who=person.who,
        role=person.role,
        action="view",
        page=page.url_path,
        detail=dict(viewed[1]),
    )
    st.session_state["vigie_viewed"] = viewed
page.run()
