"""PDF deposits: Factur-X / ZUGFeRD (embedded CII XML) and plain PDFs with header fields."""

from __future__ import annotations

import io
import logging
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from vigie.platform.contracts.invoices import InvoiceDocument, VatBreakdown
from vigie.platform.documents.errors import DocumentError
from vigie.platform.documents.safe_xml import MAX_XML_BYTES

logging.getLogger("pypdf").setLevel(logging.ERROR)

#: embedded file names, in the order they are looked for, case-insensitively
#: (en16931-xpaths.md §6.2); ZUGFeRD 1.0's ZUGFeRD-invoice.xml is found too, and refused
#: by its root namespace
INVOICE_ATTACHMENTS = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


def embedded_invoice_xml(data: bytes) -> tuple[str, bytes] | None:
    """(file name, XML bytes) of the invoice embedded in a PDF, or None for a plain PDF."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        files = {f.name: f for f in reader.attachment_list}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as err:
        raise DocumentError("FMT-03", f"{type(err).__name__}: {err}") from None
    by_lower = {name.lower(): name for name in files}
    for wanted in INVOICE_ATTACHMENTS:
        if wanted in by_lower:
            name = by_lower[wanted]
            try:
                content = files[name].content
            except (PyPdfError, ValueError, KeyError, TypeError, OSError) as err:
                raise DocumentError("FMT-03", f"{name}: {err}") from None
            if len(content) > MAX_XML_BYTES:
                raise DocumentError("SIZE-02", f"{name}: {len(content):,} bytes")
            return name, content
    return None


class PdfHeaderFields(BaseModel):
    """Header of a plain PDF invoice, typed in by the supplier (portal form or API fields)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    invoice_number: str | None = Field(default=None, max_length=35)
    issue_date: date | None = None
    type_code: str = Field(default="380", pattern=r"^[0-9]{3}$")
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    total_excl_vat: Decimal | None = None
    total_vat: Decimal | None = None
    total_incl_vat: Decimal | None = None
    amount_due: Decimal | None = None
    vat_rate: Decimal | None = None
    service_code: str | None = Field(default=None, max_length=100)
    engagement_number: str | None = Field(default=None, max_length=50)

    @property
    def is_empty(self) -> bool:
        return self.invoice_number is None and self.total_incl_vat is None


def read_plain_pdf(fields: PdfHeaderFields) -> InvoiceDocument:
    """The header a supplier gave for a PDF without embedded XML (syntax ``PDF``)."""
    vat: tuple[VatBreakdown, ...] = ()
    if fields.total_excl_vat is not None and fields.total_vat is not None:
        category = "S" if fields.total_vat else "E"
        vat = (
            VatBreakdown(
                category=category,
                rate=fields.vat_rate,
                taxable=fields.total_excl_vat,
                tax=fields.total_vat,
            ),
        )
    return InvoiceDocument(
        syntax="PDF",
        invoice_number=fields.invoice_number,
        issue_date=fields.issue_date,
        type_code=fields.type_code,
        currency=fields.currency,
        buyer_reference=fields.service_code,
        purchase_order_ref=fields.engagement_number,
        total_without_vat=fields.total_excl_vat,
        total_vat=fields.total_vat,
        total_with_vat=fields.total_incl_vat,
        amount_due=fields.amount_due if fields.amount_due is not None else fields.total_incl_vat,
        vat_breakdown=vat,
    )
