"""Grants (who may sign in, with which role and structures) and the append-only audit log."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import siret

from vigie.platform import access
from vigie.platform.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "platform.sqlite")
    yield s
    s.close()


def test_a_person_resolves_to_their_role_and_structures_by_email_case_insensitively(store):
    a, a2 = siret(101), siret(102)
    access.grant(
        store, role="public_entity", by="t", email="Daf@Ville.fr", structure_sirets=(a, a2)
    )
    found = access.resolve(store, email="daf@ville.FR", organisation_siret=None)
    assert found == access.Access("daf@ville.fr", "public_entity", frozenset({a, a2}))
    assert access.resolve(store, email="other@ville.fr", organisation_siret=None) is None


def test_an_organisation_grant_covers_everyone_proconnect_says_works_there(store):
    org, entity = siret(201), siret(202)
    access.grant(
        store, role="public_entity", by="t", organisation_siret=org, structure_sirets=(entity,)
    )
    found = access.resolve(store, email="agent@anywhere.fr", organisation_siret=org)
    assert found.role == "public_entity" and found.sirets == {entity}


def test_the_widest_role_wins_and_structures_are_not_mixed_across_roles(store):
    s = siret(301)
    access.grant(store, role="supplier", by="t", email="x@y.fr", structure_sirets=(s,))
    access.grant(store, role="operator", by="t", email="x@y.fr")
    found = access.resolve(store, email="x@y.fr", organisation_siret=None)
    assert found.role == "operator" and found.sirets == frozenset()


def test_a_revoked_grant_gives_nothing_and_stays_on_record(store):
    access.grant(store, role="tax_administration", by="t", email="dgfip@x.fr")
    assert access.revoke(store, by="op", email="dgfip@x.fr") == 1
    assert access.resolve(store, email="dgfip@x.fr", organisation_siret=None) is None
    (row,) = access.grants(store, include_revoked=True)
    assert row["revoked_by"] == "op" and row["revoked_at"]
    assert access.grants(store) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"role": "public_entity", "email": "a@b.fr"}, "names its structures"),
        (
            {"role": "operator", "email": "a@b.fr", "structure_sirets": ("12345678901234",)},
            "no structure",
        ),
        ({"role": "boss", "email": "a@b.fr"}, "unknown role"),
        ({"role": "operator", "email": "nobody"}, "not an e-mail"),
        ({"role": "operator"}, "exactly one"),
    ],
)
def test_a_grant_that_makes_no_sense_is_refused_in_words(store, kwargs, message):
    with pytest.raises(access.AccessError, match=message):
        access.grant(store, by="t", **kwargs)
    assert access.grants(store, include_revoked=True) == []


def test_the_audit_log_is_append_only(store):
    access.record(
        store,
        who="a@b.fr",
        role="operator",
        action="download",
        page="delais",
        detail={"file": "x.csv"},
    )
    (entry,) = access.audit_entries(store)
    assert (entry["who"], entry["action"], entry["page"]) == ("a@b.fr", "download", "delais")
    assert entry["detail"] == '{"file": "x.csv"}'
    for statement in ("update audit_log set who = 'x'", "delete from audit_log"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"), store.write() as con:
            con.execute(statement)
    assert len(access.audit_entries(store)) == 1


def test_api_keys_rotate_and_revoke_and_a_revoked_key_is_refused(store):
    old = store.create_operator_key("ops")
    (row,) = store.api_keys()
    new = store.rotate_api_key(row["key_id"])
    assert store.caller(new).is_operator
    store._callers.clear()  # another process: nothing cached
    assert store.caller(old) is None
    new_id = next(k["key_id"] for k in store.api_keys() if k["revoked_at"] is None)
    store.revoke_api_key(new_id)
    store._callers.clear()
    assert store.caller(new) is None
    with pytest.raises(KeyError, match="already revoked"):
        store.revoke_api_key(new_id)
