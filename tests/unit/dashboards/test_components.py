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
