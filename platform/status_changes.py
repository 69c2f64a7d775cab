"""Status changes: an invoice moved along its lifecycle by its recipient, completed or
recycled by its supplier, or reported late by the accounting (Hélios)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal

from vigie.platform import lifecycle
from vigie.platform.contracts import landing as L
from vigie.platform.contracts.api import Recycled
from vigie.platform.contracts.invoices import InvoiceDocument
from vigie.platform.contracts.types import ActorRole, StatusCode, to_cents
from vigie.platform.errors import PlatformError, lifecycle_error, refused_change
from vigie.platform.events import write_deposit_events, write_event
from vigie.platform.paris import PARIS, today_in_paris
from vigie.platform.routing import route
from vigie.platform.store import Caller, Store, utcnow


def invoice_record(row: sqlite3.Row, updated_at: datetime) -> L.Invoice:
    """The landing record of a stored invoice, as a new version made at ``updated_at``."""
    data = {k: row[k] for k in L.Invoice.model_fields if k != "updated_at"}
    return L.Invoice.model_validate({**data, "updated_at": updated_at})


def _roles(caller: Caller, row: sqlite3.Row, actor: str | None) -> tuple[str, ActorRole]:
    """Who acts on the invoice (the lifecycle's role) and as what the event records it."""
    if caller.is_operator:
        return "platform", "platform"
    if caller.structure_id == row["recipient_structure_id"]:
        if actor == "accountant":
            return "recipient", "accountant"
        if actor == "helios":
            return "recipient", "helios"
        return "recipient", "recipient"
    return "supplier", "supplier"


class StatusChanges:
    def __init__(self, store: Store) -> None:
        self.store = store

    def change(
        self,
        caller: Caller,
        row: sqlite3.Row,
        status: StatusCode,
        *,
        reason: str | None = None,
        comment: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
        occurred_at: datetime | None = None,
        actor: str | None = None,
        recipient_siret: str | None = None,
        service_code: str | None = None,
        engagement_number: str | None = None,
    ) -> tuple[str, bool] | Recycled:
        """Move the invoice of ``row`` (one the caller sees) along its lifecycle: the new
        event's id and whether it came out of order, or the recycled invoice."""
        role, actor_role = _roles(caller, row, actor)
        now = utcnow()
        at = occurred_at or now
        with self.store.write() as con:
            fresh = con.execute(
                "select * from invoices where invoice_id = ?", (row["invoice_id"],)
            ).fetchone()  # decided on the row as it is now, not as it was read before
            decision = self.check_event(
                con,
                fresh,
                status,
                role,
                at=at,
                now=now,
                reason=reason,
                payment_date=payment_date,
                payment_amount=payment_amount,
            )
            if status == "DEPOSEE":
                return self._recycle(
                    con,
                    caller,
                    fresh,
                    at,
                    comment,
                    recipient_siret,
                    service_code,
                    engagement_number,
                )
            event_id = self.record_event(
                con,
                fresh,
                status,
                decision,
                at=at,
                actor_role=actor_role,
                actor_structure_id=caller.structure_id,
                reason=reason,
                comment=comment,
                payment_date=payment_date,
                payment_amount=payment_amount,
            )
        return event_id, decision.out_of_order

    def check_event(
        self,
        con: sqlite3.Connection,
        row: sqlite3.Row,
        status: str,
        role: str,
        *,
        at: datetime,
        now: datetime,
        reason: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
    ) -> lifecycle.Decision:
        """Every check a status change passes (raises ``PlatformError``): the lifecycle, the
        data it requires, and time (a payment before receipt or after today in Paris, an
        event before the deposit, in the future, or before the invoice's previous event)."""
        decision = lifecycle.decide(row["status"], status, role)
        if not decision.ok:
            raise refused_change(decision)
        if status in lifecycle.REASON_REQUIRED and not (reason and reason.strip()):
            raise lifecycle_error("LC-03", status)
        if status == "MISE_EN_PAIEMENT" and (payment_date is None or payment_amount is None):
            raise lifecycle_error("LC-04")
        deposited_at = datetime.fromisoformat(row["deposited_at"])
        if payment_date is not None:
            received = deposited_at.astimezone(PARIS).date()
            if payment_date < received:
                raise lifecycle_error("LC-09", f"{payment_date} < {received}")
            if payment_date > today_in_paris(now):
                raise lifecycle_error("LC-10", str(payment_date))
        if at.tzinfo is None or at > now + timedelta(minutes=5) or at < deposited_at:
            raise lifecycle_error("LC-06", str(at))
        (previous_at,) = con.execute(
            "select max(occurred_at) from invoice_status_events where invoice_id = ?",
            (row["invoice_id"],),
        ).fetchone()
        # an accounting status Hélios sends late (out of order) keeps its own older date
        if (
            previous_at is not None
            and not decision.out_of_order
            and at < datetime.fromisoformat(previous_at)
        ):
            raise lifecycle_error("LC-11", f"{at.isoformat()} < {previous_at}")
        return decision

    def record_event(
        self,
        con: sqlite3.Connection,
        row: sqlite3.Row,
        status: StatusCode,
        decision: lifecycle.Decision,
        *,
        at: datetime,
        actor_role: ActorRole,
        actor_structure_id: str | None,
        reason: str | None = None,
        comment: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
        recorded_at: datetime | None = None,
    ) -> str:
        """Record a status change that passed :meth:`check_event`; returns its event id.
        ``recorded_at``: now, unless the event comes from a previous system's history."""
        event_id = write_event(
            self.store,
            con,
            row["invoice_id"],
            status,
            at,
            actor_role,
            actor_structure_id,
            reason=reason,
            comment=comment,
            payment_date=payment_date,
            payment_amount=to_cents(payment_amount),
            out_of_order=decision.out_of_order,
            recorded_at=recorded_at,
        )
        if not decision.out_of_order:
            con.execute(
                "update invoices set status = ?, status_at = ? where invoice_id = ?",
                (status, at.isoformat(), row["invoice_id"]),
            )
        return event_id

    def _recycle(
        self,
        con: sqlite3.Connection,
        caller: Caller,
        row: sqlite3.Row,
        at: datetime,
        comment: str | None,
        recipient_siret: str | None,
        service_code: str | None,
        engagement_number: str | None,
    ) -> Recycled:
        """The supplier deposits the invoice again with corrected routing data."""
        if not (recipient_siret or service_code or engagement_number):
            raise lifecycle_error("LC-07")
        doc = InvoiceDocument(
            syntax=row["syntax"],
            invoice_number=row["invoice_number"],
            issue_date=date.fromisoformat(row["issue_date"]),
            buyer_reference=service_code or row["service_code"],
            purchase_order_ref=engagement_number or row["engagement_number"],
        )
        current_recipient = con.execute(
            "select siret from structures where structure_id = ?",
            (row["recipient_structure_id"],),
        ).fetchone()
        routing, errors = route(
            con,
            row["supplier_structure_id"],
            doc,
            recipient_siret or current_recipient["siret"],
            exclude_invoice_id=row["invoice_id"],
        )
        if errors or routing is None or routing.recipient is None:
            raise PlatformError(
                422,
                "LC-08",
                "Le recyclage est refusé : données d'acheminement invalides.",
                "Recycling refused: invalid routing data.",
                errors=errors,
            )
        recipient = routing.recipient
        con.execute(
            "update invoices set recipient_structure_id = ?, service_code = ?,"
            " engagement_number = ?, scope = ?, status = 'MISE_A_DISPOSITION', status_at = ?"
            " where invoice_id = ?",
            (
                recipient["structure_id"],
                routing.service_code,
                routing.engagement_number,
                "B2G" if recipient["is_public"] else row["scope"],
                at.isoformat(),
                row["invoice_id"],
            ),
        )
        updated = con.execute(
            "select * from invoices where invoice_id = ?", (row["invoice_id"],)
        ).fetchone()
        self.store.emit(con, invoice_record(updated, utcnow()), row["invoice_id"])
        write_deposit_events(
            self.store,
            con,
            row["invoice_id"],
            at,
            routed=True,
            actor_role="supplier",
            actor_structure_id=caller.structure_id,
            comment=comment,
        )
        return Recycled(
            id=row["invoice_id"], status="MISE_A_DISPOSITION", recipient_siret=recipient["siret"]
        )
