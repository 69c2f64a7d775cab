"""Publishing the serving snapshot: the only file the dashboards read.

The marts, reports and reference tables (and views, as tables) of ``warehouse.duckdb`` are
copied into a new, versioned DuckDB file, which is checkpointed and closed before
``serving/current.json`` is replaced to name it. After an incremental build, the previous
snapshot is copied and only the changed keys of the large tables are replaced (a national
snapshot is 10 GB: copying it whole took 317 s). Better still, the snapshot before the
previous one, which no reader holds any more, is taken back and brought up to date with the
keys changed by the last two builds: no copy at all (its file lock says whether a reader
still has it open; then the previous one is copied as above).
A failed build never reaches this step, so the previous snapshot stays current; the days it
changed in the warehouse are remembered (``serving/unpublished.json``) and the next
publication replaces them too.
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

from vigie.platform.contracts.serving import SnapshotRef, current_snapshot, write_json_atomically
from vigie.platform.settings import Settings

PUBLISHED_SCHEMAS = ("marts", "reports", "reference")
#: a national snapshot is ~10 GB: the current one and the one before (a reader may hold it)
KEEP_SNAPSHOTS = 2


#: the large tables a delta publication refreshes by key instead of copying whole: the key,
#: and the column whose day says the key may have changed (its landing day, or its
#: invoice's last event), the same on every row of a key: the rows to insert are read by
#: the row groups' min/max of that day, not joined on the key (14 s for the events).
#: The events are keyed by their day itself: a build replaces them from its first day on.
#: The structures (1.3 M) are keyed by their landing day too. Every other table but the
#: e-reporting marts (``DELTA_BY_RECORDS``) is small and copied whole.
DELTA_TABLES = {
    "marts.fct_invoices": ("invoice_id", "landed_date"),
    "marts.fct_payment_delays": ("invoice_id", "last_event_date"),
    "marts.fct_status_events": ("recorded_date", "recorded_date"),
    "reports.rpt_late_invoices": ("invoice_id", "last_event_date"),
    "marts.dim_structures": ("structure_id", "landed_date"),
}
#: of those, the tables whose last day is not where builds restart: structures land on a
#: few days only, and what a build reloads from an earlier day is unchanged
SPARSE_DAYS = {"marts.dim_structures"}
#: the incremental e-reporting marts (flows 10.1, 10.3 and 10.4): a build rebuilds the rows
#: of each (declarant structure, day) pair of the records landed (of flow 10.1: each
#: (seller, invoice) pair), and every row of a declarant whose structure landed
#: (macros/ereporting_changes.sql). The same predicate, read on the warehouse's staging
#: tables from the first day changed, picks in the snapshot the rows to delete and in the
#: warehouse those to insert (3.4 M B2C rows copied whole took 2.3 s of a national one-day
#: publication). Table: (records, their declarant column, their day column).
DELTA_BY_RECORDS = {
    "marts.fct_ereporting_invoices": (
        "stg_platform__invoices",
        "supplier_structure_id",
        "invoice_id",
    ),
    "marts.fct_ereporting_b2c_transactions": (
        "stg_platform__b2c_sales",
        "declarant_structure_id",
        "sale_date",
    ),
    "marts.fct_ereporting_b2c_payments": (
        "stg_platform__payments",
        "declarant_structure_id",
        "payment_date",
    ),
}
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
#: the earliest landing day changed in the warehouse by builds not yet published
UNPUBLISHED = "unpublished.json"
#: that day after a full refresh: any row may have changed (``null`` in the file)
EVERYTHING = date.min


def note_build_started(settings: Settings, changed_from: date | None) -> None:
    """Remember, before a build writes the warehouse, from which landing day it may change
    rows (None: anything, a full refresh). If the build fails, nothing is published and the
    next publication must replace those rows as well as its own."""
    since = EVERYTHING if changed_from is None else changed_from
    pending = _unpublished(settings)
    if pending is not None:
        since = min(since, pending)
    day = None if since == EVERYTHING else since.isoformat()
    write_json_atomically(settings.serving_dir / UNPUBLISHED, {"changed_from": day})


def _unpublished(settings: Settings) -> date | None:
    """The first day unpublished builds changed (``EVERYTHING`` after a full refresh), or
    None when every build since the last publication was published."""
    try:
        data = json.loads((settings.serving_dir / UNPUBLISHED).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    day = data.get("changed_from")
    return date.fromisoformat(day) if day else EVERYTHING


def publish_snapshot(settings: Settings, *, changed_from: date | None = None) -> SnapshotRef:
    """Publish the marts, reports and reference tables as a new snapshot.

    With ``changed_from`` (the first landing day the build loaded), the previous snapshot is
    copied and only the rows of the large tables that may have changed since that day are
    replaced (the same keys dbt's delete+insert replaced); each table's row count is then
    checked against the warehouse and copied whole on any difference. Without it, or after
    the snapshot has grown by ``MAX_GROWTH``, everything is copied. The snapshot before the
    previous one is reused instead of a copy when the previous publication says from which
    day it changed keys, and no reader holds that file.
    """
    began = time.perf_counter()
    settings.serving_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    snapshot_id = "snapshot-" + now.strftime("%Y%m%dT%H%M%S%fZ")
    final = settings.serving_dir / f"{snapshot_id}.duckdb"
    tmp = settings.serving_dir / f".{snapshot_id}.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    previous = current_snapshot(settings)
    pointer = _pointer(settings)
    base_bytes = pointer.get("base_bytes")
    pending = _unpublished(settings)
    if changed_from is not None and pending is not None:
        # a failed build since the last publication changed those days too
        changed_from = min(changed_from, pending)
    if changed_from == EVERYTHING:
        changed_from = None
    by_keys = changed_from is not None and previous is not None and base_bytes is not None
    reused = _take_back_spare(settings, pointer, tmp, base_bytes) if by_keys else None
    delta = reused is not None or (
        by_keys
        and previous.path.exists()
        and previous.path.stat().st_size <= _size_limit(base_bytes)
    )
    tables: dict[str, int] = {}
    replaced: dict[str, int] = {}
    seconds: dict[str, float] = {}
    copied = 0
    since = changed_from
    try:
        if reused is not None:
            con = reused
            # the spare holds the warehouse of the build before the previous one
            since = min(changed_from, date.fromisoformat(pointer["changed_from"]))
        else:
            if delta:
                shutil.copyfile(previous.path, tmp)
            con = _open_for_writing(settings, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a 10 GB half copy must not stay behind
        raise
    con.execute("set enable_progress_bar = false")
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
                    _publish_table, con, wh, *found_table, delta=delta, since=since
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
        con.execute(f'detach "{wh}"')
        con.execute("create schema if not exists meta")
        con.execute(
            "create or replace table meta.snapshot as "
            "select ? as snapshot_id, ?::timestamptz as published_at",
            [snapshot_id, now],
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
            # the next publication may take the previous snapshot back (see _take_back_spare)
            "changed_from": changed_from.isoformat() if changed_from else None,
            "previous_file": previous.path.name if previous is not None else None,
            "reused_file": reused is not None,
            "replaced_since": since.isoformat() if delta else None,
            "replaced_keys": replaced,
            "seconds": round(time.perf_counter() - began, 1),
            "copied_tables": copied,
            # every table's seconds, slowest first (where a publication's time goes)
            "steps_seconds": {
                k: round(v, 1) for k, v in sorted(seconds.items(), key=lambda kv: -kv[1])
            },
        },
    )
    (settings.serving_dir / UNPUBLISHED).unlink(missing_ok=True)
    _prune(settings, keep=final.name)
    ref = current_snapshot(settings)
    assert ref is not None
    return ref


def last_loaded_day(snapshot: SnapshotRef) -> date | None:
    """The earliest of the last days the large tables of ``snapshot`` hold: an incremental
    build without days reloads from there, so a delta publication may start there too."""
    days = []
    dated = {name: key_day for name, key_day in DELTA_TABLES.items() if name not in SPARSE_DAYS}
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        for name, (_key, day) in dated.items():
            schema, table = name.split(".")
            if _exists(con, schema, table):
                try:
                    (last,) = con.execute(f'select max({day}) from "{schema}"."{table}"').fetchone()
                except duckdb.Error:  # a snapshot of an older layout: copy everything
                    return None
                days.append(last)
    if len(days) < len(dated):
        return None  # a large table is missing: copy everything
    days = [d for d in days if d is not None]  # an empty table: any day will do
    return min(days) if days else None


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
    #: keys (or rows) replaced by a delta; None when the table was copied whole
    replaced: int | None
    seconds: float


def _publish_table(
    con: duckdb.DuckDBPyConnection,
    wh: str,
    schema: str,
    table: str,
    *,
    delta: bool,
    since: date | None,
) -> _Published:
    """Bring one table of the snapshot up to date with the warehouse, on a cursor of its own
    (so that two run side by side): its changed rows replaced on a delta publication, when
    the table is there with the same columns and the row counts then agree; otherwise the
    table copied whole."""
    started = time.perf_counter()
    name = f"{schema}.{table}"
    source = f'"{wh}"."{schema}"."{table}"'
    target = f'"{schema}"."{table}"'
    cur = con.cursor()
    try:
        if (
            delta
            and (name in DELTA_TABLES or name in DELTA_BY_RECORDS)
            and _exists(cur, schema, table)
            and _columns(cur, target, name) == _columns(cur, source)
        ):
            if name in DELTA_TABLES:
                key, day = DELTA_TABLES[name]
                replaced = _replace_changed(cur, _selected(name, source), target, key, day, since)
            else:
                records, declarant, day = DELTA_BY_RECORDS[name]
                replaced = _replace_records_changed(
                    cur, _selected(name, source), target, f'"{wh}"', records, declarant, day, since
                )
            (want,) = cur.execute(f"select count(*) from {source}").fetchone()
            (have,) = cur.execute(f"select count(*) from {target}").fetchone()
            if want == have:
                return _Published(int(have), replaced, time.perf_counter() - started)
            # a row vanished in the warehouse: copy the table whole
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
        (count,) = cur.execute(f"select count(*) from {target}").fetchone()
        return _Published(int(count), None, time.perf_counter() - started)
    finally:
        cur.close()


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
    writing, when it can be brought up to date by keys: the current publication says from
    which day its build changed them, the file has not grown past ``MAX_GROWTH``, and no
    reader holds it (DuckDB's file lock). Otherwise None, and the file is left as it was."""
    name, since = pointer.get("previous_file"), pointer.get("changed_from")
    if not name or not since or name == pointer.get("file"):
        return None
    spare = settings.serving_dir / name
    if not spare.exists() or spare.with_name(spare.name + ".wal").exists():
        return None
    if spare.stat().st_size > _size_limit(base_bytes):
        return None
    spare.replace(tmp)  # a reader that follows the pointer never opens it again
    try:
        return _open_for_writing(settings, tmp)
    except duckdb.IOException:  # held by a reader: leave it, copy the current one instead
        tmp.replace(spare)
        return None


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


def _replace_changed(con, rows: str, target: str, key: str, day: str, since: date) -> int:
    """Delete and re-insert every key dated ``since`` or later in the warehouse (a superset
    of the keys the build's delete+insert touched; ``day`` is the same on all rows of a
    key); ``rows`` is the select of the warehouse's rows as the snapshot stores them.
    Returns the number of keys replaced (of a table keyed by its day: of rows deleted)."""
    if key == day:  # rows dated from ``since`` on: no keys to collect
        deleted = con.execute(f"delete from {target} where {day} >= ?", [since]).fetchone()
        con.execute(f"insert into {target} select * from ({rows}) where {day} >= ?", [since])
        return int(deleted[0])
    con.execute(
        f"create or replace temp table _keys as select distinct {key} from ({rows}) "
        f"where {day} >= ?",
        [since],
    )
    con.execute(f"delete from {target} where {key} in (select {key} from _keys)")
    con.execute(f"insert into {target} select * from ({rows}) where {day} >= ?", [since])
    (n,) = con.execute("select count(*) from _keys").fetchone()
    con.execute("drop table _keys")
    return int(n)


def _replace_records_changed(
    con,
    rows: str,
    target: str,
    warehouse: str,
    records: str,
    declarant: str,
    day: str,
    since: date,
) -> int:
    """Delete and re-insert the rows of an incremental e-reporting mart that a build from
    ``since`` on may have rebuilt (``DELTA_BY_RECORDS``): the predicate of
    macros/ereporting_changes.sql, without the window's end (a superset: a row it picks that
    did not change is put back as it was). Returns the number of rows deleted."""
    staging = f'{warehouse}."staging"'
    changed = (
        f"(({declarant}, {day}) in ("
        f'select {declarant}, {day} from {staging}."{records}" where landed_date >= $1)'
        f" or {declarant} in ("
        f'select structure_id from {staging}."stg_platform__structures" where landed_date >= $1))'
    )
    (deleted,) = con.execute(f"delete from {target} where {changed}", [since]).fetchone()
    con.execute(f"insert into {target} select * from ({rows}) where {changed}", [since])
    return int(deleted)


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
