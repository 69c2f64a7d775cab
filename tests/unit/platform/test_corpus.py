"""Every corpus document reproduces its expected.csv row; every structural defect is named."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from vigie.platform.documents.check import check_bytes

CORPUS = Path(__file__).parents[2] / "fixtures" / "corpus"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
AMOUNTS = ("sum_of_line_net", "total_without_vat", "total_vat", "total_with_vat", "amount_due")
TEXTS = (
    "invoice_number", "issue_date", "type_code", "currency", "seller_name", "seller_vat_id",
    "buyer_name", "buyer_reference", "purchase_order_ref", "embedded_xml",
)  # fmt: skip


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


@pytest.mark.parametrize("row", EXPECTED, ids=[r["file"] for r in EXPECTED])
def test_valid_corpus_document_reproduces_its_expected_row(row):
    verdict = check_bytes((CORPUS / row["file"]).read_bytes(), Path(row["file"]).name)

    assert verdict["valid"], verdict["errors"]
    assert verdict["errors"] == []
    for column in TEXTS:
        assert (verdict[column] or "") == row[column], column
    assert verdict["line_count"] == int(row["line_count"])
    for column in AMOUNTS:
        assert _dec(verdict[column]) == _dec(row[column]), column
    expected_vat = json.loads(row["vat_breakdown"])
    assert len(verdict["vat_breakdown"]) == len(expected_vat)
    for got, want in zip(verdict["vat_breakdown"], expected_vat, strict=True):
        assert got["category"] == want["category"]
        for key in ("rate", "taxable", "tax"):
            assert _dec(got[key]) == _dec(want[key]), key


def test_amounts_keep_the_lexical_form_the_document_wrote():
    verdict = check_bytes((CORPUS / "ubl/EN16931_Elektron.ubl.xml").read_bytes(), "x.xml")
    row = next(r for r in EXPECTED if r["file"] == "ubl/EN16931_Elektron.ubl.xml")
    assert verdict["total_vat"] == row["total_vat"] == "47.9"


INVALID = {
    "invalid/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml": {
        "BR-CO-10",
        "BR-CO-15",
    },
    "invalid/EN16931_ElektronischeAdresse.cii.xml": {"BR-CL-25"},
    "invalid/Facture_FR_EN16931.pdf": {"CII-DT-031"},
    "invalid/factur-x-invalid-xml-encoding-attribute.pdf": {"XML-01"},
    "invalid/MustangGnuaccountingBeispielRE-20190610_507a.pdf": {"XSD-01"},
    "invalid/pdf_fx_minimum_1.pdf": {"FMT-05"},
    "invalid/ZUGFeRD_1p0_BASIC_Einfach.pdf": {"FMT-02"},
    "invalid/pdf_plain.pdf": {"FMT-04"},
}


def test_every_invalid_corpus_file_is_listed_here():
    on_disk = {f"invalid/{p.name}" for p in (CORPUS / "invalid").iterdir()}
    assert on_disk == set(INVALID)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_corpus_document_is_refused_with_its_specific_code(name):
    verdict = check_bytes((CORPUS / name).read_bytes(), Path(name).name)

    assert verdict["valid"] is False
    codes = {e["code"] for e in verdict["errors"]}
    assert INVALID[name] <= codes
    for error in verdict["errors"]:
        assert error["message"] and error["message_en"] and error["message"] != error["message_en"]


def test_same_invoice_in_three_syntaxes_gives_the_same_terms():
    verdicts = [
        check_bytes((CORPUS / f).read_bytes(), f)
        for f in ("ubl/EN16931_Einfach.ubl.xml", "cii/EN16931_Einfach.cii.xml",
                  "facturx/EN16931_Einfach.pdf")
    ]  # fmt: skip
    assert [v["syntax"] for v in verdicts] == ["UBL", "CII", "FACTURX"]
    keys = ("invoice_number", "issue_date", "total_with_vat", "amount_due", "line_count")
    assert len({tuple(str(_dec(v[k]) if "total" in k or "amount" in k else v[k]) for k in keys)
                for v in verdicts}) == 1  # fmt: skip
