"""A model whose code changed since the last build is rebuilt whole, with its dependents.

`vigie pipeline run` compares the project with the manifest of the last build that passed
(dbt's ``state:modified+``), says which models changed, and rebuilds those from the whole
landing zone in the same build. Here the saved manifest is made to differ on one model, as
an edit of its SQL would, and rows its table held are removed beforehand, as an older
version of the code might have left them: after the run, the table equals a build in one go.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.long]

CHANGED = "int_status_durations_daily"
TABLE = f"intermediate.{CHANGED}"


def _rows(path, table: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


def test_a_changed_model_and_its_dependents_are_rebuilt_whole_and_said(
    demo_home, vigie_cli, tmp_path
):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(demo_home.landing_dir, home / "landing")
    first = vigie_cli(["pipeline", "run"], home)
    assert first.returncode == 0, first.stdout + first.stderr
    # no change since: nothing is said, nothing rebuilt
    again = vigie_cli(["pipeline", "run"], home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "rebuilt whole" not in again.stdout

    state = home / "dbt" / "built_state" / "manifest.json"
    manifest = json.loads(state.read_text(encoding="utf-8"))
    node = manifest["nodes"][f"model.vigie.{CHANGED}"]
    node["raw_code"] += "\n-- an older version"  # what dbt compares (state:modified.body)
    state.write_text(json.dumps(manifest), encoding="utf-8")
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(f"delete from {TABLE} where left_date < date '2020-01-01'")
    assert _rows(home / "warehouse.duckdb", TABLE) != _rows(demo_home.warehouse_path, TABLE)

    changed = vigie_cli(["pipeline", "run"], home)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert (
        "changed since the last build, rebuilt whole with their dependents:"
        f" {CHANGED}, rpt_status_durations_monthly" in changed.stdout
    )
    for table in (TABLE, "reports.rpt_status_durations_monthly"):
        assert _rows(home / "warehouse.duckdb", table) == _rows(demo_home.warehouse_path, table)
    # and the record now holds the code that built it: the next run changes nothing more
    quiet = vigie_cli(["pipeline", "run"], home)
    assert "rebuilt whole" not in quiet.stdout
