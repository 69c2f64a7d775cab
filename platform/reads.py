"""What a key may read: its invoices (deposited or received), their history, the
look-up by number. An invoice the caller may not see answers 404, as one that does not
exist."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from vigie.platform.contracts.api import (
    History,
    InvoiceDetail,
    InvoiceOut,
    InvoicePage,
    LookupMatch,
    Party,
    RuleViolation,
    StatusEventOut,
    VatBreakdownLine,
)
from vigie.platform.errors import not_found
from vigie.platform.store import Caller, Store


def sees(caller: Caller, row: sqlite3.Row) -> bool:
    return caller.is_operator or caller.structure_id in (
        row["supplier_structure_id"],
        row["recipient_structure_id"],
    )


class Reads:
    def __init__(self, store: Store) -> None:
        self.store = store

    def visible_invoice(self, caller: Caller, invoice_id: str) -> sqlite3.Row:
        row = self.store.read_one("select * from invoices where invoice_id = ?", (invoice_id,))
        if row is None or not sees(caller, row):
            raise not_found("Facture")  # same answer whether it exists or not
        return row

    def _invoice_out(self, row: sqlite3.Row) -> InvoiceOut:
        parties = {
            r["structure_id"]: Party(id=r["structure_id"], siret=r["siret"], name=r["name"])
            for r in self.store.read(
                "select structure_id, siret, name from structures where structure_id in (?, ?)",
                (row["supplier_structure_id"], row["recipient_structure_id"]),
            )
        }
        vat_lines = self.store.read(
            "select * from invoice_vat_lines where invoice_id = ? order by line_number",
            (row["invoice_id"],),
        )
        return InvoiceOut(
            id=row["invoice_id"],
            invoice_number=row["invoice_number"],
            type_code=row["type_code"],
            issue_date=row["issue_date"],
            deposited_at=row["deposited_at"],
            status=row["status"],
            status_at=row["status_at"],
            supplier=parties.get(row["supplier_structure_id"]),
            recipient=parties.get(row["recipient_structure_id"]),
            service_code=row["service_code"],
            engagement_number=row["engagement_number"],
            billing_framework=row["billing_framework"],
            channel=row["channel"],
            syntax=row["syntax"],
            scope=row["scope"],
            currency=row["currency_code"],
            total_excl_vat=row["total_excl_vat"],
            total_vat=row["total_vat"],
            total_incl_vat=row["total_incl_vat"],
            amount_due=row["amount_due"],
            line_count=row["line_count"],
            document_sha256=row["document_sha256"],
            vat_breakdown=[
                VatBreakdownLine(
                    category=v["vat_category_code"],
                    rate=v["vat_rate"],
                    taxable=v["taxable_amount"],
                    tax=v["tax_amount"],
                )
                for v in vat_lines
            ],
        )

    def invoice(self, caller: Caller, invoice_id: str) -> InvoiceDetail:
        out = self._invoice_out(self.visible_invoice(caller, invoice_id))
        row = self.store.read_one(
            "select warnings from invoice_warnings where invoice_id = ?", (invoice_id,)
        )
        warnings = [RuleViolation(**w) for w in json.loads(row["warnings"])] if row else []
        return InvoiceDetail(**dict(out), warnings=warnings)

    def history(self, caller: Caller, invoice_id: str) -> History:
        self.visible_invoice(caller, invoice_id)
        rows = self.store.read(
            "select * from invoice_status_events where invoice_id = ? order by rowid",
            (invoice_id,),
        )
        events = [
            StatusEventOut(
                event_id=r["event_id"],
                status=r["status_code"],
                occurred_at=r["occurred_at"],
                actor=r["actor_role"],
                reason=r["reason_code"],
                comment=r["comment"],
                payment_date=r["payment_date"],
                payment_amount=r["payment_amount"],
                out_of_order=bool(r["is_out_of_order"]),
            )
            for r in rows
        ]
        return History(invoice_id=invoice_id, events=events)

    def list_invoices(
        self,
        caller: Caller,
        *,
        number: str | None = None,
        status: str | None = None,
        deposited_from: date | None = None,
        deposited_to: date | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> InvoicePage:
        """The caller's invoices, newest deposit first, filtered and paginated."""
        where: list[str] = []
        params: list[object] = []
        if not caller.is_operator:
            where.append("(supplier_structure_id = ? or recipient_structure_id = ?)")
            params += [caller.structure_id, caller.structure_id]
        for clause, value in (
            ("invoice_number = ?", number),
            ("status = ?", status),
            ("deposited_at >= ?", deposited_from and deposited_from.isoformat()),
            ("deposited_at < ?", deposited_to and (deposited_to + timedelta(days=1)).isoformat()),
            ("issue_date >= ?", issued_from and issued_from.isoformat()),
            ("issue_date <= ?", issued_to and issued_to.isoformat()),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql_where = (" where " + " and ".join(where)) if where else ""
        total = self.store.read(f"select count(*) from invoices{sql_where}", params)[0][0]
        rows = self.store.read(
            f"select * from invoices{sql_where} order by deposited_at desc, invoice_id"
            " limit ? offset ?",
            [*params, limit, offset],
        )
        items = [self._invoice_out(r) for r in rows]
        return InvoicePage(total=total, limit=limit, offset=offset, items=items)

    def lookup(self, caller: Caller, number: str) -> list[LookupMatch]:
        """The virtual assistant's look-up: number → recipient, current status and its date."""
        return [
            LookupMatch(
                id=inv.id,
                invoice_number=inv.invoice_number,
                issue_date=inv.issue_date,
                recipient=inv.recipient,
                status=inv.status,
                # the date as the platform stored it (UTC), as the assistant has always said
                status_date=date.fromisoformat(inv.status_at.isoformat()[:10]),
                status_at=inv.status_at,
            )
            for inv in self.list_invoices(caller, number=number, limit=100).items
        ]
