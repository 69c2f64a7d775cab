"""The table every page shows, with its downloads."""

from streamlit.testing.v1 import AppTest


def _page(rows: int, lang: str) -> None:
    import polars as pl

    from vigie.dashboards.components import downloadable_table

    frame = pl.DataFrame({"Mois": ["janv."] * rows, "Factures": [3] * rows})
    downloadable_table(frame, "test", "t", lang)


def test_an_empty_table_is_said_in_words_without_downloads():
    app = AppTest.from_function(_page, kwargs={"rows": 0, "lang": "fr"}).run(timeout=60)
    assert not app.exception
    assert [i.value for i in app.info] == ["Aucune donnée pour cette sélection."]
    assert not app.dataframe and not app.get("download_button")


def test_a_table_comes_with_its_two_downloads():
    app = AppTest.from_function(_page, kwargs={"rows": 2, "lang": "en"}).run(timeout=60)
    assert not app.exception
    assert len(app.dataframe[0].value) == 2
    assert [b.proto.label for b in app.get("download_button")] == [
        "Download (CSV)",
        "Download (Parquet)",
    ]


def test_a_transmission_not_sent_after_its_deadline_or_whose_data_came_late_is_late_first():
    from datetime import date

    import polars as pl

    from vigie.dashboards.queries import ereporting_overview, mark_late

    frame = pl.DataFrame(
        {
            "declarant_siren": ["111111111"] * 5,
            "report_kind": [
                "transactions",
                "payments",
                "transactions",
                "transactions",
                "transactions",
            ],
            "period_start_date": [
                date(2026, 9, 1),
                date(2026, 10, 1),
                date(2026, 11, 1),
                date(2026, 8, 21),
                date(2026, 7, 1),
            ],
            "platform_deadline_date": [
                date(2026, 10, 20),
                date(2026, 11, 20),
                date(2026, 12, 20),
                date(2026, 9, 10),
                date(2026, 8, 10),
            ],
            # the last one's export was refused by the checks: it was not sent either
            "status": ["exported", "built", "built", "exported", "invalid"],
            # the declarant's summaries of the fourth reached the hub after its deadline
            "received_after_deadline": [False, False, False, True, False],
        }
    )
    marked = mark_late(frame, date(2026, 12, 3))
    assert marked.select("period_start_date", "late_reason").rows() == [
        (date(2026, 7, 1), "not_sent"),
        (date(2026, 8, 21), "received_late"),
        (date(2026, 10, 1), "not_sent"),
        (date(2026, 9, 1), None),
        (date(2026, 11, 1), None),
    ]
    # on its deadline day it is not late yet; data that came late stays late
    on_the_day = mark_late(frame, date(2026, 11, 20))
    assert on_the_day.filter("is_late").get_column("late_reason").to_list() == [
        "not_sent",
        "received_late",
    ]
    overview = ereporting_overview(marked).row(0, named=True)
    assert overview == {
        "report_kind": "transactions",
        "transmission_count": 4,
        "built_count": 1,
        "invalid_count": 1,
        "exported_count": 2,
        "rectified_count": 0,
        "not_sent_late_count": 1,
        "received_late_count": 1,
        "earliest_late_deadline": date(2026, 8, 10),
    }


def _wide_page(width: int) -> None:
    import polars as pl

    from vigie.dashboards.components import table

    table(pl.DataFrame({f"c{i}": [i] for i in range(width)}), "wide", "fr")


def test_a_wide_table_keeps_its_first_column_in_view():
    import json

    wide = AppTest.from_function(_wide_page, kwargs={"width": 8}).run(timeout=60)
    columns = json.loads(wide.dataframe[0].proto.columns)
    assert columns["c0"].get("pinned") is True and not columns["c1"].get("pinned")
    narrow = AppTest.from_function(_wide_page, kwargs={"width": 4}).run(timeout=60)
    assert not json.loads(narrow.dataframe[0].proto.columns).get("c0", {}).get("pinned")
