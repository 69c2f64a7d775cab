"""French number formatting: ``12 345,67 €`` (narrow no-break space between thousands)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

THIN = "\u202f"
#: the pages say every time and day as in Paris (23:14 UTC on 27/11 is 00:14 on 28/11 there)
PARIS = ZoneInfo("Europe/Paris")
#: a date and time as the pages write it, per language (``format_date``'s order)
DATETIME_PATTERNS = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}


#: the locales the browser reports to Streamlit's table formatter, per page language
BROWSER_LOCALES = {"fr": ["fr-FR", "fr"], "en": ["en-GB", "en"]}


def browser_locale_script(lang: str) -> str:
    """A script that makes the browser report the page's locale (``navigator.languages``,
    which Streamlit's tables format their numbers with) instead of its own; the page's
    language, switched, switches it too."""
    import json

    setter = (
        "if (!window.vigieLocaleSet) { window.vigieLocaleSet = true;"
        " Object.defineProperty(Navigator.prototype, 'languages',"
        " {get() { return window.vigieLanguages; }, configurable: true});"
        " Object.defineProperty(Navigator.prototype, 'language',"
        " {get() { return window.vigieLanguages[0]; }, configurable: true}); }"
    )
    return f"<script>window.vigieLanguages = {json.dumps(BROWSER_LOCALES[lang])};{setter}</script>"


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def format_number(value: int | float | Decimal, lang: str = "fr", decimals: int = 0) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    if lang == "fr":
        text = _group(whole, THIN) + ("," + frac if frac else "")
    else:
        text = _group(whole, ",") + ("." + frac if frac else "")
    return sign + text


def format_eur(value: Decimal, lang: str = "fr") -> str:
    amount = format_number(value, lang, decimals=2)
    return f"{amount}\u00a0€" if lang == "fr" else f"€{amount}"


def format_date(value: date, lang: str = "fr") -> str:
    """``23/11/2026`` in French, ``2026-11-23`` in English (a time stamp: its day in Paris)."""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()


def format_datetime(value: datetime, lang: str = "fr") -> str:
    """A time stamp in Paris time: ``28/11/2019 00:14`` in French, ``2019-11-28 00:14`` in
    English."""
    return value.astimezone(PARIS).strftime(DATETIME_PATTERNS[lang])


def datetime_column_text(column: str, lang: str = "fr"):
    """``format_datetime`` for a polars column of time stamps (a ``pl.Expr``)."""
    import polars as pl

    return pl.col(column).dt.convert_time_zone(PARIS.key).dt.strftime(DATETIME_PATTERNS[lang])


def format_percent(
    value: float | Decimal | None, lang: str = "fr", decimals: int = 1, *, signed: bool = True
) -> str:
    """A fraction as a percentage; ``signed`` puts a ``+`` before a rise (for changes)."""
    if value is None:
        return "—"
    text = format_number(Decimal(str(value)) * 100, lang, decimals)
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{text}\u00a0%" if lang == "fr" else f"{sign}{text}%"


#: a text a spreadsheet would take for a number or a date: a SIRET "13000000000012" becomes
#: 1,3E+13 and loses its last digits, "2019-0001" becomes a date. Such a value is written as
#: the formula ="…", which Excel and LibreOffice show as exactly that text.
_READ_AS_NUMBER = r"^[0-9][0-9 .,/:-]*$"
#: a text that starts like a formula would run as one when opened (CSV injection, OWASP):
#: it is written after an apostrophe
_READ_AS_FORMULA = r"^[=+\-@\t\r]"
#: the one date format and the one date-and-time format of every CSV (French Excel reads
#: them as dates); a time stamp is written in Paris time
CSV_DATE_FORMAT = "%d/%m/%Y"
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def excel_csv(frame, *, totals: tuple[str, ...] = (), total_label: str = "Total") -> bytes:
    """A polars frame as CSV for French Excel: ``;`` separator, UTF-8 BOM, decimal comma.

    - identifiers and other texts made of digits stay text once opened (``_READ_AS_NUMBER``);
    - a text starting with ``=``, ``+``, ``-`` or ``@`` does not run as a formula;
    - every date is ``dd/mm/yyyy`` and every time stamp ``dd/mm/yyyy hh:mm`` in Paris;
    - ``totals``: the columns summed in a last row, whose first cell says ``total_label``
      (where a total means something: counts and amounts, never a mean or a rate).
    """
    import polars as pl

    def text(column: str) -> pl.Expr:
        value = pl.col(column)
        return (
            pl.when(value.str.contains(_READ_AS_NUMBER))
            .then(pl.lit('="') + value.str.replace_all('"', '""', literal=True) + pl.lit('"'))
            .when(value.str.contains(_READ_AS_FORMULA))
            .then(pl.lit("'") + value)
            .otherwise(value)
            .alias(column)
        )

    def decimal_comma(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.String).str.replace(".", ",", literal=True)

    written = frame.with_columns(
        text(c)
        if dtype == pl.String
        else decimal_comma(c)
        if dtype.is_decimal() or dtype.is_float()
        else pl.col(c).dt.convert_time_zone(PARIS.key)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
        else pl.col(c)
        for c, dtype in frame.schema.items()
    )
    lines = written.write_csv(
        separator=";", date_format=CSV_DATE_FORMAT, datetime_format=CSV_DATETIME_FORMAT
    )
    if totals and frame.height:
        sums = frame.select(pl.col(c).sum() for c in totals).row(0, named=True)
        cells = [
            total_label
            if i == 0
            else ""
            if c not in sums or sums[c] is None
            else str(sums[c]).replace(".", ",")
            for i, c in enumerate(frame.columns)
        ]
        lines += ";".join(cells) + "\n"
    return "\ufeff".encode() + lines.encode("utf-8")


def parquet_bytes(frame) -> bytes:
    """A polars frame as a Parquet file (types kept: dates, decimals)."""
    import io

    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()
