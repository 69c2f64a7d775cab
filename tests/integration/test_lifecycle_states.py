"""A day's status events are folded into their invoices' lifecycle states, whatever ran before.

The producer numbers each invoice's events (``event_sequence``), so a state knows which it
holds. The per-invoice states must equal those of a build in one go after: a build whose
states failed once its events were staged, then a retry that names only its last day; the
same day run twice more; days loaded out of their order. And an accounting status Hélios
reports late, dated before the payment, lands on the day it came and is folded in as the
platform numbered it: it dates the mandate and leaves the invoice paid.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

import duckdb
import polars as pl
import pytest

from vigie.ingestion import landing
from vigie.orchestration.dbt import run_dbt
from vigie.platform.paris import PARIS
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.long]

STATES = "intermediate.int_invoice_lifecycle_states"


def _states_differences(one_go, stepwise) -> tuple[int, int]:
    """Rows only in the one-go build's states, rows only in the stepwise one's."""
    con = duckdb.connect()
    for alias, path in (("a", one_go), ("b", stepwise)):
        con.execute(f"attach '{path}' as {alias} (read_only)")
    only_a = con.execute(f"select count(*) from (from a.{STATES} except all from b.{STATES})")
    only_a = only_a.fetchone()[0]
    only_b = con.execute(f"select count(*) from (from b.{STATES} except all from a.{STATES})")
    only_b = only_b.fetchone()[0]
    con.close()
    return only_a, only_b


def _query(home, sql: str, params=()):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def _run(vigie_cli, home, *args):
    proc = vigie_cli(["pipeline", *args], home)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_states_equal_the_one_go_build_after_a_failed_a_repeated_and_an_unordered_day(
    demo_home, vigie_cli, tmp_path
):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(demo_home.landing_dir, home / "landing")
    _run(vigie_cli, home, "run", "--to", "2020-03-29")

    # a build of the last two days stopped once the events were staged: the states still
    # end on 29 March
    run_dbt(
        get_settings({"VIGIE_HOME": str(home)}),
        ["run", "--select", "stg_platform__invoice_status_events", "--vars",
         '{"landing_from": "2020-03-30"}'],
        target_path=tmp_path / "target",
    )  # fmt: skip
    assert _query(
        home,
        "select (select max(recorded_date) from staging.stg_platform__invoice_status_events),"
        f" (select max(last_event_date) from {STATES})",
    ) == [(date(2020, 3, 31), date(2020, 3, 29))]

    # the retry names its last day only: the day before, staged by the failed build but
    # never folded into the states, is read with it
    _run(vigie_cli, home, "backfill", "--from", "2020-03-31", "--to", "2020-03-31")
    assert _states_differences(demo_home.warehouse_path, home / "warehouse.duckdb") == (0, 0)

    # the same day twice more: its events are held already, nothing changes
    for _ in range(2):
        _run(vigie_cli, home, "backfill", "--from", "2020-03-31", "--to", "2020-03-31")
        assert _states_differences(demo_home.warehouse_path, home / "warehouse.duckdb") == (0, 0)
    # every state holds all its events, numbered 1 to its last with no gap
    assert _query(
        home, f"select count(*) from {STATES} where event_count <> last_event_sequence"
    ) == [(0,)]


def test_days_loaded_out_of_their_order_give_the_one_go_states(demo_home, vigie_cli, tmp_path):
    """Up to 15 March, then 31 March alone (its invoices' events of the days between are
    missing: their states are left incomplete), then 16 to 30 March."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(demo_home.landing_dir, home / "landing")
    _run(vigie_cli, home, "run", "--to", "2020-03-15")
    settings = get_settings({"VIGIE_HOME": str(home)})
    run_dbt(
        settings,
        ["run", "--select", "stg_platform__invoices", "stg_platform__invoice_status_events+1",
         "--vars",
         '{"landing_from": "2020-03-31", "landing_to": "2020-03-31"}'],
        target_path=tmp_path / "target",
    )  # fmt: skip
    (incomplete,) = _query(
        home, f"select count(*) from {STATES} where event_count < last_event_sequence"
    )[0]
    assert incomplete > 0
    _run(vigie_cli, home, "backfill", "--from", "2020-03-16", "--to", "2020-03-30")
    assert _states_differences(demo_home.warehouse_path, home / "warehouse.duckdb") == (0, 0)


