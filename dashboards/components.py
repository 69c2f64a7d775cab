"""Pieces every page uses: a table with its CSV (French Excel) and Parquet downloads, and a
choice kept in the URL so that a view can be shared."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
import streamlit as st

from vigie.dashboards.formatting import excel_csv, parquet_bytes
from vigie.dashboards.i18n import t


def downloadable_table(frame: pl.DataFrame, name: str, key: str, lang: str) -> None:
    """The table, then its downloads: CSV for French Excel and Parquet (types kept)."""
    st.dataframe(frame, hide_index=True, key=f"{key}_table")
    with st.container(horizontal=True):
        st.download_button(
            t("download_csv", lang), excel_csv(frame), file_name=f"{name}.csv",
            mime="text/csv", key=f"{key}_csv",
        )  # fmt: skip
        st.download_button(
            t("download_parquet", lang), parquet_bytes(frame), file_name=f"{name}.parquet",
            mime="application/vnd.apache.parquet", key=f"{key}_parquet",
        )  # fmt: skip


def url_selectbox(
    label: str, options: Sequence[Any], param: str, *, key: str,
    format_func: Callable[[Any], str] = str, parse: Callable[[str], Any] = str,
) -> Any:  # fmt: skip
    """A select box whose choice is read from and written to the URL parameter ``param``."""
    wanted = st.query_params.get(param)
    try:
        default = parse(wanted) if wanted is not None else None
    except ValueError:
        default = None
    index = list(options).index(default) if default in options else 0
    choice = st.selectbox(label, options, index=index, key=key, format_func=format_func)
    if choice is not None:
        st.query_params[param] = str(choice)
    return choice


def labelled(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """The columns of ``labels`` only, renamed to the user's language."""
    return frame.select([pl.col(c).alias(label) for c, label in labels.items()])
