"""Each dashboard page (AppTest) shows what the warehouse holds, computed here straight from
the marts of the snapshot, independently of the rpt_ models the pages read."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from helpers import Downloads, grant, signed_in, table_with
from streamlit.testing.v1 import AppTest

from vigie.dashboards.formatting import format_eur, format_number, format_percent
from vigie.dashboards.i18n import BILLING_FRAMEWORKS, HELP, MONTHS, RECIPIENT_REASONS, reason_label
from vigie.dashboards.scope import Scope
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import REPO_ROOT, get_settings

pytestmark = pytest.mark.integration
APP = str(REPO_ROOT / "dashboards" / "app.py")
#: granted by `vigie demo` (vigie.orchestration.demo_people)
OPERATOR = "operateur@vigie.invalid"


@pytest.fixture
def app(demo_home, monkeypatch):
    monkeypatch.setenv("VIGIE_HOME", str(demo_home.home))
    return signed_in(AppTest.from_file(APP, default_timeout=90), OPERATOR)


@pytest.fixture
def snap(demo_home):
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        yield con


def _metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def test_bilan_headline_and_splits_match_the_invoices(app, snap):
    year = 2020
    invoices, works, credit = snap.execute(
        "select count(*), count(*) filter (where is_works_invoice),"
        " count(*) filter (where is_credit_note) from marts.fct_invoices"
        " where scope = 'B2G' and year(deposited_date) = ?",
        [year],
    ).fetchone()
    # each channel in words, as the reference table names it ("EDI", "Portail")
    channels = snap.execute(
        "select c.label_fr, count(*) from marts.fct_invoices i"
        " join reference.ref_channels c using (channel) where i.scope = 'B2G'"
        " and year(i.deposited_date) = ? group by 1",
        [year],
    ).fetchall()
    app.query_params["year"] = str(year)
    app.run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Factures reçues"] == format_number(invoices, "fr")
    assert metrics["Factures de travaux"] == format_number(works, "fr")
    assert metrics["Avoirs"] == format_number(credit, "fr")
    by_channel = app.dataframe[1].value  # months, then the splits (channel first)
    assert dict(zip(by_channel["Canal"], by_channel["Factures reçues"], strict=True)) == dict(
        channels
    )
    sizes = app.dataframe[5].value  # months, channel, syntax, framework, category, size
    assert len(sizes) and set(sizes["Taille du fournisseur"]) <= {
        "Microentreprise",
        "PME",
        "ETI",
        "Grande entreprise",
    }
    categories = app.dataframe[4].value
    labels = dict(
        snap.execute("select public_category, label_fr from reference.ref_legal_delays").fetchall()
    )
    assert len(categories) and set(categories["Catégorie de destinataire"]) <= set(labels.values())
    # each billing framework by its code and its name
    frameworks = dict(
        snap.execute(
            "select billing_framework, count(*) from marts.fct_invoices where scope = 'B2G'"
            " and year(deposited_date) = ? group by 1",
            [year],
        ).fetchall()
    )
    shown = app.dataframe[3].value
    assert dict(zip(shown["Cadre de facturation"], shown["Factures reçues"], strict=True)) == {
        BILLING_FRAMEWORKS[code]["fr"]: n for code, n in frameworks.items()
    }
    assert BILLING_FRAMEWORKS["A9"]["fr"] == "A9 — Facture de sous-traitant"


def test_bilan_offers_a_self_contained_html_report(app, snap):
    from datetime import UTC, datetime

    from vigie.dashboards import charts, queries
    from vigie.dashboards.report_html import bilan_html

    app.query_params["year"] = "2020"
    app.run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Exporter la page (HTML)" in labels
    # the report the button carries, built from the same frames as the page
    monthly = snap.execute(Scope("operator").apply(queries.MONTHLY_VOLUMES_SQL)).pl()
    chart = charts.monthly_comparison(queries.year_over_year(monthly, 2020), 2020, "fr")
    table = queries.monthly_table(
        monthly, 2020, ["janv.", "févr.", "mars"] + [""] * 9, ("Mois", "Factures")
    )
    page = bilan_html(
        title="Bilan annuel 2020",
        lang="fr",
        data_as_of=datetime.now(UTC),
        headline=[("Factures reçues", "1 234")],
        chart=chart,
        tables=[("Détail mensuel", table)],
    )
    assert "<svg" in page and "<script" not in page
    assert not re.search(r'(src|href)="https?://', page), "nothing to fetch from the network"
    first = table.row(0)
    assert f"<td>{first[0]}</td>" in page and format_number(first[1], "fr") in page


def _busiest_entity(snap) -> tuple[str, int]:
    return snap.execute(
        "select recipient_structure_id, year(payment_date) from marts.fct_payment_delays"
        " where observed_delay_days is not null group by all order by count(*) desc, 1 limit 1"
    ).fetchone()


def test_delais_page_shows_an_entitys_figures_from_its_invoices(app, snap):
    entity, year = _busiest_entity(snap)
    paid, median, within, late, interest = snap.execute(
        "select count(*), quantile_disc(observed_delay_days, 0.5),"
        " count(*) filter (where observed_delay_days <= 30) * 1.0 / count(*),"
        " count(*) filter (where is_late), sum(late_interest_eur)"
        " from marts.fct_payment_delays where recipient_structure_id = ?"
        " and year(payment_date) = ? and observed_delay_days is not null",
        [entity, year],
    ).fetchone()
    late_rows = snap.execute(
        "select count(*) from marts.fct_payment_delays where recipient_structure_id = ?"
        " and year(payment_date) = ? and is_late",
        [entity, year],
    ).fetchone()[0]
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year)})
    app.run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Factures payées"] == format_number(paid, "fr")
    assert metrics["Délai médian (jours)"] == format_number(median, "fr")
    rounded = Decimal(str(within)).quantize(Decimal("0.001"))
    assert metrics["Payées sous 30 jours"] == format_percent(rounded, "fr", signed=False)
    assert metrics["Factures payées en retard"] == format_number(late, "fr")
    assert metrics["Intérêts moratoires dus"] == format_eur(interest or Decimal(0), "fr")
    late_table = table_with(app, "Total dû (€)").value
    assert len(late_table) == late_rows
    assert (
        late_table["Total dû (€)"] == late_table["Intérêts (€)"] + late_table["Indemnité (€)"]
    ).all()
    assert app.query_params["entity"] == entity  # the view can be shared by its URL


def test_delais_page_drills_down_to_an_invoice_timeline_in_english(app, snap):
    entity, year = _busiest_entity(snap)
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year), "lang": "en"})
    app.run()
    assert app.title[0].value == "Payment delays"
    app.selectbox(key="late_invoice_None").select_index(1).run()
    assert not app.exception
    chosen = app.query_params["invoice"]  # the drill-down is in the URL: it can be shared
    timeline = app.dataframe[-1].value  # the timeline comes last
    events = snap.execute(
        "select s.label_en from marts.fct_status_events e join reference.ref_statuses s"
        " using (status_code) where invoice_id = ? order by event_sequence",
        [chosen],
    ).fetchall()
    assert chosen and len(events) >= 2
    assert list(timeline["Status"]) == [e for (e,) in events]


def test_a_late_invoice_named_in_the_url_opens_with_its_delay_and_timeline(app, snap):
    entity, year = _busiest_entity(snap)
    invoice_id, number, due, days, interest = snap.execute(
        "select invoice_id, invoice_number, due_date, days_late, late_interest_eur"
        " from reports.rpt_late_invoices where recipient_structure_id = ?"
        " and year(payment_date) = ? order by days_late desc, invoice_id limit 1",
        [entity, year],
    ).fetchone()
    app.switch_page("app_pages/delais.py")
    app.query_params.update(
        {"view": "entity", "entity": entity, "year": str(year), "invoice": invoice_id}
    )
    app.run()
    assert not app.exception
    assert f"Facture {number}" in [h.value for h in app.subheader]
    metrics = _metrics(app)
    assert metrics["Échéance"] == due.strftime("%d/%m/%Y")
    assert metrics["Jours de retard"] == format_number(days, "fr")
    assert metrics["Intérêts moratoires dus"] == format_eur(interest, "fr")
    events = snap.execute(
        "select count(*) from marts.fct_status_events where invoice_id = ?", [invoice_id]
    ).fetchone()[0]
    assert len(app.dataframe[-1].value) == events


def test_a_month_of_the_delais_table_drills_down_to_the_invoices_paid_in_it(app, snap):
    entity, year = _busiest_entity(snap)
    month, paid = snap.execute(
        "select date_trunc('month', payment_date)::date as m, count(*)"
        " from marts.fct_payment_delays where recipient_structure_id = ?"
        " and payment_status = 'paid' and year(payment_date) = ?"
        " group by m order by count(*) desc, m limit 1",
        [entity, year],
    ).fetchone()
    slowest_id, slowest, delay = snap.execute(
        "select invoice_id, invoice_number, observed_delay_days from marts.fct_payment_delays"
        " where recipient_structure_id = ? and payment_status = 'paid'"
        " and date_trunc('month', payment_date) = ?"
        " order by observed_delay_days desc, invoice_number limit 1",
        [entity, month],
    ).fetchone()
    app.switch_page("app_pages/delais.py")
    app.query_params.update(
        {
            "view": "entity",
            "entity": entity,
            "year": str(year),
            "month": month.isoformat(),
            "invoice": slowest_id,
        }
    )
    app.run()
    assert not app.exception
    title = f"Factures payées en {MONTHS['fr'][month.month - 1]} {month.year}"
    assert title in [h.value for h in app.subheader]
    listed = table_with(app, "Délai (jours)", "Numéro de facture").value
    assert len(listed) == paid
    assert (listed.iloc[0]["Numéro de facture"], listed.iloc[0]["Délai (jours)"]) == (
        slowest,
        delay,
    )
    # the invoice picked in it opens with its timeline, as from the late list
    assert f"Facture {slowest}" in [h.value for h in app.subheader]
    events = snap.execute(
        "select count(*) from marts.fct_status_events where invoice_id = ?", [slowest_id]
    ).fetchone()[0]
    assert len(app.dataframe[-1].value) == events


def test_a_rejection_reason_and_a_supplier_drill_down_to_their_invoices(app, snap):
    year, reason, count = snap.execute(
        "select year(occurred_date), reason_code, count(*) from marts.fct_status_events"
        " where status_code in ('REJETEE', 'A_RECYCLER')"
        " group by all order by count(*) desc, 2 limit 1"
    ).fetchone()
    app.switch_page("app_pages/rejets.py")
    app.query_params.update({"year": str(year), "reason": reason})
    app.run()
    assert not app.exception
    assert f"Factures rejetées : {reason_label(reason, 'fr')}, {year}" in [
        h.value for h in app.subheader
    ]
    behind = table_with(app, "Rejetée le", "Code").value
    assert len(behind) == count and set(behind["Code"]) == {reason}

    supplier, invoices = snap.execute(
        "select s.siret, count(*) from marts.fct_status_events e"
        " join marts.fct_invoices i using (invoice_id)"
        " join marts.dim_structures s on i.supplier_structure_id = s.structure_id"
        " where e.status_code in ('REJETEE', 'A_RECYCLER') and year(e.occurred_date) = ?"
        " group by 1 order by 2 desc, 1 limit 1",
        [year],
    ).fetchone()
    app.query_params.update({"year": str(year), "supplier": supplier})
    del app.query_params["reason"]
    app.run()
    assert not app.exception
    behind = table_with(app, "Rejetée le", "Code").value
    assert len(behind) == invoices
    assert set(behind["SIRET fournisseur"]) == {supplier}


def test_the_demo_fills_the_hidden_delays_of_rejected_invoices_deposited_again(app, snap):
    # the generator deposits again most invoices rejected for a reason that calls for it
    year, rows, redeposited = snap.execute(
        "select year(month_start_date) as y, count(*), sum(redeposited_invoice_count)"
        " from reports.rpt_hidden_delays_monthly group by y order by y desc limit 1"
    ).fetchone()
    (matched,) = snap.execute(
        "select count(*) from marts.fct_hidden_delays where year(new_deposited_date) = ?"
        " and new_invoice_id = rejected_invoice_id || 'R'",
        [year],
    ).fetchone()
    assert redeposited > 0 and matched == redeposited  # each found its own new deposit
    app.switch_page("app_pages/rejets.py")
    app.query_params["year"] = str(year)
    app.run()
    assert not app.exception
    hidden = table_with(app, "Factures redéposées").value
    assert len(hidden) == rows and hidden["Factures redéposées"].sum() == redeposited


def test_an_invoice_of_another_entity_in_the_url_opens_nothing(app, snap):
    entity, year = _busiest_entity(snap)
    (other,) = snap.execute(
        "select invoice_id from reports.rpt_late_invoices where recipient_structure_id <> ?"
        " limit 1",
        [entity],
    ).fetchone()
    app.switch_page("app_pages/delais.py")
    app.query_params.update(
        {"view": "entity", "entity": entity, "year": str(year), "invoice": other}
    )
    app.run()
    assert not app.exception
    assert not [h.value for h in app.subheader if h.value.startswith("Facture ")]


def test_delais_page_lists_the_unpaid_invoices_past_due_with_interest_to_date(app, snap):
    # recomputed here from the marts and the ECB seed: interest = amount × (rate of the
    # half-year the interest started in + 8) × days overdue / 365, to the cent, plus €40
    (day,) = snap.execute("select max(occurred_date) from marts.fct_status_events").fetchone()
    unpaid = snap.execute(
        "select recipient_structure_id, amount_incl_vat, due_date from marts.fct_payment_delays"
        " where payment_status = 'unpaid' and due_date < ?",
        [day],
    ).fetchall()
    entity, count = Counter(r[0] for r in unpaid).most_common(1)[0]
    assert count >= 2, "the demo has an entity with several overdue invoices"
    rates = snap.execute(
        "select effective_date, mro_rate_pct from reference.ref_ecb_rates order by 1"
    ).fetchall()
    owed = []
    for recipient, amount, due in unpaid:
        if recipient != entity:
            continue
        start = due + timedelta(days=1)
        half_year = date(start.year, 1 if start.month <= 6 else 7, 1)
        rate = [r for effective, r in rates if effective <= half_year][-1] + 8
        interest = amount * rate * (day - due).days / Decimal(36500)
        owed.append(interest.quantize(Decimal("0.01"), ROUND_HALF_UP) + 40)
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": "2020"})
    app.run()
    assert not app.exception
    assert f"Factures échues non payées au {day:%d/%m/%Y}" in [h.value for h in app.subheader]
    table = next(d.value for d in app.dataframe if "Intérêts courus (€)" in d.value.columns)
    assert sorted(Decimal(str(v)) for v in table["Total dû (€)"]) == sorted(owed)
    assert list(table["Jours de retard"]) == sorted(table["Jours de retard"], reverse=True)


def test_delais_page_on_a_snapshot_without_the_overdue_list_says_it_comes_later(
    demo_home, snap, tmp_path, monkeypatch
):
    # a snapshot published by the version before rpt_overdue_invoices existed
    serving = tmp_path / "serving"
    serving.mkdir()
    pointer = json.loads((demo_home.home / "serving" / "current.json").read_text())
    shutil.copy(demo_home.home / "serving" / pointer["file"], serving / pointer["file"])
    shutil.copy(demo_home.home / "serving" / "current.json", serving / "current.json")
    with duckdb.connect(str(serving / pointer["file"])) as con:
        con.execute("drop table reports.rpt_overdue_invoices")
    entity, year = _busiest_entity(snap)
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    grant(get_settings(), OPERATOR, "operator")
    app = signed_in(AppTest.from_file(APP, default_timeout=90), OPERATOR)
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year)})
    app.run()
    assert not app.exception
    infos = [i.value for i in app.info]
    assert "Cette liste apparaîtra après la prochaine construction de l'entrepôt." in infos
    assert not any("Intérêts courus (€)" in d.value.columns for d in app.dataframe)


def test_rejets_page_counts_refusals_and_rejections_apart(app, snap):
    year = 2020
    deposited = snap.execute(
        "select count(*) from marts.fct_invoices where scope = 'B2G' and year(deposited_date) = ?",
        [year],
    ).fetchone()[0]
    rejected = snap.execute(
        "select count(*) from marts.fct_status_events e join marts.fct_invoices i"
        " using (invoice_id) where i.scope = 'B2G' and e.status_code = 'REJETEE'"
        " and year(e.occurred_date) = ?",
        [year],
    ).fetchone()[0]
    app.switch_page("app_pages/rejets.py")
    app.query_params["year"] = str(year)
    app.run()
    assert not app.exception
    metrics = _metrics(app)
    assert metrics["Factures déposées"] == format_number(deposited, "fr")
    assert metrics["Rejets par le destinataire"] == format_number(rejected, "fr")
    by_channel = table_with(app, "Canal").value
    assert len(by_channel) and set(by_channel["Canal"]) <= {"Portail", "API", "EDI"}
    assert by_channel["Factures déposées"].sum() == deposited
    top = table_with(app, "Rang").value  # the suppliers, then the recipients
    assert list(top["Rang"]) == list(range(1, len(top) + 1))
    assert top["Rejets par le destinataire"].is_monotonic_decreasing
    # reasons in words, their code beside, counted as occurrences
    reasons = table_with(app, "Motif ou règle").value
    assert list(reasons.columns) == ["Nature", "Motif ou règle", "Occurrences", "Code"]
    by_code = dict(zip(reasons["Code"], reasons["Motif ou règle"], strict=True))
    rejected_reasons = {
        c
        for (c,) in snap.execute(
            "select distinct reason_code from marts.fct_status_events where status_code = 'REJETEE'"
            " and year(occurred_date) = ?",
            [year],
        ).fetchall()
    }
    for code in rejected_reasons & set(RECIPIENT_REASONS):
        assert by_code[code] == RECIPIENT_REASONS[code]["fr"]
    assert all(label != code for code, label in by_code.items() if code in RECIPIENT_REASONS)


def _look_up(app, number: str, **params: str) -> None:
    """Open the invoice look-up on ``number``, as its URL would."""
    app.switch_page("app_pages/recherche.py")
    app.query_params.update({"number": number, **params})
    app.run()
    assert not app.exception


def test_recherche_page_gives_recipient_current_status_and_history(app, snap):
    invoice_id, number, recipient = snap.execute(
        "select i.invoice_id, i.invoice_number, r.structure_name from marts.fct_invoices i"
        " join marts.dim_structures r on r.structure_id = i.recipient_structure_id"
        " where i.scope = 'B2G' order by i.invoice_id limit 1 offset 7"
    ).fetchone()
    events = snap.execute(
        "select s.label_fr from marts.fct_status_events e join reference.ref_statuses s"
        " using (status_code) where invoice_id = ? order by event_sequence",
        [invoice_id],
    ).fetchall()
    _look_up(app, number)
    metrics = _metrics(app)
    assert metrics["Destinataire"] == recipient
    assert metrics["Statut actuel"] == events[-1][0]
    history = app.dataframe[0].value
    assert list(history["Statut"]) == [e for (e,) in events]
    # typed as a person types it: another case, spaces around
    _look_up(app, f"  {number.lower()} ")
    assert _metrics(app)["Destinataire"] == recipient
    assert list(app.dataframe[0].value["Statut"]) == [e for (e,) in events]


def test_recherche_page_says_when_no_invoice_has_the_number(app):
    _look_up(app, "NO-SUCH-INVOICE", lang="en")
    assert app.warning[0].value == "No invoice has this number."


def test_delais_distribution_counts_the_entitys_invoices_per_10_day_bucket(app, snap):
    import json

    import pyarrow as pa

    entity, year = _busiest_entity(snap)
    expected = dict(
        snap.execute(
            "select least(floor(greatest(observed_delay_days, 0) / 10) * 10, 120)::int,"
            " count(*) from marts.fct_payment_delays where recipient_structure_id = ?"
            " and year(payment_date) = ? and observed_delay_days is not null group by 1",
            [entity, year],
        ).fetchall()
    )
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year)})
    app.run()
    assert not app.exception
    charts = {
        json.loads(c.proto.spec).get("title", ""): c.proto for c in app.get("vega_lite_chart")
    }
    [chart] = [c for title, c in charts.items() if str(title).startswith("Répartition")]
    # the chart's rows travel as an Arrow stream beside the spec
    values = pa.ipc.open_stream(chart.data.data).read_all().to_pylist()
    name = snap.execute(
        "select structure_name from marts.dim_structures where structure_id = ?", [entity]
    ).fetchone()[0]
    mine = {int(v["order"]): v["count"] for v in values if v["series"] == name}
    assert mine == expected
    assert sum(v["share"] for v in values if v["series"] == name) == pytest.approx(100, abs=0.7)


def _formats(table) -> dict[str, dict]:
    """How the page asked Streamlit to show each column of a table."""
    columns = json.loads(table.proto.columns)
    return {name: c["type_config"] for name, c in columns.items() if "type_config" in c}


def test_tables_show_dates_as_dates_and_amounts_with_their_cents(app, snap):
    # left to Streamlit, a date showed as "2019-10-01 00:00:00" and 8043.50 € as "8043.5"
    app.switch_page("app_pages/ereporting.py")
    app.run()
    assert not app.exception
    declarant = table_with(app, "Enregistrements")
    formats = _formats(declarant)
    assert formats["Début de période"] == {"type": "date", "format": "DD/MM/YYYY"}
    assert formats["Échéance plateforme"] == {"type": "date", "format": "DD/MM/YYYY"}
    assert formats["Base HT (€)"] == {"type": "number", "format": "euro"}
    assert formats["TVA déclarée (€)"] == {"type": "number", "format": "euro"}
    assert formats["Enregistrements"] == {"type": "number", "format": "localized"}
    assert declarant.proto.placeholder == "—"  # a payment report has no VAT base

    entity, year = _busiest_entity(snap)
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year), "lang": "en"})
    app.run()
    assert not app.exception
    months = _formats(table_with(app, "Month", "Invoices paid"))
    late = _formats(table_with(app, "Due date"))
    assert months["Month"] == {"type": "date", "format": "YYYY-MM"}
    assert late["Due date"] == {"type": "date", "format": "YYYY-MM-DD"}
    assert late["Total owed (€)"] == {"type": "number", "format": "euro"}
    assert late["Rate (%)"] == {"type": "number", "format": "localized"}


def test_recherche_page_says_dates_in_paris_and_every_code_in_words(app, snap):
    # the last event happened before 01:00 in Paris: the day before in UTC
    invoice_id, number, paris_day, deposited_day = snap.execute(
        "select e.invoice_id, i.invoice_number,"
        " cast(timezone('Europe/Paris', e.occurred_at) as date),"
        " cast(timezone('Europe/Paris', i.deposited_at) as date)"
        " from marts.fct_status_events e join marts.fct_invoices i using (invoice_id)"
        " where e.event_sequence = (select max(event_sequence) from marts.fct_status_events x"
        "   where x.invoice_id = e.invoice_id)"
        " and cast(timezone('Europe/Paris', e.occurred_at) as date)"
        "   <> cast(timezone('UTC', e.occurred_at) as date)"
        " and (select count(*) from marts.fct_invoices n"
        "   where n.invoice_number = i.invoice_number) = 1"
        " order by e.invoice_id limit 1"
    ).fetchone()
    previous = snap.execute(
        "select p.label_fr from marts.fct_status_events e"
        " left join reference.ref_statuses p on p.status_code = e.previous_status_code"
        " where e.invoice_id = ? order by e.event_sequence",
        [invoice_id],
    ).fetchall()
    _look_up(app, number)
    [status] = [m for m in app.metric if m.label == "Statut actuel"]
    assert status.proto.delta == f"depuis le {paris_day:%d/%m/%Y}"
    assert _metrics(app)["Déposée le"] == f"{deposited_day:%d/%m/%Y}"
    assert _metrics(app)["Canal"] in {"Portail", "API", "EDI"}
    history = app.dataframe[0].value
    assert previous[0] == (None,) and all(p for (p,) in previous[1:])
    assert history["Statut précédent"].isna().tolist() == [True] + [False] * (len(previous) - 1)
    assert list(history["Statut précédent"])[1:] == [p for (p,) in previous[1:]]
    assert set(history["Acteur"]) <= {
        "Plateforme",
        "Fournisseur",
        "Destinataire",
        "Valideur",
        "Comptable public",
    }


def test_delais_page_of_an_entity_with_nothing_overdue_says_so_without_a_day(app, snap):
    entity, year = snap.execute(
        "select recipient_structure_id, max(year(payment_date)) from reports.rpt_late_invoices"
        " where recipient_structure_id not in"
        "   (select recipient_structure_id from reports.rpt_overdue_invoices)"
        " group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year)})
    app.run()
    assert not app.exception
    titles = [h.value for h in app.subheader]
    assert "Factures échues non payées" in titles  # not "… au —"
    assert "Aucune facture échue non payée." in [i.value for i in app.info]
    months = next(d.value for d in app.dataframe if "Payées sous 30 jours (%)" in d.value.columns)
    assert len(months) >= 1


def test_delais_page_gives_the_italian_spanish_and_uk_indicators_and_the_rank(app, snap):
    """Each recomputed here from the invoices (fct_payment_delays), not read from the
    report: ITP, PMP with the invoices pending at the year's end, UK bands, rank."""
    entity, year = _busiest_entity(snap)
    category, itp, paid_amount, paid_days, over_60, band_31_60 = snap.execute(
        "select any_value(public_category),"
        " sum(amount_incl_vat * date_diff('day', due_date, payment_date))"
        " / sum(amount_incl_vat), sum(amount_incl_vat),"
        " sum(amount_incl_vat * observed_delay_days),"
        " count(*) filter (where observed_delay_days > 60) * 1.0 / count(*),"
        " count(*) filter (where observed_delay_days between 31 and 60) * 1.0 / count(*)"
        " from marts.fct_payment_delays where recipient_structure_id = ?"
        " and payment_status = 'paid' and year(payment_date) = ?"
        " and observed_delay_days is not null",
        [entity, year],
    ).fetchone()
    (last_day,) = snap.execute(
        "select max(last_event_date) from marts.fct_payment_delays"
    ).fetchone()
    as_of = min(date(year, 12, 31), last_day)
    pending_amount, pending_days = snap.execute(
        "select coalesce(sum(amount_incl_vat), 0),"
        " coalesce(sum(amount_incl_vat * date_diff('day', receipt_date, ?)), 0)"
        " from marts.fct_payment_delays where recipient_structure_id = ?"
        " and payment_status in ('paid', 'unpaid') and receipt_date <= ?"
        " and (payment_date is null or payment_date > ?)",
        [as_of, entity, as_of, as_of],
    ).fetchone()
    pmp = (paid_days + pending_days) / (paid_amount + pending_amount)
    means = snap.execute(
        "select recipient_structure_id, round(avg(observed_delay_days), 1) as mean"
        " from marts.fct_payment_delays where public_category = ? and payment_status = 'paid'"
        " and year(payment_date) = ? and observed_delay_days is not null group by 1",
        [category, year],
    ).fetchall()
    mine = dict(means)[entity]
    rank = 1 + sum(1 for _, m in means if m < mine)
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year)})
    app.run()
    assert not app.exception
    metrics = _metrics(app)

    def days(value, signed=False) -> str:
        text = format_number(
            Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP), "fr", decimals=1
        )
        return f"{'+' if signed and value > 0 else ''}{text} j"

    assert metrics["Indicateur de ponctualité (ITP, Italie)"] == days(itp, signed=True)
    assert metrics["Période moyenne de paiement (PMP, Espagne)"] == days(pmp)
    assert metrics["Payées au-delà de 60 jours (Royaume-Uni)"] == format_percent(
        Decimal(str(over_60)).quantize(Decimal("0.001"), ROUND_HALF_UP), "fr", signed=False
    )
    assert metrics["Payées à 31–60 jours (Royaume-Uni)"] == format_percent(
        Decimal(str(band_31_60)).quantize(Decimal("0.001"), ROUND_HALF_UP), "fr", signed=False
    )
    ranked = f"{rank}ᵉ sur {len(means)}" if rank > 1 else f"1ʳᵉ sur {len(means)}"
    assert metrics["Rang dans la catégorie"] == ranked


