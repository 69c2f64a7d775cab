"""Every corpus document reproduces its expected.csv row; every structural defect is named."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from vigie.platform.documents import official
from vigie.platform.documents.check import check_bytes

CORPUS = Path(__file__).parents[2] / "fixtures" / "corpus"
EXPECTED = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
AMOUNTS = ("sum_of_line_net", "total_without_vat", "total_vat", "total_with_vat", "amount_due")
TEXTS = (
    "invoice_number",
    "issue_date",
    "type_code",
    "currency",
    "seller_name",
    "seller_vat_id",
    "buyer_name",
    "buyer_reference",
    "purchase_order_ref",
    "embedded_xml",
)


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


# ------------------------------------------------------------------ the official verdicts
# Every file of the shared corpus, judged by the official artefacts themselves: its XML (for a
# PDF, the embedded file, as the factur-x package extracts it) against the XSD of its syntax,
# then the EN 16931 v1.3.16 XSLT of ../shared/schemas, run here by saxonche directly (not
# through the product's module). The product's verdict and failed rule ids must equal these.
SHARED = Path(__file__).parents[4] / "shared"
SHARED_CORPUS = SHARED / "corpus" if (SHARED / "corpus").exists() else CORPUS
SHARED_ARTEFACTS = (
    SHARED / "schemas" / "en16931"
    if (SHARED / "schemas" / "en16931").exists()
    else Path(__file__).parents[3] / "platform" / "documents" / "schemas" / "en16931"
)
CORPUS_FILES = sorted(
    str(p.relative_to(SHARED_CORPUS))
    for p in SHARED_CORPUS.glob("*/*")
    if p.parent.name in ("ubl", "cii", "facturx", "invalid")
)
UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
#: what the hub refuses before any artefact applies, because the file is not an EN 16931
#: invoice in a syntax it takes (each reason is the corpus MANIFEST's)
NOT_EN16931 = {
    "invalid/pdf_plain.pdf": "FMT-04",  # a PDF with no invoice XML and no header fields
    "invalid/ZUGFeRD_1p0_BASIC_Einfach.pdf": "FMT-02",  # ZUGFeRD 1.0, not CII D16B
    "invalid/pdf_fx_minimum_1.pdf": "FMT-05",  # Factur-X MINIMUM: no lines, no VAT
}


def _official_verdict(name: str) -> tuple[set[str], set[str]]:
    """(blocking rule ids, warning ids) as the official artefacts give them."""
    import facturx
    from lxml import etree
    from saxonche import PySaxonProcessor

    from vigie.platform.documents import xsd

    if name in NOT_EN16931:
        return {NOT_EN16931[name]}, set()
    data = (SHARED_CORPUS / name).read_bytes()
    if data[:5] == b"%PDF-":
        _, data = facturx.get_xml_from_pdf(data, check_xsd=False)
        if not data:  # factur-x found an invoice file, but not a well-formed one
            return {"XML-01"}, set()
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {"XML-01"}, set()
    namespace = etree.QName(root).namespace
    family = "ubl" if namespace.startswith(UBL_NS) else "cii"
    schema_name = {"Invoice": "ubl-invoice", "CreditNote": "ubl-creditnote"}.get(
        etree.QName(root).localname, "cii-d16b"
    )
    if not xsd.schema(schema_name).validate(root):
        return {"XSD-01"}, set()
    if not _SAXON:
        _SAXON["processor"] = PySaxonProcessor(license=False)
    saxon = _SAXON["processor"]
    if family not in _SAXON:
        _SAXON[family] = saxon.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(
                SHARED_ARTEFACTS / family / f"EN16931-{family.upper()}-validation.xslt"
            )
        )
    svrl = _SAXON[family].transform_to_string(
        xdm_node=saxon.parse_xml(xml_text=data.decode("utf-8"))
    )
    failed = etree.fromstring(svrl.encode()).iter("{http://purl.oclc.org/dsdl/svrl}failed-assert")
    flags = [(f.get("id"), f.get("flag")) for f in failed]
    return {i for i, f in flags if f in ("fatal", "error")}, {i for i, f in flags if f == "warning"}


#: the oracle's own Saxon processor and compiled stylesheets
_SAXON: dict = {}


def test_the_corpus_is_the_shared_one_and_every_file_is_judged():
    assert len(CORPUS_FILES) == 70
    assert {f.split("/")[0] for f in CORPUS_FILES} == {"ubl", "cii", "facturx", "invalid"}


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_file_gets_the_official_verdict(name):
    blocking, warnings = _official_verdict(name)
    verdict = check_bytes((SHARED_CORPUS / name).read_bytes(), Path(name).name)

    assert verdict["valid"] is (not blocking)
    assert {e["code"] for e in verdict["errors"]} == blocking
    assert {w["code"] for w in verdict["warnings"]} == warnings
    assert name.startswith("invalid/") is bool(blocking)  # the corpus' own labels agree
    for error in verdict["errors"] + verdict["warnings"]:
        assert error["message"] and error["message_en"] and error["message"] != error["message_en"]
        if error["code"] not in NOT_EN16931.values() and error["code"] not in ("XML-01", "XSD-01"):
            assert error["official_message"], error  # the artefact's own text


def test_a_refusal_names_the_official_rule_its_official_text_and_our_french_message():
    name = "invalid/not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml"
    verdict = check_bytes((SHARED_CORPUS / name).read_bytes(), "x.xml")
    by_code = {e["code"]: e for e in verdict["errors"]}
    assert set(by_code) == {"BR-CO-10", "BR-CO-15"}
    assert by_code["BR-CO-15"]["severity"] == "fatal"
    assert by_code["BR-CO-15"]["official_message"].startswith(
        "[BR-CO-15]-Invoice total amount with VAT"
    )
    assert by_code["BR-CO-15"]["message"].startswith("Total TTC (BT-112)")


def test_same_invoice_in_three_syntaxes_gives_the_same_terms():
    verdicts = [
        check_bytes((CORPUS / f).read_bytes(), f)
        for f in (
            "ubl/EN16931_Einfach.ubl.xml",
            "cii/EN16931_Einfach.cii.xml",
            "facturx/EN16931_Einfach.pdf",
        )
    ]
    assert [v["syntax"] for v in verdicts] == ["UBL", "CII", "FACTURX"]
    keys = ("invoice_number", "issue_date", "total_with_vat", "amount_due", "line_count")
    assert (
        len(
            {
                tuple(str(_dec(v[k]) if "total" in k or "amount" in k else v[k]) for k in keys)
                for v in verdicts
            }
        )
        == 1
    )


def test_a_document_that_claims_the_french_profile_also_meets_the_french_rules():
    data = (CORPUS / "ubl/EN16931_Einfach.ubl.xml").read_bytes()
    assert check_bytes(data, "x.xml")["valid"]  # EN 16931 alone accepts it
    french = data.replace(
        b"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
        b"urn:cen.eu:en16931:2017#compliant#urn.cpro.gouv.fr:1p0:einvoicingF2",
    )
    verdict = check_bytes(french, "x.xml")
    codes = {e["code"] for e in verdict["errors"]}
    assert verdict["valid"] is False
    # the recovery-costs note (BT-22, PMT) and the seller's SIREN (BT-30) the French rules want
    assert {"BR-FR-05_BT-22-1", "BR-FR-10_BT-30"} <= codes
    assert all(c.startswith("BR-FR") for c in codes)


@pytest.mark.parametrize("key", sorted(official.STYLESHEETS), ids="-".join)
def test_the_lean_stylesheet_keeps_every_rule_and_only_drops_trace_output(key):
    """What is compiled differs from the artefact only by its trace-only SVRL elements."""
    original = etree.parse(str(official.STYLESHEETS[key]))
    lean = etree.fromstring(official.lean_stylesheet(official.STYLESHEETS[key]).encode())

    def rules(tree):
        return [
            (e.get("test"), e.get("id") or e.findtext(f"{{{XSL}}}attribute"))
            for e in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
        ]

    def templates(tree):
        return [
            (t.get("match"), t.get("mode"), t.get("priority"))
            for t in tree.iter(f"{{{XSL}}}template")
        ]

    assert rules(lean) == rules(original) and len(rules(lean)) > 100
    assert templates(lean) == templates(original)
    assert not list(lean.iter(f"{{{SVRL}}}fired-rule"))
