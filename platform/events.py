"""The one place an invoice's status event is written (deposit, status change, recycling,
history import)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal

from vigie.platform import lifecycle
from vigie.platform.contracts import landing as L
from vigie.platform.contracts.types import ActorRole, StatusCode
from vigie.platform.store import Store, new_id, utcnow


def write_event(
    store: Store,
    con: sqlite3.Connection,
    invoice_id: str,
    status: StatusCode,
    at: datetime,
    actor_role: ActorRole,
    actor_structure_id: str | None,
    *,
    reason: str | None = None,
    comment: str | None = None,
    payment_date: date | None = None,
    payment_amount: Decimal | None = None,
    out_of_order: bool = False,
    recorded_at: datetime | None = None,
) -> str:
    """Store a status event of ``invoice_id`` and announce it, numbered after the invoice's
    events recorded before it (:func:`lifecycle.next_place`); returns its event id.

    ``recorded_at``: when the hub learnt of the event, now unless the event comes from a
    previous system's history (its own date then)."""
    place = lifecycle.next_place(last_place(con, invoice_id), status, at, out_of_order=out_of_order)
    event = L.InvoiceStatusEvent(
        event_id=new_id("evt"),
        invoice_id=invoice_id,
        status_code=status,
        occurred_at=at,
        actor_role=actor_role,
        reason_code=reason,
        comment=comment,
        payment_date=payment_date,
        payment_amount=payment_amount,
        event_sequence=place.sequence,
        previous_status_code=place.previous_status,
        previous_status_at=place.previous_at,
        deposit_round=place.deposit_round,
        is_out_of_order=out_of_order,
        recorded_at=recorded_at or utcnow(),
    )
    store.save(con, event, actor_structure_id=actor_structure_id)
    return event.event_id


def last_place(con: sqlite3.Connection, invoice_id: str) -> lifecycle.Place[datetime] | None:
    """Where the invoice's lifecycle stands after its last recorded event (None: no event)."""
    last = con.execute(
        "select event_sequence, deposit_round from invoice_status_events"
        " where invoice_id = ? order by event_sequence desc limit 1",
        (invoice_id,),
    ).fetchone()
    if last is None:
        return None
    status, since = con.execute(
        "select status_code, occurred_at from invoice_status_events"
        " where invoice_id = ? and not is_out_of_order order by event_sequence desc limit 1",
        (invoice_id,),
    ).fetchone()
    at = datetime.fromisoformat(since)
    return lifecycle.Place(last[0], None, None, last[1], status, at)


def write_deposit_events(
    store: Store,
    con: sqlite3.Connection,
    invoice_id: str,
    at: datetime,
    *,
    routed: bool,
    actor_role: ActorRole = "platform",
    actor_structure_id: str | None = None,
    comment: str | None = None,
) -> None:
    """DEPOSEE, then MISE_A_DISPOSITION when the invoice has a recipient to receive it.

    The platform records a first deposit itself; the supplier deposits again when it
    recycles an invoice."""
    write_event(
        store, con, invoice_id, "DEPOSEE", at, actor_role, actor_structure_id, comment=comment
    )
    if routed:
        write_event(store, con, invoice_id, "MISE_A_DISPOSITION", at, "platform", None)
