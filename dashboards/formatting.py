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


def excel_csv(frame) -> bytes:
    """A polars frame as CSV for French Excel: ``;`` separator, decimal comma, UTF-8 BOM."""
    import polars as pl

    text = frame.with_columns(
        pl.col(c).cast(pl.String).str.replace(".", ",", literal=True)
        for c, dtype in frame.schema.items()
        if dtype.is_decimal() or dtype.is_float()
    ).write_csv(separator=";")
    return "\ufeff".encode() + text.encode("utf-8")


def parquet_bytes(frame) -> bytes:
    """A polars frame as a Parquet file (types kept: dates, decimals)."""
    import io

    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()
