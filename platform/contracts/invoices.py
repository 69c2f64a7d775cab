"""What a parser reads from one invoice document (EN 16931 business terms).

Parsers of every syntax (UBL 2.1, CII D16B, Factur-X, plain PDF with form fields) return
an :class:`InvoiceDocument`. Amounts keep the exact decimal the document wrote (``336.9``,
``2000``, ``19.00``); a term the document does not carry is ``None``. Validation rules
(:mod:`vigie.platform.rules`) work on this model only, never on XML.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

Syntax = Literal["UBL", "CII", "FACTURX", "PDF"]


class VatBreakdown(BaseModel):
    """One BG-23 line: VAT category, rate, taxable base and tax amount."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str | None  # BT-118
    rate: Decimal | None  # BT-119 (absent for category O)
    taxable: Decimal | None  # BT-116
    tax: Decimal | None  # BT-117
    exemption_reason: str | None = None  # BT-120
    exemption_reason_code: str | None = None  # BT-121 (VATEX)


class Party(BaseModel):
    """Seller (BG-4) or buyer (BG-7), with the identifiers the routing needs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = None  # BT-27 / BT-44
    vat_id: str | None = None  # BT-31 / BT-48
    siret: str | None = None  # BT-29 / BT-46 with scheme 0009, or a bare 14-digit id
    siren: str | None = None  # BT-30 / BT-47 with scheme 0002, or a bare 9-digit id
    country_code: str | None = None  # BT-40 / BT-55
    has_postal_address: bool = False  # BG-5 / BG-8
    electronic_address_schemes: tuple[str, ...] = ()  # BT-34-1 / BT-49-1


class RuleFinding(BaseModel):
    """One failed assertion of an official validation artefact (EN 16931, BR-FR)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str  # e.g. BR-CO-17, BR-CL-10, BR-FR-12
    flag: str  # fatal / error refuse the document; warning does not
    text: str  # the artefact's own message
    location: str  # XPath of the node it is about
    artefact: str  # EN16931 or BR-FR

    @property
    def blocking(self) -> bool:
        return self.flag in ("fatal", "error")


class InvoiceDocument(BaseModel):
    """The business terms of one invoice or credit note, as the document states them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    syntax: Syntax
    #: for a PDF: the name of the embedded XML file the terms were read from
    embedded_xml: str | None = None
    specification_id: str | None = None  # BT-24
    business_process: str | None = None  # BT-23
    invoice_number: str | None = None  # BT-1
    issue_date: date | None = None  # BT-2
    type_code: str | None = None  # BT-3
    currency: str | None = None  # BT-5
    tax_currency: str | None = None  # BT-6
    due_date: date | None = None  # BT-9
    delivery_date: date | None = None  # BT-72: actual delivery date
    buyer_reference: str | None = None  # BT-10: Chorus Pro service code
    purchase_order_ref: str | None = None  # BT-13: engagement number
    preceding_invoice_ref: str | None = None  # BT-25
    seller: Party = Party()
    buyer: Party = Party()
    line_count: int = 0
    #: BT-131 of each top-level line, in document order
    line_net_amounts: tuple[Decimal | None, ...] = ()
    #: BT-92 / BT-99 of each document-level allowance / charge
    allowance_amounts: tuple[Decimal | None, ...] = ()
    charge_amounts: tuple[Decimal | None, ...] = ()
    sum_of_line_net: Decimal | None = None  # BT-106
    allowance_total: Decimal | None = None  # BT-107
    charge_total: Decimal | None = None  # BT-108
    total_without_vat: Decimal | None = None  # BT-109
    total_vat: Decimal | None = None  # BT-110 (in the invoice currency)
    total_with_vat: Decimal | None = None  # BT-112
    prepaid_amount: Decimal | None = None  # BT-113
    rounding_amount: Decimal | None = None  # BT-114
    amount_due: Decimal | None = None  # BT-115
    vat_breakdown: tuple[VatBreakdown, ...] = ()
    #: terms that were present but unreadable: (business term, what was found)
    unreadable: tuple[tuple[str, str], ...] = ()
    #: what the official artefacts found (UBL, CII and Factur-X; none for a plain PDF)
    official_findings: tuple[RuleFinding, ...] = ()

    @property
    def profile(self) -> str | None:
        """The Factur-X / ZUGFeRD profile named by BT-24, lower-case, when there is one."""
        spec = (self.specification_id or "").lower()
        for name in ("minimum", "basicwl", "basic", "extended", "xrechnung"):
            if name in spec:
                return name
        return "en16931" if spec.startswith("urn:cen.eu:en16931:2017") else None
