"""The platform's system of record: SQLite in WAL mode, with an event outbox.

Every change (structure, service, user, invoice, VAT lines, status event, deposit refusal,
solicitation) appends its landing record to ``outbox`` **in the same transaction**, under
an ``INTEGER PRIMARY KEY`` sequence. Writers are serialised (``BEGIN IMMEDIATE``) and rows
are never deleted, so the sequence has no gaps and ``vigie extract`` can read "everything
after N". Money is stored as decimal text, never as a float.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from vigie.platform import lifecycle
from vigie.platform.contracts.landing import LandingRecord

SCHEMA = """
create table if not exists structures (
    structure_id text primary key,
    siret text unique,
    siren text,
    vat_id text,
    name text not null,
    country_code text not null default 'FR',
    is_public integer not null,
    public_category text,
    legal_payment_delay_days integer,
    supplier_size text,
    requires_engagement_number integer not null default 0,
    requires_service_code integer not null default 0,
    reports_payment_status integer not null default 1,
    is_active integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create table if not exists services (
    service_id text primary key,
    structure_id text not null references structures,
    service_code text not null,
    name text not null,
    requires_engagement_number integer not null default 0,
    reports_payment_status integer not null default 1,
    is_active integer not null default 1,
    created_at text not null,
    updated_at text not null,
    unique (structure_id, service_code)
);
create table if not exists users (
    user_id text primary key,
    structure_id text not null references structures,
    role text not null,
    created_at text not null
);
create table if not exists api_keys (
    key_hash text primary key,
    role text not null check (role in ('structure', 'operator')),
    structure_id text references structures,
    name text not null,
    created_at text not null
);
create table if not exists invoices (
    invoice_id text primary key,
    invoice_number text not null,
    issue_year integer not null,
    type_code text not null,
    supplier_structure_id text not null references structures,
    recipient_structure_id text references structures,
    service_code text,
    engagement_number text,
    billing_framework text not null,
    channel text not null,
    syntax text not null,
    scope text not null,
    goods_services_nature text,
    issue_date text not null,
    deposited_at text not null,
    currency_code text not null,
    total_excl_vat text not null,
    total_vat text not null,
    total_incl_vat text not null,
    amount_due text not null,
    line_count integer not null,
    original_invoice_number text,
    document_sha256 text not null,
    file_name text,
    status text not null,
    status_at text not null,
    unique (supplier_structure_id, invoice_number, issue_year)
);
create index if not exists invoices_by_recipient on invoices (recipient_structure_id, deposited_at);
create index if not exists invoices_by_number on invoices (invoice_number);
create table if not exists invoice_vat_lines (
    invoice_id text not null references invoices,
    line_number integer not null,
    vat_category_code text not null,
    vat_rate text,
    taxable_amount text not null,
    tax_amount text not null,
    primary key (invoice_id, line_number)
);
create table if not exists invoice_status_events (
    event_id text primary key,
    invoice_id text not null references invoices,
    status_code text not null,
    occurred_at text not null,
    actor_role text not null,
    actor_structure_id text,
    reason_code text,
    comment text,
    payment_date text,
    payment_amount text,
    event_sequence integer,
    previous_status_code text,
    previous_status_at text,
    deposit_round integer,
    is_out_of_order integer not null default 0,
    recorded_at text
);
create index if not exists events_by_invoice on invoice_status_events (invoice_id, occurred_at);
create table if not exists deposit_refusals (
    refusal_id text primary key,
    supplier_structure_id text,
    recipient_siret text,
    invoice_number text,
    channel text not null,
    syntax text,
    file_name text,
    refused_at text not null,
    rule_code text not null,
    errors text not null
);
create table if not exists imported_records (
    source_id text primary key,
    vigie_id text not null
);
create table if not exists invoice_warnings (
    invoice_id text primary key,
    warnings text not null
);
create table if not exists solicitations (
    solicitation_id text primary key,
    structure_id text not null references structures,
    category text not null,
    channel text not null,
    invoice_id text references invoices,
    created_at text not null
);
create table if not exists b2c_sales (
    summary_id text not null,
    line_number integer not null,
    declarant_structure_id text not null references structures,
    sale_date text not null,
    currency_code text not null,
    category_code text not null,
    transaction_count integer not null,
    vat_rate text not null,
    taxable_amount text not null,
    tax_amount text not null,
    received_at text not null,
    primary key (summary_id, line_number)
);
create index if not exists b2c_sales_by_declarant on b2c_sales (declarant_structure_id, sale_date);
create table if not exists payments (
    payment_id text primary key,
    declarant_structure_id text not null references structures,
    invoice_id text references invoices,
    scope text not null,
    payment_date text not null,
    currency_code text not null,
    vat_rate text not null,
    amount_incl_vat text not null,
    received_at text not null
);
create index if not exists payments_by_declarant on payments (declarant_structure_id, payment_date);
create table if not exists outbox (
    seq integer primary key,
    recorded_at text not null,
    table_name text not null,
    record_id text not null,
    payload text not null
);
"""

#: columns added after a table was first created: (table, column, declaration). A database
#: made by an earlier version gets them when it is opened.
ADDED_COLUMNS = [
    ("structures", "vat_regime", "text"),
    ("structures", "vat_on_debits", "integer not null default 0"),
    ("invoices", "buyer_identifier", "text"),
    ("invoices", "buyer_identifier_scheme", "text"),
    ("invoices", "buyer_vat_id", "text"),
    ("invoices", "buyer_country_code", "text"),
    ("invoices", "buyer_name", "text"),
    ("invoices", "due_date", "text"),
    ("invoices", "delivery_date", "text"),
    ("invoice_vat_lines", "exemption_reason", "text"),
    ("invoice_vat_lines", "exemption_reason_code", "text"),
    ("api_keys", "revoked_at", "text"),
    ("invoice_status_events", "event_sequence", "integer"),
    ("invoice_status_events", "previous_status_code", "text"),
    ("invoice_status_events", "previous_status_at", "text"),
    ("invoice_status_events", "deposit_round", "integer"),
    ("invoice_status_events", "recorded_at", "text"),
]
#: the columns a platform table keeps beside its landing record's fields (the invoice's
#: current status, for one); every other column is a field of the record, stored as it is
STORED_ONLY: dict[str, frozenset[str]] = {
    "invoices": frozenset({"issue_year", "file_name", "status", "status_at"}),
    "invoice_status_events": frozenset({"actor_structure_id"}),
    "deposit_refusals": frozenset({"file_name", "errors"}),
}
#: the parameters of a query: positional or named
Params = Sequence[Any] | Mapping[str, Any]
#: how long a running server trusts a key it has looked up (a revocation made by another
#: process, ``vigie key revoke``, takes effect within this delay)
CALLER_CACHE_SECONDS = 5.0


def read_outbox(
    con: sqlite3.Connection, after: int, limit: int
) -> list[tuple[int, str, dict[str, Any]]]:
    """Outbox events with a sequence above ``after``, in order: (seq, table, landing record).

    Takes a connection so the extract can read through its own read-only one.
    """
    rows = con.execute(
        "select seq, table_name, payload from outbox where seq > ? order by seq limit ?",
        (after, limit),
    ).fetchall()
    return [(seq, table, json.loads(payload)) for seq, table, payload in rows]


def sqlite_value(value: Any) -> Any:
    """A field's value as SQLite keeps it: money and rates as decimal text (never a
    float), dates and time stamps as ISO 8601 text, flags as 0 or 1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return value


