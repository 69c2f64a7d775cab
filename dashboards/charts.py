"""Pure chart builders: frame in, chart out."""

from __future__ import annotations

import altair as alt
import polars as pl

from vigie.dashboards.formatting import format_number
from vigie.dashboards.i18n import MONTHS, t

#: how Vega writes numbers and dates in a chart (axes, tooltips), per page language: the
#: page's language decides, not the browser's (a French page in an English browser wrote
#: "1,384")
VEGA_LOCALES = {
    "fr": {
        "number": {
            "decimal": ",",
            "thousands": "\u202f",
            "grouping": [3],
            "currency": ["", "\u00a0€"],
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
            "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
            "months": [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            "shortMonths": MONTHS["fr"],
        },
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
        "time": {
            "dateTime": "%a %e %b %Y %X",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            "shortMonths": MONTHS["en"],
        },
    },
}


def localized(chart, lang: str):
    """``chart`` with its numbers and dates written the way of ``lang``."""
    return chart.configure(locale=VEGA_LOCALES[lang])


def _number(value, lang: str) -> str:
    return format_number(value, lang, decimals=0 if float(value).is_integer() else 1)


#: the height of a chart with its legend under the plot. Streamlit gives the chart element
#: this height, and Vega fits the title, plot, axes and legend into it. At Streamlit's
#: default 350 px, the delay distribution's title was pushed out of its frame.
PLOT_HEIGHT = 420
#: the legal-delay line: near-black, apart from every series' colour (the series use blues
#: and a red)
LEGAL_COLOUR = "#262730"


def monthly_comparison(frame: pl.DataFrame, year: int, lang: str) -> alt.Chart:
    """Grouped bars per month, this year and the previous one (the yearly report's chart).

    Years differ by colour and position (last year always on the left), are named in the
    legend under the plot and in the tooltip, so the chart reads without colour. The colours
    are fixed per year: a year without a previous one is drawn in this year's colour, under a
    title that names it alone. Month names read horizontally.
    """
    rows = [
        {**r, "month_label": MONTHS[lang][r["month"] - 1], "year_label": str(r["year"])}
        for r in frame.to_dicts()
    ]
    years = [str(year - 1), str(year)]
    has_previous = any(r["year_label"] == years[0] for r in rows)
    title = (
        t("per_month_title", lang, year=year, previous=year - 1)
        if has_previous
        else t("per_month_title_single", lang, year=year)
    )
    summaries = []
    for label in reversed(years):
        mine = [r for r in rows if r["year_label"] == label]
        if mine:
            top = max(mine, key=lambda r: r["invoice_count"])
            summaries.append(
                t(
                    "alt_bars_year",
                    lang,
                    year=label,
                    total=format_number(sum(r["invoice_count"] for r in mine), lang),
                    month=top["month_label"],
                    top=format_number(top["invoice_count"], lang),
                )
            )
    description = t("alt_bars", lang, years="; ".join(summaries), below=t("chart_data_below", lang))
    return localized(
        alt.Chart(alt.Data(values=rows), title=title, height=PLOT_HEIGHT, description=description)
        .mark_bar()
        .encode(
            x=alt.X(
                "month_label:N",
                sort=MONTHS[lang],
                title=t("month", lang),
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("year_label:N", sort=years),
            y=alt.Y("invoice_count:Q", title=t("invoice_count_axis", lang)),
            color=alt.Color(
                "year_label:N",
                title=t("year", lang),
                scale=alt.Scale(domain=years, range=["#9aa5b1", "#1f4e79"]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("year_label:N", title=t("year", lang)),
                alt.Tooltip("month_label:N", title=t("month", lang)),
                alt.Tooltip("invoice_count:Q", title=t("invoices", lang), format=",d"),
            ],
        ),
        lang,
    )


def legal_delay_rule(days: int, lang: str) -> alt.Chart:
    """A dashed horizontal line at the legal payment delay, labelled, to layer on a chart
    whose y axis is a delay in days."""
    base = alt.Chart(
        alt.Data(values=[{"days": days, "label": t("legal_delay_mark", lang, days=days)}])
    )
    rule = base.mark_rule(color=LEGAL_COLOUR, strokeDash=[8, 4], strokeWidth=2).encode(
        y="days:Q", tooltip=[alt.Tooltip("label:N", title=t("legal_delay_title", lang))]
    )
    text = base.mark_text(align="left", dx=4, dy=-8, color=LEGAL_COLOUR, fontWeight="bold").encode(
        y="days:Q", x=alt.value(0), text="label:N"
    )
    return rule + text


#: the splits of the yearly report, in the order the page shows them
BREAKDOWNS = (
    "channel",
    "syntax",
    "billing_framework",
    "recipient_category",
    "supplier_size",
    "document_type",
)


def lines_by_month(
    frame: pl.DataFrame,
    x: str,
    series: dict[str, str],
    *,
    title: str,
    y_title: str,
    lang: str,
    legal_delay_days: int | None = None,
) -> alt.Chart:
    """One line per measure over the months; measures differ by colour, dash and point
    shape, and are named in the legend and the tooltip (readable without colour). With
    ``legal_delay_days`` (a delay chart), a labelled reference line marks the legal delay."""
    rows = [
        {"month": r[x].isoformat(), "measure": label, "value": float(r[col])}
        for r in frame.to_dicts()
        for col, label in series.items()
        if r[col] is not None
    ]
    names = list(series.values())
    summaries = []
    for name in names:
        mine = [r for r in rows if r["measure"] == name]
        if mine:
            low = min(mine, key=lambda r: r["value"])
            high = max(mine, key=lambda r: r["value"])
            summaries.append(
                t(
                    "alt_line",
                    lang,
                    measure=name,
                    low=_number(low["value"], lang),
                    low_month=_month(low["month"], lang),
                    high=_number(high["value"], lang),
                    high_month=_month(high["month"], lang),
                )
            )
    legal = "" if legal_delay_days is None else t("alt_legal", lang, days=legal_delay_days)
    description = t(
        "alt_lines",
        lang,
        lines="; ".join(summaries),
        legal=legal,
        below=t("chart_data_below", lang),
    )
    lines = (
        alt.Chart(alt.Data(values=rows), height=PLOT_HEIGHT)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "month:T",
                title=t("month", lang),
                axis=alt.Axis(format="%m/%Y", tickCount={"interval": "month", "step": 1}),
            ),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "measure:N",
                title=t("measure", lang),
                sort=names,
                legend=alt.Legend(
                    orient="bottom", direction="horizontal", symbolStrokeWidth=3, labelLimit=0
                ),
            ),
            strokeDash=alt.StrokeDash("measure:N", sort=names, legend=None),
            shape=alt.Shape("measure:N", sort=names, legend=None),
            tooltip=[
                alt.Tooltip("measure:N", title=t("measure", lang)),
                alt.Tooltip("month:T", title=t("month", lang), format="%m/%Y"),
                alt.Tooltip("value:Q", title=y_title),
            ],
        )
    )
    if legal_delay_days is None:
        return localized(lines.properties(title=title, description=description), lang)
    return localized(
        alt.layer(
            lines, legal_delay_rule(legal_delay_days, lang), title=title, description=description
        ),
        lang,
    )


