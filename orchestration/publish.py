"""Publishing the serving snapshot: the only file the dashboards read.

The marts, reports and reference tables (and views, as tables) of ``warehouse.duckdb`` are
copied into a new, versioned DuckDB file, which is checkpointed and closed before
``serving/current.json`` is replaced to name it. A failed build never reaches this step, so
the previous snapshot stays current.

The large tables are not copied again when a build changed a few of their keys: every row an
incremental model writes carries ``built_at``, when its dbt build started
(transformations/macros/built_at.sql), and the snapshot records, per such table, the last
``built_at`` it holds (``meta.built_through``). The next publication copies the previous
snapshot and replaces, by the key the dbt model declares (its ``unique_key``, or
``meta.serving_key`` for a view over one), the keys of the rows built since; rows of a build
that failed in between are newer too, so they are replaced as well. Better still, the
snapshot before the previous one, which no reader holds any more, is taken back and brought
up to date the same way: no copy at all (its file lock says whether a reader still has it
open; then the previous one is copied). A table mostly built since (a model rebuilt whole) is
copied whole, and so is everything when most rows changed.
"""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from vigie.orchestration.dbt import BUILT_STATE
from vigie.orchestration.spark import write_spark_catalog
from vigie.platform.contracts.serving import SnapshotRef, current_snapshot, write_json_atomically
from vigie.platform.settings import Settings

PUBLISHED_SCHEMAS = ("marts", "reports", "reference")
#: a national snapshot is ~10 GB: the current one and the one before (a reader may hold it)
KEEP_SNAPSHOTS = 2
#: the column of the rows an incremental model wrote: when their build started
BUILT_AT = "built_at"
#: past this share of its rows built since the snapshot, a table is copied whole instead of
#: replaced by keys; past it over all the keyed tables, the whole snapshot is copied anew
COPY_WHOLE_SHARE = 0.5

#: tables stored sorted in a full copy, so that the pages' filters skip row groups by their
#: min/max (a delta appends its few changed rows at the end)
PUBLISH_ORDER = {
    "reports.rpt_late_invoices": "recipient_structure_id, payment_date",
    "reports.rpt_overdue_invoices": "recipient_structure_id, due_date",
    "marts.fct_invoices": "lookup_key",
    "marts.fct_status_events": "lookup_key",
}
#: of those, the tables copied one month of this day column at a time, each month sorted:
#: a delta's ``delete ... where recorded_date >= ?`` then touches the last month's row groups
#: only (sorted by key alone, it marked rows in every row group of the 190 M events: 4.2 s
#: of a national one-day publication), a look-up reads one row group a month, and a sort
#: spills one month (the 190 M sorted at once spilled over 20 GB and filled the disk)
PUBLISH_BY_MONTH = {"marts.fct_status_events": "recorded_date"}
#: the tables the invoice look-up reads by one key: the snapshot adds ``lookup_key =
#: hash(<expression>)`` and stores them sorted by it, so ``lookup_key = hash(?) and <column> = ?``
#: reads one row group of the 55 M invoices / 190 M events (a string column's min/max only
#: keep 8 bytes, too few to skip anything in ids sharing their first 8 characters)
#: (an invoice number as a person types it: any case, spaces around)
LOOKUP_KEYS = {
    "marts.fct_invoices": "upper(trim(invoice_number))",
    "marts.fct_status_events": "invoice_id",
}
#: a delta snapshot grows with the rows it replaces: past this factor of its fully copied
#: size, the next publication copies everything again (and the file is compact again)
MAX_GROWTH = 1.3
#: plus this much: the small tables are written anew each time, next to the blocks of their
#: last version (a 9 MB demo snapshot doubles on its first delta, then stays there)
GROWTH_SLACK_BYTES = 64 * 2**20
#: tables published side by side (each cursor's statements use the DuckDB threads)
PUBLISH_WORKERS = 2


def serving_keys(settings: Settings) -> dict[str, str]:
    """The key by which each large published table's rows are replaced, as dbt declares it
    in the manifest of the last build that passed: the ``unique_key`` of an incremental
    delete+insert model (the keys a build replaces together), or a model's
    ``meta.serving_key`` (a view over such a model). Empty without a manifest: then every
    table is copied whole."""
    try:
        manifest = json.loads(
            (settings.dbt_dir / BUILT_STATE / "manifest.json").read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        return {}
    keys = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] not in PUBLISHED_SCHEMAS:
            continue
        config = node["config"]
        key = (config.get("meta") or {}).get("serving_key")
        if (
            key is None
            and config.get("materialized") == "incremental"
            and config.get("incremental_strategy") == "delete+insert"
            and isinstance(config.get("unique_key"), str)
        ):
            key = config["unique_key"]
        if key:
            keys[f"{node['schema']}.{node['alias']}"] = key
    return keys


