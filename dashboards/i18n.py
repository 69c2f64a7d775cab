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
    "per_month_title_single": {
        "fr": "Factures reçues par mois, {year}",
        "en": "Invoices received per month, {year}",
    },
    "legal_delay_mark": {"fr": "Délai légal : {days} j", "en": "Legal delay: {days} days"},
    # a chart's text alternative (what a screen reader says) and its data, one click away
    "chart_data": {"fr": "Données du graphique", "en": "Chart data"},
    "chart_data_below": {
        "fr": "Données dans le tableau qui suit.",
        "en": "Data in the table below.",
    },
    "alt_bars_year": {
        "fr": "{year} : {total} factures, le plus en {month} ({top})",
        "en": "{year}: {total} invoices, most in {month} ({top})",
    },
    "alt_bars": {
        "fr": "Diagramme en barres. {years}. {below}",
        "en": "Bar chart. {years}. {below}",
    },
    "alt_line": {
        "fr": "{measure} : de {low} ({low_month}) à {high} ({high_month})",
        "en": "{measure}: from {low} ({low_month}) to {high} ({high_month})",
    },
    "alt_lines": {
        "fr": "Courbes par mois. {lines}.{legal} {below}",
        "en": "Lines per month. {lines}.{legal} {below}",
    },
    "alt_legal": {
        "fr": " Ligne du délai légal à {days} jours.",
        "en": " A line marks the legal delay of {days} days.",
    },
    "alt_share": {
        "fr": "{series} : part la plus forte {share} entre {bucket} jours",
        "en": "{series}: largest share {share} between {bucket} days",
    },
    "alt_histogram": {
        "fr": "Histogramme. {shares}. {below}",
        "en": "Histogram. {shares}. {below}",
    },
    "legal_delay_title": {"fr": "Délai légal", "en": "Legal delay"},
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
    "er_late": {"fr": "En retard", "en": "Late"},
    "er_late_not_sent": {
        "fr": "non transmise",
        "en": "not sent",
    },
    "er_late_received_late": {
        "fr": "données tardives",
        "en": "data late",
    },
    "er_received_at": {"fr": "Données reçues le", "en": "Data received on"},
    "er_overview_title": {"fr": "Vue d'ensemble, {year}", "en": "Overview, {year}"},
    "er_overview_caption": {
        "fr": "Toutes les transmissions de l'année, tous déclarants confondus. Une transmission "
        "est en retard quand les données du déclarant sont arrivées après l'échéance de la "
        "plateforme, ou quand elle n'est pas encore transmise et que l'échéance est passée.",
        "en": "Every transmission of the year, all declarants together. A transmission is late "
        "when the declarant's data reached the hub after the platform deadline, or when it is "
        "not sent yet and the deadline has passed.",
    },
    "er_declarants": {"fr": "Déclarants", "en": "Declarants"},
    "er_sent": {"fr": "Transmises", "en": "Sent"},
    "er_late_list": {"fr": "Transmissions en retard", "en": "Late transmissions"},
    "er_late_pick": {
        "fr": "Sélectionnez une ligne pour ouvrir les transmissions de ce déclarant.",
        "en": "Select a row to open that declarant's transmissions.",
    },
    "er_no_late": {
        "fr": "Aucune transmission en retard cette année.",
        "en": "No late transmission this year.",
    },
    "er_by_declarant": {"fr": "Par déclarant", "en": "By declarant"},
    "er_month": {"fr": "Mois", "en": "Month"},
    "er_all_months": {"fr": "Tous", "en": "All"},
    "er_not_sent_late": {"fr": "Non transmises, en retard", "en": "Not sent, late"},
    "er_received_late": {"fr": "Reçues en retard", "en": "Received late"},
    "er_earliest_late": {"fr": "1re échéance en retard", "en": "First late deadline"},
    "er_all_years": {"fr": "Toutes", "en": "All"},
    "er_vat": {"fr": "TVA déclarée (€)", "en": "VAT reported (€)"},
    "er_vat_metric": {"fr": "TVA déclarée (transactions)", "en": "VAT reported (transactions)"},
    "er_received_metric": {"fr": "Encaissé TTC (paiements)", "en": "Received incl. VAT (payments)"},
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
        "fr": "Export refusé : le fichier ne respecte pas le XSD ou l'Annexe 7. Il n'a pas"
        " été transmis ; l'export reprend au prochain passage une fois les données corrigées.",
        "en": "Export refused: the file breaks the XSD or Annexe 7. It was not sent; the"
        " next export run tries again once the data is corrected.",
    },
    "er_status_invalid": {"fr": "refusée aux contrôles", "en": "failed the checks"},
    "er_last_sent": {
        "fr": "Dernier fichier transmis pour cette période : {name}",
        "en": "Last file sent for this period: {name}",
    },
    "er_sent_file": {
        "fr": "Fichier transmis : {name} ({id})",
        "en": "File sent: {name} ({id})",
    },
    "er_file_missing": {
        "fr": "Le fichier transmis n'est plus à l'emplacement enregistré : {path}",
        "en": "The file sent is no longer where it was recorded: {path}",
    },
    "er_not_due": {
        "fr": "Période en cours : elle sera exportée après le {day}.",
        "en": "Current period: it is exported after {day}.",
    },
    "er_not_exported": {
        "fr": "Pas encore exportée : l'export part chaque matin à 6 h 30 (heure de Paris),"
        " ou avec « vigie ereporting export ».",
        "en": "Not exported yet: the export runs every morning at 06:30 (Paris time), or"
        " with `vigie ereporting export`.",
    },
    # ---- shared
    "page_delais": {"fr": "Délais de paiement", "en": "Payment delays"},
    "page_rejets": {"fr": "Rejets", "en": "Rejections"},
    "page_recherche": {"fr": "Recherche facture", "en": "Invoice look-up"},
    "no_rows": {"fr": "Aucune donnée pour cette sélection.", "en": "No data for this selection."},
    "days_unit": {"fr": "jours", "en": "days"},
    # ---- bilan
    "works_invoices": {"fr": "Factures de travaux", "en": "Works invoices"},
    "credit_notes": {"fr": "Avoirs", "en": "Credit notes"},
    "new_users": {"fr": "Nouveaux utilisateurs", "en": "New users"},
    "new_public": {"fr": "Nouvelles structures publiques", "en": "New public structures"},
    "new_private": {"fr": "Nouvelles structures privées", "en": "New private structures"},
    "support_requests": {"fr": "Sollicitations du support", "en": "Support requests"},
    "assistant_share": {"fr": "Part de l'assistant virtuel", "en": "Virtual assistant's share"},
    "splits_title": {"fr": "Répartition des factures de l'année", "en": "Invoices of the year by"},
    "split_value": {"fr": "Valeur", "en": "Value"},
    "previous_year": {"fr": "Année précédente", "en": "Previous year"},
    "change_pct": {"fr": "Évolution (%)", "en": "Change (%)"},
    "bd_channel": {"fr": "Canal", "en": "Channel"},
    "bd_syntax": {"fr": "Syntaxe", "en": "Syntax"},
    "bd_billing_framework": {"fr": "Cadre de facturation", "en": "Billing framework"},
    "bd_recipient_category": {"fr": "Catégorie de destinataire", "en": "Recipient category"},
    "bd_supplier_size": {"fr": "Taille du fournisseur", "en": "Supplier size"},
    "bd_document_type": {"fr": "Type de document", "en": "Document type"},
    "export_pdf": {"fr": "Exporter en PDF (A4)", "en": "Export as PDF (A4)"},
    "export_pdf_needs_chromium": {
        "fr": "Le PDF est imprimé par Chromium, absent de ce serveur (paquet Debian chromium).",
        "en": "The PDF is printed by Chromium, which this server lacks (Debian package chromium).",
    },
    "export_html": {"fr": "Exporter la page (HTML)", "en": "Export the page (HTML)"},
    # ---- délais
    "delay_view": {"fr": "Vue", "en": "View"},
    "delay_by_entity": {"fr": "Par entité", "en": "By entity"},
    "delay_by_category": {"fr": "Par catégorie", "en": "By category"},
    "entity_search": {
        "fr": "Rechercher une entité (nom ou SIRET)",
        "en": "Find an entity (name or SIRET)",
    },
    "entity": {"fr": "Entité publique", "en": "Public entity"},
    "category": {"fr": "Catégorie", "en": "Category"},
    "paid_invoices": {"fr": "Factures payées", "en": "Invoices paid"},
    "mean_delay": {"fr": "Délai moyen (jours)", "en": "Mean delay (days)"},
    "median_delay": {"fr": "Délai médian (jours)", "en": "Median delay (days)"},
    "p90_delay": {"fr": "9e décile (jours)", "en": "90th percentile (days)"},
    "within_30": {"fr": "Payées sous 30 jours", "en": "Paid within 30 days"},
    "pick_a_reason": {
        "fr": "Sélectionnez un motif, ou un fournisseur ou un destinataire plus bas, pour lister "
        "les factures concernées.",
        "en": "Select a reason, or a supplier or a recipient below, to list the invoices "
        "behind it.",
    },
    "behind_title": {
        "fr": "Factures rejetées : {what}, {year}",
        "en": "Invoices rejected: {what}, {year}",
    },
    "pick_an_invoice": {
        "fr": "Sélectionnez une facture pour voir son délai et son historique.",
        "en": "Select an invoice to see its delay and its history.",
    },
    "refusals_are_not_invoices": {
        "fr": "Un dépôt refusé par la plateforme n'est jamais devenu une facture : aucune "
        "facture à lister. Les dépôts refusés sont comptés à part.",
        "en": "A deposit the platform refused never became an invoice: there is none to list. "
        "Refused deposits are counted apart.",
    },
    "returned_REJETEE": {"fr": "rejet", "en": "rejection"},
    "returned_A_RECYCLER": {"fr": "à recycler", "en": "recycling"},
    "pick_a_month": {
        "fr": "Sélectionnez un mois pour lister les factures payées ce mois-là.",
        "en": "Select a month to list the invoices paid in it.",
    },
    "paid_in_month_title": {"fr": "Factures payées en {month}", "en": "Invoices paid in {month}"},
    "delay_days": {"fr": "Délai (jours)", "en": "Delay (days)"},
    "compare_title": {
        "fr": "Les mêmes paiements, mesurés comme ailleurs en Europe",
        "en": "The same payments, measured as elsewhere in Europe",
    },
    "itp": {
        "fr": "Indicateur de ponctualité (ITP, Italie)",
        "en": "Timeliness indicator (ITP, Italy)",
    },
    "pmp": {
        "fr": "Période moyenne de paiement (PMP, Espagne)",
        "en": "Average payment period (PMP, Spain)",
    },
    "band_31_60": {"fr": "Payées à 31–60 jours (Royaume-Uni)", "en": "Paid in 31–60 days (UK)"},
    "band_over_60": {
        "fr": "Payées au-delà de 60 jours (Royaume-Uni)",
        "en": "Paid after 60 days (UK)",
    },
    "rank_in_category": {"fr": "Rang dans la catégorie", "en": "Rank in the category"},
    "rank_of": {"fr": "{rank}ᵉ sur {count}", "en": "{rank} of {count}"},
    "rank_first": {"fr": "1ʳᵉ sur {count}", "en": "1st of {count}"},
    "days_signed": {"fr": "{days} j", "en": "{days} days"},
    "within_30_pct": {"fr": "Payées sous 30 jours (%)", "en": "Paid within 30 days (%)"},
    "legal_delay": {"fr": "Délai légal : {days} jours", "en": "Legal delay: {days} days"},
    "late_count": {"fr": "Factures payées en retard", "en": "Invoices paid late"},
    "interest_owed": {"fr": "Intérêts moratoires dus", "en": "Late-payment interest owed"},
    "indemnity_owed": {"fr": "Indemnités forfaitaires (40 €)", "en": "Fixed indemnities (€40)"},
    "vs_category": {
        "fr": "Catégorie « {category} » : délai moyen {mean} j, médian {median} j, "
        "payées sous 30 jours {within}",
        "en": "Category '{category}': mean delay {mean} d, median {median} d, "
        "paid within 30 days {within}",
    },
    "category_mean": {"fr": "Moyenne de la catégorie", "en": "Category mean"},
    "not_reported": {"fr": "Non communiqué", "en": "Not reported"},
    "unpaid": {"fr": "Non payée", "en": "Unpaid"},
    "pick_a_row": {
        "fr": "Choisissez une facture (case à gauche de sa ligne) pour voir son échéance, ses "
        "intérêts et son historique.",
        "en": "Pick an invoice (the box left of its row) to see its due date, interest and "
        "history.",
    },
    "invoice_title": {"fr": "Facture {number}", "en": "Invoice {number}"},
    "see_delays_of": {"fr": "Délais de paiement de {name}", "en": "Payment delays of {name}"},
    "occurrences": {"fr": "Occurrences", "en": "Occurrences"},
    "reason_code": {"fr": "Code", "en": "Code"},
    "unknown_payment": {
        "fr": "Cette entité ne transmet pas ses statuts de paiement : ses factures sans "
        "paiement sont « inconnues », pas impayées.",
        "en": "This entity does not report payment statuses: its invoices without a payment "
        "are 'unknown', not unpaid.",
    },
    "trend_title": {
        "fr": "Délai de paiement par mois, {year}",
        "en": "Payment delay per month, {year}",
    },
    "delay_axis": {"fr": "Délai (jours)", "en": "Delay (days)"},
    "measure": {"fr": "Mesure", "en": "Measure"},
    "distribution_title": {
        "fr": "Répartition des délais de paiement, {year}",
        "en": "Distribution of payment delays, {year}",
    },
    "delay_bucket": {"fr": "Délai (jours)", "en": "Delay (days)"},
    "delay_bucket_from": {"fr": "Délai à partir de (jours)", "en": "Delay from (days)"},
    "share_axis": {"fr": "Part des factures payées (%)", "en": "Share of invoices paid (%)"},
    "late_title": {
        "fr": "Factures payées en retard à régulariser",
        "en": "Invoices paid late to settle",
    },
    "invoice_number": {"fr": "Numéro de facture", "en": "Invoice number"},
    "supplier": {"fr": "Fournisseur", "en": "Supplier"},
    "supplier_siret": {"fr": "SIRET fournisseur", "en": "Supplier SIRET"},
    "amount_incl_vat": {"fr": "Montant TTC (€)", "en": "Amount incl. VAT (€)"},
    "receipt_date": {"fr": "Réception", "en": "Receipt"},
    "due_date": {"fr": "Échéance", "en": "Due date"},
    "payment_date": {"fr": "Paiement", "en": "Payment"},
    "days_late": {"fr": "Jours de retard", "en": "Days late"},
    "interest_rate": {"fr": "Taux (%)", "en": "Rate (%)"},
    "interest_eur": {"fr": "Intérêts (€)", "en": "Interest (€)"},
    "indemnity_eur": {"fr": "Indemnité (€)", "en": "Indemnity (€)"},
    "owed_eur": {"fr": "Total dû (€)", "en": "Total owed (€)"},
    "overdue_title": {
        "fr": "Factures échues non payées au {day}",
        "en": "Unpaid invoices past due on {day}",
    },
    "overdue_title_undated": {"fr": "Factures échues non payées", "en": "Unpaid invoices past due"},
    "overdue_caption": {
        "fr": "Intérêts moratoires courus jusqu'à la date des données (taux BCE du semestre où "
        "ils ont commencé à courir + 8 points) et indemnité forfaitaire de 40 € déjà due.",
        "en": "Late-payment interest accrued up to the day of the data (ECB rate of the "
        "half-year it started in + 8 points) and the €40 flat indemnity already owed.",
    },
    "no_overdue": {
        "fr": "Aucune facture échue non payée.",
        "en": "No unpaid invoice past its due date.",
    },
    "needs_new_build": {
        "fr": "Cette liste apparaîtra après la prochaine construction de l'entrepôt.",
        "en": "This list appears after the next warehouse build.",
    },
    "days_overdue": {"fr": "Jours de retard", "en": "Days overdue"},
    "accrued_interest_eur": {"fr": "Intérêts courus (€)", "en": "Accrued interest (€)"},
    "timeline_of": {"fr": "Historique de la facture", "en": "Invoice history"},
    # ---- rejets
    "deposited": {"fr": "Factures déposées", "en": "Invoices deposited"},
    "platform_refusals": {
        "fr": "Refus de la plateforme au dépôt",
        "en": "Platform refusals at deposit",
    },
    "recipient_rejections": {
        "fr": "Rejets par le destinataire",
        "en": "Rejections by the recipient",
    },
    "recyclings": {"fr": "Mises à recycler", "en": "Returned for recycling"},
    "refusal_rate": {"fr": "Taux de refus plateforme (%)", "en": "Platform refusal rate (%)"},
    "rejection_rate": {
        "fr": "Taux de rejet destinataire (%)",
        "en": "Recipient rejection rate (%)",
    },
    "rates_title": {
        "fr": "Taux de refus et de rejet par mois, {year}",
        "en": "Refusal and rejection rates per month, {year}",
    },
    "rate_axis": {"fr": "Taux (%)", "en": "Rate (%)"},
    "by_channel": {"fr": "Par canal", "en": "By channel"},
    "by_reason": {"fr": "Par motif", "en": "By reason"},
    "reason": {"fr": "Motif ou règle", "en": "Reason or rule"},
    "kind": {"fr": "Nature", "en": "Kind"},
    "kind_platform_rule": {"fr": "refus plateforme", "en": "platform refusal"},
    "kind_rejection_reason": {"fr": "rejet destinataire", "en": "recipient rejection"},
    "top_suppliers": {"fr": "Fournisseurs les plus rejetés", "en": "Most rejected suppliers"},
    "top_recipients": {
        "fr": "Destinataires qui rejettent le plus",
        "en": "Recipients rejecting most",
    },
    "rank": {"fr": "Rang", "en": "Rank"},
    "name": {"fr": "Nom", "en": "Name"},
    "siret": {"fr": "SIRET", "en": "SIRET"},
    "hidden_title": {
        "fr": "Délais cachés : factures rejetées puis redéposées",
        "en": "Hidden delays: invoices rejected then deposited again",
    },
    "redeposited": {"fr": "Factures redéposées", "en": "Invoices deposited again"},
    "mean_days_lost": {"fr": "Jours perdus (moyenne)", "en": "Days lost (mean)"},
    "total": {"fr": "Total", "en": "Total"},
    "total_days_lost": {"fr": "Jours perdus (total)", "en": "Days lost (total)"},
    "max_days_lost": {"fr": "Jours perdus (max)", "en": "Days lost (max)"},
    "month_start": {"fr": "Mois", "en": "Month"},
    # ---- recherche
    "lookup_number": {"fr": "Numéro de facture", "en": "Invoice number"},
    "lookup_supplier": {
        "fr": "SIRET du fournisseur (facultatif)",
        "en": "Supplier SIRET (optional)",
    },
    "lookup_none": {
        "fr": "Aucune facture ne porte ce numéro.",
        "en": "No invoice has this number.",
    },
    "lookup_hint": {"fr": "Saisissez un numéro de facture.", "en": "Type an invoice number."},
    "recipient": {"fr": "Destinataire", "en": "Recipient"},
    "current_status": {"fr": "Statut actuel", "en": "Current status"},
    "status_since": {"fr": "depuis le {when}", "en": "since {when}"},
    "deposited_at": {"fr": "Déposée le", "en": "Deposited on"},
    "channel": {"fr": "Canal", "en": "Channel"},
    "event_sequence": {"fr": "N°", "en": "#"},
    "occurred_at": {"fr": "Date et heure (Paris)", "en": "Date and time (Paris)"},
    "status": {"fr": "Statut", "en": "Status"},
    "previous_status": {"fr": "Statut précédent", "en": "Previous status"},
    "actor": {"fr": "Acteur", "en": "Actor"},
    "supplier_size_micro": {"fr": "Microentreprise", "en": "Micro-enterprise"},
    "supplier_size_sme": {"fr": "PME", "en": "SME"},
    "supplier_size_intermediate": {"fr": "ETI", "en": "Mid-sized enterprise"},
    "supplier_size_large": {"fr": "Grande entreprise", "en": "Large enterprise"},
    "document_type_invoice": {"fr": "Facture", "en": "Invoice"},
    "document_type_credit_note": {"fr": "Avoir", "en": "Credit note"},
    "document_type_works_invoice": {"fr": "Facture de travaux", "en": "Works invoice"},
    "actor_platform": {"fr": "Plateforme", "en": "Platform"},
    "actor_supplier": {"fr": "Fournisseur", "en": "Supplier"},
    "actor_recipient": {"fr": "Destinataire", "en": "Recipient"},
    "actor_validator": {"fr": "Valideur", "en": "Approver"},
    "actor_accountant": {"fr": "Comptable public", "en": "Public accountant"},
    "payment_amount": {"fr": "Montant payé (€)", "en": "Amount paid (€)"},
    "er_download_xml": {"fr": "Télécharger le XML", "en": "Download the XML"},
    "page_qualite": {"fr": "Qualité des données", "en": "Data quality"},
    "dq_intro": {
        "fr": "Enregistrements reçus qui enfreignent une règle métier : mis à l'écart avec la "
        "règle enfreinte et exclus des chiffres qu'ils fausseraient. La construction passe et "
        "publie pour tous.",
        "en": "Landed records that break a business rule: set apart with the rule they broke "
        "and left out of the figures they would falsify. The build passes and publishes for "
        "everyone.",
    },
    "dq_not_published": {
        "fr": "Cette publication ne contient pas encore les enregistrements mis à l'écart : "
        "ils apparaîtront à la prochaine construction.",
        "en": "This publication does not hold the records set apart yet: they will show after "
        "the next build.",
    },
    "dq_none": {"fr": "Aucun enregistrement mis à l'écart.", "en": "No record set apart."},
    "dq_records": {"fr": "Enregistrements mis à l'écart", "en": "Records set apart"},
    "dq_invoices": {"fr": "Factures concernées", "en": "Invoices concerned"},
    "dq_rules": {"fr": "Règles enfreintes", "en": "Rules broken"},
    "dq_by_rule": {"fr": "Par règle", "en": "By rule"},
    "dq_by_producer": {"fr": "Par producteur", "en": "By producer"},
    "dq_by_structure": {"fr": "Par structure", "en": "By structure"},
    "dq_rule": {"fr": "Règle", "en": "Rule"},
    "dq_rule_label": {"fr": "Règle enfreinte", "en": "Rule broken"},
    "dq_producer": {"fr": "Producteur", "en": "Producer"},
    "dq_structure": {"fr": "Structure", "en": "Structure"},
    "dq_records_title": {"fr": "Enregistrements", "en": "Records"},
    # Streamlit's "Choose an option", in the page's language
    "choose": {"fr": "Choisissez", "en": "Choose"},
    "dq_all": {"fr": "Toutes les règles", "en": "Every rule"},
    "dq_detected": {"fr": "Jour de réception", "en": "Landing day"},
    "dq_left_out_of": {"fr": "Exclu de", "en": "Left out of"},
    "dq_table": {"fr": "Table", "en": "Table"},
    "dq_record": {"fr": "Enregistrement", "en": "Record"},
    "dq_invoice": {"fr": "Facture", "en": "Invoice"},
    "dq_detail": {"fr": "Détail", "en": "Detail"},
    # ---- sign-in, scope and audit
    "sign_in_title": {"fr": "Vigie — connexion", "en": "Vigie — sign in"},
    "sign_in_intro": {
        "fr": "Les tableaux de bord de Vigie montrent à chacun ce qui le concerne : "
        "connectez-vous pour continuer.",
        "en": "Vigie's dashboards show each person what is theirs: sign in to continue.",
    },
    "sign_in": {"fr": "Se connecter", "en": "Sign in"},
    "sign_in_not_configured": {
        "fr": "La connexion n'est pas configurée (section [auth] des secrets) : "
        "lancez les tableaux de bord avec `vigie serve`.",
        "en": "Sign-in is not configured (the [auth] section of the secrets): "
        "start the dashboards with `vigie serve`.",
    },
    "no_access": {
        "fr": "Cette identité n'a pas accès à Vigie. Si vous pensez que c'est une erreur, "
        "adressez-vous à l'opérateur de la plateforme.",
        "en": "This identity has no access to Vigie. If you think this is a mistake, ask the "
        "platform's operator.",
    },
    "sign_out": {"fr": "Se déconnecter", "en": "Sign out"},
    "signed_in_as": {"fr": "Connecté : {name} — {role}", "en": "Signed in: {name} — {role}"},
    "role_operator": {"fr": "opérateur de la plateforme", "en": "platform operator"},
    "role_public_entity": {"fr": "entité publique", "en": "public entity"},
    "role_supplier": {"fr": "fournisseur", "en": "supplier"},
    "role_tax_administration": {"fr": "administration fiscale", "en": "tax administration"},
    "not_yours": {
        "fr": "Cette structure ne fait pas partie des vôtres : rien n'en est affiché.",
        "en": "This structure is not one of yours: nothing of it is shown.",
    },
    "your_structures": {"fr": "Vos structures", "en": "Your structures"},
    "no_structure": {
        "fr": "Aucune de vos structures n'est dans les données publiées.",
        "en": "None of your structures is in the published data.",
    },
    "buyers_title": {
        "fr": "Délais de paiement de vos clients publics",
        "en": "Payment delays of your public buyers",
    },
    "buyer": {"fr": "Acheteur", "en": "Buyer"},
    "buyer_siret": {"fr": "SIRET de l'acheteur", "en": "Buyer SIRET"},
    "my_rejections_title": {"fr": "Factures rejetées", "en": "Rejected invoices"},
    "my_rejections_caption_public_entity": {
        "fr": "Les factures que vos services ont rejetées, avec le motif.",
        "en": "The invoices your services rejected, with the reason.",
    },
    "my_rejections_caption_supplier": {
        "fr": "Vos factures rejetées par leur destinataire, avec le motif.",
        "en": "Your invoices rejected by their recipient, with the reason.",
    },
    "rejected_at": {"fr": "Rejetée le", "en": "Rejected on"},
    "recipient_siret": {"fr": "SIRET du destinataire", "en": "Recipient SIRET"},
    "page_audit": {"fr": "Journal d'audit", "en": "Audit log"},
    "page_accueil": {"fr": "Accueil", "en": "Home"},
    "home_public_entity": {
        "fr": "Vous voyez les délais de paiement de vos structures et de leurs services, les "
        "factures payées en retard ou échues avec les intérêts dus, les rejets que vous avez "
        "prononcés, et vos factures dans la recherche.",
        "en": "You see the payment delays of your structures and their services, the invoices "
        "paid late or past due with the interest owed, the rejections you made, and your "
        "invoices in the look-up.",
    },
    "home_supplier": {
        "fr": "Vous voyez les délais de paiement de chacun de vos clients publics, vos factures "
        "rejetées avec leur motif, et vos factures dans la recherche.",
        "en": "You see the payment delays of each of your public buyers, your rejected invoices "
        "with their reason, and your invoices in the look-up.",
    },
    "home_tax_administration": {
        "fr": "Vous voyez les transmissions d'e-reporting (flux 10) de chaque déclarant, leurs "
        "échéances et leurs fichiers XML.",
        "en": "You see the e-reporting transmissions (flux 10) of every declarant, their "
        "deadlines and their XML files.",
    },
    "audit_caption": {
        "fr": "Qui a consulté quoi, avec quels filtres, et chaque téléchargement "
        "(journal en ajout seul).",
        "en": "Who read what, with which filters, and every download (append-only log).",
    },
    "audit_at": {"fr": "Quand", "en": "When"},
    "audit_who": {"fr": "Qui", "en": "Who"},
    "audit_role": {"fr": "Rôle", "en": "Role"},
    "audit_action": {"fr": "Action", "en": "Action"},
    "audit_page": {"fr": "Page", "en": "Page"},
    "audit_detail": {"fr": "Détail", "en": "Detail"},
    "audit_only_downloads": {"fr": "Téléchargements seulement", "en": "Downloads only"},
}

