"""The Spark engine's small parts that need no Spark: the message when it is not installed,
and the DuckDB catalog of a Spark warehouse's Parquet folders."""

from __future__ import annotations

import importlib.util
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from vigie.orchestration.dbt import SparkMissing, require_spark
from vigie.orchestration.spark import spark_tables, write_spark_catalog
from vigie.platform.settings import get_settings


def test_the_spark_engine_missing_says_what_to_run(monkeypatch):
    # whether or not it is installed here: pyspark found missing, dbt-spark found
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else object()
    )
    with pytest.raises(SparkMissing, match=r"\(pyspark missing\): run `make setup-spark`"):
        require_spark()


def test_the_catalog_reads_spark_tables_and_leaves_out_a_table_being_swapped(tmp_path):
    settings = get_settings({"VIGIE_HOME": str(tmp_path), "VIGIE_ENGINE": "spark"})
    marts = settings.spark_warehouse_dir / "marts.db"
    for day, amount in (("2020-01-02", "12.30"), ("2020-01-03", "4.05")):
        folder = marts / "fct_x" / f"recorded_date={day}"
        folder.mkdir(parents=True)
        with duckdb.connect() as con:  # a Spark-like partitioned Parquet table
            con.execute(
                f"copy (select 'inv-{day}' as invoice_id, {amount}::decimal(18, 2) as amount)"
                f" to '{folder / 'part-00000.parquet'}' (format parquet)"
            )
    (marts / "fct_x__dbt_new" / "part.parquet").parent.mkdir(parents=True)
    (marts / "empty_table").mkdir()
    assert [name for name, _ in spark_tables(settings)["marts"]] == ["fct_x"]

    write_spark_catalog(settings)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select invoice_id, amount, recorded_date from marts.fct_x order by 1"
        ).fetchall()
        (kind,) = con.execute(
            "select data_type from duckdb_columns() where column_name = 'recorded_date'"
        ).fetchone()
    assert rows == [
        ("inv-2020-01-02", Decimal("12.30"), date(2020, 1, 2)),
        ("inv-2020-01-03", Decimal("4.05"), date(2020, 1, 3)),
    ]
    assert kind == "DATE"


def test_no_spark_table_is_a_clear_error(tmp_path):
    settings = get_settings({"VIGIE_HOME": str(tmp_path), "VIGIE_ENGINE": "spark"})
    with pytest.raises(RuntimeError, match="no table in the Spark warehouse"):
        write_spark_catalog(settings)
