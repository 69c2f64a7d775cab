"""Publishing the serving snapshot: the only file the dashboards read.

The marts, reports and reference tables (and views, as tables) of ``warehouse.duckdb`` are
copied into a new, versioned DuckDB file, which is checkpointed and closed before
``serving/current.json`` is replaced to name it.
A failed build never reaches this step, so the previous snapshot stays current.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from vigie.dashboards.snapshot import SnapshotRef, current_snapshot, write_json_atomically
from vigie.platform.settings import Settings

PUBLISHED_SCHEMAS = ("marts", "reports", "reference")
KEEP_SNAPSHOTS = 3


def publish_snapshot(settings: Settings) -> SnapshotRef:
    settings.serving_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    snapshot_id = "snapshot-" + now.strftime("%Y%m%dT%H%M%S%fZ")
    final = settings.serving_dir / f"{snapshot_id}.duckdb"
    tmp = settings.serving_dir / f".{snapshot_id}.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    tables: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    try:
        # attached under its own name: the views dbt wrote name their tables by that catalog
        wh = settings.warehouse_path.stem
        con.execute(f'attach {_sql_string(settings.warehouse_path)} as "{wh}" (read_only)')
        # tables, and the views of those schemas materialized (fct_status_events is a view
        # in the warehouse, a table the invoice look-up can read in the snapshot)
        found = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = $2 and schema_name in $1 "
            "union all select schema_name, view_name from duckdb_views() "
            "where database_name = $2 and schema_name in $1 and not internal "
            "order by 1, 2",
            [list(PUBLISHED_SCHEMAS), wh],
        ).fetchall()
        if not found:
            raise RuntimeError(f"no table to publish in {settings.warehouse_path}")
        for schema, table in found:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create table "{schema}"."{table}" as select * from "{wh}"."{schema}"."{table}"'
            )
            (count,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            tables[f"{schema}.{table}"] = int(count)
        con.execute(f'detach "{wh}"')
        con.execute("create schema meta")
        con.execute(
            "create table meta.snapshot as select ? as snapshot_id, ?::timestamptz as published_at",
            [snapshot_id, now],
        )
        con.execute("checkpoint")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    tmp.replace(final)
    write_json_atomically(
        settings.serving_pointer,
        {
            "snapshot_id": snapshot_id,
            "file": final.name,
            "published_at": now.isoformat(),
            "tables": tables,
        },
    )
    _prune(settings, keep=final.name)
    ref = current_snapshot(settings)
    assert ref is not None
    return ref


def _sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _prune(settings: Settings, keep: str) -> None:
    """Delete all but the newest snapshots (a reader holding an old one keeps its open file)."""
    snapshots = sorted(settings.serving_dir.glob("snapshot-*.duckdb"))
    for old in snapshots[:-KEEP_SNAPSHOTS]:
        if old.name != keep:
            old.unlink(missing_ok=True)
            old.with_name(old.name + ".wal").unlink(missing_ok=True)


def record_build(settings: Settings, *, ok: bool, message: str) -> None:
    """Remember the outcome of the last build for the dashboards' freshness line."""
    write_json_atomically(
        settings.build_status_path,
        {"ok": ok, "at": datetime.now(UTC).isoformat(), "message": message},
    )
