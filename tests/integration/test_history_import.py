"""`vigie import`: history from a previous system through the checks of a deposit and of a
status change; what passes lands as of its original time, refused rows go to a rejects file;
importing again changes nothing; a run stopped half-way leaves nothing imported."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import CORPUS
from helpers import siret

from vigie.platform.documents.samples import ubl_invoice
from vigie.platform.service import Platform
from vigie.platform.settings import get_settings

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")
SUPPLIER, RECIPIENT = siret(700), siret(701)
INVOICE_COLUMNS = [
    "invoice_id",
    "supplier_siret",
    "recipient_siret",
    "deposited_at",
    "channel",
    "billing_framework",
    "document",
]
EVENT_COLUMNS = [
    "event_id",
    "invoice_id",
    "status_code",
    "occurred_at",
    "actor_role",
    "reason_code",
    "comment",
    "payment_date",
    "payment_amount",
]


def _home(tmp_path) -> Path:
    home = tmp_path / "home"
    platform = Platform(get_settings({"VIGIE_HOME": str(home)}))
    platform.create_structure(siret=SUPPLIER, name="Ancien fournisseur")
    platform.create_structure(siret=RECIPIENT, name="Commune", public_category="local")
    platform.close()
    return home


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)


def _at(day: date, hour: int = 10) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).isoformat()


def _history(folder: Path, count: int = 3) -> None:
    """``count`` good invoices of 2019 with their lives, and one of each kind of bad row."""
    folder.mkdir(parents=True)
    invoices, events = [], []
    for i in range(count):
        name = f"old-{i}.xml"
        deposited = date(2019, 3, 1) + timedelta(days=i % 200)
        (folder / name).write_bytes(
            ubl_invoice(
                f"HIST-{i:04d}",
                seller_siret=SUPPLIER,
                buyer_siret=RECIPIENT,
                issue_date=deposited - timedelta(days=2),
                lines=3,
                seed=i,
            )
        )
        invoices.append(
            {
                "invoice_id": f"P{i}",
                "supplier_siret": SUPPLIER,
                "deposited_at": _at(deposited),
                "channel": "portal",
                "document": name,
            }
        )
        events.append(
            {
                "event_id": f"E{i}a",
                "invoice_id": f"P{i}",
                "status_code": "SERVICE_FAIT",
                "occurred_at": _at(deposited + timedelta(days=3)),
                "actor_role": "recipient",
            }
        )
        events.append(
            {
                "event_id": f"E{i}b",
                "invoice_id": f"P{i}",
                "status_code": "MISE_EN_PAIEMENT",
                "occurred_at": _at(deposited + timedelta(days=20)),
                "actor_role": "helios",
                "payment_date": (deposited + timedelta(days=20)).isoformat(),
                "payment_amount": "10.00",
            }
        )
    # refused invoices: the official rules (BR-CO-10, BR-CO-15), an unknown supplier, no zone
    bad = "invalid/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml"
    (folder / "bad.xml").write_bytes((CORPUS / bad).read_bytes())
    invoices += [
        {
            "invoice_id": "BAD-RULES",
            "supplier_siret": SUPPLIER,
            "recipient_siret": RECIPIENT,
            "deposited_at": _at(date(2019, 5, 2)),
            "channel": "api",
            "document": "bad.xml",
        },
        {
            "invoice_id": "BAD-SUPPLIER",
            "supplier_siret": siret(799),
            "deposited_at": _at(date(2019, 5, 2)),
            "channel": "api",
            "document": "old-0.xml",
        },
        {
            "invoice_id": "BAD-TIME",
            "supplier_siret": SUPPLIER,
            "deposited_at": "2019-05-02 10:00:00",
            "channel": "api",
            "document": "old-1.xml",
        },
    ]
    # refused events: a payment dated before the deposit (and the event after it), a completion
    # with no suspension, an event of an invoice that was not imported
    events[1] = {**events[1], "payment_date": "2018-12-31"}
    events += [
        {
            "event_id": "LATE",
            "invoice_id": "P0",
            "status_code": "MANDATEE",
            "occurred_at": _at(date(2019, 4, 1)),
            "actor_role": "helios",
        },
        {
            "event_id": "ORPHAN",
            "invoice_id": "BAD-RULES",
            "status_code": "SERVICE_FAIT",
            "occurred_at": _at(date(2019, 5, 3)),
            "actor_role": "recipient",
        },
    ]
    if count > 1:
        events[2] = {**events[2], "status_code": "COMPLETEE", "actor_role": "supplier"}
    _write(folder / "invoices.csv", INVOICE_COLUMNS, invoices)
    _write(folder / "invoice_status_events.csv", EVENT_COLUMNS, events)


def _rejects(path: Path) -> set[tuple[str, str, str]]:
    with path.open(encoding="utf-8-sig") as f:
        return {(r["file"], r["id"], r["code"]) for r in csv.DictReader(f, delimiter=";")}


def _counts(home: Path) -> tuple[int, int, int]:
    with sqlite3.connect(home / "platform.sqlite") as con:
        return (
            con.execute("select count(*) from invoices").fetchone()[0],
            con.execute("select count(*) from invoice_status_events").fetchone()[0],
            con.execute("select count(*) from outbox").fetchone()[0],
        )


def test_import_lands_what_passes_as_of_its_time_and_rejects_the_rest(tmp_path, vigie_cli):
    home, folder = _home(tmp_path), tmp_path / "history"
    _history(folder)
    proc = vigie_cli(["import", str(folder)], home)

    assert proc.returncode == 1, proc.stdout + proc.stderr  # rows were refused
    assert "imported 3 invoices and 3 status events; 0 rows already imported; 9 refusals" in (
        proc.stdout
    )
    assert "vigie pipeline backfill --from 2019-03-01 --to 2019-03-23" in proc.stdout
    assert _rejects(folder / "rejects.csv") == {
        ("invoices", "BAD-RULES", "BR-CO-10"),
        ("invoices", "BAD-RULES", "BR-CO-15"),
        ("invoices", "BAD-SUPPLIER", "IMP-02"),
        ("invoices", "BAD-TIME", "IMP-01"),
        ("invoice_status_events", "E0b", "LC-09"),
        ("invoice_status_events", "LATE", "IMP-06"),
        ("invoice_status_events", "E1a", "LC-01"),
        ("invoice_status_events", "E1b", "IMP-06"),
        ("invoice_status_events", "ORPHAN", "IMP-05"),
    }
    with sqlite3.connect(home / "platform.sqlite") as con:
        rows = con.execute(
            "select i.invoice_number, i.deposited_at, i.channel, i.status,"
            " group_concat(e.status_code, ' ') from invoices i"
            " join (select * from invoice_status_events order by occurred_at) e using (invoice_id)"
            " group by i.invoice_id order by i.invoice_number"
        ).fetchall()
    assert [(n, d[:10], c, s, h) for n, d, c, s, h in rows] == [
        (
            "HIST-0000",
            "2019-03-01",
            "portal",
            "SERVICE_FAIT",
            "DEPOSEE MISE_A_DISPOSITION SERVICE_FAIT",
        ),
        ("HIST-0001", "2019-03-02", "portal", "MISE_A_DISPOSITION", "DEPOSEE MISE_A_DISPOSITION"),
        (
            "HIST-0002",
            "2019-03-03",
            "portal",
            "MISE_EN_PAIEMENT",
            "DEPOSEE MISE_A_DISPOSITION SERVICE_FAIT MISE_EN_PAIEMENT",
        ),
    ]

    # the same files again: nothing changes, nothing is refused twice over
    before = _counts(home)
    again = vigie_cli(["import", str(folder)], home)
    assert "imported 0 invoices and 0 status events; 6 rows already imported" in again.stdout
    assert _counts(home) == before
    # and what was imported goes out through the outbox to the landing zone, on its own days
    landed = vigie_cli(["extract"], home)
    assert landed.returncode == 0, landed.stderr
    days = sorted(p.name for p in (home / "landing" / "invoices").iterdir())
    assert "date=2019-03-01" in days and "date=2019-03-03" in days


def test_a_folder_without_its_files_imports_nothing_and_says_why(tmp_path, vigie_cli):
    home, folder = _home(tmp_path), tmp_path / "empty"
    folder.mkdir()
    proc = vigie_cli(["import", str(folder)], home)
    assert proc.returncode == 1
    assert "nothing imported: invoices.csv or invoices.parquet is missing" in proc.stderr
    assert _counts(home)[0] == 0


@pytest.mark.slow
def test_an_import_stopped_half_way_leaves_nothing_imported(tmp_path):
    home, folder = _home(tmp_path), tmp_path / "big"
    _history(folder, count=400)
    archive = home / "documents"
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "vigie"), "import", str(folder)],
        env={**os.environ, "VIGIE_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        # half-way: the import archives each document it accepts, inside its transaction
        while time.monotonic() < deadline and proc.poll() is None:
            if sum(1 for _ in archive.glob("??/*")) >= 100:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the import ended before it could be stopped"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert _counts(home)[:2] == (0, 0)
    with sqlite3.connect(home / "platform.sqlite") as con:
        assert con.execute("select count(*) from imported_records").fetchone()[0] == 0
