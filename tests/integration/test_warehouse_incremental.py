"""Incremental builds give the same warehouse as a full build, and a backfill duplicates nothing.

The session's demo warehouse was built in one go. Here the same landing zone is built in two
steps (up to a day, then the rest incrementally), then a past month is backfilled: every
mart and report must equal the one-go build, row for row.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import duckdb
import pytest

from vigie.orchestration.pipeline import build_warehouse
from vigie.orchestration.publish import LOOKUP_KEYS
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.long]

#: the published tables replaced by key (their rows carry built_at; dbt declares the key)
KEYED = {
    "marts.fct_invoices",
    "marts.fct_payment_delays",
    "marts.fct_status_events",
    "marts.dim_structures",
    "reports.rpt_late_invoices",
}

COMPARED = [
    "staging.stg_platform__invoices",
    "staging.stg_platform__invoice_status_events",
    "intermediate.int_invoice_lifecycle_states",
    "intermediate.int_payment_delays_histogram",
    "intermediate.int_payment_delays_histogram_closed",
    "intermediate.int_unpaid_payment_delays",
    "intermediate.int_invoice_returns",
    "intermediate.int_status_durations_daily",
    "marts.fct_invoices",
    "marts.dim_structures",
    "marts.fct_status_events",
    "marts.fct_payment_delays",
    "marts.fct_ereporting_invoices",
    "marts.fct_ereporting_invoice_vat_lines",
    "marts.fct_ereporting_b2c_transactions",
    "marts.fct_ereporting_b2c_payments",
    "reports.rpt_bilan_monthly",
    "reports.rpt_bilan_yearly",
    "reports.rpt_payment_delays_by_entity_month",
    "reports.rpt_payment_delays_by_category_month",
    "reports.rpt_rejections_monthly",
    "reports.rpt_status_durations_monthly",
    "reports.rpt_late_invoices",
    "reports.rpt_overdue_invoices",
    "reports.rpt_payment_delays_yearly",
    "reports.rpt_rejections_by_party",
    "reports.rpt_payment_delays_distribution",
]


def _differences(one_go, stepwise) -> dict[str, tuple[int, int, int]]:
    """Per table: (rows in the one-go build, rows only there, rows only in the stepwise one)."""
    con = duckdb.connect()
    # the views of a warehouse name their catalog ("warehouse"): attach each under that name
    for alias, path in (("a", one_go), ("b", stepwise)):
        con.execute(f"attach '{path}' as warehouse (read_only)")
        for table in COMPARED:
            copy = f"{alias}_{table.replace('.', '__')}"
            # when a build wrote each row differs between the builds compared
            columns = [r[0] for r in con.execute(f"describe warehouse.{table}").fetchall()]
            keep = "* exclude (built_at)" if "built_at" in columns else "*"
            con.execute(f"create table {copy} as select {keep} from warehouse.{table}")
        con.execute("detach warehouse")
    found = {}
    for table in COMPARED:
        a, b = (f"{alias}_{table.replace('.', '__')}" for alias in "ab")
        rows = con.execute(f"select count(*) from {a}").fetchone()[0]
        only_a = con.execute(f"select count(*) from (from {a} except all from {b})").fetchone()[0]
        only_b = con.execute(f"select count(*) from (from {b} except all from {a})").fetchone()[0]
        found[table] = (rows, only_a, only_b)
    con.close()
    return found


def _snapshot_differences(home) -> dict[str, tuple[int, int]]:
    """Per published table: rows only in the warehouse, rows only in the current snapshot."""
    pointer = json.loads((home / "serving" / "current.json").read_text())
    con = duckdb.connect()
    con.execute(f"attach '{home / 'warehouse.duckdb'}' as warehouse (read_only)")
    con.execute(f"attach '{home / 'serving' / pointer['file']}' as snap (read_only)")
    found = {}
    for table in pointer["tables"]:
        a, b = f"warehouse.{table}", f"snap.{table}"
        if table in LOOKUP_KEYS:  # the snapshot adds its look-up key
            b = f"(select * exclude (lookup_key) from snap.{table})"
        only_a = con.execute(f"select count(*) from (from {a} except all from {b})").fetchone()[0]
        only_b = con.execute(f"select count(*) from (from {b} except all from {a})").fetchone()[0]
        if only_a or only_b:
            found[table] = (only_a, only_b)
    con.close()
    return found


def _pointer(home) -> dict:
    return json.loads((home / "serving" / "current.json").read_text())


def _kinds_run(home) -> set[str]:
    """The kinds of nodes (model, test, unit_test…) the last dbt build ran."""
    results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())
    return {r["unique_id"].split(".")[0] for r in results["results"]}


def _mode(home) -> str:
    return _pointer(home)["mode"]


def test_stepwise_and_backfilled_builds_equal_the_one_go_build(demo_home, vigie_cli, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(demo_home.landing_dir, home / "landing")

    first = vigie_cli(["pipeline", "run", "--to", "2020-01-15"], home)
    assert first.returncode == 0, first.stdout + first.stderr
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    last_day = con.execute("select max(occurred_date) from marts.fct_status_events").fetchone()[0]
    con.close()
    assert str(last_day) == "2020-01-15"
    assert _mode(home) == "full" and _snapshot_differences(home) == {}

    rest = vigie_cli(["pipeline", "run"], home)
    assert rest.returncode == 0, rest.stdout + rest.stderr
    assert "unit_test" in _kinds_run(home)  # a build without days runs the unit tests
    differences = _differences(demo_home.warehouse_path, home / "warehouse.duckdb")
    assert all(rows > 0 for rows, _, _ in differences.values()), differences
    assert {t: d[1:] for t, d in differences.items()} == {t: (0, 0) for t in COMPARED}
    # the snapshot equals the warehouse (most of the demo's rows were built by this second
    # step: it may have been copied whole)
    assert _snapshot_differences(home) == {}

    again = vigie_cli(["pipeline", "backfill", "--from", "2019-12-01", "--to", "2019-12-31"], home)
    assert again.returncode == 0, again.stdout + again.stderr
    # a run over given days runs the models and their data tests, not the unit tests
    kinds = _kinds_run(home)
    assert "unit_test" not in kinds and {"model", "test"} <= kinds, kinds
    differences = _differences(demo_home.warehouse_path, home / "warehouse.duckdb")
    assert {t: d[1:] for t, d in differences.items()} == {t: (0, 0) for t in COMPARED}
    # a delta (the snapshot it went into held the first step only: most rows of the large
    # tables were built since, which copies them whole); it equals the warehouse
    assert _mode(home) == "delta" and _snapshot_differences(home) == {}

    # one day, as the daily schedule runs a partition: its day filters are equalities, not
    # ranges (macros/incremental_window.sql, days_between)
    day = vigie_cli(["pipeline", "backfill", "--from", "2020-01-10", "--to", "2020-01-10"], home)
    assert day.returncode == 0, day.stdout + day.stderr
    compiled = home / "dbt" / "target" / "compiled" / "vigie" / "models" / "marts"
    milestones = (compiled / "lifecycle" / "fct_payment_delays.sql").read_text(encoding="utf-8")
    assert "last_event_date = date '2020-01-10'" in milestones
    differences = _differences(demo_home.warehouse_path, home / "warehouse.duckdb")
    assert {t: d[1:] for t, d in differences.items()} == {t: (0, 0) for t in COMPARED}
    assert _snapshot_differences(home) == {}

    # a build that wrote the warehouse from 2020-12-01 on and was not published (as when its
    # tests fail): its rows are built after those the snapshot holds, so the next
    # publication replaces their keys too (they carry a new built_at: a key missed would
    # differ). Then two daily runs (nothing new landed: each reloads its last day): each
    # replaces the keys built since in the large tables, by the keys dbt declares (the
    # e-reporting marts and the small tables are copied whole), in the snapshot before the
    # current one, which nobody reads any more, taken back (no copy)
    build_warehouse(get_settings({"VIGIE_HOME": str(home)}), landing_from=date(2020, 12, 1))
    for attempt in range(2):
        spare = _pointer(home)["previous_file"]
        daily = vigie_cli(["pipeline", "run"], home)
        assert daily.returncode == 0, daily.stdout + daily.stderr
        pointer = _pointer(home)
        assert pointer["mode"] == "delta", pointer
        assert set(pointer["replaced_rows"]) == KEYED, pointer["replaced_rows"]
        assert all(pointer["replaced_rows"][t] > 0 for t in KEYED - {"marts.dim_structures"})
        assert pointer["copied_tables"] == len(pointer["tables"]) - len(KEYED)
        assert _snapshot_differences(home) == {}, attempt
    pointer = _pointer(home)
    assert pointer["mode"] == "delta" and pointer["reused_file"], pointer
    assert not (home / "serving" / spare).exists()  # it became the new snapshot

    # a reader holding the snapshot before the current one: the publisher leaves that file
    # alone and copies the current one instead
    spare = home / "serving" / pointer["previous_file"]
    reader = duckdb.connect(str(spare), read_only=True)
    try:
        once_more = vigie_cli(["pipeline", "run"], home)
        assert once_more.returncode == 0, once_more.stdout + once_more.stderr
        assert reader.execute("select count(*) from marts.fct_invoices").fetchone()[0] > 0
    finally:
        reader.close()
    pointer = _pointer(home)
    assert pointer["mode"] == "delta" and not pointer["reused_file"], pointer
    assert _snapshot_differences(home) == {}