def test_an_entity_that_does_not_report_payments_reads_not_reported_not_zero(app, snap):
    entity, year = snap.execute(
        "select s.structure_id, max(year(i.deposited_date)) from marts.dim_structures s"
        " join marts.fct_invoices i on i.recipient_structure_id = s.structure_id"
        " where not s.reports_payment_status group by 1 order by 1 limit 1"
    ).fetchone()
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year)})
    app.run()
    assert not app.exception
    metrics = _metrics(app)
    unknown = (
        "Factures payées",
        "Délai moyen (jours)",
        "Intérêts moratoires dus",
        "Indemnités forfaitaires (40 €)",
        "Indicateur de ponctualité (ITP, Italie)",
        "Période moyenne de paiement (PMP, Espagne)",
        "Rang dans la catégorie",
    )
    for label in unknown:
        assert metrics[label] == "Non communiqué", label
    assert not any(v.endswith("0,00 €") for v in metrics.values())
    # (a reporting entity's figures: test_delais_page_shows_an_entitys_figures_from_its_invoices)


def test_recherche_page_gives_a_late_invoices_delay_and_links_to_its_entity(app, snap):
    number, entity, due, paid, days, interest = snap.execute(
        "select i.invoice_number, p.recipient_structure_id, p.due_date, p.payment_date,"
        " p.days_late, p.late_interest_eur from marts.fct_payment_delays p"
        " join marts.fct_invoices i using (invoice_id) where p.days_late > 20"
        " and i.invoice_number in (select invoice_number from marts.fct_invoices"
        " group by 1 having count(*) = 1) order by p.days_late desc, 1 limit 1"
    ).fetchone()
    _look_up(app, number)
    metrics = _metrics(app)
    assert metrics["Échéance"] == due.strftime("%d/%m/%Y")
    assert metrics["Paiement"] == paid.strftime("%d/%m/%Y")
    assert metrics["Jours de retard"] == format_number(days, "fr")
    assert metrics["Intérêts moratoires dus"] == format_eur(interest, "fr")
    (link,) = [e for e in app.get("page_link")]
    assert "delais" in link.proto.page
    assert f"entity={entity}" in link.proto.query_string


