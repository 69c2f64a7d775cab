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