#: how each figure of the Délais page is computed (its help text; docs/dashboards.md)
HELP = {
    "paid_invoices": {
        "fr": (
            "Factures dont le paiement (statut « Mise en paiement ») tombe dans "
            "l'année choisie ; les factures rejetées n'en font pas partie."
        ),
        "en": (
            'Invoices whose payment (status "Paid") falls in the chosen year; '
            "rejected invoices are not counted."
        ),
    },
    "mean_delay": {
        "fr": (
            "Délai observé, comme l'Observatoire des délais de paiement : jours "
            "calendaires du jour de réception (mise à disposition du destinataire) au"
            " jour du paiement, sans neutraliser les suspensions ; moyenne des "
            "factures payées dans l'année."
        ),
        "en": (
            "Observed delay, as the French payment-delay Observatory measures it: "
            "calendar days from receipt (made available to the recipient) to payment,"
            " suspensions not taken out; mean of the invoices paid in the year."
        ),
    },
    "median_delay": {
        "fr": ("Le délai observé que la moitié des factures payées dans l'année n'a pas dépassé."),
        "en": ("The observed delay that half of the invoices paid in the year did not exceed."),
    },
    "p90_delay": {
        "fr": ("Le délai observé que 90 % des factures payées dans l'année n'ont pas dépassé."),
        "en": ("The observed delay that 90% of the invoices paid in the year did not exceed."),
    },
    "itp": {
        "fr": (
            "Indicatore di tempestività dei pagamenti, que les administrations italiennes "
            "publient chaque trimestre (DPCM du 22/09/2014, art. 9) : pour chaque facture payée "
            "dans l'année, les jours entre son échéance et son paiement (négatifs si elle est "
            "payée avant), pondérés par son montant TTC. Négatif : l'entité paie en moyenne "
            "avant l'échéance."
        ),
        "en": (
            "Indicatore di tempestività dei pagamenti, which Italian public bodies publish each "
            "quarter (DPCM of 22/09/2014, art. 9): for each invoice paid in the year, the days "
            "from its due date to its payment (negative when paid before), weighted by its "
            "amount incl. VAT. Negative: the entity pays before the due date on average."
        ),
    },
    "pmp": {
        "fr": (
            "Periodo medio de pago des administrations espagnoles (RD 635/2014 modifié par le "
            "RD 1040/2017) : les jours des factures payées dans l'année (de la réception au "
            "paiement) et ceux des factures encore impayées à la fin de l'année (de la "
            "réception à ce jour), pondérés par leur montant TTC. L'Espagne compte depuis "
            "l'approbation de la facture ; Vigie depuis sa réception, point de départ du délai "
            "légal français. Les montants en attente sont ceux de l'entité à cette date."
        ),
        "en": (
            "Periodo medio de pago of Spanish public bodies (RD 635/2014 as amended by RD "
            "1040/2017): the days of the invoices paid in the year (receipt to payment) and of "
            "those still unpaid at the year's end (receipt to that day), weighted by their "
            "amount incl. VAT. Spain counts from the invoice's approval; Vigie from its "
            "receipt, where the French legal delay starts."
        ),
    },
    "band_31_60": {
        "fr": (
            "Bandes publiées au Royaume-Uni (Payment Practices Reporting) : part des factures "
            "payées dans l'année 31 à 60 jours après leur réception. Avec « payées sous 30 "
            "jours » et « au-delà de 60 jours », 100 %."
        ),
        "en": (
            "Bands published in the United Kingdom (Payment Practices Reporting): share of the "
            'invoices paid in the year 31 to 60 days after receipt. With "paid within 30 '
            'days" and "after 60 days", 100 %.'
        ),
    },
    "band_over_60": {
        "fr": "Part des factures payées dans l'année plus de 60 jours après leur réception.",
        "en": "Share of the invoices paid in the year more than 60 days after receipt.",
    },
    "rank_in_category": {
        "fr": (
            "Rang de l'entité par délai moyen parmi les entités de sa catégorie ayant payé des "
            "factures dans l'année (1 : la plus rapide ; des délais égaux partagent un rang)."
        ),
        "en": (
            "The entity's rank by mean delay among the entities of its category that paid "
            "invoices in the year (1: the fastest; equal delays share a rank)."
        ),
    },
    "within_30": {
        "fr": (
            "Part des factures payées dans l'année dont le délai observé est de 30 jours ou moins."
        ),
        "en": ("Share of the invoices paid in the year whose observed delay is 30 days or less."),
    },
    "late_count": {
        "fr": (
            "Factures payées après leur échéance : réception + délai légal de la "
            "catégorie (30 jours ; 50 pour les établissements publics de santé ; 60 "
            "pour les entreprises publiques). Une suspension arrête le délai, qui "
            "reprend au complément pour le temps restant, 30 jours au moins."
        ),
        "en": (
            "Invoices paid after their due date: receipt + the category's legal delay"
            " (30 days; 50 for public health establishments; 60 for public "
            "undertakings). A suspension stops the clock, which restarts at the "
            "completion for the time left, at least 30 days."
        ),
    },
    "interest_owed": {
        "fr": (
            "Intérêts moratoires dus de plein droit : montant TTC × taux × jours de "
            "retard / 365, arrondi au centime ; taux = taux de refinancement de la "
            "BCE en vigueur au début du semestre où les intérêts commencent à courir,"
            " + 8 points."
        ),
        "en": (
            "Late-payment interest owed by law: amount incl. VAT × rate × days late /"
            " 365, rounded to the cent; rate = the ECB main refinancing rate in force"
            " at the start of the half-year in which interest starts, + 8 points."
        ),
    },
    "indemnity_owed": {
        "fr": (
            "Indemnité forfaitaire pour frais de recouvrement : 40 € par facture "
            "payée en retard, due en plus des intérêts."
        ),
        "en": (
            "Fixed recovery-cost indemnity: €40 per invoice paid late, owed on top of the interest."
        ),
    },
}

