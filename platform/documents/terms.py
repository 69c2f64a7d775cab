"""Shared helpers of the syntax readers: compiled XPaths, text, decimals, dates, parties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from vigie.platform.contracts.invoices import Party
from vigie.platform.identifiers import siren_ok, siret_ok

NS = {
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}


def xp(path: str) -> etree.XPath:
    """A compiled XPath over the EN 16931 namespaces, returning plain strings."""
    return etree.XPath(path, namespaces=NS, smart_strings=False)


def norm(text: str | None) -> str | None:
    """Whitespace-normalised text (XPath ``normalize-space``), ``None`` when empty."""
    if text is None:
        return None
    out = " ".join(text.split())
    return out or None


class TermReader:
    """Reads typed terms and remembers those that were present but unreadable."""

    def __init__(self) -> None:
        self.unreadable: list[tuple[str, str]] = []

    def text(self, node: etree._Element, path: etree.XPath) -> str | None:
        for value in path(node):
            out = norm(value if isinstance(value, str) else value.text)
            if out is not None:
                return out
        return None

    def decimal(self, term: str, raw: str | None) -> Decimal | None:
        if raw is None:
            return None
        raw = raw.strip()
        if raw.startswith("+"):
            raw = raw[1:]
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.unreadable.append((term, raw[:40]))
            return None
        if not value.is_finite() or "e" in raw.lower():
            self.unreadable.append((term, raw[:40]))
            return None
        return value

    def iso_date(self, term: str, raw: str | None) -> date | None:
        if raw is None:
            return None
        raw = raw.strip()
        # xsd:date may carry a time zone: 2019-01-31Z, 2019-01-31+01:00
        day = raw[:10] if len(raw) == 10 or (len(raw) > 10 and raw[10] in "Z+-") else ""
        try:
            return date.fromisoformat(day)
        except ValueError:
            self.unreadable.append((term, raw[:40]))
            return None

    def cii_date(self, term: str, raw: str | None, fmt: str | None) -> date | None:
        if raw is None:
            return None
        raw = raw.strip()
        if fmt not in (None, "102") or len(raw) != 8 or not raw.isdigit():
            self.unreadable.append((term, f"{raw[:40]} (format {fmt})"))
            return None
        try:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            self.unreadable.append((term, raw))
            return None


def total_vat_in(
    r: TermReader, amounts: list[etree._Element], currency: str | None
) -> Decimal | None:
    """BT-110: the VAT total in the invoice currency (a second total may be in BT-6)."""
    for node in amounts:
        if norm(node.get("currencyID")) == currency:
            return r.decimal("BT-110", node.text)
    if amounts and all(n.get("currencyID") is None for n in amounts):
        return r.decimal("BT-110", amounts[0].text)
    return None


def pick_siret(candidates: list[tuple[str | None, str | None]]) -> str | None:
    """The first identifier that is a valid SIRET: scheme 0009 first, then bare 14 digits."""
    cleaned = [(scheme, "".join((value or "").split())) for scheme, value in candidates]
    for scheme, value in cleaned:
        if scheme == "0009" and siret_ok(value):
            return value
    for scheme, value in cleaned:
        if scheme in (None, "", "0009", "SIRET") and len(value) == 14 and siret_ok(value):
            return value
    return None


def pick_siren(candidates: list[tuple[str | None, str | None]], siret: str | None) -> str | None:
    """The first identifier that is a valid SIREN (scheme 0002 or 9 bare digits)."""
    for scheme, value in candidates:
        value = "".join((value or "").split())
        if scheme in (None, "", "0002", "SIREN") and siren_ok(value):
            return value
    return siret[:9] if siret else None


def scheme_id_pairs(nodes: list[etree._Element]) -> list[tuple[str | None, str | None]]:
    return [(norm(n.get("schemeID")), norm(n.text)) for n in nodes]


#: BG-22 document totals: InvoiceDocument field → business term
TOTAL_TERMS = {
    "sum_of_line_net": "BT-106",
    "allowance_total": "BT-107",
    "charge_total": "BT-108",
    "total_without_vat": "BT-109",
    "total_with_vat": "BT-112",
    "prepaid_amount": "BT-113",
    "rounding_amount": "BT-114",
    "amount_due": "BT-115",
}


@dataclass(frozen=True)
class PartyPaths:
    """Compiled XPaths of a party's terms, relative to the party element, in one syntax."""

    name: etree.XPath
    vat_id: etree.XPath
    identifiers: etree.XPath  # every id element that may carry a SIRET or SIREN
    legal_ids: etree.XPath
    address: etree.XPath
    country: etree.XPath
    endpoint_schemes: etree.XPath


def read_party(r: TermReader, party: etree._Element | None, paths: PartyPaths) -> Party:
    """Seller or buyer terms, with the SIRET / SIREN found among its identifiers."""
    if party is None:
        return Party()
    siret = pick_siret(scheme_id_pairs(paths.identifiers(party)))
    return Party(
        name=r.text(party, paths.name),
        vat_id=r.text(party, paths.vat_id),
        siret=siret,
        siren=pick_siren(scheme_id_pairs(paths.legal_ids(party)), siret),
        country_code=r.text(party, paths.country),
        has_postal_address=bool(paths.address(party)),
        electronic_address_schemes=tuple(norm(s) or "" for s in paths.endpoint_schemes(party)),
    )
