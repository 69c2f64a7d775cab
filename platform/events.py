"""The one place an invoice's status event is written (deposit, status change, recycling,
history import)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal

from vigie.platform.contracts import landing as L
from vigie.platform.contracts.types import ActorRole, StatusCode
from vigie.platform.store import Store, new_id


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
) -> str:
    """Store a status event of ``invoice_id`` and announce it; returns its event id."""
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
    )
    store.save(con, event, actor_structure_id=actor_structure_id, is_out_of_order=out_of_order)
    return event.event_id


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
