"""The same dbt project on DuckDB and on Spark: what the dashboards read is equal row for row.

The session's demo home was built by the demo job on DuckDB (one full build) and published.
Here the same landing files are built on Spark (``VIGIE_ENGINE=spark``, dbt-spark's session
method, ``local[2]``, an in-memory metastore), in two steps so that the incremental
strategies Spark emulates run too: the history up to a day, then the days after it as an
incremental run. Spark's tables are then published the way a Spark deployment publishes
them (orchestration/spark.py: DuckDB reads their Parquet files into the serving snapshot),
and every table of the two snapshots is compared: every row, every column but ``built_at``
(when each build ran), money to the cent, dates, counts. No tolerance is needed: the
percentiles are read off histograms of whole days on both engines, not estimated.

One Spark session serves the whole module (dbt runs in this process): the JVM starts once.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from helpers import SESSION_DEMO_ARGS, grant, signed_in
from streamlit.testing.v1 import AppTest

from vigie.orchestration.pipeline import refresh_warehouse
from vigie.orchestration.spark import spark_tables
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import REPO_ROOT, Settings, get_settings

pytestmark = [pytest.mark.spark, pytest.mark.integration, pytest.mark.slow]

APP = str(REPO_ROOT / "dashboards" / "app.py")
#: granted by `vigie demo` (vigie.orchestration.demo_people), here on the Spark home too
OPERATOR = "operateur@vigie.invalid"
#: the session demo's history runs from 2019-10-01 to 2020-03-31 (tests/conftest.py)
FIRST_STEP_TO = date(2020, 2, 15)


@pytest.fixture(scope="module")
def spark_home(demo_home: Settings, tmp_path_factory) -> Settings:
    home = tmp_path_factory.mktemp("spark") / "home"
    home.mkdir()
    (home / "landing").symlink_to(demo_home.landing_dir)  # the very files DuckDB read
    settings = get_settings(
        {"VIGIE_HOME": str(home), "VIGIE_ENGINE": "spark", "VIGIE_SPARK_METASTORE": "memory"}
    )
    assert settings.dbt_target == "spark"
    refresh_warehouse(settings, landing_to=FIRST_STEP_TO, say=lambda _: None)
    refresh_warehouse(settings, say=lambda _: None)  # the days after it, incrementally
    return settings


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    rows = con.execute(
        "select schema_name || '.' || table_name, column_name from duckdb_columns() "
        "where database_name = ? and schema_name <> 'meta' and column_name <> 'built_at' "
        "order by 1, column_index",
        [catalog],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def test_spark_serves_what_duckdb_serves_row_for_row(demo_home: Settings, spark_home: Settings):
    assert_same_snapshots(demo_home, spark_home)


def test_the_dashboards_show_the_spark_build_as_they_show_the_duckdb_one(
    demo_home: Settings, spark_home: Settings, monkeypatch
):
    """The bilan page (AppTest, the real app) on each home's snapshot: the same figures."""
    grant(spark_home, OPERATOR, "operator")
    shown = {}
    for engine, home in (("duckdb", demo_home), ("spark", spark_home)):
        monkeypatch.setenv("VIGIE_HOME", str(home.home))
        app = signed_in(AppTest.from_file(APP, default_timeout=60), OPERATOR)
        app.run()
        assert not app.exception, engine
        shown[engine] = (app.title[0].value, {m.label: m.value for m in app.metric})
    assert shown["spark"] == shown["duckdb"]
    title, metrics = shown["spark"]
    assert title == "Bilan annuel" and metrics["Factures reçues"] not in ("", "0")


def test_the_demo_job_runs_on_spark_in_dagster(demo_home: Settings, tmp_path, vigie_cli):
    """``VIGIE_ENGINE=spark vigie demo``: Dagster's demo job (generator, extract, the dbt
    assets and their checks, publication, e-reporting) with dbt on Spark, in its own
    processes (the Derby metastore in the home); its snapshot equals the DuckDB demo's."""
    home = tmp_path / "home"
    proc = vigie_cli(
        ["demo", "--no-serve", *SESSION_DEMO_ARGS], home, env_extra={"VIGIE_ENGINE": "spark"}
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    spark = get_settings({"VIGIE_HOME": str(home), "VIGIE_ENGINE": "spark"})
    assert (spark.spark_dir / "metastore").is_dir()  # dbt ran on Spark, not on DuckDB
    assert not (home / "warehouse.duckdb").exists()
    assert_same_snapshots(demo_home, spark)


def assert_same_snapshots(duckdb_home: Settings, spark_home: Settings) -> None:
    duck = current_snapshot(duckdb_home)
    spark = current_snapshot(spark_home)
    assert duck is not None and spark is not None
    con = duckdb.connect()
    con.execute(f"attach '{duck.path}' as duck (read_only)")
    con.execute(f"attach '{spark.path}' as spark (read_only)")
    duck_tables = _tables(con, "duck")
    spark_tables_ = _tables(con, "spark")
    assert sorted(spark_tables_) == sorted(duck_tables)
    assert len(duck_tables) >= 30  # marts, reports and reference tables

    differences = {}
    for table, columns in duck_tables.items():
        assert sorted(spark_tables_[table]) == sorted(columns), table
        cols = ", ".join(f'"{c}"' for c in columns)  # by name: Spark puts partitions last
        counts = con.execute(
            f"select (select count(*) from duck.{table}), (select count(*) from spark.{table}),"
            f" (select count(*) from (select {cols} from duck.{table}"
            f"  except all select {cols} from spark.{table})),"
            f" (select count(*) from (select {cols} from spark.{table}"
            f"  except all select {cols} from duck.{table}))"
        ).fetchone()
        if counts[0] != counts[1] or counts[2] or counts[3]:
            differences[table] = counts
    assert differences == {}, "table: (DuckDB rows, Spark rows, only DuckDB, only Spark)"

    # the comparison is not between two empty warehouses: the demo's figures are there
    invoices, paid, interest = con.execute(
        "select count(*), count(payment_date), sum(late_interest_eur) "
        "from spark.marts.fct_payment_delays"
    ).fetchone()
    assert invoices == duck.tables["marts.fct_payment_delays"] > 1000
    assert paid > 0 and interest > 0


def test_spark_tables_are_parquet_folders_duckdb_reads(spark_home: Settings):
    tables = spark_tables(spark_home)
    assert {"marts", "reports", "reference"} <= set(tables)
    events = dict(tables["staging"])["stg_platform__invoice_status_events"]
    # the landing day is the events' partition on Spark (insert_overwrite per day read)
    days = sorted(p.name for p in events.iterdir() if p.name.startswith("recorded_date="))
    assert days[0] == "recorded_date=2019-10-01" and days[-1] == "recorded_date=2020-03-31"
    with duckdb.connect(str(spark_home.warehouse_path), read_only=True) as con:
        (kind,) = con.execute(
            "select data_type from duckdb_columns() where schema_name = 'staging' "
            "and table_name = 'stg_platform__invoice_status_events' "
            "and column_name = 'recorded_date'"
        ).fetchone()
    assert kind == "DATE"
