"""Synthetic, valid EN 16931 UBL invoices (benchmarks, inbox tests, demos).

The documents pass the UBL 2.1 XSD and every rule of :func:`vigie.platform.rules.check_document`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from vigie.platform.contracts.types import CENT
from vigie.platform.identifiers import fr_vat_id


def _party(siret: str, name: str, city: str) -> str:
    siren = siret[:9]
    return (
        f'<cbc:EndpointID schemeID="0009">{siret}</cbc:EndpointID>'
        f'<cac:PartyIdentification><cbc:ID schemeID="0009">{siret}</cbc:ID>'
        "</cac:PartyIdentification>"
        f"<cac:PostalAddress><cbc:CityName>{city}</cbc:CityName>"
        "<cbc:PostalZone>75001</cbc:PostalZone><cac:Country>"
        "<cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>"
        f"<cac:PartyTaxScheme><cbc:CompanyID>{fr_vat_id(siren)}</cbc:CompanyID>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        f"<cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName>"
        f'<cbc:CompanyID schemeID="0002">{siren}</cbc:CompanyID></cac:PartyLegalEntity>'
    )


def ubl_invoice(
    number: str,
    *,
    seller_siret: str,
    buyer_siret: str,
    issue_date: date = date(2026, 11, 2),
    lines: int = 10,
    vat_rate: Decimal = Decimal("20"),
    service_code: str | None = None,
    engagement_number: str | None = None,
    seed: int = 0,
) -> bytes:
    """A UBL 2.1 invoice with ``lines`` lines at one VAT rate, totals exact to the cent."""
    line_xml, net_total = [], Decimal(0)
    tax_category = (
        f"<cbc:ID>S</cbc:ID><cbc:Percent>{vat_rate}</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
    )
    for i in range(1, lines + 1):
        quantity = 1 + (seed + i) % 7
        price = Decimal(10 + (seed * 31 + i * 17) % 990) + Decimal((seed + i) % 100) / 100
        net = (price * quantity).quantize(CENT)
        net_total += net
        line_xml.append(
            f"<cac:InvoiceLine><cbc:ID>{i}</cbc:ID>"
            f'<cbc:InvoicedQuantity unitCode="C62">{quantity}</cbc:InvoicedQuantity>'
            f'<cbc:LineExtensionAmount currencyID="EUR">{net}</cbc:LineExtensionAmount>'
            f"<cac:Item><cbc:Name>Article {i}</cbc:Name>"
            f"<cac:ClassifiedTaxCategory>{tax_category}</cac:ClassifiedTaxCategory></cac:Item>"
            f'<cac:Price><cbc:PriceAmount currencyID="EUR">{price}</cbc:PriceAmount></cac:Price>'
            "</cac:InvoiceLine>"
        )
    tax = (net_total * vat_rate / 100).quantize(CENT)
    gross = net_total + tax
    refs = f"<cbc:BuyerReference>{service_code}</cbc:BuyerReference>" if service_code else ""
    if engagement_number:
        refs += f"<cac:OrderReference><cbc:ID>{engagement_number}</cbc:ID></cac:OrderReference>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        ' xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"'
        ' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>"
        "<cbc:ProfileID>A1</cbc:ProfileID>"
        f"<cbc:ID>{number}</cbc:ID><cbc:IssueDate>{issue_date.isoformat()}</cbc:IssueDate>"
        f"<cbc:DueDate>{(issue_date + timedelta(days=30)).isoformat()}</cbc:DueDate>"
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"
        f"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>{refs}"
        "<cac:AccountingSupplierParty><cac:Party>"
        f"{_party(seller_siret, 'Fournisseur Exemple SAS', 'Lyon')}"
        "</cac:Party></cac:AccountingSupplierParty>"
        "<cac:AccountingCustomerParty><cac:Party>"
        f"{_party(buyer_siret, 'Entite Publique Exemple', 'Paris')}"
        "</cac:Party></cac:AccountingCustomerParty>"
        f'<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{tax}</cbc:TaxAmount>'
        f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">{net_total}</cbc:TaxableAmount>'
        f'<cbc:TaxAmount currencyID="EUR">{tax}</cbc:TaxAmount>'
        f"<cac:TaxCategory>{tax_category}</cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>"
        "<cac:LegalMonetaryTotal>"
        f'<cbc:LineExtensionAmount currencyID="EUR">{net_total}</cbc:LineExtensionAmount>'
        f'<cbc:TaxExclusiveAmount currencyID="EUR">{net_total}</cbc:TaxExclusiveAmount>'
        f'<cbc:TaxInclusiveAmount currencyID="EUR">{gross}</cbc:TaxInclusiveAmount>'
        f'<cbc:PayableAmount currencyID="EUR">{gross}</cbc:PayableAmount>'
        f"</cac:LegalMonetaryTotal>{''.join(line_xml)}</Invoice>"
    ).encode()
