"""Where a document goes: its recipient, service and engagement, as the platform checks
them at deposit and at recycling (rules REG-01 to REG-08)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from vigie.platform.contracts.invoices import InvoiceDocument
from vigie.platform.identifiers import party_identifier, siret_problem
from vigie.platform.rules import Violation, violation


@dataclass(frozen=True)
class Routing:
    """A routed document: its recipient (None: an international B2B invoice of an
    e-reporting declarant, which has no recipient on the platform)."""

    recipient: sqlite3.Row | None
    service_code: str | None
    engagement_number: str | None


def is_foreign_buyer(doc: InvoiceDocument) -> bool:
    """The buyer is a company outside France that the document identifies: an
    international B2B invoice, reported in e-reporting flow 10.1 (never a B2C one)."""
    country = (doc.buyer.country_code or "FR").upper()
    return country != "FR" and not doc.buyer.siret and bool(doc.buyer.vat_id or doc.buyer.name)


def buyer_identifier(doc: InvoiceDocument) -> tuple[str | None, str | None]:
    b = doc.buyer
    return party_identifier(
        siret=b.siret, siren=b.siren, vat_id=b.vat_id, country=b.country_code, name=b.name
    )


def _structure_by_siret(con: sqlite3.Connection, siret: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = con.execute(
        "select * from structures where siret = ?", (siret,)
    ).fetchone()
    return row


def route(
    con: sqlite3.Connection,
    supplier_id: str,
    doc: InvoiceDocument,
    recipient_siret: str | None,
    exclude_invoice_id: str | None = None,
) -> tuple[Routing | None, list[Violation]]:
    """Find the recipient and check its routing requirements and duplicates: the routing
    (None when no recipient is found) and every rule broken."""
    recipient = _structure_by_siret(con, doc.buyer.siret) if doc.buyer.siret else None
    if recipient is None and recipient_siret:
        problem = siret_problem(recipient_siret)
        if problem:
            return None, [violation("REG-08", f"{recipient_siret}: {problem}")]
        recipient = _structure_by_siret(con, recipient_siret)
        if recipient is None:
            return None, [violation("REG-01", recipient_siret)]
    if (
        recipient is None
        and not recipient_siret
        and is_foreign_buyer(doc)
        and is_declarant(con, supplier_id)
    ):
        # an international B2B invoice (B2Bi) of an e-reporting declarant: no recipient
        # on the platform, recorded for e-reporting (flow 10.1)
        return Routing(None, None, None), duplicates(con, supplier_id, doc, exclude_invoice_id)
    if recipient is None:
        return None, [violation("REG-07", f"document buyer SIRET: {doc.buyer.siret or 'none'}")]
    errors: list[Violation] = []
    if not recipient["is_active"]:
        errors.append(violation("REG-02", recipient["siret"]))
    service_code = doc.buyer_reference
    service = None
    if service_code:
        service = con.execute(
            "select * from services where structure_id = ? and service_code = ?",
            (recipient["structure_id"], service_code),
        ).fetchone()
    if recipient["requires_service_code"]:
        if not service_code:
            errors.append(violation("REG-03"))
        elif service is None or not service["is_active"]:
            errors.append(violation("REG-04", service_code))
    needs_engagement = recipient["requires_engagement_number"] or (
        service is not None and service["requires_engagement_number"]
    )
    if needs_engagement and not doc.purchase_order_ref:
        errors.append(violation("REG-05"))
    errors += duplicates(con, supplier_id, doc, exclude_invoice_id)
    routing = Routing(
        recipient=recipient,
        service_code=service_code if service is not None else None,
        engagement_number=doc.purchase_order_ref,
    )
    return routing, errors


def is_declarant(con: sqlite3.Connection, structure_id: str) -> bool:
    row = con.execute(
        "select vat_regime from structures where structure_id = ?", (structure_id,)
    ).fetchone()
    return row is not None and row["vat_regime"] is not None


def duplicates(
    con: sqlite3.Connection,
    supplier_id: str,
    doc: InvoiceDocument,
    exclude_invoice_id: str | None,
) -> list[Violation]:
    """REG-06: one invoice number per supplier and year of issue (G1.42)."""
    assert doc.issue_date is not None  # a checked document has one (BR-02)
    duplicate = con.execute(
        "select invoice_id from invoices where supplier_structure_id = ?"
        " and invoice_number = ? and issue_year = ? and invoice_id is not ?",
        (supplier_id, doc.invoice_number, doc.issue_date.year, exclude_invoice_id),
    ).fetchone()
    if duplicate is not None:
        return [violation("REG-06", f"{doc.invoice_number} ({doc.issue_date.year})")]
    return []