def number_unnumbered_events(con: sqlite3.Connection) -> int:
    """Give the events a database made before the platform numbered them their place in
    their invoice's lifecycle, in the order they were stored (rowid), and their outbox
    records with them (an extract from the start lands them whole); returns how many."""
    rows = con.execute(
        "select rowid, invoice_id, status_code, occurred_at, is_out_of_order, event_id"
        " from invoice_status_events where invoice_id in"
        " (select invoice_id from invoice_status_events where event_sequence is null)"
        " order by invoice_id, event_sequence nulls last, rowid"
    ).fetchall()
    place: lifecycle.Place[str] | None = None
    for i, (rowid, invoice_id, status, occurred_at, out_of_order, event_id) in enumerate(rows):
        if i == 0 or rows[i - 1][1] != invoice_id:
            place = None
        place = lifecycle.next_place(place, status, occurred_at, out_of_order=bool(out_of_order))
        con.execute(
            "update invoice_status_events set event_sequence = ?, previous_status_code = ?,"
            " previous_status_at = ?, deposit_round = ?, recorded_at = coalesce(recorded_at,"
            " occurred_at) where rowid = ?",
            (place.sequence, place.previous_status, place.previous_at, place.deposit_round, rowid),
        )
        con.execute(
            "update outbox set payload = json_set(payload, '$.event_sequence', ?,"
            " '$.previous_status_code', ?, '$.previous_status_at', ?, '$.deposit_round', ?,"
            " '$.is_out_of_order', json(?), '$.recorded_at', json_extract(payload,"
            " '$.occurred_at')) where table_name = 'invoice_status_events' and record_id = ?",
            (
                place.sequence,
                place.previous_status,
                place.previous_at,
                place.deposit_round,
                "true" if out_of_order else "false",
                event_id,
            ),
        )
    return len(rows)


