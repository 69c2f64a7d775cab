"""The platform over real HTTP: structures, deposits in every syntax, the whole lifecycle,
histories, visibility between structures, refusals and the outbox."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest
from conftest import CORPUS
from helpers import siret

from vigie.ingestion import landing
from vigie.ingestion.extract import extract
from vigie.platform.paris import PARIS, today_in_paris
from vigie.platform.settings import get_settings

pytestmark = pytest.mark.integration

UBL = CORPUS / "ubl/EN16931_Einfach.ubl.xml"
CII = CORPUS / "cii/CII_example4.xml"
FACTURX = CORPUS / "facturx/EN16931_Miete.pdf"
PLAIN_PDF = CORPUS / "invalid/pdf_plain.pdf"
FRESH = CORPUS / "ubl/sample-discount-price.xml"  # deposited by nobody else
WITH_SERVICE = CORPUS / "ubl/01.01a-INVOICE_ubl.xml"  # BT-10 04011000-12345-03


@pytest.fixture(scope="module")
def world(api):
    """Two suppliers, a State service, a local authority and a hospital that needs codes."""
    op = api.client(api.operator_key)
    made = {}
    for name, body in {
        "supplier_a": {"siret": siret(100), "name": "Fournisseur A", "supplier_size": "sme"},
        "supplier_b": {"siret": siret(101), "name": "Fournisseur B"},
        "state": {"siret": siret(200), "name": "Ministère", "public_category": "state"},
        "local": {"siret": siret(201), "name": "Commune", "public_category": "local"},
        "hospital": {
            "siret": siret(202),
            "name": "CHU",
            "public_category": "health",
            "requires_service_code": True,
            "requires_engagement_number": False,
            "services": [{"code": "04011000-12345-03", "name": "Pharmacie"}],
        },
    }.items():
        r = op.post("/v1/structures", json=body)
        assert r.status_code == 201, r.text
        made[name] = r.json()
    return made


def deposit(api, who, path, **form):
    with api.client(who["api_key"]) as c:
        return c.post("/v1/invoices", files={"file": (path.name, path.read_bytes())}, data=form)


def test_structure_creation_sets_the_legal_delay_of_its_category(world):
    assert world["state"]["legal_payment_delay_days"] == 30
    assert world["hospital"]["legal_payment_delay_days"] == 50
    assert world["supplier_a"]["is_public"] is False
    assert world["supplier_a"]["legal_payment_delay_days"] is None
    assert world["hospital"]["services"][0]["code"] == "04011000-12345-03"


def test_structure_api_refuses_bad_siret_and_non_operators(api, world):
    op = api.client(api.operator_key)
    r = op.post("/v1/structures", json={"siret": "12345678912345", "name": "X"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "STR-01"
    r = op.post("/v1/structures", json={"siret": world["state"]["siret"], "name": "Again"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "STR-03"
    r = api.client(world["supplier_a"]["api_key"]).post(
        "/v1/structures", json={"siret": siret(999), "name": "X"}
    )
    assert r.status_code == 403
    # La Poste establishment: fails Luhn, digit sum multiple of 5
    r = op.post("/v1/structures", json={"siret": "35600000049837", "name": "La Poste"})
    assert r.status_code == 201


def test_each_syntax_is_deposited_and_made_available(api, world):
    state = world["state"]["siret"]
    ubl = deposit(api, world["supplier_a"], UBL, recipient_siret=state)
    cii = deposit(api, world["supplier_a"], CII, recipient_siret=state, channel="edi")
    fx = deposit(api, world["supplier_a"], FACTURX, recipient_siret=state, channel="portal")
    pdf = deposit(
        api,
        world["supplier_a"],
        PLAIN_PDF,
        recipient_siret=state,
        invoice_number="PDF-0001",
        issue_date="2026-11-02",
        total_excl_vat="100.00",
        total_vat="20.00",
        total_incl_vat="120.00",
        vat_rate="20",
    )
    for r, syntax in ((ubl, "UBL"), (cii, "CII"), (fx, "FACTURX"), (pdf, "PDF")):
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["syntax"] == syntax and body["invoice_status"] == "MISE_A_DISPOSITION"
    got = api.client(world["supplier_a"]["api_key"]).get(f"/v1/invoices/{fx.json()['id']}")
    invoice = got.json()
    assert invoice["invoice_number"] == "9314110911/00/M/00/N"
    assert invoice["channel"] == "portal" and invoice["scope"] == "B2G"
    assert Decimal(invoice["total_incl_vat"]) == Decimal("340.96")  # expected.csv BT-112
    assert invoice["recipient"]["siret"] == state
    plain = api.client(world["supplier_a"]["api_key"]).get(f"/v1/invoices/{pdf.json()['id']}")
    assert plain.json()["vat_breakdown"] == [
        {"category": "S", "rate": "20.00", "taxable": "100.00", "tax": "20.00"}
    ]


def test_zip_batch_judges_each_entry_on_its_own(api, world):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a/ubl.xml", (CORPUS / "ubl/ubl-tc434-example1.xml").read_bytes())
        z.writestr("cii.xml", (CORPUS / "cii/CII_example1.xml").read_bytes())
        z.writestr("broken.xml", b"<Invoice><unclosed></Invoice>")
        z.writestr("../escape.xml", (CORPUS / "ubl/ubl-tc434-example2.xml").read_bytes())
    with api.client(world["supplier_b"]["api_key"]) as c:
        r = c.post(
            "/v1/invoices",
            files={"file": ("batch.zip", buf.getvalue())},
            data={"recipient_siret": world["local"]["siret"]},
        )
    assert r.status_code == 200, r.text
    body = r.json()
    by_file = {res["file"]: res for res in body["results"]}
    assert (body["accepted"], body["refused"]) == (1, 3)
    assert by_file["a/ubl.xml"]["status"] == "accepted"
    # same number as a/ubl.xml (12115118, same year): duplicate of the first entry
    assert [e["code"] for e in by_file["cii.xml"]["errors"]] == ["REG-06"]
    assert [e["code"] for e in by_file["broken.xml"]["errors"]] == ["XML-01"]
    assert [e["code"] for e in by_file["../escape.xml"]["errors"]] == ["ZIP-01"]


def test_routing_rules_refuse_with_every_failed_rule_and_store_nothing(api, world):
    home = api.home
    before_docs = sorted(p.name for p in (home / "documents").rglob("*") if p.is_file())
    r = deposit(api, world["supplier_a"], FRESH, recipient_siret=world["hospital"]["siret"])
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == "refused" and body["refusal_id"]
    assert [e["code"] for e in body["errors"]] == ["REG-03"]
    assert body["errors"][0]["message"].startswith("Le destinataire exige")
    assert body["errors"][0]["message_en"] == "The recipient requires a service code (BT-10)."
    r = deposit(api, world["supplier_a"], FRESH, recipient_siret=siret(777))
    assert [e["code"] for e in r.json()["errors"]] == ["REG-01"]
    r = deposit(api, world["supplier_a"], FRESH)
    assert [e["code"] for e in r.json()["errors"]] == ["REG-07"]
    after_docs = sorted(p.name for p in (home / "documents").rglob("*") if p.is_file())
    assert after_docs == before_docs
    with sqlite3.connect(home / "platform.sqlite") as con:
        codes = con.execute(
            "select rule_code from deposit_refusals where refusal_id = ?", (body["refusal_id"],)
        ).fetchall()
        outbox = con.execute(
            "select count(*) from outbox where table_name = 'deposit_refusals' and record_id = ?",
            (body["refusal_id"],),
        ).fetchone()[0]
    assert codes == [("REG-03",)] and outbox == 1


def test_service_code_routes_to_the_hospital_and_duplicates_are_refused(api, world):
    hospital = world["hospital"]["siret"]
    first = deposit(api, world["supplier_b"], WITH_SERVICE, recipient_siret=hospital)
    assert first.status_code == 201, first.text
    again = deposit(api, world["supplier_b"], WITH_SERVICE, recipient_siret=hospital)
    assert again.status_code == 422
    assert [e["code"] for e in again.json()["errors"]] == ["REG-06"]
    inv = api.client(world["hospital"]["api_key"]).get(f"/v1/invoices/{first.json()['id']}")
    assert inv.json()["service_code"] == "04011000-12345-03"


def _status(api, who, invoice_id, **body):
    with api.client(who["api_key"]) as c:
        return c.post(f"/v1/invoices/{invoice_id}/status", json=body)


def test_lifecycle_suspension_completion_payment_and_late_accounting_status(api, world):
    state, supplier = world["state"], world["supplier_a"]
    doc = CORPUS / "ubl/BIS_Billing_30-Telefoni.xml"
    inv = deposit(api, supplier, doc, recipient_siret=state["siret"]).json()["id"]

    r = _status(api, state, inv, status="SUSPENDUE")
    assert r.status_code == 422 and r.json()["error"]["code"] == "LC-03"
    assert _status(api, state, inv, status="SUSPENDUE", reason="PJ_MANQUANTE").status_code == 200
    r = _status(api, supplier, inv, status="SERVICE_FAIT")
    assert r.status_code == 403 and r.json()["error"]["code"] == "LC-02"
    r = _status(api, state, inv, status="SERVICE_FAIT")
    assert r.status_code == 409 and r.json()["error"]["code"] == "LC-01"
    assert _status(api, supplier, inv, status="COMPLETEE", comment="PJ ajoutée").status_code == 200
    assert _status(api, state, inv, status="SERVICE_FAIT").status_code == 200
    r = _status(api, state, inv, status="MISE_EN_PAIEMENT")
    assert r.status_code == 422 and r.json()["error"]["code"] == "LC-04"
    paid = today_in_paris().isoformat()  # received today: paid today at the earliest
    r = _status(
        api,
        state,
        inv,
        status="MISE_EN_PAIEMENT",
        payment_date=paid,
        payment_amount="1000.00",
        actor="helios",
    )
    assert r.status_code == 200 and r.json()["status"] == "MISE_EN_PAIEMENT"
    late = _status(api, state, inv, status="MANDATEE", actor="helios")
    assert late.status_code == 200
    assert late.json()["out_of_order"] is True and late.json()["status"] == "MISE_EN_PAIEMENT"
    r = _status(api, state, inv, status="REJETEE", reason="DOUBLON")
    assert r.status_code == 409

    events = api.client(supplier["api_key"]).get(f"/v1/invoices/{inv}/history").json()["events"]
    assert [e["status"] for e in events] == [
        "DEPOSEE",
        "MISE_A_DISPOSITION",
        "SUSPENDUE",
        "COMPLETEE",
        "SERVICE_FAIT",
        "MISE_EN_PAIEMENT",
        "MANDATEE",
    ]
    assert [e["actor"] for e in events] == [
        "platform",
        "platform",
        "recipient",
        "supplier",
        "recipient",
        "helios",
        "helios",
    ]
    assert events[2]["reason"] == "PJ_MANQUANTE"
    assert (events[5]["payment_date"], events[5]["payment_amount"]) == (paid, "1000.00")
    assert [e["out_of_order"] for e in events][-2:] == [False, True]


def test_the_platform_numbers_each_event_and_lands_a_late_one_with_the_day_it_came(
    api, world, tmp_path
):
    """The landing records carry each event's place in its invoice's lifecycle, as the
    platform decided it: a mandate Hélios reports after the payment, dated a minute before
    it, comes fifth, from the payment (the status it leaves unchanged), and lands on the
    Paris day it was recorded."""
    state, supplier = world["state"], world["supplier_a"]
    doc = CORPUS / "ubl/EN16931_Elektron.ubl.xml"
    inv = deposit(api, supplier, doc, recipient_siret=state["siret"]).json()["id"]
    now = datetime.now(UTC)
    paid_at, mandated_at = now + timedelta(minutes=3), now + timedelta(minutes=2)
    assert (
        _status(
            api,
            state,
            inv,
            status="SERVICE_FAIT",
            occurred_at=(now + timedelta(minutes=1)).isoformat(),
        ).status_code
        == 200
    )
    payment = {"payment_date": today_in_paris().isoformat(), "payment_amount": "1000.00"}
    r = _status(
        api, state, inv, status="MISE_EN_PAIEMENT", occurred_at=paid_at.isoformat(), **payment
    )
    assert r.status_code == 200, r.text
    late = _status(api, state, inv, status="MANDATEE", occurred_at=mandated_at.isoformat())
    assert late.status_code == 200 and late.json()["out_of_order"] is True

    # the platform's outbox, landed by the real extract into a home of its own
    home = tmp_path / "home"
    home.mkdir()
    with (
        sqlite3.connect(api.home / "platform.sqlite") as source,
        sqlite3.connect(home / "platform.sqlite") as copy,
    ):
        source.backup(copy)
    settings = get_settings({"VIGIE_HOME": str(home)})
    extract(settings)
    events = (
        landing.scan_table(settings.landing_dir, "invoice_status_events")
        .filter(pl.col("invoice_id") == inv)
        .sort("event_sequence")
        .collect()
    )
    places = events.select(
        "event_sequence",
        "status_code",
        "previous_status_code",
        "deposit_round",
        "is_out_of_order",
    ).rows()
    assert places == [
        (1, "DEPOSEE", None, 1, False),
        (2, "MISE_A_DISPOSITION", "DEPOSEE", 1, False),
        (3, "SERVICE_FAIT", "MISE_A_DISPOSITION", 1, False),
        (4, "MISE_EN_PAIEMENT", "SERVICE_FAIT", 1, False),
        (5, "MANDATEE", "MISE_EN_PAIEMENT", 1, True),
    ]
    mandate = events.row(4, named=True)
    assert mandate["occurred_at"] == mandated_at.replace(
        microsecond=mandate["occurred_at"].microsecond
    )
    assert mandate["previous_status_at"] == paid_at.replace(
        microsecond=mandate["previous_status_at"].microsecond
    )
    # the time in the previous status: the payment's, from the service done's time
    assert events.item(3, "previous_status_at") == events.item(2, "occurred_at")
    recorded_day = mandate["recorded_at"].astimezone(PARIS).date()
    folders = {
        p.parent.name for p in landing.list_files(settings.landing_dir, "invoice_status_events")
    }
    assert f"date={recorded_day.isoformat()}" in folders
    assert mandate["recorded_at"] <= datetime.now(UTC) < mandated_at


def test_status_events_are_checked_in_time_and_a_refused_one_leaves_the_history_unchanged(
    api, world
):
    state, supplier = world["state"], world["supplier_a"]
    doc = CORPUS / "ubl/BIS_Billing_30-Rabatter_och_avgifter.xml"
    inv = deposit(api, supplier, doc, recipient_siret=state["siret"]).json()["id"]
    history = f"/v1/invoices/{inv}/history"
    now = datetime.now(UTC)

    def at(minutes: float) -> str:  # after the deposit, within the 5 minutes of clock skew
        return (now + timedelta(minutes=minutes)).isoformat()

    assert _status(api, state, inv, status="SERVICE_FAIT", occurred_at=at(2)).status_code == 200
    before = api.client(state["api_key"]).get(history).json()["events"]

    today = today_in_paris()
    cases = {
        "LC-09": {"payment_date": "2019-03-01"},  # years before the deposit
        "LC-10": {"payment_date": (today + timedelta(days=1)).isoformat()},  # tomorrow in Paris
    }
    for code, when in cases.items():
        r = _status(
            api,
            state,
            inv,
            status="MISE_EN_PAIEMENT",
            payment_amount="10.00",
            occurred_at=at(3),
            **when,
        )
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == code and error["message"] and error["message_en"]
    # an event dated before the previous one (SERVICE_FAIT), though after the deposit
    r = _status(api, state, inv, status="SUSPENDUE", reason="PJ_MANQUANTE", occurred_at=at(1))
    assert r.status_code == 422 and r.json()["error"]["code"] == "LC-11"
    assert api.client(state["api_key"]).get(history).json()["events"] == before

    # a completion dated before its suspension
    r = _status(api, state, inv, status="SUSPENDUE", reason="PJ_MANQUANTE", occurred_at=at(3))
    assert r.status_code == 200, r.text
    r = _status(api, supplier, inv, status="COMPLETEE", occurred_at=at(2.5))
    assert r.status_code == 422 and r.json()["error"]["code"] == "LC-11"
    assert [e["status"] for e in api.client(state["api_key"]).get(history).json()["events"]] == [
        "DEPOSEE",
        "MISE_A_DISPOSITION",
        "SERVICE_FAIT",
        "SUSPENDUE",
    ]
    # in order, and paid the day it was received: accepted
    assert _status(api, supplier, inv, status="COMPLETEE", occurred_at=at(3.5)).status_code == 200
    assert _status(api, state, inv, status="SERVICE_FAIT", occurred_at=at(4)).status_code == 200
    r = _status(
        api,
        state,
        inv,
        status="MISE_EN_PAIEMENT",
        payment_amount="10.00",
        payment_date=today.isoformat(),
        occurred_at=at(4.5),
    )
    assert r.status_code == 200, r.text


def test_rejection_closes_the_invoice(api, world):
    local, supplier = world["local"], world["supplier_a"]
    inv = deposit(
        api,
        supplier,
        CORPUS / "ubl/Invoice-Min_content_with_VAT.xml",
        recipient_siret=local["siret"],
    ).json()["id"]
    assert _status(api, local, inv, status="REJETEE").json()["error"]["code"] == "LC-03"
    r = _status(api, local, inv, status="REJETEE", reason="MONTANT_ERRONE")
    assert r.status_code == 200 and r.json()["status"] == "REJETEE"
    assert _status(api, local, inv, status="SERVICE_FAIT").status_code == 409
    assert _status(api, supplier, inv, status="COMPLETEE").status_code == 409


def test_recycling_reroutes_the_same_number_to_the_corrected_recipient(api, world):
    state, local, supplier = world["state"], world["local"], world["supplier_a"]
    inv = deposit(
        api, supplier, CORPUS / "ubl/ubl-tc434-example7.xml", recipient_siret=state["siret"]
    ).json()["id"]
    assert _status(api, state, inv, status="A_RECYCLER", comment="mauvais destinataire").is_success
    r = _status(api, supplier, inv, status="DEPOSEE")
    assert r.status_code == 422 and r.json()["error"]["code"] == "LC-07"
    r = _status(api, supplier, inv, status="DEPOSEE", recipient_siret=local["siret"])
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "MISE_A_DISPOSITION"
    # the old recipient no longer sees it; the new one does, under the same number
    assert api.client(state["api_key"]).get(f"/v1/invoices/{inv}").status_code == 404
    got = api.client(local["api_key"]).get(f"/v1/invoices/{inv}").json()
    assert got["invoice_number"] == "INVOICE_test_7" and got["recipient"]["siret"] == local["siret"]
    statuses = [
        e["status"]
        for e in api.client(local["api_key"]).get(f"/v1/invoices/{inv}/history").json()["events"]
    ]
    assert statuses == [
        "DEPOSEE",
        "MISE_A_DISPOSITION",
        "A_RECYCLER",
        "DEPOSEE",
        "MISE_A_DISPOSITION",
    ]
    assert _status(api, local, inv, status="SERVICE_FAIT").status_code == 200


def test_a_supplier_never_sees_another_suppliers_invoices(api, world):
    a, b = world["supplier_a"], world["supplier_b"]
    inv = deposit(
        api, a, CORPUS / "cii/CII_example2.xml", recipient_siret=world["state"]["siret"]
    ).json()["id"]
    assert api.client(b["api_key"]).get(f"/v1/invoices/{inv}").status_code == 404
    assert api.client(b["api_key"]).get(f"/v1/invoices/{inv}/history").status_code == 404
    assert api.client(b["api_key"]).get("/v1/invoices/inv_doesnotexist").status_code == 404
    assert _status(api, b, inv, status="COMPLETEE").status_code == 404
    listed_b = api.client(b["api_key"]).get("/v1/invoices", params={"limit": 500}).json()
    assert inv not in {i["id"] for i in listed_b["items"]}
    assert all(b["id"] in (i["supplier"]["id"], i["recipient"]["id"]) for i in listed_b["items"])
    assert api.client().get("/v1/invoices").status_code == 401
    assert api.client("vk_not_a_key").get("/v1/invoices").status_code == 401
    everything = api.client(api.operator_key).get("/v1/invoices", params={"limit": 500}).json()
    assert inv in {i["id"] for i in everything["items"]}


def test_listing_filters_and_paginates(api, world):
    a = api.client(world["supplier_a"]["api_key"])
    full = a.get("/v1/invoices", params={"limit": 500}).json()
    assert full["total"] == len(full["items"]) >= 5
    page = a.get("/v1/invoices", params={"limit": 2, "offset": 1}).json()
    assert [i["id"] for i in page["items"]] == [i["id"] for i in full["items"][1:3]]
    by_number = a.get("/v1/invoices", params={"number": "PDF-0001"}).json()
    assert [i["invoice_number"] for i in by_number["items"]] == ["PDF-0001"]
    paid = a.get("/v1/invoices", params={"status": "MISE_EN_PAIEMENT"}).json()
    assert {i["status"] for i in paid["items"]} == {"MISE_EN_PAIEMENT"}


def test_virtual_assistant_lookup_gives_recipient_status_and_date(api, world):
    found = (
        api.client(world["supplier_a"]["api_key"])
        .get("/v1/invoices/lookup", params={"number": "2007-99123"})
        .json()["matches"]
    )
    assert len(found) == 1
    assert found[0]["recipient"]["name"] == "Ministère"
    assert found[0]["status"] == "MISE_EN_PAIEMENT"
    assert found[0]["status_date"] == found[0]["status_at"][:10]


def test_solicitation_is_recorded_for_a_visible_invoice_only(api, world):
    a = api.client(world["supplier_a"]["api_key"])
    r = a.post("/v1/solicitations", json={"category": "suivi_facture", "channel": "assistant"})
    assert r.status_code == 201 and r.json()["channel"] == "assistant"
    other = api.client(world["supplier_b"]["api_key"]).get("/v1/invoices").json()["items"][0]
    r = a.post(
        "/v1/solicitations",
        json={"category": "suivi_facture", "channel": "human", "invoice_id": other["id"]},
    )
    assert r.status_code == 404


def test_outbox_sequence_is_gap_free_and_carries_every_kind_of_change(api, world):
    with sqlite3.connect(api.home / "platform.sqlite") as con:
        seqs = [s for (s,) in con.execute("select seq from outbox order by seq")]
        tables = {t for (t,) in con.execute("select distinct table_name from outbox")}
        invoices = con.execute("select count(*) from invoices").fetchone()[0]
        archived = len([p for p in (api.home / "documents").rglob("*") if p.is_file()])
    assert seqs == list(range(1, len(seqs) + 1))
    assert {
        "structures",
        "services",
        "users",
        "invoices",
        "invoice_vat_lines",
        "invoice_status_events",
        "deposit_refusals",
        "solicitations",
    } <= tables
    assert archived == invoices


def test_openapi_documents_every_route_under_v1_and_the_deposit_form(api):
    assert api.client().get("/docs").status_code == 200
    spec = api.client().get("/openapi.json").json()
    assert all(path.startswith("/v1/") for path in spec["paths"])
    expected = {
        "/v1/invoices",
        "/v1/invoices/{invoice_id}",
        "/v1/invoices/{invoice_id}/history",
        "/v1/invoices/{invoice_id}/status",
        "/v1/invoices/lookup",
        "/v1/solicitations",
        "/v1/structures",
        "/v1/structures/{structure_id}/services",
    }
    assert expected <= set(spec["paths"])
    form = spec["paths"]["/v1/invoices"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert form["schema"]["properties"]["file"]["format"] == "binary"
    assert "recipient_siret" in form["schema"]["properties"]


def test_an_operator_rotates_and_revokes_a_structures_key_and_the_api_follows(
    api, world, vigie_cli
):
    """`vigie key rotate` gives the holder a new key and the old one is refused at once;
    `vigie key revoke` stops the new one too (within the API's few seconds of cache)."""
    import json
    import time

    with api.client(api.operator_key) as op:
        made = op.post("/v1/structures", json={"siret": siret(150), "name": "Fournisseur K"})
    assert made.status_code == 201, made.text
    old, siret_k = made.json()["api_key"], made.json()["siret"]
    with api.client(old) as c:
        assert c.get("/v1/invoices").status_code == 200
    listed = vigie_cli(["key", "list"], api.home)
    assert listed.returncode == 0, listed.stderr
    (key_id,) = [line.split()[0] for line in listed.stdout.splitlines() if siret_k in line]
    rotated = vigie_cli(["key", "rotate", key_id], api.home)
    assert rotated.returncode == 0, rotated.stderr
    new = json.loads(rotated.stdout)["api_key"]

    def status(key: str) -> int:
        with api.client(key) as c:
            return c.get("/v1/invoices").status_code

    deadline = time.monotonic() + 15
    while status(old) != 401 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status(old) == 401 and status(new) == 200
    lines = vigie_cli(["key", "list"], api.home).stdout.splitlines()
    new_id = next(x.split()[0] for x in lines if siret_k in x and "active" in x)
    assert vigie_cli(["key", "revoke", new_id], api.home).returncode == 0
    deadline = time.monotonic() + 15
    while status(new) != 401 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status(new) == 401
    again = vigie_cli(["key", "revoke", new_id], api.home)
    assert again.returncode != 0 and "already revoked" in again.stderr