#: the billing frameworks (cadres de facturation) of Chorus Pro, their code kept in front
BILLING_FRAMEWORKS = {
    "A1": {"fr": "A1 — Facture de fournisseur", "en": "A1 — Supplier invoice"},
    "A2": {"fr": "A2 — Facture déjà payée", "en": "A2 — Invoice already paid"},
    "A3": {"fr": "A3 — Mémoire de frais de justice", "en": "A3 — Justice-cost memoir"},
    "A4": {
        "fr": "A4 — Projet de décompte mensuel (travaux)",
        "en": "A4 — Monthly statement draft (works)",
    },
    "A5": {
        "fr": "A5 — État d'acompte du fournisseur (travaux)",
        "en": "A5 — Supplier's interim statement (works)",
    },
    "A6": {
        "fr": "A6 — État d'acompte validé, fournisseur (travaux)",
        "en": "A6 — Validated interim statement, supplier (works)",
    },
    "A7": {
        "fr": "A7 — Projet de décompte final (travaux)",
        "en": "A7 — Final statement draft (works)",
    },
    "A8": {
        "fr": "A8 — Décompte général et définitif (travaux)",
        "en": "A8 — General and final statement (works)",
    },
    "A9": {"fr": "A9 — Facture de sous-traitant", "en": "A9 — Subcontractor invoice"},
    "A10": {
        "fr": "A10 — Projet de décompte mensuel, sous-traitant",
        "en": "A10 — Monthly statement draft, subcontractor",
    },
    "A11": {
        "fr": "A11 — Projet de décompte final, sous-traitant",
        "en": "A11 — Final statement draft, subcontractor",
    },
    "A12": {"fr": "A12 — Facture de cotraitant", "en": "A12 — Co-contractor invoice"},
    "A13": {
        "fr": "A13 — Projet de décompte mensuel, cotraitant",
        "en": "A13 — Monthly statement draft, co-contractor",
    },
    "A14": {
        "fr": "A14 — Projet de décompte final, cotraitant",
        "en": "A14 — Final statement draft, co-contractor",
    },
    "A15": {
        "fr": "A15 — État d'acompte de la maîtrise d'œuvre (travaux)",
        "en": "A15 — Project manager's interim statement (works)",
    },
    "A16": {
        "fr": "A16 — État d'acompte validé par la maîtrise d'œuvre",
        "en": "A16 — Interim statement validated by the project manager",
    },
    "A17": {
        "fr": "A17 — Projet de décompte général, maîtrise d'œuvre",
        "en": "A17 — General statement draft, project manager",
    },
    "A18": {
        "fr": "A18 — Décompte général, maîtrise d'œuvre",
        "en": "A18 — General statement, project manager",
    },
    "A19": {
        "fr": "A19 — État d'acompte validé par la maîtrise d'ouvrage (travaux)",
        "en": "A19 — Interim statement validated by the owner (works)",
    },
    "A20": {
        "fr": "A20 — Décompte général, maîtrise d'ouvrage",
        "en": "A20 — General statement, owner",
    },
    "A21": {
        "fr": "A21 — Demande de remboursement de TIC",
        "en": "A21 — Energy excise refund request",
    },
    "A22": {
        "fr": "A22 — Projet de décompte général, procédure tacite",
        "en": "A22 — General statement draft, tacit procedure",
    },
    "A23": {
        "fr": "A23 — Décompte général et définitif tacite, fournisseur",
        "en": "A23 — Tacit general and final statement, supplier",
    },
    "A24": {
        "fr": "A24 — Décompte général et définitif tacite, maîtrise d'œuvre",
        "en": "A24 — Tacit general and final statement, project manager",
    },
    "A25": {
        "fr": "A25 — Décompte général et définitif, maîtrise d'œuvre, procédure tacite",
        "en": "A25 — General and final statement, project manager, tacit procedure",
    },
}

