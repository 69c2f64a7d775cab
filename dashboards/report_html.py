"""The Bilan annuel as one self-contained HTML file (inline SVG chart, no script, no link
to fetch), for publication."""

from __future__ import annotations

import html
from datetime import datetime

import altair as alt
import polars as pl

from vigie.dashboards.formatting import format_datetime, format_number


def chart_svg(chart: alt.Chart) -> str:
    """The chart drawn as SVG by vl-convert (offline)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json())


def _table(frame: pl.DataFrame, lang: str) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    rows = []
    for row in frame.iter_rows():
        cells = []
        for value in row:
            if isinstance(value, int | float) and not isinstance(value, bool):
                text = format_number(value, lang, decimals=0 if isinstance(value, int) else 1)
                cells.append(f'<td class="n">{text}</td>')
            else:
                cells.append(f"<td>{html.escape('' if value is None else str(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def bilan_html(
    *,
    title: str,
    lang: str,
    data_as_of: datetime,
    headline: list[tuple[str, str]],
    chart: alt.Chart,
    tables: list[tuple[str, pl.DataFrame]],
) -> str:
    """One HTML page: title, headline figures, the monthly chart, the tables."""
    figures = "".join(
        f'<div class="fig"><div class="label">{html.escape(k)}</div>'
        f'<div class="value">{html.escape(v)}</div></div>'
        for k, v in headline
    )
    sections = "".join(f"<h2>{html.escape(name)}</h2>{_table(f, lang)}" for name, f in tables)
    stamp = format_datetime(data_as_of, lang)
    source = "Vigie — données au" if lang == "fr" else "Vigie — data as of"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1b1f24; }}
.figs {{ display: flex; flex-wrap: wrap; gap: .75rem; }}
.fig {{ border: 1px solid #ccd3da; border-radius: .4rem; padding: .5rem .8rem; min-width: 10rem; }}
.label {{ font-size: .85rem; color: #4a5561; }} .value {{ font-size: 1.4rem; font-weight: 600; }}
table {{ border-collapse: collapse; margin: .5rem 0 1.5rem; }}
th, td {{ border-bottom: 1px solid #dde3e8; padding: .25rem .6rem; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
footer {{ color: #4a5561; font-size: .85rem; }}
@page {{ size: A4; }}
@media print {{ body {{ margin: 0; max-width: none; }} figure {{ margin: 0; }}
  figure svg {{ max-width: 100%; height: auto; }} h2 {{ break-after: avoid; }}
  tr {{ break-inside: avoid; }} }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<div class="figs">{figures}</div>
<figure>{chart_svg(chart)}</figure>
{sections}
<footer>{source} {stamp}</footer>
</body></html>
"""
