"""Pieces every page uses: a table with its CSV (French Excel) and Parquet downloads, and a
choice kept in the URL so that a view can be shared."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl
import streamlit as st

from vigie.dashboards.formatting import excel_csv, parquet_bytes
from vigie.dashboards.i18n import t

if TYPE_CHECKING:
    from vigie.dashboards.scope import Reader

#: a missing value in a table, as the metrics write it
MISSING = "—"
#: how a date shows in a table, per language (the month columns hold the month's first day)
DATE_FORMATS = {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"}
DATETIME_FORMATS = {"fr": "DD/MM/YYYY HH:mm", "en": "YYYY-MM-DD HH:mm"}
MONTH_FORMATS = {"fr": "MM/YYYY", "en": "YYYY-MM"}
#: a table of more columns than this pins its first one (the row's name, number or month)
PIN_FROM_COLUMNS = 6


def column_formats(frame: pl.DataFrame, lang: str) -> dict[str, Any]:
    """How ``st.dataframe`` shows each column of ``frame``.

    Left to Streamlit, a date column shows as a midnight timestamp ("2019-10-01 00:00:00"),
    and a decimal amount drops its trailing zero (8043.50 shows as "8043.5"). So:
    - dates show as dates (a month column as its month);
    - amounts (a label with "€") show in euros with their cents;
    - other numbers use the reader's digit grouping and decimal mark ("1 337", "4,5").
    The values and their types stay as they are: sorting and the downloads are unchanged.
    """
    formats: dict[str, Any] = {}
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            month = name == t("month", lang)
            formats[name] = st.column_config.DateColumn(
                format=(MONTH_FORMATS if month else DATE_FORMATS)[lang]
            )
        elif isinstance(dtype, pl.Datetime):
            formats[name] = st.column_config.DatetimeColumn(
                format=DATETIME_FORMATS[lang], timezone=dtype.time_zone
            )
        elif dtype.is_numeric():
            formats[name] = st.column_config.NumberColumn(
                format="euro" if "€" in name else "localized"
            )
    return formats


def table(frame: pl.DataFrame, key: str, lang: str, *, selectable: bool = False) -> int | None:
    """``frame`` as a table, each column shown as its type reads (``column_formats``), a
    missing value as a dash (Streamlit writes "None"). ``selectable``: a row can be picked
    (a click on its left edge); returns its position, or None."""
    formats = column_formats(frame, lang)
    if frame.width > PIN_FROM_COLUMNS:
        # a wide table keeps what each row is (its first column) in view when scrolled
        first = frame.columns[0]
        formats[first] = {**formats.get(first, {}), "pinned": True}
    event = st.dataframe(
        frame,
        hide_index=True,
        key=key,
        column_config=formats,
        placeholder=MISSING,
        on_select="rerun" if selectable else "ignore",
        selection_mode="single-row",
    )
    if not selectable:
        return None
    rows = event.selection.rows if event is not None else []
    return rows[0] if rows else None


def chart(figure, data: pl.DataFrame, key: str, lang: str) -> None:
    """A chart, then the data it draws one click away, as a table (RGAA, topic 1: a chart
    is a complex image). Its short text alternative is the chart's own description, which
    Vega gives its SVG as ``aria-label`` and which ends by pointing to this table."""
    st.altair_chart(figure, width="stretch")
    with st.expander(t("chart_data", lang)):
        table(data, key, lang)


def new_pick(key: str, picked: int | None) -> int | None:
    """``picked`` if it is a new pick in table ``key``: a table keeps its selection across
    reruns, so acting on it every run would undo a choice made elsewhere since."""
    last = st.session_state.get(f"{key}__acted_on")
    st.session_state[f"{key}__acted_on"] = picked
    return picked if picked is not None and picked != last else None


def page_header(page: str) -> tuple[str, Reader]:
    """Every page's preamble: its language, its title, and its reader (see
    :func:`page_reader`)."""
    lang: str = st.session_state["vigie_lang"]
    st.title(t(f"page_{page}", lang))
    return lang, page_reader(page, lang)


def page_reader(page: str, lang: str) -> Reader:
    """The reader of this page for the signed-in person: the page stops, with a message,
    when nothing is published or when their role does not open it (typed in the URL)."""
    from vigie.dashboards.scope import NotAllowed

    reader: Reader | None = st.session_state.get("vigie_reader")
    if reader is None:
        st.info(t("no_snapshot", lang))
        st.stop()
    try:
        reader.require(page)
    except NotAllowed:
        st.error(t("not_yours", lang))
        st.stop()
    return reader


def _download_context() -> tuple | None:
    person = st.session_state.get("vigie_person")
    store = st.session_state.get("vigie_store")
    if person is None or store is None:
        return None
    return person, store, st.session_state.get("vigie_page"), st.query_params.to_dict()


def _record(context: tuple | None, file_name: str) -> None:
    from vigie.platform import access

    if context is None:
        return
    person, store, page, params = context
    access.record(
        store,
        who=person.who,
        role=person.role,
        action="download",
        page=page,
        detail={"file": file_name, **params},
    )


def record_download(file_name: str) -> None:
    """The audit entry of a download (the button's callback: it runs when clicked)."""
    _record(_download_context(), file_name)


def download_button(label: str, data, *, file_name: str, mime: str, key: str, **kwargs) -> None:
    """``st.download_button`` whose every click is written to the audit log. A file made on
    click (``data`` callable) runs in a thread of its own, without the page's callbacks: its
    audit entry is written there, with who and where captured now."""
    if callable(data):
        context, make = _download_context(), data

        def data():
            _record(context, file_name)
            return make()

    st.download_button(
        label,
        data,
        file_name=file_name,
        mime=mime,
        key=key,
        on_click=record_download,
        args=(file_name,),
        **kwargs,
    )


def downloadable_table(
    frame: pl.DataFrame,
    name: str,
    key: str,
    lang: str,
    *,
    selectable: bool = False,
    totals: Sequence[str] = (),
) -> int | None:
    """The table, then its downloads: CSV for French Excel and Parquet (types kept). An
    empty table is said in words instead, without downloads (Streamlit wrote "empty").
    ``selectable``: returns the position of the row picked, or None. ``totals``: the
    columns (counts, amounts) summed in the CSV's last row."""
    if frame.is_empty():
        st.info(t("no_rows", lang))
        return None
    picked = table(frame, f"{key}_table", lang, selectable=selectable)
    with st.container(horizontal=True):
        download_button(
            t("download_csv", lang),
            excel_csv(frame, totals=tuple(totals), total_label=t("total", lang)),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
        )
        download_button(
            t("download_parquet", lang),
            parquet_bytes(frame),
            file_name=f"{name}.parquet",
            mime="application/vnd.apache.parquet",
            key=f"{key}_parquet",
        )
    return picked


def url_selectbox(
    label: str,
    options: Sequence[Any],
    param: str,
    *,
    key: str,
    format_func: Callable[[Any], str] = str,
    parse: Callable[[str], Any] = str,
) -> Any:
    """A select box whose choice is read from and written to the URL parameter ``param``."""
    wanted = st.query_params.get(param)
    try:
        default = parse(wanted) if wanted is not None else None
    except ValueError:
        default = None
    index = list(options).index(default) if default in options else 0
    choice = st.selectbox(
        label,
        options,
        index=index,
        key=key,
        format_func=format_func,
        placeholder=t("choose", st.session_state.get("vigie_lang", "fr")),
    )
    if choice is not None:
        st.query_params[param] = str(choice)
    return choice


def year_selectbox(reader, sql: str, lang: str, *, key: str) -> int:
    """The year chosen among those ``sql`` returns (column ``year``), kept in the URL; the
    page stops with "no data" when there is none."""
    years = reader.query(sql).get_column("year").to_list()
    if not years:
        st.info(t("no_rows", lang))
        st.stop()
    return url_selectbox(t("year", lang), years, "year", key=key, parse=int)


def labelled(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """The columns of ``labels`` only, renamed to the user's language."""
    return frame.select([pl.col(c).alias(label) for c, label in labels.items()])


def invoice_detail(reader, invoice_id: str, number: str, lang: str, *, key: str) -> None:
    """An invoice drilled into: its delay (``invoice_delay``) and its timeline."""
    from vigie.dashboards import queries

    st.subheader(t("invoice_title", lang, number=number))
    invoice_delay(reader, invoice_id, lang)
    history = reader.query(queries.INVOICE_HISTORY_SQL, (invoice_id, number))
    table(queries.history_table(history, lang), key, lang)


def invoice_delay(reader, invoice_id: str, lang: str, *, link_to: str | None = None) -> None:
    """An invoice's delay: due date, payment, days late, interest and indemnity ("Non
    communiqué" where the recipient does not report payments); ``link_to``: the recipient's
    name, for a link to its delays page (on its year)."""
    from vigie.dashboards import queries
    from vigie.dashboards.formatting import format_date, format_eur, format_number

    found = reader.query(queries.INVOICE_DELAY_SQL, (invoice_id,)).to_dicts()
    if not found:
        return
    d = found[0]
    unknown = d["payment_status"] == "unknown"

    def known(text: str) -> str:
        return t("not_reported", lang) if unknown else text

    with st.container(horizontal=True):
        st.metric(t("due_date", lang), format_date(d["due_date"], lang) if d["due_date"] else "—")
        st.metric(
            t("payment_date", lang),
            format_date(d["payment_date"], lang) if d["payment_date"] else known(t("unpaid", lang)),
        )
        st.metric(t("days_late", lang), known(format_number(d["days_late"] or 0, lang)))
        st.metric(t("interest_owed", lang), known(format_eur(d["late_interest_eur"] or 0, lang)))
        st.metric(
            t("indemnity_owed", lang), known(format_eur(d["recovery_indemnity_eur"] or 0, lang))
        )
    day = d["payment_date"] or d["due_date"]
    if link_to is not None and day is not None:
        st.page_link(
            "app_pages/delais.py",
            icon=":material/schedule:",
            label=t("see_delays_of", lang, name=link_to or "—"),
            query_params={
                "view": "entity",
                "entity": d["recipient_structure_id"],
                "year": str(day.year),
            },
        )
