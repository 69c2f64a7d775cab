"""A day's status events are numbered on from their invoice's lifecycle state, whatever ran before.

The sequenced events and the per-invoice states must equal those of the session's demo
warehouse (built in one go) after: a build whose states failed once its events were
sequenced, then a retry that names only its last day; the same day run once more (from the
state kept for that purpose).
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from vigie.orchestration.dbt import run_dbt
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.long]

EVENTS = "intermediate.int_status_events_sequenced"
STATES = "intermediate.int_invoice_lifecycle_states"
#: a state's columns without the base it was folded from (that depends on the runs before)
STATE_COLUMNS = "columns(c -> not starts_with(c, 'base_'))"


def _differences(one_go, stepwise) -> dict[str, tuple[int, int]]:
    """Rows only in the one-go build, rows only in the stepwise one, per table."""
    con = duckdb.connect()
    for alias, path in (("a", one_go), ("b", stepwise)):
        con.execute(f"attach '{path}' as {alias} (read_only)")
    found = {}
    for table, columns in ((EVENTS, "*"), (STATES, STATE_COLUMNS)):
        a, b = (f"(select {columns} from {alias}.{table})" for alias in "ab")
        only_a = con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0]
        only_b = con.execute(f"select count(*) from ({b} except all {a})").fetchone()[0]
        found[table] = (only_a, only_b)
    con.close()
    return found


def _query(home, sql: str):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_events_are_numbered_as_in_one_go_after_a_failed_and_a_repeated_day(
    demo_home, vigie_cli, tmp_path
):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(demo_home.landing_dir, home / "landing")
    first = vigie_cli(["pipeline", "run", "--to", "2020-03-29"], home)
    assert first.returncode == 0, first.stdout + first.stderr

    # a build of the last two days stopped once the events were sequenced: the states still
    # end on 29 March
    run_dbt(
        get_settings({"VIGIE_HOME": str(home)}),
        [
            "run",
            "--select",
            "stg_platform__invoice_status_events",
            "int_status_events_sequenced",
            "--vars",
            '{"landing_from": "2020-03-30"}',
        ],
        target_path=tmp_path / "target",
    )
    assert _query(
        home,
        f"select (select max(occurred_date) from {EVENTS}),"
        f" (select max(last_event_date) from {STATES})",
    ) == [(date(2020, 3, 31), date(2020, 3, 29))]

    # the retry names its last day only: the day before, sequenced by the failed build but
    # never folded into the states, is numbered again with it
    retry = vigie_cli(["pipeline", "backfill", "--from", "2020-03-31", "--to", "2020-03-31"], home)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert _differences(demo_home.warehouse_path, home / "warehouse.duckdb") == {
        EVENTS: (0, 0),
        STATES: (0, 0),
    }
    # (every state changed from 30 March on was folded from the day before that)
    refolded = _query(
        home,
        f"select base_before_date, count(*) from {STATES}"
        " where last_event_date >= date '2020-03-30' group by all",
    )
    (touched,) = _query(
        home,
        f"select count(distinct invoice_id) from {EVENTS} where occurred_date >= '2020-03-30'",
    )[0]
    assert refolded == [(date(2020, 3, 30), touched)]

    # the same day twice more: the second starts every invoice from the base kept by the
    # first (its invoices with earlier events have one), and both give the one-go numbers
    for _ in range(2):
        again = vigie_cli(
            ["pipeline", "backfill", "--from", "2020-03-31", "--to", "2020-03-31"], home
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert _differences(demo_home.warehouse_path, home / "warehouse.duckdb") == {
            EVENTS: (0, 0),
            STATES: (0, 0),
        }
    (kept, with_base) = _query(
        home,
        f"select count(*), count(base_last_event_sequence) from {STATES}"
        " where base_before_date = date '2020-03-31'",
    )[0]
    (touched,) = _query(
        home,
        f"select count(distinct invoice_id) from {EVENTS} where occurred_date = '2020-03-31'",
    )[0]
    # the invoices whose events did not begin that day have a base: their events before
    (with_history,) = _query(
        home,
        f"select count(distinct invoice_id) from {EVENTS} where invoice_id in"
        f" (select invoice_id from {EVENTS} where occurred_date = '2020-03-31')"
        " and occurred_date < '2020-03-31'",
    )[0]
    assert kept == touched > 0
    assert with_base == with_history > 0
