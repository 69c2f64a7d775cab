"""The EDI inbox sensor deposits through the platform, and the refresh it triggers publishes."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from helpers import siret

from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.documents.samples import ubl_invoice
from vigie.platform.service import Platform

pytestmark = pytest.mark.integration
CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def definitions(dbt_manifest):
    from vigie.orchestration.definitions import defs

    return defs()


def _tick(definitions, instance, cursor=None):
    sensor = {s.name: s for s in definitions.sensors}["edi_inbox"]
    with dg.build_sensor_context(
        instance=instance, cursor=cursor, repository_def=definitions.get_repository_def()
    ) as context:
        result = sensor.evaluate_tick(context)
    return result


@pytest.fixture
def partners(vigie_home):
    platform = Platform(vigie_home)
    try:
        buyer = platform.create_structure(siret=siret(501), name="Mairie", public_category="local")
        seller = platform.create_structure(siret=siret(502), name="Fournisseur EDI")
    finally:
        platform.close()
    return seller.siret, buyer.siret


@pytest.mark.slow
@pytest.mark.long
def test_a_dropped_ubl_file_reaches_the_serving_snapshot(
    definitions, vigie_home, partners, dagster_instance
):
    seller, buyer = partners
    inbox = vigie_home.inbox_dir
    (inbox / seller).mkdir(parents=True)
    good = inbox / seller / "EDI-0001.xml"
    good.write_bytes(ubl_invoice("EDI-0001", seller_siret=seller, buyer_siret=buyer, seed=3))
    # unknown recipient: refused by REG-07, with its errors beside it
    bad = inbox / seller / "EDI-0002.xml"
    bad.write_bytes(ubl_invoice("EDI-0002", seller_siret=seller, buyer_siret=siret(999), seed=4))
    # a file still being written (no marker, just modified) is left alone
    growing = inbox / seller / "EDI-0003.xml"
    growing.write_bytes(b"<Invoice")
    for done in (good, bad):
        done.with_name(done.name + ".ready").touch()
    instance = dagster_instance

    result = _tick(definitions, instance)

    [request] = result.run_requests
    assert growing.exists(), "a half-written file must not be taken"
    assert not good.exists() and not bad.exists()
    [accepted] = list((inbox / "done").rglob("EDI-0001.xml"))
    [refused] = list((inbox / "refused").rglob("EDI-0002.xml"))
    errors = json.loads(refused.with_name("EDI-0002.xml.errors.json").read_text("utf-8"))
    [document] = errors["documents"]
    assert document["status"] == "refused"
    assert [e["code"] for e in document["errors"]] == ["REG-07"]
    assert accepted.parent.name == seller and refused.parent.name == seller

    run = definitions.resolve_job_def("warehouse_refresh").execute_in_process(
        instance=instance, partition_key=request.partition_key, tags=request.tags
    )

    assert run.success
    snapshot = current_snapshot(vigie_home)
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        rows = con.execute(
            "select invoice_number, channel from marts.fct_invoices order by 1"
        ).fetchall()
    assert rows == [("EDI-0001", "edi")]


def test_a_file_is_taken_once_its_size_has_settled(
    definitions, vigie_home, partners, dagster_instance
):
    seller, buyer = partners
    (vigie_home.inbox_dir / seller).mkdir(parents=True)
    path = vigie_home.inbox_dir / seller / "EDI-0100.xml"
    path.write_bytes(ubl_invoice("EDI-0100", seller_siret=seller, buyer_siret=buyer, seed=5))
    instance = dagster_instance

    first = _tick(definitions, instance)
    assert not first.run_requests and path.exists()  # seen once: not yet known to be complete

    old = time.time() - 10
    os.utime(path, (old, old))  # nobody wrote to it since
    second = _tick(
        definitions,
        instance,
        cursor=json.dumps(
            {f"{seller}/EDI-0100.xml": [path.stat().st_size, path.stat().st_mtime_ns]}
        ),
    )
    assert len(second.run_requests) == 1 and not path.exists()


def test_a_file_without_supplier_is_refused_with_edi_01(definitions, vigie_home, dagster_instance):
    # dropped at the top of the inbox, and the invoice (German, no SIRET) names no supplier
    path = vigie_home.inbox_dir / "orphan.xml"
    vigie_home.inbox_dir.mkdir(parents=True, exist_ok=True)
    path.write_bytes((CORPUS / "cii" / "EN16931_Einfach.cii.xml").read_bytes())
    path.with_name("orphan.xml.ready").touch()

    result = _tick(definitions, dagster_instance)

    assert len(result.run_requests) == 1
    [refused] = list((vigie_home.inbox_dir / "refused").rglob("orphan.xml"))
    errors = json.loads(refused.with_name("orphan.xml.errors.json").read_text("utf-8"))
    assert errors["documents"][0]["errors"][0]["code"] == "EDI-01"
