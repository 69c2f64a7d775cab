"""``vigie invoice check``: parse and validate documents without any registry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from vigie.platform.contracts.invoices import InvoiceDocument
from vigie.platform.documents.pdf import PdfHeaderFields
from vigie.platform.documents.read import ReadResult, read_documents
from vigie.platform.rules import check_document, document_warnings, violation


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _notes(doc: InvoiceDocument) -> str:
    notes = []
    for label, term, value in (
        ("prepaid amount", "BT-113", doc.prepaid_amount),
        ("rounding amount", "BT-114", doc.rounding_amount),
        ("document allowances", "BT-107", doc.allowance_total),
        ("document charges", "BT-108", doc.charge_total),
    ):
        if value:
            notes.append(f"{label} {term} = {value}")
    if len({(v.category, v.rate) for v in doc.vat_breakdown}) > 1:
        notes.append("multiple VAT categories/rates")
    return "; ".join(notes)


def summary(doc: InvoiceDocument) -> dict[str, Any]:
    """The business terms of ``doc`` under the column names of the corpus' expected.csv."""
    return {
        "syntax": doc.syntax,
        "invoice_number": doc.invoice_number,
        "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
        "type_code": doc.type_code,
        "currency": doc.currency,
        "seller_name": doc.seller.name,
        "seller_vat_id": doc.seller.vat_id,
        "buyer_name": doc.buyer.name,
        "buyer_reference": doc.buyer_reference,
        "purchase_order_ref": doc.purchase_order_ref,
        "line_count": doc.line_count,
        "sum_of_line_net": _amount(doc.sum_of_line_net),
        "total_without_vat": _amount(doc.total_without_vat),
        "total_vat": _amount(doc.total_vat),
        "total_with_vat": _amount(doc.total_with_vat),
        "amount_due": _amount(doc.amount_due),
        "vat_breakdown": [
            {
                "category": v.category,
                "rate": _amount(v.rate),
                "taxable": _amount(v.taxable),
                "tax": _amount(v.tax),
            }
            for v in doc.vat_breakdown
        ],
        "embedded_xml": doc.embedded_xml,
        "billing_framework_bt23": doc.business_process,
        "specification_id": doc.specification_id,
        "seller_siret": doc.seller.siret,
        "buyer_siret": doc.buyer.siret,
        "notes": _notes(doc),
    }


def judge(result: ReadResult) -> dict[str, Any]:
    """One document's terms (when readable) and the rules it fails."""
    warnings = []
    if result.error is not None:
        errors = [violation(result.error.code, result.error.detail)]
        out: dict[str, Any] = {"file": result.name}
    else:
        assert result.document is not None  # read without error
        errors = check_document(result.document)
        warnings = document_warnings(result.document)
        out = {"file": result.name, **summary(result.document)}
    out["valid"] = not errors
    out["errors"] = [e.as_dict() for e in errors]
    out["warnings"] = [w.as_dict() for w in warnings]
    return out


def check_bytes(data: bytes, name: str, header: PdfHeaderFields | None = None) -> dict[str, Any]:
    """The verdict on one file: one object, with ``entries`` for a ZIP batch."""
    results = [judge(r) for r in read_documents(data, name, header)]
    if len(results) == 1 and results[0]["file"] == name:
        return results[0]
    return {"file": name, "valid": all(r["valid"] for r in results), "entries": results}