def test_every_delay_figure_says_how_it_is_computed(app, snap):
    entity, year = _busiest_entity(snap)
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "entity", "entity": entity, "year": str(year), "lang": "en"})
    app.run()
    assert not app.exception
    helps = {m.label: m.proto.help for m in app.metric}
    assert helps["Late-payment interest owed"] == HELP["interest_owed"]["en"]
    assert helps["Median delay (days)"] == HELP["median_delay"]["en"]
    assert len(helps) == len(HELP) and all(helps.values())


def test_bilan_pdf_holds_the_figures_the_page_shows(app, snap):
    """The A4 PDF is the page's HTML export printed by Chromium: its text, read back with
    pypdf, holds every headline figure and each month's count the page shows."""
    import io
    from datetime import UTC, datetime

    from pypdf import PdfReader

    from vigie.dashboards import charts, queries, report_pdf
    from vigie.dashboards.report_html import bilan_html

    if report_pdf.chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must print the PDF: Debian's chromium is missing")
        pytest.skip("Debian's chromium is not installed (sudo apt-get install chromium)")
    app.query_params["year"] = "2020"
    app.run()
    assert "Exporter en PDF (A4)" in [b.proto.label for b in app.get("download_button")]
    headline = [(m.label, m.value) for m in app.metric]
    months = pl.from_pandas(app.dataframe[0].value)  # the monthly table, as the page shows it
    monthly = snap.execute(Scope("operator").apply(queries.MONTHLY_VOLUMES_SQL)).pl()
    chart = charts.monthly_comparison(queries.year_over_year(monthly, 2020), 2020, "fr")
    pdf = report_pdf.html_to_pdf(
        bilan_html(
            title="Bilan annuel 2020",
            lang="fr",
            data_as_of=datetime.now(UTC),
            headline=headline,
            chart=chart,
            tables=[("Détail mensuel", months)],
        )
    )
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, points
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    for label, value in headline:
        assert label in flat and value.replace("\u202f", " ").replace("\xa0", " ") in flat
    for month, count in months.iter_rows():
        assert f"{month} {format_number(count, 'fr')}".replace("\u202f", " ") in flat