def test_a_mandate_reported_after_the_payment_is_folded_in_as_numbered(
    demo_home, vigie_cli, tmp_path
):
    """Hélios reports on 31 March the mandate of an invoice paid earlier in March, dated
    the day before its payment: the platform numbers it after the payment and flags it out
    of order. A day's run folds it in: the mandate is dated, the invoice stays paid."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(demo_home.landing_dir, home / "landing")
    settings = get_settings({"VIGIE_HOME": str(home)})
    events = landing.scan_table(settings.landing_dir, "invoice_status_events").collect()
    last = events.group_by("invoice_id").agg(pl.all().sort_by("event_sequence").last())
    paid = last.filter(
        (pl.col("status_code") == "MISE_EN_PAIEMENT")
        & pl.col("recorded_at").is_between(
            datetime(2020, 3, 2, tzinfo=UTC), datetime(2020, 3, 20, tzinfo=UTC)
        )
    ).sort("invoice_id")
    invoice = paid.row(0, named=True)
    mandated_at = invoice["occurred_at"] - timedelta(days=1)
    recorded_at = datetime(2020, 3, 31, 14, 0, tzinfo=UTC)
    late = pl.DataFrame(
        {
            "event_id": ["LATE-MANDATE"],
            "invoice_id": [invoice["invoice_id"]],
            "status_code": ["MANDATEE"],
            "occurred_at": [mandated_at],
            "actor_role": ["accountant"],
            "reason_code": [None],
            "comment": [None],
            "payment_date": [None],
            "payment_amount": [None],
            "event_sequence": [invoice["event_sequence"] + 1],
            "previous_status_code": ["MISE_EN_PAIEMENT"],
            "previous_status_at": [invoice["occurred_at"]],
            "deposit_round": [invoice["deposit_round"]],
            "is_out_of_order": [True],
            "recorded_at": [recorded_at],
        },
        schema=events.schema,
    )
    landing.write_table(settings.landing_dir, "invoice_status_events", late, part="late-helios")

    _run(vigie_cli, home, "run", "--to", "2020-03-30")
    before = _query(
        home,
        f"select last_status_code, last_event_sequence, event_count, mandated_at from {STATES}"
        " where invoice_id = ?",
        [invoice["invoice_id"]],
    )
    assert before == [("MISE_EN_PAIEMENT", invoice["event_sequence"], invoice["event_sequence"],
                       None)]  # fmt: skip
    _run(vigie_cli, home, "run")
    after = _query(
        home,
        f"select last_status_code, last_event_sequence, event_count, mandated_at,"
        f" last_event_date from {STATES} where invoice_id = ?",
        [invoice["invoice_id"]],
    )
    sequence = invoice["event_sequence"] + 1
    assert after == [("MISE_EN_PAIEMENT", sequence, sequence, mandated_at, date(2020, 3, 31))]
    # the event as the marts show it: after the payment, from it, no time in it counted
    shown = _query(
        home,
        "select event_sequence, previous_status_code, days_in_previous_status, occurred_date,"
        " recorded_date from marts.fct_status_events where event_id = 'LATE-MANDATE'",
    )
    mandate_day = mandated_at.astimezone(PARIS).date()
    assert shown == [(sequence, "MISE_EN_PAIEMENT", None, mandate_day, date(2020, 3, 31))]

    # a build in one go of the same landing holds the same state
    one_go = tmp_path / "one_go"
    one_go.mkdir()
    shutil.copytree(home / "landing", one_go / "landing")
    _run(vigie_cli, one_go, "run")
    assert _states_differences(one_go / "warehouse.duckdb", home / "warehouse.duckdb") == (0, 0)
