"""Importing history from a previous system: invoices with their original deposit time and
their status events, through the same checks as a deposit and a status change.

A folder holds ``invoices.csv`` (or ``.parquet``), ``invoice_status_events.csv`` (or
``.parquet``) and the invoice documents it names. The columns are those of the landing
contracts (``vigie.platform.contracts.landing``) that a previous system knows, with their
types, plus the SIRETs that find the structures and the document's file:

- invoices: the contract's ``invoice_id`` (the previous system's id), ``deposited_at``,
  ``channel`` and ``billing_framework`` (empty: BT-23 of the document, else A1), with
  ``supplier_siret``, ``recipient_siret`` (empty: the buyer SIRET the document gives) and
  ``document`` (a file of the folder: UBL, CII or Factur-X);
- status events: the contract's columns except the platform's own (``event_id``,
  ``invoice_id``, ``status_code``, ``occurred_at``, ``actor_role``, ``reason_code``,
  ``comment``, ``payment_date``, ``payment_amount``). The import makes ``DEPOSEE`` and
  ``MISE_A_DISPOSITION`` at ``deposited_at``, as a deposit does: the file lists the events
  after them.

Each document passes the deposit's checks (XSD, the official artefacts, the hub's rules,
routing, duplicates); each event the status change's (lifecycle, required data, time). What
passes is recorded as of its original time and goes out through the outbox like any deposit;
each refused row goes to the rejects file with its reasons (an event after a refused one of
the same invoice too). Everything is one transaction: a run stopped half-way leaves nothing
imported (an archived document may stay: the archive is by content, a later run reuses it).
Importing the same files again changes nothing: each row's previous-system id is kept.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError

from vigie.platform.contracts.types import (
    ActorRole,
    BillingFramework,
    Channel,
    Code,
    Day,
    Id,
    Money,
    Siret,
    StatusCode,
    Text,
    Timestamp,
)
from vigie.platform.documents.read import read_documents
from vigie.platform.paris import today_in_paris
from vigie.platform.rules import Violation
from vigie.platform.service import Platform, PlatformError
from vigie.platform.store import utcnow

INVOICES, EVENTS = "invoices", "invoice_status_events"
#: the columns of the rejects file
REJECT_COLUMNS = ("file", "row", "id", "code", "message", "message_en", "detail")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImportedInvoice(_Row):
    """A row of ``invoices``: fields of the landing contract (same types, checked against
    it by a test), plus how to find the structures and the document."""

    invoice_id: Id
    deposited_at: Timestamp
    channel: Channel
    billing_framework: BillingFramework | None = None
    supplier_siret: Siret
    recipient_siret: Siret | None = None
    document: str


class ImportedEvent(_Row):
    """A row of ``invoice_status_events``: the landing contract's fields (same types,
    checked against it by a test), without those the platform derives from the invoice's
    history as it records the event (``InvoiceStatusEvent.LIFECYCLE_ORDER``)."""

    event_id: Id
    invoice_id: Id
    status_code: StatusCode
    occurred_at: Timestamp
    actor_role: ActorRole
    reason_code: Code | None
    comment: Text | None
    payment_date: Day | None
    payment_amount: Money | None


@dataclass
class Reject:
    file: str
    row: int
    id: str | None
    code: str
    message: str
    message_en: str
    detail: str | None = None


@dataclass
class ImportResult:
    invoices: int = 0
    events: int = 0
    already: int = 0
    rejects: list[Reject] = field(default_factory=list)
    first_day: str | None = None
    last_day: str | None = None


class ImportRefused(ValueError):
    """The folder itself cannot be imported (a file missing, unreadable or with other
    columns): nothing was imported."""


def read_rows(folder: Path, table: str) -> list[dict[str, Any]]:
    """The rows of ``table`` (.parquet, else .csv, every CSV value a string; empty → None)."""
    parquet, text = folder / f"{table}.parquet", folder / f"{table}.csv"
    try:
        if parquet.exists():
            frame = pl.read_parquet(parquet)
        elif text.exists():
            frame = pl.read_csv(text, infer_schema=False)
        else:
            raise ImportRefused(f"{table}.csv or {table}.parquet is missing in {folder}")
    except (pl.exceptions.PolarsError, OSError) as err:
        raise ImportRefused(f"{table}: {err}") from None
    return [
        {k: (None if v == "" else v) for k, v in row.items()} for row in frame.iter_rows(named=True)
    ]


def import_history(
    platform: Platform, folder: Path, *, now: datetime | None = None
) -> ImportResult:
    """Import ``folder`` (see the module's text) in one transaction; refused rows are
    returned as rejects."""
    folder = folder.resolve()
    invoices, events = read_rows(folder, INVOICES), read_rows(folder, EVENTS)
    now = now or utcnow()
    result = ImportResult()
    with platform.store.write() as con:
        imported = dict(con.execute("select source_id, vigie_id from imported_records").fetchall())
        for n, row in enumerate(invoices, start=1):
            _import_invoice(platform, con, folder, n, row, imported, result)
        refused_invoices: set[str] = set()
        ordered = sorted(
            enumerate(events, start=1),
            key=lambda r: (
                str(r[1].get("invoice_id")),
                str(r[1].get("occurred_at")),
                str(r[1].get("event_id")),
            ),
        )
        for n, row in ordered:
            _import_event(platform, con, n, row, imported, refused_invoices, now, result)
    return result


def _reject(
    result: ImportResult,
    file: str,
    n: int,
    id_: str | None,
    code: str,
    fr: str,
    en: str,
    detail: str | None = None,
) -> None:
    result.rejects.append(Reject(file, n, id_, code, fr, en, detail))


def _violations(
    result: ImportResult, file: str, n: int, id_: str | None, errors: list[Violation]
) -> None:
    for e in errors:
        _reject(result, file, n, id_, e.code, e.message_fr, e.message_en, e.detail)


def _invalid(
    result: ImportResult, file: str, n: int, row: dict[str, Any], err: ValidationError
) -> None:
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
    _reject(
        result,
        file,
        n,
        row.get("invoice_id") if file == INVOICES else row.get("event_id"),
        "IMP-01",
        "Ligne non conforme au format d'import.",
        "Row does not match the import layout.",
        detail,
    )


def _import_invoice(
    platform: Platform,
    con: sqlite3.Connection,
    folder: Path,
    n: int,
    row: dict[str, Any],
    imported: dict[str, str],
    result: ImportResult,
) -> None:
    try:
        item = ImportedInvoice.model_validate(row)
    except ValidationError as err:
        _invalid(result, INVOICES, n, row, err)
        return
    if f"invoice:{item.invoice_id}" in imported:
        result.already += 1
        return
    supplier = con.execute(
        "select structure_id from structures where siret = ?", (item.supplier_siret,)
    ).fetchone()
    if supplier is None:
        _reject(
            result,
            INVOICES,
            n,
            item.invoice_id,
            "IMP-02",
            "Fournisseur inconnu : aucune structure ne porte ce SIRET.",
            "Unknown supplier: no structure has this SIRET.",
            item.supplier_siret,
        )
        return
    path = (folder / item.document).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        _reject(
            result,
            INVOICES,
            n,
            item.invoice_id,
            "IMP-03",
            "Document introuvable dans le dossier importé.",
            "Document not found in the imported folder.",
            item.document,
        )
        return
    documents = list(read_documents(path.read_bytes(), path.name))
    if len(documents) != 1:
        _reject(
            result,
            INVOICES,
            n,
            item.invoice_id,
            "IMP-04",
            "Un document par facture importée (pas d'archive).",
            "One document per imported invoice (no archive).",
            item.document,
        )
        return
    outcome = platform.deposit_in(
        con,
        supplier["structure_id"],
        documents[0],
        item.recipient_siret,
        item.channel,
        item.billing_framework,
        item.deposited_at,
        record_refusal=False,
    )
    if not outcome.accepted:
        _violations(result, INVOICES, n, item.invoice_id, outcome.errors)
        return
    assert outcome.invoice_id is not None  # accepted
    _remember(con, imported, f"invoice:{item.invoice_id}", outcome.invoice_id)
    result.invoices += 1
    _span(result, item.deposited_at)


def _import_event(
    platform: Platform,
    con: sqlite3.Connection,
    n: int,
    row: dict[str, Any],
    imported: dict[str, str],
    refused_invoices: set[str],
    now: datetime,
    result: ImportResult,
) -> None:
    try:
        item = ImportedEvent.model_validate(row)
    except ValidationError as err:
        _invalid(result, EVENTS, n, row, err)
        if row.get("invoice_id"):
            refused_invoices.add(str(row["invoice_id"]))
        return
    if f"event:{item.event_id}" in imported:
        result.already += 1
        return
    vigie_id = imported.get(f"invoice:{item.invoice_id}")
    if vigie_id is None:
        _reject(
            result,
            EVENTS,
            n,
            item.event_id,
            "IMP-05",
            "Facture inconnue : elle n'a pas été importée.",
            "Unknown invoice: it was not imported.",
            item.invoice_id,
        )
        return
    if item.invoice_id in refused_invoices:
        _reject(
            result,
            EVENTS,
            n,
            item.event_id,
            "IMP-06",
            "Un événement précédent de la facture a été refusé.",
            "An earlier event of the invoice was refused.",
            item.invoice_id,
        )
        return
    invoice = con.execute("select * from invoices where invoice_id = ?", (vigie_id,)).fetchone()
    role = {"supplier": "supplier", "platform": "platform"}.get(item.actor_role, "recipient")
    try:
        decision = platform.check_event(
            con,
            invoice,
            item.status_code,
            role,
            at=item.occurred_at,
            now=now,
            reason=item.reason_code,
            payment_date=item.payment_date,
            payment_amount=item.payment_amount,
        )
        if item.status_code == "DEPOSEE":  # a recycling needs corrected routing: not imported
            raise PlatformError(
                422,
                "IMP-07",
                "Un recyclage ne s'importe pas.",
                "A recycling is not imported.",
                item.event_id,
            )
    except PlatformError as err:
        _reject(
            result, EVENTS, n, item.event_id, err.code, err.message_fr, err.message_en, err.detail
        )
        refused_invoices.add(item.invoice_id)
        return
    event_id = platform.record_event(
        con,
        invoice,
        item.status_code,
        decision,
        at=item.occurred_at,
        actor_role=item.actor_role,
        actor_structure_id=None,
        reason=item.reason_code,
        comment=item.comment,
        payment_date=item.payment_date,
        payment_amount=item.payment_amount,
        recorded_at=item.occurred_at,  # as the previous system recorded it
    )
    _remember(con, imported, f"event:{item.event_id}", event_id)
    result.events += 1
    _span(result, item.occurred_at)


def _remember(
    con: sqlite3.Connection, imported: dict[str, str], source_id: str, vigie_id: str
) -> None:
    con.execute("insert into imported_records values (?, ?)", (source_id, vigie_id))
    imported[source_id] = vigie_id


def _span(result: ImportResult, at: datetime) -> None:
    day = today_in_paris(at).isoformat()
    result.first_day = min(result.first_day or day, day)
    result.last_day = max(result.last_day or day, day)


def write_rejects(rejects: list[Reject], path: Path) -> None:
    """The rejects as a CSV (UTF-8 with BOM and ``;`` separators, as French Excel opens it)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(REJECT_COLUMNS)
        for r in rejects:
            writer.writerow([r.file, r.row, r.id, r.code, r.message, r.message_en, r.detail])