def new_id(prefix: str) -> str:
    """A unique id that sorts by creation time (b-tree inserts stay at the right edge)."""
    return f"{prefix}_{time.time_ns():016x}{secrets.token_hex(8)}"


def utcnow() -> datetime:
    return datetime.now(UTC)


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_api_key() -> str:
    return "vk_" + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Caller:
    """Who is calling: an operator, or the structure an API key belongs to."""

    role: str  # "operator" | "structure"
    structure_id: str | None
    name: str

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"


class Store:
    """One SQLite database; safe to share between threads (one connection, one lock)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._con = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._con.row_factory = sqlite3.Row
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",
            "foreign_keys = ON",
            "busy_timeout = 30000",
        ):
            self._con.execute(f"pragma {pragma}")
        with self.write():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self._con.execute(statement)
            for table, column, declaration in ADDED_COLUMNS:
                present = {r["name"] for r in self._con.execute(f"pragma table_info({table})")}
                if column not in present:
                    self._con.execute(f"alter table {table} add column {column} {declaration}")
            number_unnumbered_events(self._con)
            self._con.execute(
                "create index if not exists events_in_order"
                " on invoice_status_events (invoice_id, event_sequence)"
            )
        self._callers: dict[str, tuple[float, Caller]] = {}
        self._columns: dict[str, frozenset[str]] = {}

    def close(self) -> None:
        with self._lock:
            self._con.close()

    # ---- transactions
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): all or nothing."""
        with self._lock:
            self._con.execute("begin immediate")
            try:
                yield self._con
            except BaseException:
                self._con.execute("rollback")
                raise
            self._con.execute("commit")

    def read(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        with self._lock:
            rows: list[sqlite3.Row] = self._con.execute(sql, params).fetchall()
        return rows

    def read_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._con.execute(sql, params).fetchone()
        return row

    # ---- records
    def table_columns(self, table: str) -> frozenset[str]:
        if table not in self._columns:
            with self._lock:
                rows = self._con.execute(f"pragma table_info({table})").fetchall()
            self._columns[table] = frozenset(r["name"] for r in rows)
        return self._columns[table]

    def save(
        self,
        con: sqlite3.Connection,
        record: LandingRecord,
        *,
        replace_on: str | None = None,
        **stored_only: Any,
    ) -> None:
        """Store ``record`` in its table and announce it in the outbox, inside the caller's
        transaction. The row is built from the record's fields (those the table has) and
        the ``stored_only`` columns (:data:`STORED_ONLY`); ``replace_on``: the key column of
        a row this record replaces (a new version of a structure)."""
        unknown = set(stored_only) - STORED_ONLY.get(record.table, frozenset())
        if unknown:
            raise ValueError(f"{record.table}: {sorted(unknown)} are not stored-only columns")
        columns = self.table_columns(record.table)
        row = {k: v for k, v in record.model_dump().items() if k in columns} | stored_only
        names = ", ".join(row)
        sql = f"insert into {record.table} ({names}) values ({', '.join('?' * len(row))})"
        if replace_on is not None:
            updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != replace_on)
            sql += f" on conflict ({replace_on}) do update set {updates}"
        con.execute(sql, [sqlite_value(v) for v in row.values()])
        self.emit(con, record, record.record_id)

    # ---- outbox
    @staticmethod
    def emit(con: sqlite3.Connection, record: LandingRecord, record_id: str) -> int:
        """Append ``record`` to the outbox, inside the caller's transaction."""
        cur = con.execute(
            "insert into outbox (recorded_at, table_name, record_id, payload) values (?,?,?,?)",
            (utcnow().isoformat(), record.table, record_id, record.model_dump_json()),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    # ---- keys
    def add_api_key(
        self, con: sqlite3.Connection, role: str, structure_id: str | None, name: str
    ) -> str:
        key = new_api_key()
        con.execute(
            "insert into api_keys (key_hash, role, structure_id, name, created_at)"
            " values (?,?,?,?,?)",
            (hash_key(key), role, structure_id, name, utcnow().isoformat()),
        )
        return key

    def create_operator_key(self, name: str) -> str:
        with self.write() as con:
            return self.add_api_key(con, "operator", None, name)

    def caller(self, api_key: str) -> Caller | None:
        """Who holds ``api_key``; None for an unknown or revoked key."""
        digest = hash_key(api_key)
        cached = self._callers.get(digest)
        if cached is not None and time.monotonic() - cached[0] < CALLER_CACHE_SECONDS:
            return cached[1]
        row = self.read_one(
            "select k.role, k.structure_id, coalesce(s.name, k.name) as name"
            " from api_keys k left join structures s using (structure_id)"
            " where key_hash = ? and k.revoked_at is null",
            (digest,),
        )
        if row is None:
            self._callers.pop(digest, None)
            return None
        caller = Caller(row["role"], row["structure_id"], row["name"])
        self._callers[digest] = (time.monotonic(), caller)
        return caller

    # ---- key management (``vigie key``): a key is named by the start of its hash
    def api_keys(self) -> list[dict[str, Any]]:
        rows = self.read(
            "select substr(k.key_hash, 1, 12) as key_id, k.role, s.siret, k.name,"
            " k.created_at, k.revoked_at from api_keys k left join structures s"
            " using (structure_id) order by k.created_at"
        )
        return [dict(r) for r in rows]

    def _key_row(self, con: sqlite3.Connection, key_id: str) -> sqlite3.Row:
        if len(key_id) < 8:
            raise KeyError("give at least 8 characters of the key id")
        rows = con.execute(
            "select key_hash, role, structure_id, name, revoked_at from api_keys"
            " where key_hash like ? || '%'",
            (key_id.lower(),),
        ).fetchall()
        if len(rows) != 1:
            raise KeyError(f"{len(rows)} keys have an id starting with {key_id!r}")
        if rows[0]["revoked_at"] is not None:
            raise KeyError(f"key {key_id} is already revoked")
        row: sqlite3.Row = rows[0]
        return row

    def revoke_api_key(self, key_id: str) -> None:
        with self.write() as con:
            row = self._key_row(con, key_id)
            con.execute(
                "update api_keys set revoked_at = ? where key_hash = ?",
                (utcnow().isoformat(), row["key_hash"]),
            )

    def rotate_api_key(self, key_id: str) -> str:
        """A new key with the same role, structure and name; the old one revoked, in one
        transaction. Returns the new key (shown once: only its hash is kept)."""
        with self.write() as con:
            row = self._key_row(con, key_id)
            con.execute(
                "update api_keys set revoked_at = ? where key_hash = ?",
                (utcnow().isoformat(), row["key_hash"]),
            )
            return self.add_api_key(con, row["role"], row["structure_id"], row["name"])

    def create_structure_key(self, siret: str, name: str) -> str:
        with self.write() as con:
            found = con.execute(
                "select structure_id from structures where siret = ?", (siret,)
            ).fetchone()
            if found is None:
                raise KeyError(f"no structure has the SIRET {siret}")
            return self.add_api_key(con, "structure", found["structure_id"], name)
