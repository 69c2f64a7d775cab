"""Each Annexe 7 rule the XSD does not carry fails on an input that breaks it, with its code;
the XSD check names the failing element. Inputs are the worked example's two files, altered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from vigie.orchestration.ereporting.rules import check_report
from vigie.orchestration.ereporting.xml import xsd_errors

# copies of shared/domain/examples/ (kept with the tests, like the corpus)
EXAMPLES = Path(__file__).parents[2] / "fixtures" / "ereporting"
TODAY = date(2026, 11, 23)


def _load(kind: str) -> etree._Element:
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    return etree.parse(EXAMPLES / f"ereporting-{kind}-example.xml", parser).getroot()


def _set(root: etree._Element, path: str, text: str) -> None:
    root.find(path).text = text


def _codes(root: etree._Element) -> list[str]:
    return [f.code for f in check_report(root, today=TODAY)]


def test_both_example_files_pass_every_rule_and_the_xsd():
    for kind in ("transactions", "payments"):
        root = _load(kind)
        assert check_report(root, today=TODAY) == []
        assert xsd_errors(root) == []


def test_g1_53_totals_must_equal_their_lines_within_one_cent():
    root = _load("transactions")
    _set(root, "TransactionsReport/Transactions/TaxTotal", "3.28")  # Σ = 3.27: within 1 cent
    assert _codes(root) == []
    _set(root, "TransactionsReport/Transactions/TaxTotal", "3.29")
    findings = check_report(root, today=TODAY)
    assert [(f.code, f.element) for f in findings] == [
        ("G1.53", "/Report/TransactionsReport/Transactions[1]/TaxTotal")
    ]
    root = _load("transactions")
    _set(root, "TransactionsReport/Invoice/MonetaryTotal/TaxExclusiveAmount", "1000.02")
    assert _codes(root) == ["G1.53"]


def test_g6_23_vat_totals_are_in_euros():
    root = _load("transactions")
    root.find("TransactionsReport/Invoice/MonetaryTotal/TaxAmount").set("CurrencyCode", "USD")
    assert _codes(root) == ["G6.23"]
    root = _load("transactions")
    _set(root, "TransactionsReport/Transactions/TransactionsCurrency", "GBP")
    assert _codes(root) == ["G6.23"]


def test_g6_27_payment_amounts_are_in_euros():
    root = _load("payments")
    _set(root, "PaymentsReport/Transactions/Payment/SubTotals/CurrencyCode", "CHF")
    assert _codes(root) == ["G6.27"]


def test_g6_28_no_b2c_invoice_in_10_1():
    root = _load("transactions")
    buyer = root.find("TransactionsReport/Invoice/Buyer")
    buyer.remove(buyer.find("CompanyId"))
    assert _codes(root) == ["G6.28"]
    root = _load("transactions")
    root.find("TransactionsReport/Invoice/Buyer/CompanyId").set("schemeId", "0226")
    assert _codes(root) == ["G6.28"]


def test_g6_29_transactions_and_payments_never_in_one_report():
    root = _load("transactions")
    root.append(_load("payments").find("PaymentsReport"))
    assert "G6.29" in _codes(root)


def test_g1_24_only_allowed_vat_rates():
    root = _load("transactions")
    _set(root, "TransactionsReport/Transactions/TaxSubtotal/TaxPercent", "19")
    assert _codes(root) == ["G1.24"]
    _set(root, "TransactionsReport/Transactions/TaxSubtotal/TaxPercent", "5.50")  # = 5.5
    assert _codes(root) == []


@pytest.mark.parametrize("bad", ["2026-09-01", "20260931", "19991231", "2026091"])
def test_g1_09_dates_are_yyyymmdd_between_2000_and_2099(bad):
    root = _load("transactions")
    _set(root, "TransactionsReport/Transactions/Date", bad)
    assert _codes(root) == ["G1.09"]


def test_g1_07_no_operation_date_in_the_future():
    root = _load("transactions")
    _set(root, "TransactionsReport/Invoice/IssueDate", "20261124")
    assert _codes(root) == ["G1.07"]


def test_g7_53_transmission_time_is_yyyymmddhhmmss():
    root = _load("payments")
    _set(root, "ReportDocument/IssueDateTime/DateTimeString", "2026-10-02T08:00")
    assert _codes(root) == ["G7.53"]


def test_g7_43_transmission_after_the_period_end_and_not_in_the_future():
    root = _load("transactions")  # period 20260901–20260910
    _set(root, "ReportDocument/IssueDateTime/DateTimeString", "20260910235959")
    assert _codes(root) == ["G7.43"]
    _set(root, "ReportDocument/IssueDateTime/DateTimeString", "20261124000000")
    assert _codes(root) == ["G7.43"]


def test_the_xsd_check_names_the_failing_element():
    root = _load("transactions")
    _set(root, "TransactionsReport/Transactions[2]/TaxExclusiveAmount", "45,00")
    errors = xsd_errors(root)
    assert [e.element for e in errors] == [
        "/Report/TransactionsReport/Transactions[2]/TaxExclusiveAmount"
    ]
    assert "45,00" in errors[0].message
