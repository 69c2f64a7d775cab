"""One party's bad data never stops everyone: a bad landed record is set apart, the build
publishes, and the record is left out of the figures it would falsify.

The session's demo landing zone, with two records broken by hand in the files a producer
would have landed: a buyer's payment dated years before the invoice reached it, and a status
the lifecycle forbids after the one before it.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import polars as pl
import pytest
from helpers import grant, signed_in

from vigie.ingestion import landing
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.paris import PARIS
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _break_one(path, condition, **changes) -> dict:
    """Change the first row of the landed file ``path`` that meets ``condition``."""
    frame = pl.read_parquet(path)
    index = frame.with_row_index().filter(condition).item(0, "index")
    broken = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index)
        .then(pl.lit(v, dtype=frame.schema[c]))
        .otherwise(pl.col(c))
        .alias(c)
        for c, v in changes.items()
    )
    broken.write_parquet(path)
    return broken.row(index, named=True)


@pytest.fixture(scope="module")
def broken_home(demo_home, tmp_path_factory):
    home = tmp_path_factory.mktemp("quarantine") / "home"
    home.mkdir(parents=True)
    shutil.copytree(demo_home.landing_dir, home / "landing")
    settings = get_settings({"VIGIE_HOME": str(home)})
    files = landing.list_files(settings.landing_dir, "invoice_status_events")
    paid = pl.col("status_code") == "MISE_EN_PAIEMENT"
    payment_file = next(f for f in files if pl.read_parquet(f).filter(paid).height)
    payment = _break_one(payment_file, paid, payment_date=date(2015, 6, 1))
    # a SERVICE_FAIT on another day becomes a COMPLETEE, which only answers a suspension
    done = (pl.col("status_code") == "SERVICE_FAIT") & (
        pl.col("invoice_id") != payment["invoice_id"]
    )
    path_file = next(
        f for f in reversed(files) if f != payment_file and pl.read_parquet(f).filter(done).height
    )
    illegal = _break_one(path_file, done, status_code="COMPLETEE")
    return settings, payment, illegal


def _paris_day(moment) -> date:
    return moment.astimezone(PARIS).date()


def test_a_build_with_bad_records_publishes_and_sets_them_apart(broken_home, demo_home, vigie_cli):
    settings, payment, illegal = broken_home
    proc = vigie_cli(["pipeline", "run"], settings.home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    snapshot = current_snapshot(settings)
    assert snapshot is not None
    bad = [payment["invoice_id"], illegal["invoice_id"]]
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        quarantined = con.execute(
            "select invoice_id, rule_code, record_table, record_id, producer, detected_date"
            " from marts.fct_quarantined_records order by rule_code"
        ).fetchall()
        con.execute(f"attach '{current_snapshot(demo_home).path}' as demo (read_only)")
        in_demo = con.execute(
            "select count(*) from demo.marts.fct_payment_delays where invoice_id in ($1, $2)", bad
        ).fetchone()[0]
        left_in = con.execute(
            "select count(*) from marts.fct_payment_delays where invoice_id in ($1, $2)", bad
        ).fetchone()[0]
        # every other invoice keeps exactly the figures of the unbroken demo
        (missing,) = con.execute(
            "select count(*) from ("
            " select * exclude (built_at) from demo.marts.fct_payment_delays"
            " where invoice_id not in ($1, $2)"
            " except all select * exclude (built_at) from marts.fct_payment_delays)",
            bad,
        ).fetchone()
        (extra,) = con.execute(
            "select count(*) from (select * exclude (built_at) from marts.fct_payment_delays"
            " except all select * exclude (built_at) from demo.marts.fct_payment_delays)"
        ).fetchone()
    assert quarantined == [
        (
            illegal["invoice_id"],
            "LC-PATH",
            "invoice_status_events",
            illegal["event_id"],
            illegal["actor_role"],
            _paris_day(illegal["occurred_at"]),
        ),
        (
            payment["invoice_id"],
            "PAY-01",
            "invoice_status_events",
            payment["event_id"],
            payment["actor_role"],
            _paris_day(payment["occurred_at"]),
        ),
    ]
    assert in_demo == 2 and left_in == 0
    assert missing == 0 and extra == 0


def test_a_backfill_of_the_bad_day_keeps_the_record_apart(broken_home, vigie_cli):
    settings, payment, _illegal = broken_home
    snapshot = current_snapshot(settings)
    assert snapshot is not None, "runs after the full build above"
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        before = con.execute("select * from marts.fct_quarantined_records order by all").fetchall()
        delays = con.execute("select count(*) from marts.fct_payment_delays").fetchone()[0]
    day = _paris_day(payment["occurred_at"]).isoformat()
    proc = vigie_cli(["pipeline", "backfill", "--from", day, "--to", day], settings.home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with duckdb.connect(str(current_snapshot(settings).path), read_only=True) as con:
        assert (
            con.execute("select * from marts.fct_quarantined_records order by all").fetchall()
            == before
        )
        assert con.execute("select count(*) from marts.fct_payment_delays").fetchone()[0] == delays
        assert not con.execute(
            "select 1 from marts.fct_payment_delays where invoice_id = ?", [payment["invoice_id"]]
        ).fetchall()


def test_the_data_quality_page_counts_the_records_set_apart(broken_home, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from vigie.platform.settings import REPO_ROOT

    settings, payment, illegal = broken_home
    monkeypatch.setenv("VIGIE_HOME", str(settings.home))
    grant(settings, "operateur@vigie.invalid", "operator")  # the data-quality view is theirs
    app = signed_in(
        AppTest.from_file(str(REPO_ROOT / "dashboards" / "app.py"), default_timeout=90),
        "operateur@vigie.invalid",
    )
    app.switch_page("app_pages/qualite.py")
    app.run()
    assert not app.exception
    assert app.title[0].value == "Qualité des données"
    assert {m.label: m.value for m in app.metric} == {
        "Enregistrements mis à l'écart": "2",
        "Factures concernées": "2",
        "Règles enfreintes": "2",
    }
    by_rule = app.dataframe[0].value
    assert sorted(zip(by_rule["Règle"], by_rule["Enregistrements mis à l'écart"], strict=True)) == [
        ("LC-PATH", 1),
        ("PAY-01", 1),
    ]
    records = app.dataframe[3].value
    assert set(records["Enregistrement"]) == {payment["event_id"], illegal["event_id"]}
    assert set(records["Exclu de"]) == {"délais de paiement"}
    # each of the three counts and the records: a CSV and a Parquet download
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels.count("Télécharger (CSV)") == 4
