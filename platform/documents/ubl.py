"""UBL 2.1 Invoice and CreditNote → :class:`InvoiceDocument` (en16931-xpaths.md §3)."""

from __future__ import annotations

from lxml import etree

from vigie.platform.contracts.invoices import InvoiceDocument, VatBreakdown
from vigie.platform.contracts.types import Syntax
from vigie.platform.documents.terms import (
    NS,
    TOTAL_TERMS,
    PartyPaths,
    TermReader,
    read_party,
    total_vat_in,
    xp,
)

INVOICE_TAG = f"{{{NS['ubl']}}}Invoice"
CREDIT_NOTE_TAG = f"{{{NS['cn']}}}CreditNote"

_ID = xp("cbc:ID/text()")
_ISSUE_DATE = xp("cbc:IssueDate/text()")
_TYPE_CODE = xp("cbc:InvoiceTypeCode/text() | cbc:CreditNoteTypeCode/text()")
_CURRENCY = xp("cbc:DocumentCurrencyCode/text()")
_TAX_CURRENCY = xp("cbc:TaxCurrencyCode/text()")
_DUE_DATE = xp("cbc:DueDate/text() | cac:PaymentMeans/cbc:PaymentDueDate/text()")
_PROFILE = xp("cbc:ProfileID/text()")
_CUSTOMIZATION = xp("cbc:CustomizationID/text()")
_BUYER_REF = xp("cbc:BuyerReference/text()")
_ORDER_REF = xp("cac:OrderReference/cbc:ID/text()")
_PRECEDING = xp("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()")
_SUPPLIER = xp("cac:AccountingSupplierParty/cac:Party")
_CUSTOMER = xp("cac:AccountingCustomerParty/cac:Party")
_LMT = xp("cac:LegalMonetaryTotal")
_TAX_AMOUNTS = xp("cac:TaxTotal/cbc:TaxAmount")
_SUBTOTALS = xp("cac:TaxTotal/cac:TaxSubtotal")
_LINE_NETS = xp("cac:InvoiceLine | cac:CreditNoteLine")
# xsd:boolean: "true"/"1" and "false"/"0"
_ALLOWANCES = xp(
    "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='false'"
    " or normalize-space(cbc:ChargeIndicator)='0']/cbc:Amount"
)
_CHARGES = xp(
    "cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true'"
    " or normalize-space(cbc:ChargeIndicator)='1']/cbc:Amount"
)

# party (relative to cac:Party)
_PARTY = PartyPaths(
    name=xp("cac:PartyLegalEntity/cbc:RegistrationName/text()"),
    vat_id=xp(
        "cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID/text()"
    ),
    identifiers=xp("cac:PartyIdentification/cbc:ID | cac:PartyLegalEntity/cbc:CompanyID"),
    legal_ids=xp("cac:PartyLegalEntity/cbc:CompanyID"),
    address=xp("cac:PostalAddress"),
    country=xp("cac:PostalAddress/cac:Country/cbc:IdentificationCode/text()"),
    endpoint_schemes=xp("cbc:EndpointID/@schemeID"),
)

# totals (relative to cac:LegalMonetaryTotal)
_T = {
    name: xp(f"cbc:{element}/text()")
    for name, element in {
        "sum_of_line_net": "LineExtensionAmount",
        "allowance_total": "AllowanceTotalAmount",
        "charge_total": "ChargeTotalAmount",
        "total_without_vat": "TaxExclusiveAmount",
        "total_with_vat": "TaxInclusiveAmount",
        "prepaid_amount": "PrepaidAmount",
        "rounding_amount": "PayableRoundingAmount",
        "amount_due": "PayableAmount",
    }.items()
}

# VAT breakdown (relative to cac:TaxSubtotal) and lines
_S_TAXABLE = xp("cbc:TaxableAmount/text()")
_S_TAX = xp("cbc:TaxAmount/text()")
_S_CATEGORY = xp("cac:TaxCategory/cbc:ID/text()")
_S_RATE = xp("cac:TaxCategory/cbc:Percent/text()")
_S_EXEMPTION = xp("cac:TaxCategory/cbc:TaxExemptionReason/text()")
_S_EXEMPTION_CODE = xp("cac:TaxCategory/cbc:TaxExemptionReasonCode/text()")
_DELIVERY_DATE = xp("cac:Delivery/cbc:ActualDeliveryDate/text()")
_L_NET = xp("cbc:LineExtensionAmount/text()")


def is_ubl(root: etree._Element) -> bool:
    return root.tag in (INVOICE_TAG, CREDIT_NOTE_TAG)


def read_ubl(
    root: etree._Element, *, syntax: Syntax = "UBL", embedded_xml: str | None = None
) -> InvoiceDocument:
    """The business terms of a UBL 2.1 Invoice or CreditNote root element."""
    r = TermReader()
    currency = r.text(root, _CURRENCY)
    total_vat = total_vat_in(r, _TAX_AMOUNTS(root), currency)
    lmt = _LMT(root)
    totals = {}
    for name, path in _T.items():
        totals[name] = r.decimal(TOTAL_TERMS[name], r.text(lmt[0], path)) if lmt else None
    supplier, customer = _SUPPLIER(root), _CUSTOMER(root)
    lines = _LINE_NETS(root)
    return InvoiceDocument(
        syntax=syntax,
        embedded_xml=embedded_xml,
        specification_id=r.text(root, _CUSTOMIZATION),
        business_process=r.text(root, _PROFILE),
        invoice_number=r.text(root, _ID),
        issue_date=r.iso_date("BT-2", r.text(root, _ISSUE_DATE)),
        type_code=r.text(root, _TYPE_CODE),
        currency=currency,
        tax_currency=r.text(root, _TAX_CURRENCY),
        due_date=r.iso_date("BT-9", r.text(root, _DUE_DATE)),
        delivery_date=r.iso_date("BT-72", r.text(root, _DELIVERY_DATE)),
        buyer_reference=r.text(root, _BUYER_REF),
        purchase_order_ref=r.text(root, _ORDER_REF),
        preceding_invoice_ref=r.text(root, _PRECEDING),
        seller=read_party(r, supplier[0] if supplier else None, _PARTY),
        buyer=read_party(r, customer[0] if customer else None, _PARTY),
        line_count=len(lines),
        line_net_amounts=tuple(r.decimal("BT-131", r.text(line, _L_NET)) for line in lines),
        allowance_amounts=tuple(r.decimal("BT-92", n.text) for n in _ALLOWANCES(root)),
        charge_amounts=tuple(r.decimal("BT-99", n.text) for n in _CHARGES(root)),
        total_vat=total_vat,
        vat_breakdown=tuple(
            VatBreakdown(
                category=r.text(sub, _S_CATEGORY),
                rate=r.decimal("BT-119", r.text(sub, _S_RATE)),
                taxable=r.decimal("BT-116", r.text(sub, _S_TAXABLE)),
                tax=r.decimal("BT-117", r.text(sub, _S_TAX)),
                exemption_reason=r.text(sub, _S_EXEMPTION),
                exemption_reason_code=r.text(sub, _S_EXEMPTION_CODE),
            )
            for sub in _SUBTOTALS(root)
        ),
        unreadable=tuple(r.unreadable),
        **totals,
    )
