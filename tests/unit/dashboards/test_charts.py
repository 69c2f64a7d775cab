"""Charts name their series in full: French measure names are longer than a legend's
default 160 pixels ("Taux de refus plateforme…" was cut)."""

from datetime import date
from decimal import Decimal

import polars as pl

from vigie.dashboards import charts
from vigie.dashboards.i18n import t


def test_long_measure_names_are_not_cut_in_the_legend():
    frame = pl.DataFrame(
        {
            "month_start_date": [date(2020, 1, 1), date(2020, 2, 1)],
            "refusal_rate_pct": [Decimal("2.9"), Decimal("3.1")],
            "rejection_rate_pct": [Decimal("4.8"), Decimal("3.9")],
        }
    )
    series = {
        "refusal_rate_pct": t("refusal_rate", "fr"),
        "rejection_rate_pct": t("rejection_rate", "fr"),
    }
    chart = charts.lines_by_month(
        frame, "month_start_date", series, title="Taux", y_title="Taux (%)", lang="fr"
    ).to_dict()
    assert chart["encoding"]["color"]["legend"]["labelLimit"] == 0
    assert [v["measure"] for v in chart["data"]["values"][:2]] == [
        "Taux de refus plateforme (%)",
        "Taux de rejet destinataire (%)",
    ]

    buckets = pl.DataFrame(
        {
            "delay_bucket_start_days": [0, 0],
            "grain": ["entity", "category"],
            "share_pct": [Decimal("40.0"), Decimal("35.5")],
            "paid_invoice_count": [4, 71],
        }
    )
    labels = {"entity": "Centre hospitalier n°29", "category": "Établissements publics de santé"}
    chart = charts.delay_distribution(
        buckets, labels, title="Répartition", x_title="Délai", y_title="Part (%)", lang="fr"
    ).to_dict()
    assert chart["encoding"]["color"]["legend"]["labelLimit"] == 0


def _bars(year_counts: dict[int, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "month": [1] * len(year_counts),
            "year": list(year_counts),
            "invoice_count": list(year_counts.values()),
        }
    )


def test_year_over_year_bars_have_a_legend_fixed_colours_and_horizontal_months():
    chart = charts.monthly_comparison(_bars({2019: 10, 2020: 12}), 2020, "fr").to_dict()
    color = chart["encoding"]["color"]
    assert color["legend"]["orient"] == "bottom" and "opacity" not in chart["encoding"]
    assert color["scale"] == {"domain": ["2019", "2020"], "range": ["#9aa5b1", "#1f4e79"]}
    assert chart["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert chart["title"] == "Factures reçues par mois, 2020 et 2019"


def test_a_year_without_the_one_before_is_drawn_and_titled_alone():
    chart = charts.monthly_comparison(_bars({2019: 10}), 2019, "en").to_dict()
    assert chart["title"] == "Invoices received per month, 2019"
    # the year is mapped to this year's colour, whatever the data holds
    assert chart["encoding"]["color"]["scale"]["domain"] == ["2018", "2019"]
    assert {v["year_label"] for v in chart["data"]["values"]} == {"2019"}


def test_a_delay_chart_marks_the_legal_delay_with_a_labelled_line():
    frame = pl.DataFrame(
        {"payment_month_start_date": [date(2020, 1, 1)], "mean_delay_days": [Decimal("41.5")]}
    )
    chart = charts.lines_by_month(
        frame,
        "payment_month_start_date",
        {"mean_delay_days": "Délai moyen"},
        title="Délai",
        y_title="Délai (jours)",
        lang="fr",
        legal_delay_days=50,
    ).to_dict()

    def walk(spec):  # every view of a (nested) layered chart, layers included
        yield spec
        for inner in spec.get("layer", []):
            yield from walk(inner)

    views = list(walk(chart))
    kinds = {v["mark"]["type"] for v in views if "mark" in v}
    assert {"line", "rule", "text"} <= kinds
    values = [x for v in views for x in v.get("data", {}).get("values", [])]
    assert {"days": 50, "label": "Délai légal : 50 j"} in values
    # without a legal delay, the chart is the lines alone
    plain = charts.lines_by_month(
        frame,
        "payment_month_start_date",
        {"mean_delay_days": "Délai moyen"},
        title="Délai",
        y_title="Délai (jours)",
        lang="fr",
    ).to_dict()
    assert "layer" not in plain and plain["mark"]["type"] == "line"


def test_a_chart_is_described_and_writes_numbers_in_the_pages_language():
    frame = pl.DataFrame(
        {"month": [1, 2, 1], "year": [2020, 2020, 2019], "invoice_count": [1200, 300, 4]}
    )
    fr = charts.monthly_comparison(frame, 2020, "fr").to_dict()
    assert fr["description"] == (
        "Diagramme en barres. 2020 : 1\u202f500 factures, le plus en janv. (1\u202f200); "
        "2019 : 4 factures, le plus en janv. (4). Données dans le tableau qui suit."
    )
    assert fr["config"]["locale"]["number"]["decimal"] == ","
    assert fr["config"]["locale"]["number"]["thousands"] == "\u202f"
    en = charts.monthly_comparison(frame, 2020, "en").to_dict()
    assert en["description"].startswith("Bar chart. 2020: 1,500 invoices, most in Jan (1,200)")
    assert en["config"]["locale"]["number"]["decimal"] == "."

    delays = pl.DataFrame(
        {
            "payment_month_start_date": [date(2020, 1, 1), date(2020, 2, 1)],
            "mean_delay_days": [Decimal("41.5"), Decimal("38")],
        }
    )
    lines = charts.lines_by_month(
        delays,
        "payment_month_start_date",
        {"mean_delay_days": "Délai moyen"},
        title="Délais",
        y_title="jours",
        lang="fr",
        legal_delay_days=30,
    ).to_dict()
    assert lines["description"] == (
        "Courbes par mois. Délai moyen : de 38 (févr. 2020) à 41,5 (janv. 2020). "
        "Ligne du délai légal à 30 jours. Données dans le tableau qui suit."
    )
