"""User-facing labels: French first, English on request."""

from __future__ import annotations

LANGUAGES = ("fr", "en")

LABELS: dict[str, dict[str, str]] = {
    "app_title": {"fr": "Vigie", "en": "Vigie"},
    "language": {"fr": "Langue", "en": "Language"},
    "data_as_of": {"fr": "Données au {when}", "en": "Data as of {when}"},
    "no_snapshot": {
        "fr": "Aucune donnée publiée : lancez `make demo` ou `vigie pipeline run`.",
        "en": "No data published yet: run `make demo` or `vigie pipeline run`.",
    },
    "last_build_failed": {
        "fr": "Échec de la dernière construction ({when}) : les données affichées sont celles "
        "de la publication précédente.",
        "en": "The last build failed ({when}): the data shown is from the previous publication.",
    },
    "page_bilan": {"fr": "Bilan annuel", "en": "Yearly report"},
    "year": {"fr": "Année", "en": "Year"},
    "invoices": {"fr": "Factures reçues", "en": "Invoices received"},
    "growth": {"fr": "Évolution sur un an", "en": "Year-over-year change"},
    "months_with_data": {"fr": "Mois couverts", "en": "Months covered"},
    "per_month_title": {
        "fr": "Factures reçues par mois, {year} et {previous}",
        "en": "Invoices received per month, {year} and {previous}",
    },
    "month": {"fr": "Mois", "en": "Month"},
    "invoice_count_axis": {"fr": "Nombre de factures", "en": "Number of invoices"},
    "table_title": {"fr": "Détail mensuel", "en": "Monthly detail"},
    "download_csv": {"fr": "Télécharger (CSV)", "en": "Download (CSV)"},
    "download_parquet": {"fr": "Télécharger (Parquet)", "en": "Download (Parquet)"},
    "page_ereporting": {"fr": "E-reporting", "en": "E-reporting"},
    "er_none": {
        "fr": "Aucune transmission e-reporting dans les données publiées.",
        "en": "No e-reporting transmission in the published data.",
    },
    "er_declarant": {"fr": "Déclarant (SIREN)", "en": "Declarant (SIREN)"},
    "er_kind": {"fr": "Type", "en": "Kind"},
    "er_transactions": {"fr": "Transactions", "en": "Transactions"},
    "er_payments": {"fr": "Paiements", "en": "Payments"},
    "er_transmissions": {"fr": "Transmissions", "en": "Transmissions"},
    "er_to_send": {"fr": "À transmettre", "en": "To send"},
    "er_vat": {"fr": "TVA déclarée (€)", "en": "VAT reported (€)"},
    "er_period_start": {"fr": "Début de période", "en": "Period start"},
    "er_period_end": {"fr": "Fin de période", "en": "Period end"},
    "er_records": {"fr": "Enregistrements", "en": "Records"},
    "er_taxable": {"fr": "Base HT (€)", "en": "Taxable base (€)"},
    "er_received": {"fr": "Encaissé TTC (€)", "en": "Received incl. VAT (€)"},
    "er_deadline": {"fr": "Échéance plateforme", "en": "Platform deadline"},
    "er_admin_deadline": {"fr": "Échéance administration", "en": "Administration deadline"},
    "er_status": {"fr": "Statut", "en": "Status"},
    "er_status_built": {"fr": "construite", "en": "built"},
    "er_status_exported": {"fr": "exportée", "en": "exported"},
    "er_status_rectified": {"fr": "rectifiée", "en": "rectified"},
    "er_transmission_id": {"fr": "Identifiant", "en": "Transmission id"},
    "er_xml_title": {"fr": "Fichier XML d'une transmission", "en": "XML file of a transmission"},
    "er_period": {"fr": "Période", "en": "Period"},
    "er_invalid": {
        "fr": "Transmission invalide : elle ne peut pas être exportée.",
        "en": "Invalid transmission: it cannot be exported.",
    },
    "er_download_xml": {"fr": "Télécharger le XML", "en": "Download the XML"},
}

MONTHS = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}  # fmt: skip


def t(key: str, lang: str, **values: object) -> str:
    text = LABELS[key].get(lang) or LABELS[key]["fr"]
    return text.format(**values) if values else text
