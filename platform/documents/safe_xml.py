"""Parse untrusted XML safely.

No DTD is loaded, no entity is resolved (XXE, billion laughs), nothing is fetched from the
network, and documents above a size limit are refused before lxml sees them. A document that
declares a DTD at all is refused: invoices never need one.
"""

from __future__ import annotations

import threading

from lxml import etree

from vigie.platform.documents.errors import DocumentError

#: Largest XML document read (bytes). Chorus Pro caps a flow file at 10 MB per invoice.
MAX_XML_BYTES = 10 * 1024 * 1024

_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers are not thread-safe: one per thread.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def parse_xml(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of ``data``, or :class:`DocumentError` (XML-01, XML-02, SIZE-02)."""
    if len(data) > max_bytes:
        raise DocumentError("SIZE-02", f"{len(data):,} bytes, limit {max_bytes:,}")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError("XML-02", "the document declares a DTD or entities")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise DocumentError("XML-01", str(err)) from None
    except ValueError as err:  # e.g. a unicode string with an encoding declaration
        raise DocumentError("XML-01", str(err)) from None
    if root is None:
        raise DocumentError("XML-01", "empty document")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise DocumentError("XML-02", "the document declares a DTD or entities")
    return root