def test_delais_page_by_category_reads_its_figures_and_legal_delay(app, snap):
    year, paid, median = snap.execute(
        "select year, paid_invoice_count, median_delay_days from reports.rpt_payment_delays_yearly"
        " where grain = 'category' and public_category = 'health' order by year desc limit 1"
    ).fetchone()
    app.switch_page("app_pages/delais.py")
    app.query_params.update({"view": "category", "category": "health", "year": str(year)})
    app.run()
    assert not app.exception
    assert app.selectbox(key="category").value == "health"
    assert "Établissements publics de santé" in app.selectbox(key="category").options
    assert "Délai légal : 50 jours" in [c.value for c in app.caption]
    # the trend chart draws it: a dashed rule at 50 days, labelled, and says so in its text
    (trend,) = [
        json.loads(c.proto.spec)
        for c in app.get("vega_lite_chart")
        if json.loads(c.proto.spec).get("layer")
    ]
    rule = trend["layer"][1]["layer"][0] if "layer" in trend["layer"][1] else trend["layer"][1]
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"] == [8, 4]
    assert "Ligne du délai légal à 50 jours." in trend["description"]
    metrics = _metrics(app)
    assert metrics["Factures payées"] == format_number(paid, "fr")
    assert metrics["Délai médian (jours)"] == format_number(median, "fr")


