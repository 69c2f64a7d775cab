"""Published figures the synthetic history is calibrated on (Chorus Pro activity reports,
Observatoire des délais de paiement). Shares are fractions of invoices unless stated."""

from __future__ import annotations

from datetime import date

#: invoices received by the hub per calendar year
YEARLY_INVOICES: dict[int, int] = {
    2017: 11_100_000,
    2018: 27_400_000,
    2019: 45_616_095,
    2020: 54_562_304,
    2021: 68_000_000,
    2022: 74_000_000,
    2023: 78_000_000,
}
#: growth assumed after the last published year
GROWTH_AFTER_LAST_YEAR = 0.04

CHANNEL_SHARES = {"edi": 0.50, "api": 0.14, "portal": 0.36}
#: portal share for State recipients (higher than average)
STATE_PORTAL_SHARE = 0.50
SYNTAX_SHARES_BY_CHANNEL = {
    "edi": {"UBL": 0.45, "CII": 0.40, "FACTURX": 0.15, "PDF": 0.0},
    "api": {"UBL": 0.50, "CII": 0.30, "FACTURX": 0.20, "PDF": 0.0},
    "portal": {"UBL": 0.0, "CII": 0.0, "FACTURX": 0.30, "PDF": 0.70},
}
#: recipients: 8.5 M of 45.6 M invoices in 2019 went to public health establishments
RECIPIENT_CATEGORY_SHARES = {"state": 0.34, "local": 0.40, "health": 0.186, "other": 0.074}
#: suppliers: large companies 32 %, mid-caps 37 %, SMEs 27 % of invoices in 2019
SUPPLIER_SIZE_SHARES = {"large": 0.32, "intermediate": 0.37, "sme": 0.27, "micro": 0.04}
#: the legal payment delay by public category: vigie.platform.reference.LEGAL_DELAY_DAYS
#: mean observed payment delay (Observatoire des délais de paiement)
MEAN_PAYMENT_DELAY_DAYS = {"state": 17.0, "local": 27.0, "health": 52.0, "other": 25.0}
#: billing frameworks of the documents outside works chains
FRAMEWORK_SHARES = {"A1": 0.945, "A2": 0.021, "A9": 0.023, "A12": 0.011}
#: works (travaux) invoices = A19 documents, each the end of an A4 -> A15 -> A19 chain:
#: 966,136 in 2020, about twice 2019 (chain documents are deposited days apart)
WORKS_INVOICES = {2019: 483_000, 2020: 966_136}
#: days from the titulaire's A4 to the MOE's A15, and from the A15 to the MOA's A19
WORKS_A15_DAYS = (3, 8)
WORKS_A19_DAYS = (5, 15)
#: subcontractor / co-contractor invoices (A9, A12): the valideur's answer (§2.3)
VALIDATION_OUTCOME_SHARES = {
    "VALIDEE_1": 0.85,
    "ABSENCE_VALIDATION_1_HORS_DELAI": 0.10,
    "REFUSEE_1": 0.05,
}
#: factored invoices (type code 393) among ordinary invoices
FACTORED_SHARE = 0.025
CREDIT_NOTE_SHARE = 0.04
PLATFORM_REFUSAL_SHARE = 0.03
#: outcome shares after MISE_A_DISPOSITION
REJECTION_SHARE = 0.045
SUSPENSION_SHARE = 0.03
RECYCLING_SHARE = 0.015
#: a rejected invoice that its supplier deposits again, as a new invoice with the same
#: parties and amount, some days after the rejection (the hidden delays). An assumption: no
#: published figure; AIFE's reports say most rejected invoices come back. Not after a
#: rejection for a duplicate (there is nothing to send again) or a wrong amount (the new
#: one has another amount)
REDEPOSIT_AFTER_REJECTION_SHARE = 0.7
REDEPOSIT_DAYS = (1, 15)
REDEPOSIT_NOT_AFTER = ("DOUBLON", "MONTANT_ERRONE")
#: B2C sellers that send a month's sales summaries and receipts (e-reporting flows 10.3 and
#: 10.4) late, 20 to 40 days after each day of sale: after the platform deadline of every
#: period (a décade's is 10 days after its end), so the hub's transmission is late. An
#: assumption, per declarant and month, until the reform's first figures
LATE_B2C_SUMMARY_SHARE = 0.03
LATE_B2C_SUMMARY_DAYS = (20, 40)
#: share of public structures that do not report the payment status
NOT_REPORTING_PAYMENT_SHARE = 0.08
#: 2020 support requests: 920,353 by the virtual assistant, 240,798 by human support
YEARLY_SOLICITATIONS = 920_353 + 240_798
ASSISTANT_SHARE = 920_353 / (920_353 + 240_798)
#: new structures per year (public, private). 2020 is published (307,337: 304,128 private,
#: 3,209 public); the launch years are assumed so that about 130,000 public entities are in
#: scope, as AIFE states. Later years grow like the invoices.
NEW_STRUCTURES: dict[int, tuple[int, int]] = {
    2017: (120_000, 330_000),
    2018: (4_000, 260_000),
    2019: (3_500, 285_000),
    2020: (3_209, 304_128),
}
#: new user accounts per year: 360,518 in 2020 for 1,098,257 in all at the end of 2020
NEW_USERS: dict[int, int] = {2017: 300_000, 2018: 220_000, 2019: 217_739, 2020: 360_518}
VAT_RATE_SHARES = {"20.00": 0.78, "10.00": 0.09, "5.50": 0.10, "2.10": 0.03}


def yearly_invoices(year: int) -> int:
    if year in YEARLY_INVOICES:
        return YEARLY_INVOICES[year]
    first, last = min(YEARLY_INVOICES), max(YEARLY_INVOICES)
    if year < first:
        return 0
    return round(YEARLY_INVOICES[last] * (1 + GROWTH_AFTER_LAST_YEAR) ** (year - last))


def day_weight(day: date) -> float:
    """Relative activity of a day: weekdays, first-week peak, December high, 2020 lockdown."""
    weight = (1.0, 1.0, 1.0, 1.0, 0.95, 0.10, 0.04)[day.weekday()]
    if day.day <= 7:
        weight *= 1.35
    if day.month == 12:
        weight *= 1.12
    if date(2020, 3, 17) <= day <= date(2020, 5, 10):
        weight *= 0.62
    return weight


def works_share(year: int) -> float:
    """Share of a year's documents that are A19 works invoices (3 documents per chain)."""
    if year in WORKS_INVOICES:
        return WORKS_INVOICES[year] / yearly_invoices(year)
    last = max(WORKS_INVOICES)
    return WORKS_INVOICES[last] / yearly_invoices(last)


def _after_last(table: dict[int, int], year: int) -> float:
    last = max(table)
    return table[last] * (1 + GROWTH_AFTER_LAST_YEAR) ** (year - last)


def new_structures(year: int) -> tuple[float, float]:
    """(public, private) structures created in ``year``."""
    if year in NEW_STRUCTURES:
        return NEW_STRUCTURES[year]
    if year < min(NEW_STRUCTURES):
        return (0.0, 0.0)
    pub, priv = NEW_STRUCTURES[max(NEW_STRUCTURES)]
    growth = (1 + GROWTH_AFTER_LAST_YEAR) ** (year - max(NEW_STRUCTURES))
    return (pub * growth, priv * growth)


def new_users(year: int) -> float:
    if year in NEW_USERS:
        return NEW_USERS[year]
    return 0.0 if year < min(NEW_USERS) else _after_last(NEW_USERS, year)
