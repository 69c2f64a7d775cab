"""The platform's tables are derived from the landing contracts: each stored row is its
record's fields plus a few declared columns, so a new landing field needs no hand-written
insert."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from vigie.platform.contracts import landing as L
from vigie.platform.store import STORED_ONLY, Store

AT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def _structure(**changes):
    fields = {
        "structure_id": "str_1",
        "siret": "13000000000012",
        "siren": "130000000",
        "vat_id": None,
        "name": "Mairie",
        "country_code": "FR",
        "is_public": False,
        "public_category": None,
        "legal_payment_delay_days": None,
        "supplier_size": None,
        "requires_engagement_number": False,
        "requires_service_code": True,
        "reports_payment_status": True,
        "is_active": True,
        "created_at": AT,
        "updated_at": AT,
    }
    return L.Structure(**(fields | changes))


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "platform.db")
    yield s
    s.close()


@pytest.mark.parametrize("table", sorted(L.LANDING_TABLES))
def test_every_column_of_a_platform_table_is_a_field_or_declared(store, table):
    fields = set(L.LANDING_TABLES[table].model_fields)
    columns = set(store.table_columns(table))
    assert columns - fields == set(STORED_ONLY.get(table, ())), table


def test_a_saved_record_is_stored_as_decimal_text_iso_dates_and_flags(store):
    at = AT
    structure = _structure(is_public=True, public_category="local", legal_payment_delay_days=30)
    payment = L.Payment(
        payment_id="pay_1",
        declarant_structure_id="str_1",
        invoice_id=None,
        scope="B2C",
        payment_date=date(2026, 3, 1),
        currency_code="EUR",
        vat_rate=Decimal("5.5"),
        amount_incl_vat=Decimal("1055.10"),
        received_at=at,
    )
    with store.write() as con:
        store.save(con, structure)
        store.save(con, payment)
    row = store.read_one("select * from payments")
    assert dict(row) == {
        "payment_id": "pay_1",
        "declarant_structure_id": "str_1",
        "invoice_id": None,
        "scope": "B2C",
        "payment_date": "2026-03-01",
        "currency_code": "EUR",
        "vat_rate": "5.5",
        "amount_incl_vat": "1055.10",
        "received_at": "2026-03-01T23:30:00+00:00",
    }
    assert store.read_one("select requires_service_code, is_public from structures")[:] == (1, 1)
    outbox = store.read("select table_name, record_id from outbox order by seq")
    assert [tuple(r) for r in outbox] == [("structures", "str_1"), ("payments", "pay_1")]


def test_a_new_version_replaces_the_row_and_is_announced_again(store):
    at = datetime(2026, 3, 1, tzinfo=UTC)
    first = L.User(user_id="usr_1", structure_id="str_1", role="user", created_at=at)
    with store.write() as con:
        store.save(con, _structure())
        store.save(con, first)
        renamed = _structure(name="Ville", updated_at=datetime.now(UTC))
        store.save(con, renamed, replace_on="structure_id")
    assert [r["name"] for r in store.read("select name from structures")] == ["Ville"]
    assert store.read_one("select count(*) from outbox where table_name = 'structures'")[0] == 2


def test_a_column_that_is_not_declared_is_refused_before_anything_is_written(store):
    event = L.InvoiceStatusEvent(
        event_id="evt_1",
        invoice_id="inv_1",
        status_code="DEPOSEE",
        occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
        actor_role="platform",
        reason_code=None,
        comment=None,
        payment_date=None,
        payment_amount=None,
        event_sequence=1,
        previous_status_code=None,
        previous_status_at=None,
        deposit_round=1,
        is_out_of_order=False,
        recorded_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    with pytest.raises(ValueError, match="status_at"), store.write() as con:
        store.save(con, event, status_at="2026-03-01")
    assert store.read_one("select count(*) from outbox")[0] == 0


def test_the_history_import_rows_have_the_landing_contracts_types():
    from vigie.platform import history

    model, contract = history.ImportedInvoice, L.Invoice
    shared = set(model.model_fields) & set(contract.model_fields)
    assert shared
    for name in shared:
        mine, theirs = model.model_fields[name], contract.model_fields[name]
        if name == "billing_framework":  # empty: the document's BT-23, else A1
            assert mine.annotation == theirs.annotation | None and not mine.is_required()
            continue
        assert (mine.annotation, mine.metadata) == (theirs.annotation, theirs.metadata), name
        assert mine.is_required() == theirs.is_required(), name


def test_the_history_import_events_are_the_contract_without_their_place_in_the_lifecycle():
    from vigie.platform import history

    model, contract = history.ImportedEvent, L.InvoiceStatusEvent
    assert set(model.model_fields) == set(contract.model_fields) - set(contract.LIFECYCLE_ORDER)
    for name, mine in model.model_fields.items():
        theirs = contract.model_fields[name]
        assert (mine.annotation, mine.metadata) == (theirs.annotation, theirs.metadata), name


def test_a_database_from_before_the_numbering_gets_its_events_numbered_as_stored(tmp_path):
    """Events stored by an earlier version (no place in the lifecycle) are numbered when
    the database is opened, in the order they were stored: the late mandate after the
    payment, which it leaves current."""
    import json
    import sqlite3

    path = tmp_path / "platform.db"
    with sqlite3.connect(path) as con:
        con.execute(
            "create table invoice_status_events (event_id text primary key, invoice_id text,"
            " status_code text, occurred_at text, actor_role text, actor_structure_id text,"
            " reason_code text, comment text, payment_date text, payment_amount text,"
            " is_out_of_order integer not null default 0)"
        )
        stored = [
            ("a1", "A", "DEPOSEE", "2026-03-02T08:00:00+00:00", 0),
            ("b1", "B", "DEPOSEE", "2026-03-02T09:00:00+00:00", 0),
            ("a2", "A", "MISE_A_DISPOSITION", "2026-03-02T08:05:00+00:00", 0),
            ("a3", "A", "MISE_EN_PAIEMENT", "2026-03-20T10:00:00+00:00", 0),
            ("a4", "A", "MANDATEE", "2026-03-18T10:00:00+00:00", 1),
            ("a5", "A", "COMPTABILISEE", "2026-03-19T10:00:00+00:00", 1),
        ]
        con.executemany(
            "insert into invoice_status_events (event_id, invoice_id, status_code, occurred_at,"
            " actor_role, is_out_of_order) values (?, ?, ?, ?, 'platform', ?)",
            stored,
        )
        con.execute(
            "create table outbox (seq integer primary key, recorded_at text not null,"
            " table_name text not null, record_id text not null, payload text not null)"
        )
        con.execute(
            "insert into outbox (recorded_at, table_name, record_id, payload) values"
            " ('2026-03-20', 'invoice_status_events', 'a4', ?)",
            ('{"event_id": "a4", "status_code": "MANDATEE", '
             '"occurred_at": "2026-03-18T10:00:00Z"}',),
        )  # fmt: skip
    Store(path).close()
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "select event_id, event_sequence, previous_status_code, previous_status_at,"
            " deposit_round, recorded_at = occurred_at from invoice_status_events"
            " order by invoice_id, event_sequence"
        ).fetchall()
    assert rows == [
        ("a1", 1, None, None, 1, 1),
        ("a2", 2, "DEPOSEE", "2026-03-02T08:00:00+00:00", 1, 1),
        ("a3", 3, "MISE_A_DISPOSITION", "2026-03-02T08:05:00+00:00", 1, 1),
        ("a4", 4, "MISE_EN_PAIEMENT", "2026-03-20T10:00:00+00:00", 1, 1),
        ("a5", 5, "MISE_EN_PAIEMENT", "2026-03-20T10:00:00+00:00", 1, 1),
        ("b1", 1, None, None, 1, 1),
    ]
    # its outbox record too: extracted again, it lands whole
    with sqlite3.connect(path) as con:
        (payload,) = con.execute("select payload from outbox where record_id = 'a4'").fetchone()
    assert json.loads(payload) == {
        "event_id": "a4",
        "status_code": "MANDATEE",
        "occurred_at": "2026-03-18T10:00:00Z",
        "event_sequence": 4,
        "previous_status_code": "MISE_EN_PAIEMENT",
        "previous_status_at": "2026-03-20T10:00:00+00:00",
        "deposit_round": 1,
        "is_out_of_order": True,
        "recorded_at": "2026-03-18T10:00:00Z",
    }
