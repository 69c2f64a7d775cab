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
}

MONTHS = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}  # fmt: skip


def t(key: str, lang: str, **values: object) -> str:
    text = LABELS[key].get(lang) or LABELS[key]["fr"]
    return text.format(**values) if values else text