def test_ereporting_offers_the_file_the_export_sent_byte_for_byte(app, demo_home, monkeypatch):
    # the dashboards build no XML: they hand over the file the export step wrote and recorded
    from lxml import etree

    from vigie.platform.contracts.transmissions import history

    downloads = Downloads(monkeypatch)
    sent = [r for r in history(demo_home) if r["replaced_by"] is None and r["path"]]
    assert sent, "the demo's export wrote no transmission"
    last = sent[-1]
    period = date.fromisoformat(last["period_start"])
    app.switch_page("app_pages/ereporting.py")
    app.query_params.update(
        {
            "declarant": last["declarant_siren"],
            "year": str(period.year),
            "kind": last["report_kind"],
        }
    )
    app.run()
    assert not app.exception
    app.selectbox(key="er_period").set_value((last["report_kind"], period)).run()
    assert not app.exception
    assert [c.value for c in app.caption if c.value.startswith("Fichier transmis")] == [
        f"Fichier transmis : {last['file_name']} ({last['transmission_id']})"
    ]
    [button] = [b for b in app.get("download_button") if b.proto.label == "Télécharger le XML"]
    data, name = downloads.of(button)
    assert name == last["file_name"]
    assert data == Path(last["path"]).read_bytes()
    root = etree.fromstring(data)
    assert root.findtext("ReportDocument/Id") == last["transmission_id"]