#: the reasons a recipient gives when it rejects, recycles or suspends an invoice (Chorus Pro
#: asks for one); the platform's own refusal rules are named by vigie.platform.rules.RULES
RECIPIENT_REASONS = {
    "MONTANT_ERRONE": {"fr": "Montant erroné", "en": "Wrong amount"},
    "DOUBLON": {"fr": "Facture en double", "en": "Duplicate invoice"},
    "EJ_ABSENT": {"fr": "Engagement juridique absent", "en": "Missing commitment number"},
    "EJ_ERRONE": {"fr": "Engagement juridique erroné", "en": "Wrong commitment number"},
    "SERVICE_ERRONE": {"fr": "Service destinataire erroné", "en": "Wrong recipient service"},
    "PIECE_MANQUANTE": {"fr": "Pièce justificative manquante", "en": "Missing supporting document"},
    "AUTRE": {"fr": "Autre motif", "en": "Other reason"},
}

MONTHS = {
    "fr": [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def reason_label(code: str | None, lang: str) -> str | None:
    """A rejection reason or refusal rule in words: a recipient's reason, or the rule's
    message from the platform's catalogue after its id; a rule the catalogue does not name
    (an official one it has no French words for) keeps its id alone."""
    if code is None:
        return None
    if code in RECIPIENT_REASONS:
        return RECIPIENT_REASONS[code][lang]
    from vigie.platform.rules import RULES

    rule = RULES.get(code)
    if rule is None:
        return code
    return f"{code} — {rule.message_fr if lang == 'fr' else rule.message_en}"


def t(key: str, lang: str, **values: object) -> str:
    text = LABELS[key].get(lang) or LABELS[key]["fr"]
    return text.format(**values) if values else text
