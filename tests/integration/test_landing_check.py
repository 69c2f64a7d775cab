"""A landing file that breaks its contract stops the build before dbt loads anything."""

from __future__ import annotations

import json

import polars as pl
import pytest

from vigie.ingestion import landing
from vigie.ingestion.check import check_landing

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_a_broken_landing_file_is_refused_with_path_row_and_column(demo_home, tmp_path):
    # a copy of the session demo's landing zone, with one file broken at row 3
    import shutil

    landing_dir = tmp_path / "landing"
    shutil.copytree(demo_home.landing_dir, landing_dir)
    [first, *_] = landing.list_files(landing_dir, "invoices")
    frame = pl.read_parquet(first)
    broken = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit("ZZZ"))
        .otherwise(pl.col("channel"))
        .alias("channel")
    )
    broken.write_parquet(first)

    with pytest.raises(landing.ContractViolation) as err:
        check_landing(landing_dir)
    assert err.value.path == first
    assert err.value.column == "channel"
    assert err.value.row == 3
    assert str(first) in str(err.value) and "row 3" in str(err.value)


def test_build_stops_before_dbt_and_keeps_the_previous_snapshot(vigie_cli, tmp_path, demo_home):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(demo_home.home, home)
    current = json.loads((home / "serving" / "current.json").read_text())
    [first, *_] = landing.list_files(home / "landing", "invoice_status_events")
    frame = pl.read_parquet(first)
    frame.with_columns(pl.lit(None, dtype=pl.String).alias("invoice_id")).write_parquet(first)

    proc = vigie_cli(["pipeline", "run"], home)

    assert proc.returncode != 0
    assert f"file {first}" in proc.stderr and "column invoice_id" in proc.stderr
    assert json.loads((home / "serving" / "current.json").read_text()) == current
    status = json.loads((home / "serving" / "last_build.json").read_text())
    assert status["ok"] is False and "invoice_id" in status["message"]
