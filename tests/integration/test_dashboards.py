"""The real Streamlit app (AppTest) on the demo's serving snapshot."""

import duckdb
import pytest
from helpers import grant, signed_in
from streamlit.testing.v1 import AppTest

from vigie.dashboards.formatting import format_eur, format_number
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import REPO_ROOT

pytestmark = pytest.mark.integration
APP = str(REPO_ROOT / "dashboards" / "app.py")
#: granted by `vigie demo` (vigie.orchestration.demo_people)
OPERATOR = "operateur@vigie.invalid"


@pytest.fixture
def app(demo_home, monkeypatch):
    monkeypatch.setenv("VIGIE_HOME", str(demo_home.home))
    return signed_in(AppTest.from_file(APP, default_timeout=60), OPERATOR)


def _yearly(demo_home) -> dict[int, int]:
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        return dict(
            con.execute(
                "select year, sum(invoice_count) from reports.rpt_monthly_volumes group by 1"
            ).fetchall()
        )


def test_bilan_page_shows_the_latest_year_from_the_snapshot_in_french(app, demo_home):
    app.run()
    assert not app.exception
    yearly = _yearly(demo_home)
    latest = max(yearly)
    assert app.title[0].value == "Bilan annuel"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Factures reçues"] == format_number(yearly[latest], "fr")
    assert app.selectbox(key="year").value == latest
    assert app.caption[0].value.startswith("Données au ")


def test_bilan_page_follows_the_year_in_the_url_and_switches_to_english(app, demo_home):
    yearly = _yearly(demo_home)
    first = min(yearly)
    app.query_params["year"] = str(first)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Yearly report"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Invoices received"] == format_number(yearly[first], "en")


def test_app_says_when_nothing_is_published(vigie_home):
    grant(vigie_home, OPERATOR, "operator")
    app = signed_in(AppTest.from_file(APP, default_timeout=60), OPERATOR)
    app.run()
    assert not app.exception
    assert any("Aucune donnée publiée" in w.value for w in app.warning)


def test_bilan_detail_table_lists_each_month_with_its_count(app, demo_home):
    app.query_params["year"] = "2020"
    app.run()
    table = app.dataframe[0].value
    assert list(table.columns) == ["Mois", "Factures reçues"]
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        expected = con.execute(
            "select month, invoice_count from reports.rpt_monthly_volumes "
            "where year = 2020 order by month"
        ).fetchall()
    months = ["janv.", "févr.", "mars"]
    assert list(zip(table["Mois"], table["Factures reçues"], strict=True)) == [
        (months[m - 1], n) for m, n in expected
    ]


def _transmissions(demo_home) -> list[tuple]:
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        return con.execute(
            "select declarant_siren, report_kind, period_start_date, platform_deadline_date,"
            " invoice_record_count + aggregate_record_count, received_after_deadline"
            " from reports.rpt_ereporting_transmissions order by 1, 3, 2"
        ).fetchall()


def test_ereporting_page_lists_a_declarants_transmissions_with_deadlines(app, demo_home):
    rows = _transmissions(demo_home)
    # the latest year of every declarant's periods, unless the URL asks for every year
    latest = max(r[2].year for r in rows)
    declarant = next(r[0] for r in rows if r[2].year == latest)
    app.query_params["declarant"] = declarant
    app.switch_page("app_pages/ereporting.py")
    app.run()
    assert not app.exception
    assert app.title[0].value == "E-reporting"
    table = app.dataframe[-1].value  # the declarant's, under the year's overview
    mine = [r for r in rows if r[0] == declarant and r[2].year == latest]
    assert len(table) == len(mine)
    assert [d.date() for d in table["Échéance plateforme"]] == [r[3] for r in mine]
    assert list(table["Enregistrements"]) == [r[4] for r in mine]
    assert set(table["Statut"]) <= {"construite", "exportée", "rectifiée"}
    # the first "Transmissions" counts the year's overview, the last the declarant's
    counts = [m.value for m in app.metric if m.label == "Transmissions"]
    assert counts == [str(sum(1 for r in rows if r[2].year == latest)), str(len(mine))]
    assert not app.error  # the XML of the first period is valid and offered for download

    every_year = signed_in(AppTest.from_file(APP, default_timeout=60), OPERATOR)
    every_year.query_params.update({"declarant": declarant, "year": "all"})
    every_year.switch_page("app_pages/ereporting.py")
    every_year.run()
    everything = [r for r in rows if r[0] == declarant]
    assert len(every_year.dataframe[0].value) == len(everything) > len(mine)


