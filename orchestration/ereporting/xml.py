"""Flux 10 XML: one ``Report`` per transmission, built with lxml, checked against the XSD.

Element names and order follow the official XSD v3.2 (``schemas/``, no XML namespace) and
the mapping of ``shared/domain/e-reporting.md`` §7: a transmission carries either a
``TransactionsReport`` (flows 10.1 + 10.3) or a ``PaymentsReport`` (10.2 + 10.4), never both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib.resources import files

from lxml import etree

#: TT-29, fixed by rule S1.12
BUSINESS_PROCESS_TYPE = "urn.cpro.gouv.fr:1p0:ereporting"


@dataclass(frozen=True)
class Party:
    """A seller or buyer of an international invoice (TG-9 / TG-14)."""

    identifier: str | None
    scheme: str | None
    vat_id: str | None
    country_code: str | None


@dataclass(frozen=True)
class VatLine:
    """TG-23 TaxSubTotal of a 10.1 invoice."""

    taxable_amount: Decimal
    tax_amount: Decimal
    category_code: str | None
    rate: Decimal
    exemption_reason: str | None = None
    exemption_reason_code: str | None = None


@dataclass(frozen=True)
class InvoiceRecord:
    """Flow 10.1: one international invoice (TG-8)."""

    number: str
    issue_date: date
    type_code: str
    currency_code: str
    billing_framework: str
    seller: Party
    buyer: Party
    total_excl_vat: Decimal
    total_vat: Decimal
    vat_lines: tuple[VatLine, ...]
    due_date: date | None = None
    delivery_date: date | None = None
    preceding_invoice: str | None = None


@dataclass(frozen=True)
class RateAmounts:
    """One VAT rate of an aggregate: base and VAT (10.3) or amount received (10.2, 10.4)."""

    rate: Decimal
    taxable_amount: Decimal | None = None
    tax_amount: Decimal | None = None
    amount: Decimal | None = None
    currency_code: str = "EUR"


@dataclass(frozen=True)
class B2cRecord:
    """Flow 10.3: B2C sales of one day, currency and category (TG-31)."""

    day: date
    currency_code: str
    category_code: str
    transaction_count: int | None
    rates: tuple[RateAmounts, ...]

    @property
    def taxable_amount(self) -> Decimal:
        return sum((r.taxable_amount or Decimal(0) for r in self.rates), Decimal("0.00"))

    @property
    def tax_amount(self) -> Decimal:
        return sum((r.tax_amount or Decimal(0) for r in self.rates), Decimal("0.00"))


@dataclass(frozen=True)
class PaymentRecord:
    """Flow 10.2 (with an invoice) or 10.4 (a day of B2C receipts): amounts per rate."""

    day: date
    rates: tuple[RateAmounts, ...]
    invoice_number: str | None = None
    invoice_issue_date: date | None = None


@dataclass(frozen=True)
class Header:
    """TB-1 ReportDocument."""

    transmission_id: str
    issued_at: datetime  # Europe/Paris wall time is written (TT-3)
    type_code: str  # IN initial, RE rectificative
    sender_id: str  # the platform's matricule (scheme 0238)
    sender_name: str
    declarant_siren: str
    declarant_name: str
    declarant_role: str  # SE seller, BY buyer
    name: str | None = None


@dataclass(frozen=True)
class Transmission:
    header: Header
    kind: str  # transactions | payments
    period_start: date
    period_end: date
    invoices: tuple[InvoiceRecord, ...] = ()
    b2c: tuple[B2cRecord, ...] = ()
    payments: tuple[PaymentRecord, ...] = field(default_factory=tuple)


def fmt_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def fmt_amount(value: Decimal) -> str:
    return f"{value:.2f}"


def fmt_rate(value: Decimal) -> str:
    """VAT rates as the examples write them: 20, 5.5, 0 (G1.24: 20 = 20.0 = 20.00)."""
    text = f"{value.normalize():f}"
    return text


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    node = etree.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _party(parent: etree._Element, tag: str, party: Party) -> None:
    node = _sub(parent, tag)
    if party.identifier:
        _sub(node, "CompanyId", party.identifier, schemeId=party.scheme or "")
    if party.vat_id:
        _sub(node, "TaxRegistrationId", party.vat_id, qualifyingId="VAT")
    if party.country_code:
        _sub(_sub(node, "PostalAddress"), "CountryId", party.country_code)


def _invoice(parent: etree._Element, inv: InvoiceRecord) -> None:
    node = _sub(parent, "Invoice")
    _sub(node, "ID", inv.number)
    _sub(node, "IssueDate", fmt_date(inv.issue_date))
    _sub(node, "TypeCode", inv.type_code)
    _sub(node, "CurrencyCode", inv.currency_code)
    if inv.due_date:
        _sub(node, "DueDate", fmt_date(inv.due_date))
    process = _sub(node, "BusinessProcess")
    _sub(process, "ID", inv.billing_framework)
    _sub(process, "TypeID", BUSINESS_PROCESS_TYPE)
    if inv.preceding_invoice:
        _sub(_sub(node, "ReferencedDocument"), "ID", inv.preceding_invoice)
    _party(node, "Seller", inv.seller)
    _party(node, "Buyer", inv.buyer)
    if inv.delivery_date:
        _sub(_sub(node, "Delivery"), "Date", fmt_date(inv.delivery_date))
    totals = _sub(node, "MonetaryTotal")
    _sub(totals, "TaxExclusiveAmount", fmt_amount(inv.total_excl_vat))
    _sub(totals, "TaxAmount", fmt_amount(inv.total_vat), CurrencyCode="EUR")
    for line in inv.vat_lines:
        sub = _sub(node, "TaxSubTotal")
        _sub(sub, "TaxableAmount", fmt_amount(line.taxable_amount))
        _sub(sub, "TaxAmount", fmt_amount(line.tax_amount))
        category = _sub(sub, "TaxCategory")
        if line.category_code:
            _sub(category, "Code", line.category_code)
        _sub(category, "Percent", fmt_rate(line.rate))
        if line.exemption_reason:
            _sub(category, "TaxExemptionReason", line.exemption_reason)
        if line.exemption_reason_code:
            _sub(category, "TaxExemptionReasonCode", line.exemption_reason_code)


def _b2c(parent: etree._Element, rec: B2cRecord) -> None:
    node = _sub(parent, "Transactions")
    _sub(node, "Date", fmt_date(rec.day))
    _sub(node, "TransactionsCurrency", rec.currency_code)
    _sub(node, "CategoryCode", rec.category_code)
    _sub(node, "TaxExclusiveAmount", fmt_amount(rec.taxable_amount))
    _sub(node, "TaxTotal", fmt_amount(rec.tax_amount))
    if rec.transaction_count is not None:
        _sub(node, "TransactionsCount", str(rec.transaction_count))
    for r in rec.rates:
        sub = _sub(node, "TaxSubtotal")
        _sub(sub, "TaxPercent", fmt_rate(r.rate))
        _sub(sub, "TaxableAmount", fmt_amount(r.taxable_amount or Decimal(0)))
        _sub(sub, "TaxTotal", fmt_amount(r.tax_amount or Decimal(0)))


def _payment(parent: etree._Element, rec: PaymentRecord) -> None:
    if rec.invoice_number is not None:
        node = _sub(parent, "Invoice")
        _sub(node, "InvoiceID", rec.invoice_number)
        _sub(node, "IssueDate", fmt_date(rec.invoice_issue_date))
    else:
        node = _sub(parent, "Transactions")
    payment = _sub(node, "Payment")
    _sub(payment, "Date", fmt_date(rec.day))
    for r in rec.rates:
        sub = _sub(payment, "SubTotals")
        _sub(sub, "TaxPercent", fmt_rate(r.rate))
        _sub(sub, "CurrencyCode", r.currency_code)
        _sub(sub, "Amount", fmt_amount(r.amount or Decimal(0)))


def build_report(t: Transmission) -> etree._Element:
    """The ``Report`` element of one transmission (not yet validated)."""
    h = t.header
    root = etree.Element("Report")
    doc = _sub(root, "ReportDocument")
    _sub(doc, "Id", h.transmission_id)
    if h.name:
        _sub(doc, "Name", h.name)
    _sub(_sub(doc, "IssueDateTime"), "DateTimeString", h.issued_at.strftime("%Y%m%d%H%M%S"))
    _sub(doc, "TypeCode", h.type_code)
    sender = _sub(doc, "Sender")
    _sub(sender, "Id", h.sender_id, schemeId="0238")
    _sub(sender, "Name", h.sender_name)
    _sub(sender, "RoleCode", "WK")
    issuer = _sub(doc, "Issuer")
    _sub(issuer, "Id", h.declarant_siren, schemeId="0002")
    _sub(issuer, "Name", h.declarant_name)
    _sub(issuer, "RoleCode", h.declarant_role)
    if t.kind == "transactions":
        body = _sub(root, "TransactionsReport")
    else:
        body = _sub(root, "PaymentsReport")
    period = _sub(body, "ReportPeriod")
    _sub(period, "StartDate", fmt_date(t.period_start))
    _sub(period, "EndDate", fmt_date(t.period_end))
    if t.kind == "transactions":
        for inv in t.invoices:
            _invoice(body, inv)
        for rec in t.b2c:
            _b2c(body, rec)
    else:
        for rec in sorted(t.payments, key=lambda p: p.invoice_number is None):
            _payment(body, rec)
    return root


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@cache
def schema() -> etree.XMLSchema:
    """The official flux 10 XSD v3.2 (its imports resolve next to it, never on the network)."""
    path = files("vigie.orchestration.ereporting") / "schemas" / "ereporting.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


@dataclass(frozen=True)
class XsdError:
    element: str  # the failing element's path, e.g. /Report/TransactionsReport/Invoice[1]/ID
    message: str

    def __str__(self) -> str:
        return f"{self.element}: {self.message}"


def xsd_errors(root: etree._Element) -> list[XsdError]:
    """Every XSD violation of ``root``, each naming its element (empty when valid)."""
    xsd = schema()
    # validate a parsed copy, so that error paths and line numbers are the document's own
    tree = etree.fromstring(to_bytes(root))
    if xsd.validate(tree):
        return []
    return [XsdError(e.path or "/", e.message) for e in xsd.error_log]
