"""`vigie extract`: the platform outbox lands exactly once, even when killed mid-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from helpers import siret

from vigie.ingestion import landing
from vigie.ingestion.extract import read_watermark
from vigie.platform.contracts import LANDING_TABLES
from vigie.platform.documents.samples import ubl_invoice
from vigie.platform.paris import today_in_paris
from vigie.platform.service import Platform
from vigie.platform.settings import get_settings
from vigie.platform.store import Caller

pytestmark = pytest.mark.integration
VIGIE = str(Path(sys.executable).parent / "vigie")


def _fill_platform(home: Path, invoices: int) -> dict[str, int]:
    """Deposit ``invoices`` invoices and walk some of them; return outbox counts per table."""
    platform = Platform(get_settings({"VIGIE_HOME": str(home)}))
    state = platform.create_structure(siret=siret(10), name="État", public_category="state")
    local = platform.create_structure(siret=siret(11), name="Commune", public_category="local")
    supplier = platform.create_structure(siret=siret(12), name="Fournisseur")
    me = Caller("structure", supplier.id, "F")
    them = Caller("structure", state.id, "E")
    for i in range(invoices):
        data = ubl_invoice(
            f"X-{i:05d}", seller_siret=supplier.siret, buyer_siret=state.siret, seed=i, lines=2
        )
        [out] = platform.deposit(me, data, f"{i}.xml")
        assert out.accepted, out.errors
        if i % 3 == 0:
            platform.change_status(them, out.invoice_id, "SERVICE_FAIT")
        if i % 10 == 0:
            platform.change_status(
                them,
                out.invoice_id,
                "MISE_EN_PAIEMENT",
                payment_date=today_in_paris(),  # paid the day it came
                payment_amount=Decimal("10.00"),
            )
        if i % 25 == 1 and i % 3 != 0:  # a processed invoice can no longer be recycled
            platform.change_status(them, out.invoice_id, "A_RECYCLER")
            platform.change_status(me, out.invoice_id, "DEPOSEE", recipient_siret=local.siret)
    platform.create_solicitation(me, "suivi_facture", "assistant")
    counts = dict(
        platform.store.read("select table_name, count(*) from outbox group by table_name")
    )
    platform.close()
    return counts


def _landed(home: Path) -> dict[str, pl.DataFrame]:
    landing_dir = get_settings({"VIGIE_HOME": str(home)}).landing_dir
    out = {}
    for table, model in LANDING_TABLES.items():
        files = landing.list_files(landing_dir, table)
        if files:
            frame = pl.concat([landing.read_file(f, table) for f in files])
            out[table] = frame.sort(list(model.primary_key))
    return out


def _copy_db(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    with (
        sqlite3.connect(src / "platform.sqlite") as a,
        sqlite3.connect(dst / "platform.sqlite") as b,
    ):
        a.backup(b)


def test_extract_lands_every_event_once_and_reruns_land_nothing(vigie_cli, tmp_path):
    counts = _fill_platform(tmp_path, 40)
    first = vigie_cli(["extract", "--batch-size", "37"], tmp_path)
    assert first.returncode == 0, first.stderr
    landed = _landed(tmp_path)
    assert {t: f.height for t, f in landed.items()} == counts
    for table, frame in landed.items():
        assert frame.select(LANDING_TABLES[table].primary_key).is_duplicated().sum() == 0
    again = vigie_cli(["extract"], tmp_path)
    assert "nothing new" in again.stdout
    assert {t: f.height for t, f in _landed(tmp_path).items()} == counts
    recycled = landed["invoices"].group_by("invoice_id").len().filter(pl.col("len") > 1)
    assert recycled.height == 2  # invoices 1 and 26 were recycled: two versions each


def test_extract_killed_mid_way_then_rerun_matches_an_uninterrupted_extract(tmp_path):
    home, reference = tmp_path / "home", tmp_path / "reference"
    home.mkdir()
    counts = _fill_platform(home, 300)
    _copy_db(home, reference)
    env = {**os.environ, "VIGIE_HOME": str(home)}
    settings = get_settings({"VIGIE_HOME": str(home)})
    total = sum(counts.values())
    killed_at = None
    for _attempt in range(5):  # bounded: try to land the kill strictly inside the run
        proc = subprocess.Popen(
            [VIGIE, "extract", "--batch-size", "25"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if read_watermark(settings) > 0:
                break
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed_at = read_watermark(settings)
        if 0 < killed_at < total:
            break
    assert 0 < killed_at < total, "the extract finished before it could be killed"

    rerun = subprocess.run(
        [VIGIE, "extract", "--batch-size", "25"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    ref = subprocess.run(
        [VIGIE, "extract", "--batch-size", "1000"],
        env={**os.environ, "VIGIE_HOME": str(reference)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ref.returncode == 0, ref.stderr

    got, want = _landed(home), _landed(reference)
    assert {t: f.height for t, f in got.items()} == counts
    assert got.keys() == want.keys()
    for table in want:
        assert got[table].equals(want[table]), table
    assert read_watermark(settings) == total
