"""Deposit validation rules: each has a stable code and a French and an English message.

Three layers, in this order; a layer runs only when the one before it passed:

1. structure — the bytes are a safe, well-formed document of a supported syntax and
   profile that validates against its XSD (codes ``SIZE-``, ``FMT-``, ``XML-``, ``XSD-``,
   ``ZIP-``), raised by the readers of :mod:`vigie.platform.documents`;
2. document — **the official artefacts decide**: every assertion of EN 16931 (and of the
   French BR-FR rules where the document claims the French profile) that the document fails,
   run by :mod:`vigie.platform.documents.official`, under its official id (``BR-CO-17``,
   ``BR-CL-10``…) with its official text and our French message; ``fatal`` and ``error``
   refuse, ``warning`` is reported and the document accepted. The hub adds only what it
   needs to store a document (``DEC-``, ``NUM-``) and, for a plain PDF described by header
   fields (no artefact applies), the EN 16931 mandatory terms and sums on those fields
   (``FORM-``): :func:`check_document`, :func:`document_warnings`;
3. routing — the registry: recipient known and active, service code and engagement number
   where the recipient requires them, duplicates (``REG-``), checked by the deposit service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from vigie.platform.contracts.invoices import InvoiceDocument, RuleFinding
from vigie.platform.contracts.types import CENT


@dataclass(frozen=True)
class Rule:
    code: str
    message_fr: str
    message_en: str


@dataclass(frozen=True)
class Violation:
    """One failed rule, with what was found (``detail``) when it helps.

    For an official rule, ``official_message`` is the artefact's own text and ``severity``
    its flag (``fatal``, ``error`` or ``warning``); the hub's own rules are ``error``.
    """

    code: str
    message_fr: str
    message_en: str
    detail: str | None = None
    severity: str = "error"
    official_message: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message_fr,
            "message_en": self.message_en,
            "detail": self.detail,
            "severity": self.severity,
            "official_message": self.official_message,
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
        # --- document: French messages of official EN 16931 rules (the artefacts give the
        # English); the mandatory terms and sums also check a plain PDF's header fields
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
           "100, à une unité de la devise près.",
           "VAT category tax amount (BT-117) = taxable amount (BT-116) × rate (BT-119) / 100, "
           "within one unit of the currency."),
        _r("BR-CL-10", "Le schéma d'identifiant (BT-29-1, BT-46-1…) doit appartenir à la "
           "liste ISO 6523 ICD.",
           "An identifier scheme (BT-29-1, BT-46-1…) must belong to the ISO 6523 ICD list."),
        _r("BR-CL-21", "Le schéma d'identifiant d'article (BT-157-1) doit appartenir à la "
           "liste ISO 6523 ICD.",
           "The item standard identifier scheme (BT-157-1) must belong to the ISO 6523 ICD "
           "list."),
        _r("BR-CL-23", "Le code d'unité de mesure (BT-130, BT-150) doit appartenir aux "
           "listes UN/ECE Recommandations 20 et 21.",
           "The unit of measure code (BT-130, BT-150) must belong to UN/ECE "
           "Recommendations 20 and 21."),
        _r("BR-S-02", "Une facture avec une ligne au taux normal (S) doit porter un "
           "identifiant de TVA du vendeur (BT-31, BT-32 ou BT-63).",
           "An invoice with a standard-rated (S) line must carry a seller VAT identifier "
           "(BT-31, BT-32 or BT-63)."),
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


def official_violation(finding: RuleFinding) -> Violation:
    """An official artefact's finding, with our French message where we wrote one."""
    rule = RULES.get(finding.rule_id)
    label = "règles françaises BR-FR" if finding.artefact == "BR-FR" else "EN 16931"
    return Violation(
        code=finding.rule_id,
        message_fr=rule.message_fr
        if rule
        else f"Règle officielle {finding.rule_id} ({label}) "
        "non respectée : voir le message officiel.",
        message_en=rule.message_en if rule else finding.text,
        detail=finding.location or None,
        severity=finding.flag,
        official_message=finding.text,
    )


_ZERO = Decimal(0)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def _or0(value: Decimal | None) -> Decimal:
    return _ZERO if value is None else value


def check_document(doc: InvoiceDocument) -> list[Violation]:
    """Every rule that refuses ``doc`` (empty list: the document is accepted).

    The official artefacts' ``fatal`` and ``error`` findings first, then the hub's own rules:
    terms it cannot store, and for a plain PDF the EN 16931 mandatory terms and sums on its
    header fields.
    """
    out = [official_violation(f) for f in doc.official_findings if f.blocking]
    add = out.append
    for term, found in doc.unreadable:
        add(violation("DEC-01", f"{term}: {found!r}"))
    _check_numbers(doc, add)
    if doc.syntax == "PDF":
        _check_header_fields(doc, add)
    return out


def document_warnings(doc: InvoiceDocument) -> list[Violation]:
    """The official ``warning`` findings: reported, and the document accepted."""
    return [official_violation(f) for f in doc.official_findings if not f.blocking]


def _check_header_fields(doc: InvoiceDocument, add: Callable[[Violation], None]) -> None:
    """A plain PDF's header fields: the EN 16931 mandatory terms and sums they carry."""
    mandatory = [
        ("BR-02", doc.invoice_number),
        ("BR-03", doc.issue_date),
        ("BR-04", doc.type_code),
        ("BR-05", doc.currency),
        ("BR-13", doc.total_without_vat),
        ("BR-14", doc.total_with_vat),
        ("BR-15", doc.amount_due),
    ]
    for code, value in mandatory:
        if value is None:
            add(violation(code))
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
    if doc.total_vat is None:
        add(violation("FORM-01", "total_vat is required"))


_LIMIT = Decimal(10) ** 16


def _check_numbers(doc: InvoiceDocument, add: Callable[[Violation], None]) -> None:
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
            or (line.rate is not None and line.rate != line.rate.quantize(CENT))
        ):
            add(violation("DEC-02", f"BT-119 {line.rate}"))
    for term, value in amounts:
        if value is None:
            continue
        if abs(value) >= _LIMIT:
            add(violation("DEC-02", f"{term} {value}"))
        elif doc.syntax == "PDF" and value != value.quantize(CENT):
            # the artefacts' BR-DEC rules check the structured documents
            add(violation("BR-DEC", f"{term} {value}"))
