"""UN/CEFACT CII D16B CrossIndustryInvoice (also Factur-X's XML) → :class:`InvoiceDocument`."""

from __future__ import annotations

from datetime import date

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

CII_TAG = f"{{{NS['rsm']}}}CrossIndustryInvoice"
#: ZUGFeRD 1.0 root: a valid German format, but not CII D16B / EN 16931
ZUGFERD1_NS = "urn:ferd:CrossIndustryDocument:invoice:1p0"

_CTX = "rsm:ExchangedDocumentContext"
_DOC = "rsm:ExchangedDocument"
_AGR = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
_STL = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
_SUM = f"{_STL}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"

_SPEC = xp(f"{_CTX}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()")
_PROCESS = xp(f"{_CTX}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()")
_ID = xp(f"{_DOC}/ram:ID/text()")
_ISSUE = xp(f"{_DOC}/ram:IssueDateTime/udt:DateTimeString")
_TYPE_CODE = xp(f"{_DOC}/ram:TypeCode/text()")
_CURRENCY = xp(f"{_STL}/ram:InvoiceCurrencyCode/text()")
_TAX_CURRENCY = xp(f"{_STL}/ram:TaxCurrencyCode/text()")
_DUE = xp(f"{_STL}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString")
_BUYER_REF = xp(f"{_AGR}/ram:BuyerReference/text()")
_ORDER_REF = xp(f"{_AGR}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID/text()")
_PRECEDING = xp(f"{_STL}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()")
_SELLER = xp(f"{_AGR}/ram:SellerTradeParty")
_BUYER = xp(f"{_AGR}/ram:BuyerTradeParty")
_TAX_TOTALS = xp(f"{_SUM}/ram:TaxTotalAmount")
_TAXES = xp(f"{_STL}/ram:ApplicableTradeTax")
_LINES = xp("rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem")
_ALLOWANCES = xp(
    f"{_STL}/ram:SpecifiedTradeAllowanceCharge"
    "[normalize-space(ram:ChargeIndicator/udt:Indicator)='false'"
    " or normalize-space(ram:ChargeIndicator/udt:Indicator)='0']/ram:ActualAmount/text()"
)
_CHARGES = xp(
    f"{_STL}/ram:SpecifiedTradeAllowanceCharge"
    "[normalize-space(ram:ChargeIndicator/udt:Indicator)='true'"
    " or normalize-space(ram:ChargeIndicator/udt:Indicator)='1']/ram:ActualAmount/text()"
)

_T = {
    name: xp(f"{_SUM}/ram:{element}/text()")
    for name, element in {
        "sum_of_line_net": "LineTotalAmount",
        "allowance_total": "AllowanceTotalAmount",
        "charge_total": "ChargeTotalAmount",
        "total_without_vat": "TaxBasisTotalAmount",
        "total_with_vat": "GrandTotalAmount",
        "prepaid_amount": "TotalPrepaidAmount",
        "rounding_amount": "RoundingAmount",
        "amount_due": "DuePayableAmount",
    }.items()
}

_PARTY = PartyPaths(
    name=xp("ram:Name/text()"),
    vat_id=xp("ram:SpecifiedTaxRegistration/ram:ID[normalize-space(@schemeID)='VA']/text()"),
    identifiers=xp("ram:ID | ram:GlobalID | ram:SpecifiedLegalOrganization/ram:ID"),
    legal_ids=xp("ram:SpecifiedLegalOrganization/ram:ID"),
    address=xp("ram:PostalTradeAddress"),
    country=xp("ram:PostalTradeAddress/ram:CountryID/text()"),
    endpoint_schemes=xp("ram:URIUniversalCommunication/ram:URIID/@schemeID"),
)

_V_TYPE = xp("ram:TypeCode/text()")
_V_BASIS = xp("ram:BasisAmount/text()")
_V_TAX = xp("ram:CalculatedAmount/text()")
_V_CATEGORY = xp("ram:CategoryCode/text()")
_V_RATE = xp("ram:RateApplicablePercent/text()")
_V_EXEMPTION = xp("ram:ExemptionReason/text()")
_V_EXEMPTION_CODE = xp("ram:ExemptionReasonCode/text()")
_DELIVERY = xp(
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery"
    "/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString"
)
_L_NET = xp(
    "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation"
    "/ram:LineTotalAmount/text()"
)


def is_cii(root: etree._Element) -> bool:
    return bool(root.tag == CII_TAG)


def _date(r: TermReader, term: str, nodes: list[etree._Element]) -> date | None:
    if not nodes:
        return None
    return r.cii_date(term, nodes[0].text, nodes[0].get("format"))


def read_cii(
    root: etree._Element, *, syntax: Syntax = "CII", embedded_xml: str | None = None
) -> InvoiceDocument:
    """The business terms of a CII CrossIndustryInvoice root element."""
    r = TermReader()
    currency = r.text(root, _CURRENCY)
    total_vat = total_vat_in(r, _TAX_TOTALS(root), currency)
    seller, buyer = _SELLER(root), _BUYER(root)
    lines = _LINES(root)
    return InvoiceDocument(
        syntax=syntax,
        embedded_xml=embedded_xml,
        specification_id=r.text(root, _SPEC),
        business_process=r.text(root, _PROCESS),
        invoice_number=r.text(root, _ID),
        issue_date=_date(r, "BT-2", _ISSUE(root)),
        type_code=r.text(root, _TYPE_CODE),
        currency=currency,
        tax_currency=r.text(root, _TAX_CURRENCY),
        due_date=_date(r, "BT-9", _DUE(root)),
        delivery_date=_date(r, "BT-72", _DELIVERY(root)),
        buyer_reference=r.text(root, _BUYER_REF),
        purchase_order_ref=r.text(root, _ORDER_REF),
        preceding_invoice_ref=r.text(root, _PRECEDING),
        seller=read_party(r, seller[0] if seller else None, _PARTY),
        buyer=read_party(r, buyer[0] if buyer else None, _PARTY),
        line_count=len(lines),
        line_net_amounts=tuple(r.decimal("BT-131", r.text(line, _L_NET)) for line in lines),
        allowance_amounts=tuple(r.decimal("BT-92", v) for v in _ALLOWANCES(root)),
        charge_amounts=tuple(r.decimal("BT-99", v) for v in _CHARGES(root)),
        total_vat=total_vat,
        vat_breakdown=tuple(
            VatBreakdown(
                category=r.text(tax, _V_CATEGORY),
                rate=r.decimal("BT-119", r.text(tax, _V_RATE)),
                taxable=r.decimal("BT-116", r.text(tax, _V_BASIS)),
                tax=r.decimal("BT-117", r.text(tax, _V_TAX)),
                exemption_reason=r.text(tax, _V_EXEMPTION),
                exemption_reason_code=r.text(tax, _V_EXEMPTION_CODE),
            )
            for tax in _TAXES(root)
            if (r.text(tax, _V_TYPE) or "VAT") == "VAT"
        ),
        unreadable=tuple(r.unreadable),
        **{name: r.decimal(TOTAL_TERMS[name], r.text(root, path)) for name, path in _T.items()},
    )
