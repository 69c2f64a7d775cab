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
    # a month "2026-09" stays text (Excel would read a date)
    assert data.decode("utf-8-sig").splitlines() == [
        "Période;TVA (€);Nombre",
        '"=""2026-09""";3,27;3',
    ]


def test_excel_csv_keeps_identifiers_as_text_one_date_format_and_adds_totals():
    from datetime import UTC, date, datetime

    import polars as pl

    from vigie.dashboards.formatting import excel_csv

    frame = pl.DataFrame(
        {
            "SIRET": ["13000000000012", "21750001600019"],
            "Numéro": ["2019-0001", "F 12"],
            "Fournisseur": ["=HYPERLINK(1)", 'Dupont "et fils"'],
            "Échéance": [date(2019, 2, 10), None],
            "Limite": [datetime(2019, 2, 11, 7, 0, tzinfo=UTC), None],
            "Montant (€)": [Decimal("1234.50"), Decimal("0.75")],
            "Jours": [3, 58],
        },
        schema_overrides={"Montant (€)": pl.Decimal(18, 2)},
    )
    lines = excel_csv(frame, totals=("Montant (€)", "Jours")).decode("utf-8-sig").splitlines()
    assert lines == [
        "SIRET;Numéro;Fournisseur;Échéance;Limite;Montant (€);Jours",
        # digits and date-like texts as ="…"; a formula disarmed; dates dd/mm/yyyy, a time
        # stamp in Paris (07:00 UTC is 08:00 there in winter)
        '"=""13000000000012""";"=""2019-0001""";\'=HYPERLINK(1);10/02/2019;11/02/2019 08:00;'
        "1234,50;3",
        '"=""21750001600019""";F 12;"Dupont ""et fils""";;;0,75;58',
        "Total;;;;;1235,25;61",
    ]


def test_parquet_bytes_keep_decimals_exact():
    import io

    import polars as pl

    from vigie.dashboards.formatting import parquet_bytes

    frame = pl.DataFrame({"amount": [Decimal("12345.67")]}, schema={"amount": pl.Decimal(18, 2)})
    back = pl.read_parquet(io.BytesIO(parquet_bytes(frame)))
    assert back.get_column("amount").to_list() == [Decimal("12345.67")]


def test_time_stamps_are_said_as_in_paris():
    from datetime import UTC, date, datetime

    from vigie.dashboards.formatting import format_date, format_datetime

    late_evening = datetime(2019, 11, 27, 23, 14, tzinfo=UTC)  # 00:14 on the 28th in Paris
    assert format_datetime(late_evening) == "28/11/2019 00:14"
    assert format_datetime(late_evening, "en") == "2019-11-28 00:14"
    assert format_date(late_evening) == "28/11/2019"
    summer = datetime(2020, 6, 30, 22, 30, tzinfo=UTC)  # UTC+2 in summer
    assert format_date(summer, "en") == "2020-07-01"
    assert format_date(date(2020, 6, 30)) == "30/06/2020"  # a date stays that date
