"""The table every page shows, with its downloads."""

from streamlit.testing.v1 import AppTest


def _page(rows: int, lang: str) -> None:
    import polars as pl

    from vigie.dashboards.components import downloadable_table

    frame = pl.DataFrame({"Mois": ["janv."] * rows, "Factures": [3] * rows})
    downloadable_table(frame, "test", "t", lang)


def test_an_empty_table_is_said_in_words_without_downloads():
    app = AppTest.from_function(_page, kwargs={"rows": 0, "lang": "fr"}).run()
    assert not app.exception
    assert [i.value for i in app.info] == ["Aucune donnée pour cette sélection."]
    assert not app.dataframe and not app.get("download_button")


def test_a_table_comes_with_its_two_downloads():
    app = AppTest.from_function(_page, kwargs={"rows": 2, "lang": "en"}).run()
    assert not app.exception
    assert len(app.dataframe[0].value) == 2
    assert [b.proto.label for b in app.get("download_button")] == [
        "Download (CSV)",
        "Download (Parquet)",
    ]


def test_a_transmission_not_sent_after_its_deadline_is_marked_late_and_listed_first():
    from datetime import date

    import polars as pl

    from vigie.dashboards.queries import mark_late

    frame = pl.DataFrame({
        "report_kind": ["transactions", "payments", "transactions"],
        "period_start_date": [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
        "platform_deadline_date": [date(2026, 10, 20), date(2026, 11, 20), date(2026, 12, 20)],
        "status": ["exported", "built", "built"],
    })  # fmt: skip
    marked = mark_late(frame, date(2026, 12, 3))
    assert marked.get_column("is_late").to_list() == [True, False, False]
    assert marked.get_column("period_start_date").to_list()[0] == date(2026, 10, 1)
    # on its deadline day it is not late yet
    assert not mark_late(frame, date(2026, 11, 20)).get_column("is_late").any()
