"""Deposit validation rules: each has a stable code and a French and an English message.

Three layers, in this order; a layer runs only when the one before it passed:

1. structure — the bytes are a safe, well-formed document of a supported syntax and
   profile that validates against its XSD (codes ``SIZE-``, ``FMT-``, ``XML-``, ``XSD-``,
   ``ZIP-``), raised by the readers of :mod:`vigie.platform.documents`;
2. document — the core EN 16931 rules on the business terms (``BR-``, ``BR-CO-``,
   ``BR-CL-``, ``CII-DT-``) and our own arithmetic checks (``VAT-``, ``DEC-``, ``FORM-``):
   :func:`check_document`;
3. routing — the registry: recipient known and active, service code and engagement number
   where the recipient requires them, duplicates (``REG-``), checked by the deposit service.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from vigie.platform.contracts.invoices import InvoiceDocument


@dataclass(frozen=True)
class Rule:
    code: str
    message_fr: str
    message_en: str


@dataclass(frozen=True)
class Violation:
    """One failed rule, with what was found (``detail``) when it helps."""

    code: str
    message_fr: str
    message_en: str
    detail: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message_fr,
            "message_en": self.message_en,
            "detail": self.detail,
        }


def _r(code: str, fr: str, en: str) -> tuple[str, Rule]:
    return code, Rule(code, fr, en)


RULES: dict[str, Rule] = dict(
    [
        # --- structure
        _r("SIZE-01", "Le fichier déposé dépasse la taille maximale autorisée.",
           "The uploaded file exceeds the maximum size."),
        _r("SIZE-02", "Le document XML dépasse la taille maximale autorisée.",
           "The XML document exceeds the maximum size."),
        _r("FMT-01", "Le fichier n'est ni un XML, ni un PDF, ni une archive ZIP.",
           "The file is neither XML, nor PDF, nor a ZIP archive."),
        _r("FMT-02", "Syntaxe non prise en charge : seuls UBL 2.1 (Invoice, CreditNote) et "
           "CII D16B sont acceptés.",
           "Unsupported syntax: only UBL 2.1 (Invoice, CreditNote) and CII D16B are accepted."),
        _r("FMT-03", "Le PDF est illisible ou tronqué.", "The PDF is unreadable or truncated."),
        _r("FMT-04", "Le PDF ne contient pas de XML de facture et aucun champ d'en-tête "
           "n'a été saisi.",
           "The PDF embeds no invoice XML and no header fields were given."),
        _r("FMT-05", "Profil Factur-X non accepté (MINIMUM et BASIC WL ne sont pas des "
           "factures complètes).",
           "Factur-X profile not accepted (MINIMUM and BASIC WL are not complete invoices)."),
        _r("XML-01", "Le document XML est mal formé.", "The XML document is not well-formed."),
        _r("XML-02", "Les DTD et déclarations d'entités sont interdites.",
           "DTDs and entity declarations are forbidden."),
        _r("XSD-01", "Le document n'est pas conforme au schéma XSD de sa syntaxe.",
           "The document does not validate against the XSD of its syntax."),
        _r("ZIP-01", "Chemin d'entrée d'archive interdit (absolu ou contenant '..').",
           "Forbidden archive entry path (absolute or containing '..')."),
        _r("ZIP-02", "Archive refusée : taux de compression ou taille décompressée excessifs.",
           "Archive refused: compression ratio or inflated size too large."),
        _r("ZIP-03", "Archive refusée : trop d'entrées.", "Archive refused: too many entries."),
        _r("ZIP-04", "Archive ZIP illisible, chiffrée ou vide.",
           "Unreadable, encrypted or empty ZIP archive."),
        _r("ZIP-05", "Une archive dans une archive n'est pas acceptée.",
           "An archive inside an archive is not accepted."),
        # --- document: EN 16931 core rules
        _r("BR-01", "L'identifiant de spécification (BT-24) est obligatoire.",
           "The specification identifier (BT-24) is mandatory."),
        _r("BR-02", "Le numéro de facture (BT-1) est obligatoire.",
           "The invoice number (BT-1) is mandatory."),
        _r("BR-03", "La date d'émission (BT-2) est obligatoire.",
           "The issue date (BT-2) is mandatory."),
        _r("BR-04", "Le code de type de facture (BT-3) est obligatoire.",
           "The invoice type code (BT-3) is mandatory."),
        _r("BR-05", "La devise de facture (BT-5) est obligatoire.",
           "The invoice currency code (BT-5) is mandatory."),
        _r("BR-06", "Le nom du vendeur (BT-27) est obligatoire.",
           "The seller name (BT-27) is mandatory."),
        _r("BR-07", "Le nom de l'acheteur (BT-44) est obligatoire.",
           "The buyer name (BT-44) is mandatory."),
        _r("BR-08", "L'adresse postale du vendeur (BG-5) est obligatoire.",
           "The seller postal address (BG-5) is mandatory."),
        _r("BR-09", "Le code pays du vendeur (BT-40) est obligatoire.",
           "The seller country code (BT-40) is mandatory."),
        _r("BR-10", "L'adresse postale de l'acheteur (BG-8) est obligatoire.",
           "The buyer postal address (BG-8) is mandatory."),
        _r("BR-11", "Le code pays de l'acheteur (BT-55) est obligatoire.",
           "The buyer country code (BT-55) is mandatory."),
        _r("BR-12", "La somme des montants nets des lignes (BT-106) est obligatoire.",
           "The sum of invoice line net amounts (BT-106) is mandatory."),
        _r("BR-13", "Le total hors TVA (BT-109) est obligatoire.",
           "The invoice total without VAT (BT-109) is mandatory."),
        _r("BR-14", "Le total TTC (BT-112) est obligatoire.",
           "The invoice total with VAT (BT-112) is mandatory."),
        _r("BR-15", "Le montant à payer (BT-115) est obligatoire.",
           "The amount due for payment (BT-115) is mandatory."),
        _r("BR-16", "La facture doit comporter au moins une ligne (BG-25).",
           "The invoice must have at least one line (BG-25)."),
        _r("BR-CO-10", "La somme des montants nets des lignes (BT-106) doit égaler la somme "
           "des montants nets de chaque ligne (BT-131).",
           "Sum of line net amounts (BT-106) must equal the sum of line net amounts (BT-131)."),
        _r("BR-CO-11", "Le total des remises (BT-107) doit égaler la somme des remises de "
           "document (BT-92).",
           "Sum of allowances (BT-107) must equal the sum of document allowances (BT-92)."),
        _r("BR-CO-12", "Le total des charges (BT-108) doit égaler la somme des charges de "
           "document (BT-99).",
           "Sum of charges (BT-108) must equal the sum of document charges (BT-99)."),
        _r("BR-CO-13", "Total HT (BT-109) = somme des lignes (BT-106) − remises (BT-107) + "
           "charges (BT-108).",
           "Total without VAT (BT-109) = line total (BT-106) − allowances (BT-107) + "
           "charges (BT-108)."),
        _r("BR-CO-14", "Le total de TVA (BT-110) doit égaler la somme des montants de TVA "
           "par taux (BT-117).",
           "Total VAT (BT-110) must equal the sum of VAT category tax amounts (BT-117)."),
        _r("BR-CO-15", "Total TTC (BT-112) = total HT (BT-109) + total TVA (BT-110).",
           "Total with VAT (BT-112) = total without VAT (BT-109) + total VAT (BT-110)."),
        _r("BR-CO-16", "Montant à payer (BT-115) = total TTC (BT-112) − acompte (BT-113) + "
           "arrondi (BT-114).",
           "Amount due (BT-115) = total with VAT (BT-112) − paid amount (BT-113) + "
           "rounding (BT-114)."),
        _r("BR-CO-17", "Montant de TVA par taux (BT-117) = base (BT-116) × taux (BT-119) / "
           "100, arrondi au centime.",
           "VAT category tax amount (BT-117) = taxable amount (BT-116) × rate (BT-119) / 100, "
           "rounded to the cent."),
        _r("BR-CO-18", "La facture doit comporter au moins une ventilation de TVA (BG-23).",
           "The invoice must have at least one VAT breakdown (BG-23)."),
        _r("BR-CL-25", "Le schéma d'adresse électronique (BT-34-1/BT-49-1) doit appartenir à "
           "la liste CEF EAS.",
           "The electronic address scheme (BT-34-1/BT-49-1) must belong to the CEF EAS list."),
        _r("CII-DT-031", "Seul TaxTotalAmount peut porter l'attribut currencyID.",
           "Only TaxTotalAmount may carry the currencyID attribute."),
        _r("VAT-01", "La somme des bases de TVA (BT-116) doit égaler le total HT (BT-109).",
           "The sum of VAT taxable amounts (BT-116) must equal the total without VAT (BT-109)."),
        _r("DEC-01", "Montant, taux ou date illisible.", "Unreadable amount, rate or date."),
        _r("DEC-02", "Montant ou taux hors des limites (16 chiffres entiers, taux de 0 à 100).",
           "Amount or rate out of range (16 integer digits, rates from 0 to 100)."),
        _r("BR-DEC", "Un montant a au plus deux décimales.",
           "An amount has at most two decimals."),
        _r("NUM-01", "Le numéro de facture (BT-1) dépasse 35 caractères.",
           "The invoice number (BT-1) exceeds 35 characters."),
        # --- routing (registry)
        _r("REG-01", "Destinataire inconnu : aucune structure active ne porte ce SIRET.",
           "Unknown recipient: no active structure has this SIRET."),
        _r("REG-02", "Le destinataire est inactif.", "The recipient is inactive."),
        _r("REG-03", "Le destinataire exige un code service (BT-10).",
           "The recipient requires a service code (BT-10)."),
        _r("REG-04", "Code service inconnu ou inactif chez le destinataire.",
           "Service code unknown or inactive for the recipient."),
        _r("REG-05", "Le destinataire exige un numéro d'engagement (BT-13).",
           "The recipient requires an engagement number (BT-13)."),
        _r("REG-06", "Doublon : ce fournisseur a déjà déposé ce numéro de facture cette année.",
           "Duplicate: this supplier already deposited this invoice number this year."),
        _r("REG-07", "Destinataire non identifié : ni le document ni le dépôt ne donnent un "
           "SIRET de destinataire connu.",
           "Recipient not identified: neither the document nor the deposit gives a known "
           "recipient SIRET."),
        _r("REG-08", "Le SIRET du destinataire est invalide.", "The recipient SIRET is invalid."),
        _r("FORM-01", "Champ d'en-tête invalide pour un PDF sans XML.",
           "Invalid header field for a PDF without XML."),
        # --- e-reporting captures: B2C daily sales (10.3) and payment receipts (10.2, 10.4)
        _r("ER-01", "La structure n'a pas de régime de TVA : elle n'est pas déclarante "
           "e-reporting.", "The structure has no VAT regime: it is not an e-reporting "
           "declarant."),
        _r("ER-02", "Taux de TVA non autorisé (G1.24).", "VAT rate not allowed (G1.24)."),
        _r("ER-03", "Montant de TVA incohérent avec la base et le taux.",
           "VAT amount inconsistent with the taxable base and the rate."),
        _r("ER-04", "Date hors période admise (2000–2099, pas dans le futur ; G1.07, G1.36).",
           "Date out of the allowed range (2000–2099, not in the future; G1.07, G1.36)."),
        _r("ER-05", "Montant invalide : au plus 2 décimales (G1.14).",
           "Invalid amount: at most 2 decimals (G1.14)."),
        _r("ER-06", "Un même taux apparaît deux fois, ou aucune ligne n'est donnée.",
           "A rate appears twice, or no line is given."),
        _r("ER-07", "Les montants e-reporting sont en euros (G6.23, G6.27).",
           "E-reporting amounts are in euros (G6.23, G6.27)."),
        _r("ER-08", "Facture inconnue, ou qui n'est pas une facture internationale du "
           "déclarant.", "Unknown invoice, or not an international invoice of the declarant."),
        _r("EDI-01", "Fournisseur introuvable : déposez le fichier dans inbox/<SIRET du "
           "fournisseur>/ ou indiquez le SIRET du vendeur (BT-29) dans la facture.",
           "Supplier not found: drop the file in inbox/<supplier SIRET>/ or give the seller "
           "SIRET (BT-29) in the invoice."),
    ]
)  # fmt: skip


#: VAT rates allowed in e-reporting (Annexe 7, G1.24)
ALLOWED_VAT_RATES = frozenset(
    Decimal(r)
    for r in ("0", "0.9", "1.05", "1.75", "2.1", "5.5", "7", "8.5", "9.2", "9.6", "10", "13",
              "19.6", "20", "20.6")
)  # fmt: skip


def violation(code: str, detail: str | None = None) -> Violation:
    rule = RULES[code]
    return Violation(code, rule.message_fr, rule.message_en, detail)


#: CEF EAS code list (EN 16931 validation artefacts 1.3.16, rule BR-CL-25)
_EAS = """
0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170
0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203
0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230
0235 0240 0244 0242 0245 0246 0248 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924
9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941
9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959 AN AQ AS AU EM
"""
EAS_CODES = frozenset(_EAS.split())

_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def _or0(value: Decimal | None) -> Decimal:
    return _ZERO if value is None else value


def check_document(doc: InvoiceDocument) -> list[Violation]:
    """Every document-level rule ``doc`` fails (empty list: the document is valid)."""
    out: list[Violation] = []
    add = out.append
    for term, found in doc.unreadable:
        add(violation("DEC-01", f"{term}: {found!r}"))
    for code, detail in doc.syntax_findings:
        add(violation(code, detail))
    _check_numbers(doc, add)
    structured = doc.syntax != "PDF"
    mandatory = [
        ("BR-02", doc.invoice_number),
        ("BR-03", doc.issue_date),
        ("BR-04", doc.type_code),
        ("BR-05", doc.currency),
        ("BR-13", doc.total_without_vat),
        ("BR-14", doc.total_with_vat),
        ("BR-15", doc.amount_due),
    ]
    if structured:
        mandatory += [
            ("BR-01", doc.specification_id),
            ("BR-06", doc.seller.name),
            ("BR-07", doc.buyer.name),
            ("BR-08", doc.seller.has_postal_address or None),
            ("BR-09", doc.seller.country_code),
            ("BR-10", doc.buyer.has_postal_address or None),
            ("BR-11", doc.buyer.country_code),
            ("BR-12", doc.sum_of_line_net),
            ("BR-16", doc.line_count or None),
            ("BR-CO-18", doc.vat_breakdown or None),
        ]
    missing = {code for code, value in mandatory if value is None}
    out.extend(violation(code) for code, _ in sorted(mandatory) if code in missing)
    if structured:
        _check_structured_totals(doc, add)
    _check_totals(doc, add)
    if doc.syntax == "PDF" and doc.total_vat is None:
        add(violation("FORM-01", "total_vat is required"))
    return out


def _check_structured_totals(doc: InvoiceDocument, add) -> None:
    if doc.sum_of_line_net is not None and doc.line_net_amounts:
        lines = _sum(doc.line_net_amounts)
        if lines != doc.sum_of_line_net:
            add(violation("BR-CO-10", f"BT-106 {doc.sum_of_line_net} ≠ Σ BT-131 {lines}"))
    has_allowances = doc.allowance_amounts or doc.allowance_total is not None
    if has_allowances and _sum(doc.allowance_amounts) != _or0(doc.allowance_total):
        add(violation("BR-CO-11", f"BT-107 {doc.allowance_total} ≠ "
                                      f"Σ BT-92 {_sum(doc.allowance_amounts)}"))  # fmt: skip
    has_charges = doc.charge_amounts or doc.charge_total is not None
    if has_charges and _sum(doc.charge_amounts) != _or0(doc.charge_total):
        add(violation("BR-CO-12", f"BT-108 {doc.charge_total} ≠ "
                                      f"Σ BT-99 {_sum(doc.charge_amounts)}"))  # fmt: skip
    if doc.total_without_vat is not None and doc.sum_of_line_net is not None:
        expected = doc.sum_of_line_net - _or0(doc.allowance_total) + _or0(doc.charge_total)
        if expected != doc.total_without_vat:
            add(violation("BR-CO-13", f"BT-109 {doc.total_without_vat} ≠ {expected}"))
    for line in doc.vat_breakdown:
        if line.taxable is None or line.tax is None or line.rate is None:
            continue
        exact = line.taxable * line.rate / 100
        if abs(exact.quantize(_CENT) - line.tax) > _CENT:
            add(violation("BR-CO-17", f"{line.category} {line.rate} %: {line.tax} ≠ "
                                      f"{line.taxable} × {line.rate} / 100"))  # fmt: skip
    for scheme in doc.seller.electronic_address_schemes + doc.buyer.electronic_address_schemes:
        if scheme not in EAS_CODES:
            add(violation("BR-CL-25", f"schemeID {scheme!r}"))


def _check_totals(doc: InvoiceDocument, add) -> None:
    if doc.vat_breakdown:
        taxes = _sum(line.tax for line in doc.vat_breakdown)
        if doc.total_vat is not None and taxes != doc.total_vat:
            add(violation("BR-CO-14", f"BT-110 {doc.total_vat} ≠ Σ BT-117 {taxes}"))
        bases = _sum(line.taxable for line in doc.vat_breakdown)
        if doc.total_without_vat is not None and bases != doc.total_without_vat:
            add(violation("VAT-01", f"BT-109 {doc.total_without_vat} ≠ Σ BT-116 {bases}"))
    if doc.total_with_vat is not None and doc.total_without_vat is not None:
        expected = doc.total_without_vat + _or0(doc.total_vat)
        if expected != doc.total_with_vat:
            add(violation("BR-CO-15", f"BT-112 {doc.total_with_vat} ≠ {expected}"))
    if doc.amount_due is not None and doc.total_with_vat is not None:
        expected = doc.total_with_vat - _or0(doc.prepaid_amount) + _or0(doc.rounding_amount)
        if expected != doc.amount_due:
            add(violation("BR-CO-16", f"BT-115 {doc.amount_due} ≠ {expected}"))


_LIMIT = Decimal(10) ** 16


def _check_numbers(doc: InvoiceDocument, add) -> None:
    if doc.invoice_number is not None and len(doc.invoice_number) > 35:
        add(violation("NUM-01", doc.invoice_number[:60]))
    amounts = [
        ("BT-106", doc.sum_of_line_net), ("BT-107", doc.allowance_total),
        ("BT-108", doc.charge_total), ("BT-109", doc.total_without_vat),
        ("BT-110", doc.total_vat), ("BT-112", doc.total_with_vat),
        ("BT-113", doc.prepaid_amount), ("BT-114", doc.rounding_amount),
        ("BT-115", doc.amount_due),
    ]  # fmt: skip
    for line in doc.vat_breakdown:
        amounts += [("BT-116", line.taxable), ("BT-117", line.tax)]
        if (
            line.rate is not None
            and not (0 <= line.rate <= 100)
            or (line.rate is not None and line.rate != line.rate.quantize(_CENT))
        ):
            add(violation("DEC-02", f"BT-119 {line.rate}"))
    for term, value in amounts:
        if value is None:
            continue
        if abs(value) >= _LIMIT:
            add(violation("DEC-02", f"{term} {value}"))
        elif value != value.quantize(_CENT):
            add(violation("BR-DEC", f"{term} {value}"))
