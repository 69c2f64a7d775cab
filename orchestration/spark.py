"""A Spark-built warehouse, read by DuckDB (docs/scale-out.md § Serving).

Spark writes each table of the dbt project as a folder of Parquet files in its warehouse
(``<schema>.db/<table>/``, partition folders ``column=value`` inside). The dashboards never
query Spark: the publication copies the serving tables into the same DuckDB snapshot as
on DuckDB. To do so it reads ``Settings.warehouse_path``, which, for the Spark engine, is a
small DuckDB file written here after each successful build: one view per table of the
published schemas over its Parquet files. Everything downstream of it (delta publication
by the keys built since, freshness, the dashboards) is the same code for both engines.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from vigie.platform.settings import Settings

#: the schemas the publication reads (orchestration/publish.py PUBLISHED_SCHEMAS) and the
#: staging ones, for the look-ups that read them in tests and benchmarks
CATALOGUED_SCHEMAS = ("staging", "intermediate", "marts", "reports", "reference")


def spark_tables(settings: Settings) -> dict[str, list[tuple[str, Path]]]:
    """The tables Spark holds, per schema: (table, folder), in name order."""
    found: dict[str, list[tuple[str, Path]]] = {}
    for schema in CATALOGUED_SCHEMAS:
        folder = settings.spark_warehouse_dir / f"{schema}.db"
        if not folder.is_dir():
            continue
        tables = [
            (table.name, table)
            for table in sorted(folder.iterdir())
            # a table dbt is swapping in (`__dbt_new`, `__dbt_staged`) is not one yet
            if table.is_dir() and "__dbt_" not in table.name and any(table.rglob("*.parquet"))
        ]
        if tables:
            found[schema] = tables
    return found


def write_spark_catalog(settings: Settings) -> Path:
    """Write ``settings.warehouse_path``: a view per Spark table over its Parquet files,
    replaced atomically (a publication reading the previous one keeps it)."""
    tables = spark_tables(settings)
    if not tables:
        raise RuntimeError(f"no table in the Spark warehouse {settings.spark_warehouse_dir}")
    target = settings.warehouse_path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    with duckdb.connect(str(tmp)) as con:
        for schema, schema_tables in tables.items():
            con.execute(f'create schema "{schema}"')
            for name, folder in schema_tables:
                files = str(folder / "**" / "*.parquet").replace("'", "''")
                con.execute(
                    f'create view "{schema}"."{name}" as select * from read_parquet('
                    f"'{files}', hive_partitioning = true, union_by_name = true)"
                )
        con.execute("checkpoint")
    tmp.replace(target)
    return target
