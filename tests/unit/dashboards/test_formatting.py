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