def _month(iso_day: str, lang: str) -> str:
    """``2020-03-01`` as ``mars 2020`` / ``Mar 2020``."""
    year, month, _ = iso_day.split("-")
    return f"{MONTHS[lang][int(month) - 1]} {year}"


def delay_distribution(
    frame: pl.DataFrame,
    labels: dict[str, str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    lang: str,
) -> alt.Chart:
    """Share of invoices per 10-day bucket of delay, one bar per grain side by side (the
    grains differ by position, colour and opacity, and are named in the legend and tooltip)."""
    rows = [
        {
            "bucket": f"{r['delay_bucket_start_days']}+"
            if r["delay_bucket_start_days"] >= 120
            else f"{r['delay_bucket_start_days']}–{r['delay_bucket_start_days'] + 9}",
            "order": r["delay_bucket_start_days"],
            "series": labels[r["grain"]],
            "share": r["share_pct"],
            "count": r["paid_invoice_count"],
        }
        for r in frame.to_dicts()
    ]
    order = [f"{b}–{b + 9}" for b in range(0, 120, 10)] + ["120+"]
    names = list(labels.values())
    shares = []
    for name in names:
        mine = [r for r in rows if r["series"] == name]
        if mine:
            top = max(mine, key=lambda r: r["share"])
            share = format_number(top["share"], lang, decimals=1)
            shares.append(
                t(
                    "alt_share",
                    lang,
                    series=name,
                    bucket=top["bucket"],
                    share=f"{share}\u00a0%" if lang == "fr" else f"{share}%",
                )
            )
    description = t(
        "alt_histogram", lang, shares="; ".join(shares), below=t("chart_data_below", lang)
    )
    return localized(
        alt.Chart(alt.Data(values=rows), title=title, height=PLOT_HEIGHT, description=description)
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", sort=order, title=x_title),
            xOffset=alt.XOffset("series:N", sort=names),
            y=alt.Y("share:Q", title=y_title),
            color=alt.Color(
                "series:N",
                sort=names,
                title=t("measure", lang),
                legend=alt.Legend(orient="bottom", labelLimit=0),
            ),
            opacity=alt.Opacity(
                "series:N", sort=names, legend=None, scale=alt.Scale(range=[1.0, 0.55])
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("measure", lang)),
                alt.Tooltip("bucket:N", title=x_title),
                alt.Tooltip("share:Q", title=y_title),
                alt.Tooltip("count:Q", title=t("paid_invoices", lang)),
            ],
        ),
        lang,
    )
