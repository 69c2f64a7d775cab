"""Bytes in, invoice documents out: format detection and the reader for each syntax."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from vigie.platform.contracts.invoices import InvoiceDocument
from vigie.platform.contracts.types import Syntax
from vigie.platform.documents import official, xsd
from vigie.platform.documents.archive import is_zip, iter_zip
from vigie.platform.documents.cii import ZUGFERD1_NS, is_cii, read_cii
from vigie.platform.documents.errors import DocumentError
from vigie.platform.documents.official import Family
from vigie.platform.documents.pdf import PdfHeaderFields, embedded_invoice_xml, read_plain_pdf
from vigie.platform.documents.safe_xml import parse_xml
from vigie.platform.documents.ubl import CREDIT_NOTE_TAG, is_ubl, read_ubl

#: Largest single upload accepted (bytes), whatever its format.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Factur-X profiles that are not complete EN 16931 invoices (en16931-xpaths.md §6.1)
UNSUPPORTED_PROFILES = ("minimum", "basicwl")


@dataclass(frozen=True)
class ReadResult:
    """One document of an upload: what was read, or why it could not be."""

    name: str
    data: bytes | None
    document: InvoiceDocument | None
    error: DocumentError | None


def sniff(data: bytes) -> str:
    """``pdf``, ``zip`` or ``xml`` from the bytes themselves (never from the file name)."""
    if is_zip(data):
        return "zip"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") or head.startswith(b"\xff\xfe<") or head.startswith(b"\xfe\xff\x00<"):
        return "xml"
    raise DocumentError("FMT-01", "the bytes are not an XML, PDF or ZIP document")


def read_xml(
    data: bytes,
    *,
    syntax: Syntax | None = None,
    embedded_xml: str | None = None,
    schema: bool = True,
) -> InvoiceDocument:
    """Read a UBL or CII document; with ``schema``, validate it against its XSD first, then
    run the official artefacts on it (:mod:`vigie.platform.documents.official`)."""
    root = parse_xml(data)
    family: Family
    if is_ubl(root):
        family = "UBL"
        if schema:
            xsd.validate("ubl-creditnote" if root.tag == CREDIT_NOTE_TAG else "ubl-invoice", root)
        doc = read_ubl(root, syntax=syntax or "UBL", embedded_xml=embedded_xml)
    elif is_cii(root):
        family = "CII"
        doc = read_cii(root, syntax=syntax or "CII", embedded_xml=embedded_xml)
        if doc.profile in UNSUPPORTED_PROFILES:
            raise DocumentError("FMT-05", f"profile {doc.specification_id}")
        if schema:
            xsd.validate("cii-d16b", root)
    else:
        ns = etree.QName(root).namespace or ""
        what = "ZUGFeRD 1.0" if ns == ZUGFERD1_NS else f"root {etree.QName(root).localname}"
        raise DocumentError("FMT-02", f"{what} ({ns or 'no namespace'})")
    if schema:  # the official artefacts judge what the XSD let through
        findings = official.validate(root, family, doc.specification_id)
        doc = doc.model_copy(update={"official_findings": findings})
    return doc


def read_pdf(
    data: bytes, header: PdfHeaderFields | None = None, *, schema: bool = True
) -> InvoiceDocument:
    """A Factur-X PDF through its embedded XML, or a plain PDF through its header fields."""
    embedded = embedded_invoice_xml(data)
    if embedded is None:
        if header is None or header.is_empty:
            raise DocumentError("FMT-04", "no embedded invoice XML and no header fields")
        return read_plain_pdf(header)
    name, xml = embedded
    return read_xml(xml, syntax="FACTURX", embedded_xml=name, schema=schema)


def read_single(
    data: bytes, header: PdfHeaderFields | None = None, *, schema: bool = True
) -> InvoiceDocument:
    kind = sniff(data)
    if kind == "pdf":
        return read_pdf(data, header, schema=schema)
    if kind == "xml":
        return read_xml(data, schema=schema)
    raise DocumentError("ZIP-05", "an archive inside an archive is not accepted")


def read_documents(
    data: bytes, name: str, header: PdfHeaderFields | None = None, *, schema: bool = True
) -> Iterator[ReadResult]:
    """Every document of one upload: itself, or each entry of a ZIP, judged on its own."""
    if len(data) > MAX_UPLOAD_BYTES:
        yield ReadResult(name, None, None, DocumentError("SIZE-01", f"{len(data):,} bytes"))
        return
    try:
        kind = sniff(data)
        if kind != "zip":
            yield ReadResult(name, data, read_single(data, header, schema=schema), None)
            return
        entries = list(iter_zip(data))
    except DocumentError as err:
        yield ReadResult(name, data if err.code != "SIZE-01" else None, None, err)
        return
    if not entries:
        yield ReadResult(name, None, None, DocumentError("ZIP-04", "the archive is empty"))
    for entry in entries:
        if entry.error is not None or entry.data is None:
            yield ReadResult(entry.name, None, None, entry.error)
            continue
        try:
            # header fields describe one PDF: they never apply to the entries of a batch
            doc = read_single(entry.data, None, schema=schema)
        except DocumentError as err:
            yield ReadResult(entry.name, entry.data, None, err)
            continue
        yield ReadResult(entry.name, entry.data, doc, None)
