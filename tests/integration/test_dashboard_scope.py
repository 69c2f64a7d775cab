"""Each signed-in person sees what is theirs (AppTest on the demo's snapshot and grants).

The browser tests (tests/e2e/test_sign_in.py) go through the real provider; these seed
``st.user`` as Streamlit does after a sign-in, and check the figures each role gets against
the marts of the snapshot.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import duckdb
import pytest
from helpers import grant, signed_in
from streamlit.testing.v1 import AppTest

from vigie.dashboards.i18n import t
from vigie.platform import access
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import REPO_ROOT
from vigie.platform.store import Store

pytestmark = pytest.mark.integration
APP = str(REPO_ROOT / "dashboards" / "app.py")
ENTITY_A = "daf.entite-a@vigie.invalid"
ENTITY_B = "daf.entite-b@vigie.invalid"
SUPPLIER = "fournisseur@vigie.invalid"
TAX = "dgfip@vigie.invalid"


@pytest.fixture
def home(demo_home, monkeypatch):
    monkeypatch.setenv("VIGIE_HOME", str(demo_home.home))
    return demo_home


@pytest.fixture(scope="module")
def snap(demo_home):
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        yield con


def structure_of(demo_home, snap, email: str) -> str:
    with sqlite3.connect(demo_home.platform_db_path) as con:
        (siret,) = con.execute(
            "select structure_siret from dashboard_access where principal = ?"
            " and revoked_at is null",
            [email],
        ).fetchone()
    return snap.execute(
        "select structure_id from marts.dim_structures where siret = ?", [siret]
    ).fetchone()[0]


def run(email: str, page: str | None = None, **params) -> AppTest:
    app = signed_in(AppTest.from_file(APP, default_timeout=90), email)
    if page:
        app.switch_page(f"app_pages/{page}.py")
    app.query_params.update({k: str(v) for k, v in params.items()})
    app.run()
    assert not app.exception, app.exception
    return app


def test_a_session_older_than_eight_hours_is_signed_out(home):
    app = signed_in(AppTest.from_file(APP, default_timeout=90), ENTITY_A, issued_hours_ago=8.1)
    app.run()
    assert [x.value for x in app.title] == [t("sign_in_title", "fr")]
    assert not app.dataframe and not app.metric
    fresh = run(ENTITY_A)
    assert fresh.title[0].value == t("page_accueil", "fr")


def test_entity_a_asking_for_entity_b_by_url_gets_not_yours_and_nothing_of_b(home, snap):
    b = structure_of(home, snap, ENTITY_B)
    app = run(ENTITY_A, "delais", view="entity", entity=b)
    assert [e.value for e in app.error] == [t("not_yours", "fr")]
    assert not app.dataframe and not app.metric


def test_entity_a_gets_its_own_late_invoices_and_rejections(home, snap):
    a = structure_of(home, snap, ENTITY_A)
    year, late = snap.execute(
        "select year(payment_date) as y, count(*) from reports.rpt_late_invoices"
        " where recipient_structure_id = ? group by y order by 2 desc, y desc limit 1",
        [a],
    ).fetchone()
    app = run(ENTITY_A, "delais", view="entity", entity=a, year=year)
    frames = [d.value for d in app.dataframe]
    late_frame = next(f for f in frames if t("days_late", "fr") in f.columns)
    assert len(late_frame) == late
    # its entity selector lists its own structures only
    assert app.selectbox(key="entity").options == [
        f"{n} — {s}"
        for n, s in snap.execute(
            "select structure_name, siret from marts.dim_structures where structure_id = ?", [a]
        ).fetchall()
    ]

    rejected = snap.execute(
        "select year(e.occurred_date) as y, count(*) from marts.fct_status_events e"
        " join marts.fct_invoices i using (invoice_id) where e.status_code = 'REJETEE'"
        " and i.recipient_structure_id = ? group by y order by y desc limit 1",
        [a],
    ).fetchone()
    app = run(ENTITY_A, "rejets", year=rejected[0])
    (frame,) = [d.value for d in app.dataframe]
    assert len(frame) == rejected[1]
    assert set(frame[t("recipient_siret", "fr")]) == {
        snap.execute(
            "select siret from marts.dim_structures where structure_id = ?", [a]
        ).fetchone()[0]
    }


def test_a_supplier_gets_the_delays_of_each_of_its_buyers(home, snap):
    s = structure_of(home, snap, SUPPLIER)
    year = snap.execute(
        "select max(year(payment_date)) from marts.fct_payment_delays"
        " where supplier_structure_id = ?",
        [s],
    ).fetchone()[0]
    expected = dict(
        snap.execute(
            "select b.siret, count(*) from marts.fct_payment_delays p join marts.dim_structures b"
            " on p.recipient_structure_id = b.structure_id where p.supplier_structure_id = ?"
            " and year(p.payment_date) = ? group by 1",
            [s, year],
        ).fetchall()
    )
    interest = snap.execute(
        "select sum(late_interest_eur) from marts.fct_payment_delays"
        " where supplier_structure_id = ? and year(payment_date) = ?",
        [s, year],
    ).fetchone()[0]
    app = run(SUPPLIER, "delais", year=year)
    (frame,) = [d.value for d in app.dataframe]
    got = dict(zip(frame[t("buyer_siret", "fr")], frame[t("paid_invoices", "fr")], strict=True))
    assert got == expected
    assert sum(Decimal(str(v)) for v in frame[t("interest_eur", "fr")]) == interest


def test_a_supplier_looking_up_another_suppliers_invoice_reads_not_found(home, snap):
    s = structure_of(home, snap, SUPPLIER)
    (theirs,) = snap.execute(
        "select invoice_number from marts.fct_invoices where invoice_number not in"
        " (select invoice_number from marts.fct_invoices where supplier_structure_id = ?)"
        " order by invoice_number limit 1",
        [s],
    ).fetchone()
    other = run(SUPPLIER, "recherche", number=theirs)
    missing = run(SUPPLIER, "recherche", number="N-EXISTE-PAS")
    said = [[w.value for w in a.warning] for a in (other, missing)]
    assert said[0] == said[1] == [t("lookup_none", "fr")]
    assert not other.metric and not other.dataframe
    operator = run("operateur@vigie.invalid", "recherche", number=theirs)
    assert operator.metric and not operator.warning


def test_the_tax_administration_reads_the_e_reporting_only(home):
    app = run(TAX, "delais")  # not one of its pages: its home instead, with no figure
    assert app.title[0].value == t("page_accueil", "fr")
    assert not app.dataframe and not app.metric
    assert run(TAX, "ereporting").dataframe


def test_a_revoked_person_reads_the_same_words_as_an_unknown_one(home, tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIE_HOME", str(tmp_path))
    from vigie.platform.settings import get_settings

    settings = get_settings()
    grant(settings, "ancien@vigie.invalid", "operator")
    store = Store(settings.platform_db_path)
    try:
        access.revoke(store, by="tests", email="ancien@vigie.invalid")
    finally:
        store.close()
    said = []
    for who in ("ancien@vigie.invalid", "jamais@vigie.invalid"):
        app = run(who)
        said.append(([w.value for w in app.warning], len(app.dataframe), len(app.metric)))
    assert said[0] == said[1] == ([t("no_access", "fr")], 0, 0)
