"""Pure chart builders: frame in, chart out."""

from __future__ import annotations

import altair as alt
import polars as pl

from vigie.dashboards.i18n import MONTHS, t


def monthly_comparison(frame: pl.DataFrame, year: int, lang: str) -> alt.Chart:
    """Grouped bars per month, this year and the previous one (the yearly report's chart).

    Years differ by colour, by position (last year always on the left, said by the legend)
    and in the tooltip, so the chart reads without colour.
    """
    rows = [
        {**r, "month_label": MONTHS[lang][r["month"] - 1], "year_label": str(r["year"])}
        for r in frame.to_dicts()
    ]
    return (
        alt.Chart(
            alt.Data(values=rows), title=t("per_month_title", lang, year=year, previous=year - 1)
        )  # fmt: skip
        .mark_bar()
        .encode(
            x=alt.X("month_label:N", sort=MONTHS[lang], title=t("month", lang)),
            xOffset=alt.XOffset("year_label:N", sort=[str(year - 1), str(year)]),
            y=alt.Y("invoice_count:Q", title=t("invoice_count_axis", lang)),
            color=alt.Color(
                "year_label:N", title=t("year", lang), scale=alt.Scale(range=["#9aa5b1", "#1f4e79"])
            ),  # fmt: skip
            opacity=alt.Opacity(
                "year_label:N", legend=None, scale=alt.Scale(range=[0.55, 1.0])
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip("year_label:N", title=t("year", lang)),
                alt.Tooltip("month_label:N", title=t("month", lang)),
                alt.Tooltip("invoice_count:Q", title=t("invoices", lang), format=",d"),
            ],
        )
    )
