"""The only code that writes or lists landing files.

Layout: ``<landing_dir>/<table>/date=YYYY-MM-DD/<part>.parquet``. The day is the
Europe/Paris calendar day of the table's partition column. Nothing is written unless it
passes the table's contract (``vigie.platform.contracts``); each file is written under a
temporary name, flushed to disk, then renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from vigie.platform.contracts import LANDING_TABLES, LandingRecord
from vigie.platform.contracts.types import ColumnSpec

PARIS = "Europe/Paris"
_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")


class ContractViolation(ValueError):
    """A frame or file that does not satisfy its landing contract."""

    def __init__(
        self,
        table: str,
        message: str,
        *,
        column: str | None = None,
        row: int | None = None,
        path: Path | None = None,
    ) -> None:
        self.table, self.column, self.row, self.path = table, column, row, path
        where = [f"table {table}"]
        if path is not None:
            where.append(f"file {path}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class WrittenFile:
    table: str
    day: date
    path: Path
    rows: int


def polars_dtype(sql_type: str) -> pl.DataType:
    """The polars/Parquet dtype of a contract SQL type."""
    if m := _DECIMAL.fullmatch(sql_type):
        return pl.Decimal(int(m.group(1)), int(m.group(2)))
    simple: dict[str, pl.DataType] = {
        "VARCHAR": pl.String(),
        "BIGINT": pl.Int64(),
        "INTEGER": pl.Int32(),
        "BOOLEAN": pl.Boolean(),
        "DATE": pl.Date(),
        "TIMESTAMP WITH TIME ZONE": pl.Datetime("us", "UTC"),
    }
    try:
        return simple[sql_type]
    except KeyError:
        raise TypeError(f"no polars dtype for SQL type {sql_type!r}") from None


def landing_schema(model: type[LandingRecord]) -> pl.Schema:
    return pl.Schema({c.name: polars_dtype(c.sql_type) for c in model.columns()})


def model_for(table: str) -> type[LandingRecord]:
    try:
        return LANDING_TABLES[table]
    except KeyError:
        raise ValueError(f"unknown landing table {table!r}") from None


def _first_row(frame: pl.DataFrame, mask: pl.Expr) -> int | None:
    hits = frame.select(mask.fill_null(False).arg_true().first()).item()
    return None if hits is None else int(hits)


def _conform_column(
    frame: pl.DataFrame, spec: ColumnSpec, table: str, path: Path | None
) -> pl.Series:
    """Cast one column to its contract dtype, or say which row cannot be cast."""
    target = polars_dtype(spec.sql_type)
    series = frame.get_column(spec.name)
    if series.dtype == target:
        return series
    if series.dtype == pl.Null:
        return series.cast(target)
    if isinstance(target, pl.Datetime):
        if not isinstance(series.dtype, pl.Datetime) or series.dtype.time_zone is None:
            raise ContractViolation(
                table,
                f"expected a time-zone-aware timestamp, got {series.dtype}",
                column=spec.name,
                path=path,
            )
        return series.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    if isinstance(target, pl.Decimal) and series.dtype.is_float():
        raise ContractViolation(
            table, "money and rates must be decimals, never floats", column=spec.name, path=path
        )
    cast = series.cast(target, strict=False)
    bad = (cast.is_null() & series.is_not_null()).arg_true()
    if len(bad):
        raise ContractViolation(
            table,
            f"value {series[int(bad[0])]!r} is not a valid {spec.sql_type}",
            column=spec.name,
            row=int(bad[0]),
            path=path,
        )
    return cast


def validate_frame(
    model: type[LandingRecord], frame: pl.DataFrame, *, path: Path | None = None
) -> pl.DataFrame:
    """Return ``frame`` conformed to ``model`` (column order and dtypes), or raise.

    Checks, in order: the column set, dtypes (lossless casts only), nulls, allowed code
    values, patterns, lengths and primary-key uniqueness. The error names the table, the
    file when known, the first failing row and the column.
    """
    table = model.table
    specs = model.columns()
    expected = [s.name for s in specs]
    # columns added to a contract later have a default: files landed before lack them
    added = {
        name: field.default
        for name, field in model.model_fields.items()
        if not field.is_required() and name not in frame.columns
    }
    if added:
        frame = frame.with_columns(pl.lit(v).alias(k) for k, v in added.items())
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected]
    if missing or extra:
        raise ContractViolation(
            table,
            f"columns differ from the contract (missing {missing}, unexpected {extra})",
            column=(missing or extra)[0],
            path=path,
        )
    conformed = pl.DataFrame([_conform_column(frame, s, table, path) for s in specs])
    checks: list[tuple[ColumnSpec, pl.Expr, str]] = []
    for spec in specs:
        col = pl.col(spec.name)
        if not spec.nullable:
            checks.append((spec, col.is_null(), "must not be empty"))
        if spec.allowed_values is not None:
            checks.append(
                (
                    spec,
                    col.is_not_null() & ~col.is_in(list(spec.allowed_values)),
                    f"not one of the allowed codes {list(spec.allowed_values)}",
                )
            )
        if spec.pattern is not None:
            checks.append(
                (
                    spec,
                    col.is_not_null() & ~col.str.contains(spec.pattern),
                    f"does not match {spec.pattern}",
                )
            )
        if spec.max_length is not None:
            checks.append(
                (spec, col.str.len_chars() > spec.max_length, f"longer than {spec.max_length}")
            )
    # one pass computes every check; only a failing check looks for its first row
    failing = conformed.select(
        [mask.fill_null(False).any().alias(str(i)) for i, (_, mask, _) in enumerate(checks)]
    ).row(0)
    for (spec, mask, message), failed in zip(checks, failing, strict=True):
        if failed:
            row = _first_row(conformed, mask)
            value = conformed.get_column(spec.name)[row]
            raise ContractViolation(
                table, f"{message} (value {value!r})", column=spec.name, row=row, path=path
            )
    key = list(model.primary_key)
    if conformed.height:
        dup = _first_row(conformed, pl.struct(key).is_duplicated())
        if dup is not None:
            raise ContractViolation(
                table, f"duplicate primary key {key}", column=key[0], row=dup, path=path
            )
    return conformed


def frame_from_records(
    model: type[LandingRecord], records: Iterable[LandingRecord | dict]
) -> pl.DataFrame:
    """Build a landing frame from records, each validated by the pydantic contract."""
    rows = [(r if isinstance(r, model) else model.model_validate(r)).model_dump() for r in records]
    return pl.DataFrame(rows, schema=landing_schema(model), orient="row")


def partition_day_expr(model: type[LandingRecord]) -> pl.Expr:
    col = pl.col(model.partition_by)
    spec = next(s for s in model.columns() if s.name == model.partition_by)
    if spec.sql_type == "DATE":
        return col
    return col.dt.convert_time_zone(PARIS).dt.date()


def partition_dir(landing_dir: Path, table: str, day: date) -> Path:
    return landing_dir / table / f"date={day.isoformat()}"


def _atomic_write_parquet(frame: pl.DataFrame, final: Path, *, durable: bool) -> None:
    """Write under a temporary name, then rename: readers see the whole file or none.

    ``durable`` also flushes the file and its folder to disk before returning, for writers
    that record a watermark after the files (the platform extract).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        if durable:
            with tmp.open("rb") as fh:
                os.fsync(fh.fileno())
        tmp.replace(final)
    finally:
        tmp.unlink(missing_ok=True)
    if not durable:
        return
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_table(
    landing_dir: Path,
    table: str,
    frame: pl.DataFrame,
    *,
    part: str,
    validate: bool = True,
    durable: bool = True,
) -> list[WrittenFile]:
    """Validate ``frame`` and write it as one ``<part>.parquet`` per partition day.

    Writing the same part again replaces it (idempotent re-runs). Nothing is written when
    any row breaks the contract.
    """
    if not _PART.fullmatch(part):
        raise ValueError(f"invalid part name {part!r}")
    model = model_for(table)
    conformed = validate_frame(model, frame) if validate else frame
    if conformed.height == 0:
        return []
    keyed = conformed.with_columns(partition_day_expr(model).alias("__day"))
    written = []
    for (day,), chunk in sorted(keyed.partition_by("__day", as_dict=True).items()):
        path = partition_dir(landing_dir, table, day) / f"{part}.parquet"
        body = chunk.drop("__day")
        _atomic_write_parquet(body, path, durable=durable)
        written.append(WrittenFile(table, day, path, body.height))
    return written


