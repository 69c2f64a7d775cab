"""Business rules of Annexe 7 that the flux 10 XSD does not carry, checked on a ``Report``.

Each finding names its rule code (Annexe 7 V1.9), the element and what was found. A
transmission with any finding is not written (e-reporting.md §7.2, §6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from vigie.platform.rules import ALLOWED_VAT_RATES as ALLOWED_RATES  # G1.24

TOLERANCE = Decimal("0.01")  # G1.53
_DATE = re.compile(r"^\d{8}$")
_DATETIME = re.compile(r"^\d{14}$")

RULE_MESSAGES = {
    "G1.07": "date in the future",
    "G1.09": "date not in the YYYYMMDD format, or year outside 2000–2099",
    "G1.24": "VAT rate not allowed",
    "G1.53": "totals differ from the sum of their lines by more than 1 cent",
    "G6.23": "VAT totals must be expressed in EUR",
    "G6.27": "payment amounts must be expressed in EUR",
    "G6.28": "a B2C invoice (no buyer identifier, or a private individual) cannot be in 10.1",
    "G6.29": "transactions and payments cannot be in one report",
    "G7.43": "the transmission date must follow the period end and not be in the future",
    "G7.53": "date-time not in the YYYYMMDDHHMMSS format",
}


@dataclass(frozen=True)
class Finding:
    code: str
    element: str
    detail: str

    @property
    def message(self) -> str:
        return RULE_MESSAGES[self.code]

    def __str__(self) -> str:
        return f"{self.code} {self.element}: {self.message} ({self.detail})"


def _path(node: etree._Element) -> str:
    return node.getroottree().getpath(node)


def _decimal(node: etree._Element | None) -> Decimal | None:
    if node is None or node.text is None:
        return None
    try:
        return Decimal(node.text.strip())
    except InvalidOperation:
        return None


def _day(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        day = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2099 else None


def check_report(root: etree._Element, *, today: date) -> list[Finding]:
    """Every Annexe 7 finding of a ``Report`` (empty when it passes)."""
    found: list[Finding] = []

    def add(code: str, node: etree._Element, detail: str) -> None:
        found.append(Finding(code, _path(node), detail))

    transactions = root.find("TransactionsReport")
    payments = root.find("PaymentsReport")
    if transactions is not None and payments is not None:
        add("G6.29", root, "TransactionsReport and PaymentsReport")

    # dates: every element whose name ends in Date, plus the record dates
    for node in root.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.endswith("Date") or tag == "Date":
            text = (node.text or "").strip()
            day = _day(text)
            if day is None:
                add("G1.09", node, text)
            elif day > today and tag not in ("DueDate", "EndDate"):
                add("G1.07", node, text)

    stamp = root.find("ReportDocument/IssueDateTime/DateTimeString")
    if stamp is not None:
        text = (stamp.text or "").strip()
        issued = None
        if _DATETIME.match(text):
            try:
                issued = datetime.strptime(text, "%Y%m%d%H%M%S")
            except ValueError:
                issued = None
        if issued is None:
            add("G7.53", stamp, text)
        else:
            ends = [
                _day((e.text or "").strip())
                for e in root.iter("EndDate")
                if e.getparent().tag == "ReportPeriod"
            ]
            for end in ends:
                if end is not None and issued.date() <= end:
                    add("G7.43", stamp, f"{text} not after the period end {end:%Y%m%d}")
            if issued.date() > today:
                add("G7.43", stamp, f"{text} is in the future")

    # rates
    for node in root.iter("Percent", "TaxPercent"):
        rate = _decimal(node)
        if rate is None or rate not in ALLOWED_RATES:
            add("G1.24", node, (node.text or "").strip())

    if transactions is not None:
        for inv in transactions.iterfind("Invoice"):
            _check_invoice(inv, add)
        for rec in transactions.iterfind("Transactions"):
            _check_b2c(rec, add)
    if payments is not None:
        for sub in payments.iter("SubTotals"):
            currency = sub.find("CurrencyCode")
            if currency is not None and (currency.text or "").strip() != "EUR":
                add("G6.27", currency, (currency.text or "").strip())
    return found


def _check_invoice(inv: etree._Element, add) -> None:
    buyer = inv.find("Buyer/CompanyId")
    if buyer is None or buyer.get("schemeId") == "0226":
        add(
            "G6.28",
            inv.find("Buyer") if inv.find("Buyer") is not None else inv,
            "no buyer identifier" if buyer is None else "scheme 0226",
        )
    tax_total = inv.find("MonetaryTotal/TaxAmount")
    if tax_total is not None and tax_total.get("CurrencyCode") != "EUR":
        add("G6.23", tax_total, f"CurrencyCode={tax_total.get('CurrencyCode')}")
    subtotals = inv.findall("TaxSubTotal")
    net = _decimal(inv.find("MonetaryTotal/TaxExclusiveAmount"))
    if net is not None and subtotals:
        lines = sum(
            (_decimal(s.find("TaxableAmount")) or Decimal(0) for s in subtotals), Decimal(0)
        )
        if abs(net - lines) > TOLERANCE:
            add("G1.53", inv.find("MonetaryTotal/TaxExclusiveAmount"), f"{net} ≠ Σ {lines}")
    currency = (inv.findtext("CurrencyCode") or "").strip()
    vat = _decimal(tax_total)
    if vat is not None and subtotals and currency == "EUR":
        lines = sum((_decimal(s.find("TaxAmount")) or Decimal(0) for s in subtotals), Decimal(0))
        if abs(vat - lines) > TOLERANCE:
            add("G1.53", tax_total, f"{vat} ≠ Σ {lines}")


def _check_b2c(rec: etree._Element, add) -> None:
    subtotals = rec.findall("TaxSubtotal")
    net = _decimal(rec.find("TaxExclusiveAmount"))
    vat = _decimal(rec.find("TaxTotal"))
    lines_net = sum(
        (_decimal(s.find("TaxableAmount")) or Decimal(0) for s in subtotals), Decimal(0)
    )
    lines_vat = sum((_decimal(s.find("TaxTotal")) or Decimal(0) for s in subtotals), Decimal(0))
    if net is not None and abs(net - lines_net) > TOLERANCE:
        add("G1.53", rec.find("TaxExclusiveAmount"), f"{net} ≠ Σ {lines_net}")
    if vat is not None and abs(vat - lines_vat) > TOLERANCE:
        add("G1.53", rec.find("TaxTotal"), f"{vat} ≠ Σ {lines_vat}")
    currency = (rec.findtext("TransactionsCurrency") or "").strip()
    if currency != "EUR":
        # TT-83 is in EUR (G6.23): a record in another currency needs its VAT converted,
        # which the platform does not capture yet
        add("G6.23", rec.find("TransactionsCurrency"), currency)