def publish_snapshot(settings: Settings) -> SnapshotRef:
    """Publish the marts, reports and reference tables as a new snapshot.

    When the current snapshot records what it holds of the keyed tables (``built_through``)
    and most of their rows were not built since, it is copied (or the one before it taken
    back) and only the keys built since are replaced; each table's row count is then checked
    against the warehouse (keys the warehouse deleted are deleted too), and the table copied
    whole on any difference. Otherwise, or after the snapshot has grown by ``MAX_GROWTH``,
    everything is copied.
    """
    began = time.perf_counter()
    if settings.engine == "spark":
        write_spark_catalog(settings)  # the Spark tables, as views DuckDB reads
    settings.serving_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    snapshot_id = "snapshot-" + now.strftime("%Y%m%dT%H%M%S%fZ")
    final = settings.serving_dir / f"{snapshot_id}.duckdb"
    tmp = settings.serving_dir / f".{snapshot_id}.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    previous = current_snapshot(settings)
    pointer = _pointer(settings)
    base_bytes = pointer.get("base_bytes")
    keys = serving_keys(settings)
    by_keys = (
        previous is not None
        and base_bytes is not None
        and bool(pointer.get("built_through"))
        and not _mostly_built_since(settings, keys, pointer)
    )
    reused = _take_back_spare(settings, pointer, tmp, base_bytes) if by_keys else None
    delta = reused is not None or (
        by_keys
        and previous.path.exists()
        and previous.path.stat().st_size <= _size_limit(base_bytes)
    )
    tables: dict[str, int] = {}
    replaced: dict[str, int] = {}
    seconds: dict[str, float] = {}
    through: dict[str, str] = {}
    copied = 0
    try:
        if reused is not None:
            con = reused
        else:
            if delta:
                shutil.copyfile(previous.path, tmp)
            con = _open_for_writing(settings, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a 10 GB half copy must not stay behind
        raise
    con.execute("set enable_progress_bar = false")
    try:
        held = _built_through(con) if delta else {}
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
        if delta:
            _drop_unpublished(con, {f"{s}.{t}" for s, t in found})
        for schema in sorted({schema for schema, _ in found}):
            con.execute(f'create schema if not exists "{schema}"')
        # two tables at a time, the slowest first (as the previous publication timed them):
        # one table's statements left a quarter of the two cores idle (1.55 cores measured)
        timed = pointer.get("steps_seconds") or {}
        order = sorted(found, key=lambda found_table: -timed.get(".".join(found_table), 0.0))
        with ThreadPoolExecutor(max_workers=PUBLISH_WORKERS) as pool:
            outcomes = {
                found_table: pool.submit(
                    _publish_table,
                    con,
                    wh,
                    *found_table,
                    key=keys.get(".".join(found_table)),
                    since=held.get(".".join(found_table)),
                )
                for found_table in order
            }
        for schema, table in found:
            outcome = outcomes[(schema, table)].result()
            name = f"{schema}.{table}"
            tables[name] = outcome.rows
            seconds[name] = outcome.seconds
            if outcome.replaced is None:
                copied += 1
            else:
                replaced[name] = outcome.replaced
            if outcome.built_through is not None:
                through[name] = outcome.built_through.isoformat()
        con.execute(f'detach "{wh}"')
        con.execute("create schema if not exists meta")
        con.execute(
            "create or replace table meta.snapshot as "
            "select ? as snapshot_id, ?::timestamptz as published_at",
            [snapshot_id, now],
        )
        con.execute(
            "create or replace table meta.built_through as select * from (values "
            + (", ".join("(?, ?::timestamptz)" for _ in through) or "(null, null)")
            + ") as t(table_name, built_at) where table_name is not null",
            [v for item in through.items() for v in item],
        )
        started = time.perf_counter()
        con.execute("checkpoint")
        seconds["checkpoint"] = time.perf_counter() - started
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        raise
    con.close()
    tmp.replace(final)
    size = final.stat().st_size
    write_json_atomically(
        settings.serving_pointer,
        {
            "snapshot_id": snapshot_id,
            "file": final.name,
            "published_at": now.isoformat(),
            "tables": tables,
            "mode": "delta" if delta else "full",
            "base_bytes": base_bytes if delta else size,
            # per keyed table, the last build whose rows it holds (meta.built_through)
            "built_through": through,
            "previous_file": previous.path.name if previous is not None else None,
            "reused_file": reused is not None,
            # rows replaced by key, per table (the others were copied whole)
            "replaced_rows": replaced,
            "seconds": round(time.perf_counter() - began, 1),
            "copied_tables": copied,
            # every table's seconds, slowest first (where a publication's time goes)
            "steps_seconds": {
                k: round(v, 1) for k, v in sorted(seconds.items(), key=lambda kv: -kv[1])
            },
        },
    )
    _prune(settings, keep=final.name)
    ref = current_snapshot(settings)
    assert ref is not None
    return ref


def _mostly_built_since(settings: Settings, keys: dict[str, str], pointer: dict) -> bool:
    """Whether most rows of the keyed tables were built after the current snapshot's
    (a full refresh, or the largest models rebuilt whole): then copying the snapshot first
    would be wasted. A keyed table the snapshot does not record counts as built whole."""
    held = pointer.get("built_through") or {}
    changed = total = 0
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for name in keys:
            schema, table = name.split(".")
            if not _has_column(con, schema, table, BUILT_AT):
                continue  # copied whole, as any table
            (count,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            total += count
            if name not in held:
                changed += count
                continue
            (built,) = con.execute(
                f'select count(*) from "{schema}"."{table}" where {BUILT_AT} > ?::timestamptz',
                [held[name]],
            ).fetchone()
            changed += built
    return changed > COPY_WHOLE_SHARE * total


def _built_through(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """What the snapshot being updated holds of each keyed table: the last ``built_at``."""
    try:
        return dict(con.execute("select table_name, built_at from meta.built_through").fetchall())
    except duckdb.CatalogException:
        return {}


def _pointer(settings: Settings) -> dict:
    try:
        return json.loads(settings.serving_pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _size_limit(base_bytes: int) -> float:
    """The size past which a snapshot is copied whole again instead of updated by keys."""
    return MAX_GROWTH * base_bytes + GROWTH_SLACK_BYTES


@dataclass(frozen=True)
class _Published:
    rows: int
    #: rows replaced by key; None when the table was copied whole
    replaced: int | None
    seconds: float
    #: of a keyed table, the last ``built_at`` it now holds
    built_through: datetime | None = None


def _publish_table(
    con: duckdb.DuckDBPyConnection,
    wh: str,
    schema: str,
    table: str,
    *,
    key: str | None,
    since: datetime | None,
) -> _Published:
    """Bring one table of the snapshot up to date with the warehouse, on a cursor of its own
    (so that two run side by side). A keyed table the snapshot holds up to ``since``, with
    the same columns: the keys of its rows built since are replaced, unless they are most of
    it; then the row counts must agree. Otherwise the table is copied whole."""
    started = time.perf_counter()
    name = f"{schema}.{table}"
    source = f'"{wh}"."{schema}"."{table}"'
    target = f'"{schema}"."{table}"'
    cur = con.cursor()
    try:
        keyed = key is not None and BUILT_AT in {c for c, _ in _columns(cur, source)}
        if (
            keyed
            and since is not None
            and _exists(cur, schema, table)
            and _columns(cur, target, name) == _columns(cur, source)
        ):
            outcome = _replace_built_since(cur, _selected(name, source), source, target, key, since)
            if outcome is not None:
                rows, replaced, through = outcome
                return _Published(rows, replaced, time.perf_counter() - started, through)
        if name in PUBLISH_BY_MONTH or name in PUBLISH_ORDER:
            # this cursor only: the other tables are written meanwhile without it
            cur.execute("set session preserve_insertion_order = true")
        if name in PUBLISH_BY_MONTH:
            _copy_by_month(
                cur, _selected(name, source), target, PUBLISH_BY_MONTH[name], PUBLISH_ORDER[name]
            )
        elif name in PUBLISH_ORDER:
            cur.execute(
                f"create or replace table {target} as {_selected(name, source)} "
                f"order by {PUBLISH_ORDER[name]}"
            )
        else:
            cur.execute(f"create or replace table {target} as {_selected(name, source)}")
        (count, through) = cur.execute(
            f"select count(*), {'max(' + BUILT_AT + ')' if keyed else 'null'} from {target}"
        ).fetchone()
        return _Published(int(count), None, time.perf_counter() - started, through)
    finally:
        cur.close()


def _replace_built_since(
    con, rows: str, source: str, target: str, key: str, since: datetime
) -> tuple[int, int, datetime] | None:
    """Replace in ``target`` every key of the rows ``source`` built after ``since`` (dbt's
    delete+insert wrote all rows of a key together); ``rows`` is the select of the
    warehouse's rows as the snapshot stores them. Keys the warehouse no longer has (a
    post-hook deleted them: quarantined invoices) are deleted too. Returns (rows, rows
    replaced, last ``built_at``), or None when too much changed or the counts disagree
    (then the table is copied whole)."""
    (built, total, through) = con.execute(
        f"select count(*) filter ({BUILT_AT} > $1), count(*), max({BUILT_AT}) from {source}",
        [since],
    ).fetchone()
    if built > COPY_WHOLE_SHARE * total:
        return None
    if built:
        con.execute(
            f"delete from {target} where {key} in "
            f"(select {key} from {source} where {BUILT_AT} > $1)",
            [since],
        )
        con.execute(f"insert into {target} select * from ({rows}) where {BUILT_AT} > $1", [since])
    (have,) = con.execute(f"select count(*) from {target}").fetchone()
    if have != total:
        con.execute(f"delete from {target} where {key} not in (select {key} from {source})")
        (have,) = con.execute(f"select count(*) from {target}").fetchone()
    if have != total:
        return None
    return int(total), int(built), through or since


def _open_for_writing(settings: Settings, path: Path) -> duckdb.DuckDBPyConnection:
    # the same bounds as the build: without them DuckDB takes 80 % of the RAM (19.7 GiB
    # measured when the national events were copied)
    # DuckDB creates the spill folder only when a sort first spills, minutes into a national
    # publication, and only if its parent exists: a home whose tmp/ was cleared failed there
    settings.spill_dir.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(
        str(path),
        config={
            "memory_limit": settings.duckdb_memory_limit,
            "threads": settings.duckdb_threads,
            "temp_directory": str(settings.spill_dir),
            "preserve_insertion_order": False,
        },
    )


def _take_back_spare(
    settings: Settings, pointer: dict, tmp: Path, base_bytes: int
) -> duckdb.DuckDBPyConnection | None:
    """The snapshot that was current before the current one, renamed to ``tmp`` and open for
    writing, when it can be brought up to date by keys: the file has not grown past
    ``MAX_GROWTH``, no reader holds it (DuckDB's file lock), and it records what it holds of
    the same keyed tables as the current one. Otherwise None, and the file is left as it
    was."""
    name = pointer.get("previous_file")
    if not name or name == pointer.get("file"):
        return None
    spare = settings.serving_dir / name
    if not spare.exists() or spare.with_name(spare.name + ".wal").exists():
        return None
    if spare.stat().st_size > _size_limit(base_bytes):
        return None
    spare.replace(tmp)  # a reader that follows the pointer never opens it again
    try:
        con = _open_for_writing(settings, tmp)
    except duckdb.IOException:  # held by a reader: leave it, copy the current one instead
        tmp.replace(spare)
        return None
    if set(_built_through(con)) != set(pointer.get("built_through") or {}):
        # it does not say what it holds of every keyed table (an older layout): it would
        # be rewritten almost whole, copy the current one instead
        con.close()
        tmp.replace(spare)
        return None
    return con


def _has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    """Whether a table or view of the current database has ``column``."""
    (n,) = con.execute(
        "select count(*) from duckdb_columns() where database_name = current_database()"
        " and schema_name = ? and table_name = ? and column_name = ?",
        [schema, table, column],
    ).fetchone()
    return n > 0


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    (n,) = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database()"
        " and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return n > 0


def _selected(name: str, source: str) -> str:
    """The rows of ``source`` as the snapshot stores them (with the look-up key if any)."""
    if name in LOOKUP_KEYS:
        return f"select *, hash({LOOKUP_KEYS[name]}) as lookup_key from {source}"
    return f"select * from {source}"


def _columns(
    con: duckdb.DuckDBPyConnection, relation: str, name: str | None = None
) -> list[tuple[str, str]]:
    """Column names and types; of a snapshot table, without its added look-up key."""
    columns = [(r[0], r[1]) for r in con.execute(f"describe {relation}").fetchall()]
    if name in LOOKUP_KEYS:
        columns = [c for c in columns if c[0] != "lookup_key"]
    return columns


def _drop_unpublished(con: duckdb.DuckDBPyConnection, wanted: set[str]) -> None:
    """Tables of the previous snapshot the warehouse no longer has."""
    present = con.execute(
        "select schema_name, table_name from duckdb_tables()"
        " where database_name = current_database() and schema_name in ?",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    for schema, table in present:
        if f"{schema}.{table}" not in wanted:
            con.execute(f'drop table "{schema}"."{table}"')


def _copy_by_month(con, rows: str, target: str, day: str, order: str) -> None:
    """Copy ``rows`` into ``target`` one month of ``day`` at a time (rows without a day
    last), each month sorted by ``order``: the table reads as sorted by (month, order)."""
    month = f"date_trunc('month', {day})"
    con.execute(f"create or replace table {target} as select * from ({rows}) limit 0")
    months = con.execute(
        f"select distinct cast({month} as date) as m from ({rows}) where {day} is not null "
        "order by m"
    ).fetchall()
    for (first,) in months:
        after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        con.execute(
            f"insert into {target} select * from ({rows}) "
            f"where {day} >= $1 and {day} < $2 order by {order}",
            [first, after],
        )
    con.execute(f"insert into {target} select * from ({rows}) where {day} is null order by {order}")


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
