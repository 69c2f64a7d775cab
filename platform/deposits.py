"""Deposits: every document of an upload judged, archived, stored and announced.

One document is one SQLite transaction (its invoice, VAT lines, events and outbox rows),
or a refusal recorded with every rule it broke; the other documents of a batch go on.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import get_args

from vigie.platform.contracts import landing as L
from vigie.platform.contracts.api import DepositAccepted, DepositRefused, RuleViolation
from vigie.platform.contracts.invoices import InvoiceDocument
from vigie.platform.contracts.types import (
    BillingFramework,
    Channel,
    Scope,
    StatusCode,
    to_cents,
)
from vigie.platform.document_store import DocumentStore
from vigie.platform.documents.pdf import PdfHeaderFields
from vigie.platform.documents.read import ReadResult, read_documents
from vigie.platform.errors import PlatformError, not_found
from vigie.platform.events import write_deposit_events
from vigie.platform.identifiers import siret_problem
from vigie.platform.routing import Routing, buyer_identifier, route
from vigie.platform.rules import Violation, check_document, document_warnings, violation
from vigie.platform.store import Caller, Store, new_id, utcnow

BILLING_FRAMEWORKS = frozenset(get_args(BillingFramework))
CHANNELS = frozenset(get_args(Channel))


@dataclass
class DepositOutcome:
    """The verdict on one document of a deposit."""

    file: str
    accepted: bool
    invoice_id: str | None = None
    refusal_id: str | None = None
    invoice_number: str | None = None
    syntax: str | None = None
    status: StatusCode | None = None
    errors: list[Violation] = field(default_factory=list)
    #: the official artefacts' warnings: shown, recorded with the invoice, not refusing it
    warnings: list[Violation] = field(default_factory=list)

    def response(self) -> DepositAccepted | DepositRefused:
        if self.accepted:
            assert self.invoice_id is not None and self.status is not None
            return DepositAccepted(
                file=self.file,
                invoice_number=self.invoice_number,
                syntax=self.syntax,
                id=self.invoice_id,
                invoice_status=self.status,
                warnings=[RuleViolation(**w.as_dict()) for w in self.warnings],
            )
        return DepositRefused(
            file=self.file,
            invoice_number=self.invoice_number,
            syntax=self.syntax,
            refusal_id=self.refusal_id,
            errors=[RuleViolation(**e.as_dict()) for e in self.errors],
        )


def _text(value: str | None, limit: int) -> str | None:
    return None if value is None else value[:limit]


class Deposits:
    def __init__(self, store: Store, documents: DocumentStore) -> None:
        self.store = store
        self.documents = documents

    def deposit(
        self,
        caller: Caller,
        data: bytes,
        file_name: str,
        *,
        recipient_siret: str | None = None,
        channel: str = "api",
        billing_framework: str | None = None,
        header: PdfHeaderFields | None = None,
        supplier_siret: str | None = None,
    ) -> list[DepositOutcome]:
        """Judge and store every document of one upload; one outcome per document."""
        supplier_id = self._depositing_supplier(caller, supplier_siret)
        if channel not in CHANNELS:
            raise PlatformError(422, "DEP-01", "Canal inconnu.", "Unknown channel.", channel)
        if billing_framework is not None and billing_framework not in BILLING_FRAMEWORKS:
            raise PlatformError(
                422,
                "DEP-02",
                "Cadre de facturation inconnu.",
                "Unknown billing framework.",
                billing_framework,
            )
        outcomes = []
        for result in read_documents(data, file_name, header):
            with self.store.write() as con:
                outcomes.append(
                    self.deposit_in(
                        con,
                        supplier_id,
                        result,
                        recipient_siret,
                        channel,
                        billing_framework,
                        utcnow(),
                    )
                )
        return outcomes

    def _depositing_supplier(self, caller: Caller, supplier_siret: str | None) -> str:
        if not caller.is_operator:
            assert caller.structure_id is not None
            return caller.structure_id
        if not supplier_siret:
            raise PlatformError(
                422,
                "DEP-03",
                "Un opérateur doit préciser le SIRET du fournisseur.",
                "An operator must give the supplier SIRET.",
            )
        row = self.store.read_one(
            "select structure_id from structures where siret = ?", (supplier_siret,)
        )
        if row is None:
            raise not_found("Structure")
        return str(row["structure_id"])

    def deposit_in(
        self,
        con: sqlite3.Connection,
        supplier_id: str,
        result: ReadResult,
        recipient_siret: str | None,
        channel: str,
        billing_framework: str | None,
        now: datetime,
        *,
        record_refusal: bool = True,
    ) -> DepositOutcome:
        """Judge one document and store it as deposited at ``now``, inside the caller's
        transaction (a deposit's own, or a whole history import's)."""
        doc = result.document
        outcome = DepositOutcome(
            file=result.name,
            accepted=False,
            invoice_number=doc.invoice_number if doc else None,
            syntax=doc.syntax if doc else None,
        )
        routing = None
        if result.error is not None:
            errors = [violation(result.error.code, result.error.detail)]
        else:
            assert doc is not None
            errors = check_document(doc)
            if not errors:
                routing, errors = route(con, supplier_id, doc, recipient_siret)
        if errors or routing is None or doc is None or result.data is None:
            outcome.errors = errors
            if record_refusal:
                outcome.refusal_id = self._refuse(
                    con, supplier_id, doc, recipient_siret, channel, result.name, errors, now
                )
            return outcome
        sha, created = self.documents.put(result.data)
        try:
            invoice = _invoice_record(
                supplier_id, doc, routing, channel, billing_framework, sha, now
            )
            self._store_invoice(con, invoice, doc, routing, result.name)
            warnings = document_warnings(doc)
            if warnings:
                con.execute(
                    "insert into invoice_warnings values (?, ?)",
                    (
                        invoice.invoice_id,
                        json.dumps([w.as_dict() for w in warnings], ensure_ascii=False),
                    ),
                )
        except BaseException:
            if created:
                self.documents.remove(sha)
            raise
        outcome.warnings = warnings
        outcome.accepted = True
        outcome.invoice_id = invoice.invoice_id
        # an international invoice without a recipient on the platform stays deposited
        outcome.status = "MISE_A_DISPOSITION" if routing.recipient is not None else "DEPOSEE"
        return outcome

    def _refuse(
        self,
        con: sqlite3.Connection,
        supplier_id: str,
        doc: InvoiceDocument | None,
        recipient_siret: str | None,
        channel: str,
        file_name: str,
        errors: list[Violation],
        now: datetime,
    ) -> str:
        refusal = L.DepositRefusal(
            refusal_id=new_id("ref"),
            supplier_structure_id=supplier_id,
            recipient_siret=(
                recipient_siret
                if recipient_siret and siret_problem(recipient_siret) is None
                else (doc.buyer.siret if doc else None)
            ),
            invoice_number=_text(doc.invoice_number, 40) if doc else None,
            channel=channel,
            syntax=doc.syntax if doc else None,
            refused_at=now,
            rule_code=errors[0].code,
            rule_codes=",".join(dict.fromkeys(e.code for e in errors))[:500],
        )
        self.store.save(
            con,
            refusal,
            file_name=file_name[:200],
            errors=json.dumps([e.as_dict() for e in errors], ensure_ascii=False),
        )
        return refusal.refusal_id

    def _store_invoice(
        self,
        con: sqlite3.Connection,
        invoice: L.Invoice,
        doc: InvoiceDocument,
        routing: Routing,
        file_name: str,
    ) -> None:
        at = invoice.deposited_at
        routed = routing.recipient is not None
        self.store.save(
            con,
            invoice,
            issue_year=invoice.issue_date.year,
            file_name=file_name[:200],
            status="MISE_A_DISPOSITION" if routed else "DEPOSEE",
            status_at=at,
        )
        for n, line in enumerate(doc.vat_breakdown, start=1):
            vat = L.InvoiceVatLine(
                invoice_id=invoice.invoice_id,
                line_number=n,
                deposited_at=at,
                vat_category_code=line.category or "S",
                vat_rate=to_cents(line.rate),
                taxable_amount=to_cents(line.taxable) or Decimal("0.00"),
                tax_amount=to_cents(line.tax) or Decimal("0.00"),
                exemption_reason=_text(line.exemption_reason, 500),
                exemption_reason_code=_text(line.exemption_reason_code, 40),
            )
            self.store.save(con, vat)
        write_deposit_events(self.store, con, invoice.invoice_id, at, routed=routed)


def _scope(doc: InvoiceDocument, recipient: sqlite3.Row | None) -> Scope:
    if recipient is None:
        return "B2Bi"
    if recipient["is_public"]:
        return "B2G"
    return "B2B" if (doc.buyer.country_code or "FR") == "FR" else "B2Bi"


def _invoice_record(
    supplier_id: str,
    doc: InvoiceDocument,
    routing: Routing,
    channel: str,
    framework: str | None,
    sha: str,
    now: datetime,
) -> L.Invoice:
    """The landing record of an accepted document (every value it needs was checked)."""
    recipient = routing.recipient
    framework = framework or (
        doc.business_process if doc.business_process in BILLING_FRAMEWORKS else "A1"
    )
    buyer_id, buyer_scheme = buyer_identifier(doc)
    return L.Invoice.model_validate(
        {
            "invoice_id": new_id("inv"),
            "invoice_number": doc.invoice_number,
            "type_code": doc.type_code,
            "supplier_structure_id": supplier_id,
            "recipient_structure_id": recipient["structure_id"] if recipient else None,
            "service_code": routing.service_code,
            "engagement_number": _text(routing.engagement_number, 500),
            "billing_framework": framework,
            "channel": channel,
            "syntax": doc.syntax,
            "scope": _scope(doc, recipient),
            "goods_services_nature": {"B": "goods", "S": "services", "M": "mixed"}.get(
                (framework or "A")[0]
            ),
            "issue_date": doc.issue_date,
            "deposited_at": now,
            "currency_code": doc.currency,
            "total_excl_vat": to_cents(doc.total_without_vat),
            "total_vat": Decimal("0.00") if doc.total_vat is None else to_cents(doc.total_vat),
            "total_incl_vat": to_cents(doc.total_with_vat),
            "amount_due": to_cents(doc.amount_due),
            "line_count": doc.line_count,
            "original_invoice_number": _text(doc.preceding_invoice_ref, 500),
            "document_sha256": sha,
            "updated_at": now,
            "buyer_identifier": buyer_id,
            "buyer_identifier_scheme": buyer_scheme,
            "buyer_vat_id": _text(doc.buyer.vat_id, 40),
            "buyer_country_code": doc.buyer.country_code,
            "buyer_name": _text(doc.buyer.name, 500),
            "due_date": doc.due_date,
            "delivery_date": doc.delivery_date,
        }
    )