#: the partition holding each table's empty contract file
CONTRACT_DAY = date(1970, 1, 1)


def ensure_contract_files(landing_dir: Path) -> list[Path]:
    """Keep, for each table, an empty file typed by its current contract.

    DuckDB reads each table as the union of its files by column name: the empty file makes
    every contract column known, so that files landed before a column was added still
    read (the column is null there), and a table nothing has landed in yet reads as empty
    instead of failing on a glob that matches no file.
    """
    made = []
    for table, model in LANDING_TABLES.items():
        path = partition_dir(landing_dir, table, CONTRACT_DAY) / "contract.parquet"
        schema = landing_schema(model)
        if path.exists() and pl.read_parquet_schema(path) == dict(schema):
            continue
        _atomic_write_parquet(pl.DataFrame(schema=schema), path, durable=False)
        made.append(path)
    return made


def list_files(landing_dir: Path, table: str) -> list[Path]:
    """Every landed Parquet file of ``table``, in day then name order (no temp files, and not
    the empty contract file)."""
    return [landing_dir / key for key, _stamp in landed_file_stamps(landing_dir, table)]


def landed_file_stamps(landing_dir: Path, table: str) -> list[tuple[str, tuple[int, int]]]:
    """``list_files`` as paths relative to ``landing_dir`` (``table/date=…/name.parquet``),
    each with its size and modification time in nanoseconds: what the build's contract
    check compares with the files it checked before (``os.scandir``: pathlib's glob took
    0.5 of the 0.9 s of a national landing zone's 6,900 files)."""
    model_for(table)
    contract = f"date={CONTRACT_DAY.isoformat()}"
    found = []
    try:
        days = [d for d in os.scandir(landing_dir / table) if d.name.startswith("date=")]
    except FileNotFoundError:
        return []
    for day in days:
        if day.name == contract or not day.is_dir():
            continue
        with os.scandir(day.path) as entries:
            for entry in entries:
                if entry.name.endswith(".parquet") and entry.is_file():
                    stat = entry.stat()
                    key = f"{table}/{day.name}/{entry.name}"
                    found.append((key, (stat.st_size, stat.st_mtime_ns)))
    found.sort()
    return found


def read_file(path: Path, table: str) -> pl.DataFrame:
    """Read one landing file and check it against its contract (path, row and column on error)."""
    return validate_frame(model_for(table), pl.read_parquet(path), path=path)


def scan_table(landing_dir: Path, table: str) -> pl.LazyFrame:
    files = list_files(landing_dir, table)
    if not files:
        return pl.LazyFrame(schema=landing_schema(model_for(table)))
    return pl.scan_parquet(files)
