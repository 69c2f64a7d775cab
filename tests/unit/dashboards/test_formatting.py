from decimal import Decimal

from vigie.dashboards.formatting import format_eur, format_number, format_percent


def test_amounts_are_formatted_the_french_way():
    assert format_eur(Decimal("12345.67")) == "12\u202f345,67\u00a0€"
    assert format_eur(Decimal("-0.5")) == "-0,50\u00a0€"
    assert format_eur(Decimal("1234567.891"), "en") == "€1,234,567.89"


def test_counts_and_percentages_follow_the_language():
    assert format_number(54562304) == "54\u202f562\u202f304"
    assert format_number(54562304, "en") == "54,562,304"
    assert format_percent(0.1961) == "+19,6\u00a0%"
    assert format_percent(None) == "—"


def test_excel_csv_is_semicolon_separated_with_decimal_commas_and_a_bom():
    import polars as pl

    from vigie.dashboards.formatting import excel_csv

    frame = pl.DataFrame(
        {"Période": ["2026-09"], "TVA (€)": [Decimal("3.27")], "Nombre": [3]},
        schema_overrides={"TVA (€)": pl.Decimal(18, 2)},
    )
    data = excel_csv(frame)
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["Période;TVA (€);Nombre", "2026-09;3,27;3"]


def test_parquet_bytes_keep_decimals_exact():
    import io

    import polars as pl

    from vigie.dashboards.formatting import parquet_bytes

    frame = pl.DataFrame({"amount": [Decimal("12345.67")]}, schema={"amount": pl.Decimal(18, 2)})
    back = pl.read_parquet(io.BytesIO(parquet_bytes(frame)))
    assert back.get_column("amount").to_list() == [Decimal("12345.67")]