def test_ereporting_overview_counts_every_declarant_and_lists_the_late_ones_first(app, demo_home):
    rows = _transmissions(demo_home)
    # the demo's late B2C sellers sent some 2019 summaries weeks after the deadline
    late = [r for r in rows if r[5]]
    assert late, "the demo has late transmissions"
    year = late[0][2].year
    of_year = [r for r in rows if r[2].year == year]
    app.query_params["year"] = str(year)
    app.switch_page("app_pages/ereporting.py")
    app.run()
    assert not app.exception
    metrics = {}
    for m in app.metric:  # the overview's, before the declarant's of the same label
        metrics.setdefault(m.label, m.value)
    assert metrics["Déclarants"] == str(len({r[0] for r in of_year}))
    assert metrics["Transmissions"] == str(len(of_year))
    # every transmission due was exported by the demo: late only by its data
    assert metrics["En retard"] == str(sum(1 for r in of_year if r[5]))
    overview = app.dataframe[0].value
    assert dict(zip(overview["Type"], overview["Reçues en retard"], strict=True)) == {
        {"transactions": "Transactions", "payments": "Paiements"}[kind]: sum(
            1 for r in of_year if r[1] == kind and r[5]
        )
        for kind in {r[1] for r in of_year}
    }
    listed = app.dataframe[1].value
    expected = sorted((r[2], r[1], r[0]) for r in of_year if r[5])
    assert (
        list(
            zip(
                [d.date() for d in listed["Début de période"]],
                listed["Type"].map({"Transactions": "transactions", "Paiements": "payments"}),
                listed["Déclarant (SIREN)"],
                strict=True,
            )
        )
        == expected
    )
    assert set(listed["En retard"]) == {"données tardives"}
    # the declarant's table marks them too, in the same words
    assert set(app.dataframe[-1].value["En retard"]) <= {"", "données tardives"}


def test_ereporting_page_in_english_filters_by_kind(app, demo_home):
    rows = _transmissions(demo_home)
    declarant = next(r[0] for r in rows if r[1] == "payments")
    app.query_params.update({"declarant": declarant, "kind": "payments", "lang": "en"})
    app.switch_page("app_pages/ereporting.py")
    app.run()
    assert not app.exception
    table = app.dataframe[-1].value  # the declarant's, under the year's overview
    assert set(table["Kind"]) == {"Payments"}
    latest = max(r[2].year for r in rows)
    assert len(table) == sum(
        1 for r in rows if r[0] == declarant and r[1] == "payments" and r[2].year == latest
    )


def test_ereporting_payments_show_what_was_received_not_a_vat_of_zero(app, demo_home):
    rows = _transmissions(demo_home)
    declarant = next(r[0] for r in rows if r[1] == "payments")
    app.query_params.update({"declarant": declarant, "kind": "payments", "year": "all"})
    app.switch_page("app_pages/ereporting.py")
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert "TVA déclarée (transactions)" not in metrics
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        (received,) = con.execute(
            "select sum(received_amount) from reports.rpt_ereporting_transmissions"
            " where declarant_siren = ? and report_kind = 'payments'",
            [declarant],
        ).fetchone()
    assert metrics["Encaissé TTC (paiements)"] == format_eur(received, "fr")
