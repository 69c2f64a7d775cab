"""The invoice lifecycle: allowed transitions, who may trigger them, required data.

From ``shared/domain/chorus-pro.md`` §2. The platform sets DEPOSEE then MISE_A_DISPOSITION
at deposit; the recipient moves the invoice along; the supplier answers a suspension with
COMPLETEE and an A_RECYCLER with a recycling (back to DEPOSEE, same number). Accounting
statuses that arrive out of order — the Hélios case of §2.1, e.g. MANDATEE after
MISE_EN_PAIEMENT — are accepted and recorded as such, without moving the current status
backwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

#: a time stamp, as the caller keeps it (a datetime, or its ISO text in SQLite)
At = TypeVar("At")

#: the optional processing statuses and payment, in their normal order
ACCOUNTING_CHAIN = (
    "SERVICE_FAIT",
    "MANDATEE",
    "MISE_A_DISPOSITION_COMPTABLE",
    "COMPTABILISEE",
    "MISE_EN_PAIEMENT",
)
RECIPIENT_STATUSES = frozenset(
    {*ACCOUNTING_CHAIN, "PRISE_EN_COMPTE_DESTINATAIRE", "SUSPENDUE", "REJETEE", "A_RECYCLER"}
)
SUPPLIER_STATUSES = frozenset({"COMPLETEE", "DEPOSEE"})
PLATFORM_STATUSES = frozenset({"DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION"})
SETTABLE = RECIPIENT_STATUSES | SUPPLIER_STATUSES
REASON_REQUIRED = frozenset({"SUSPENDUE", "REJETEE"})
TERMINAL = frozenset({"MISE_EN_PAIEMENT", "REJETEE"})

_FROM_AVAILABLE = RECIPIENT_STATUSES
#: subcontractor (A9) and co-contractor (A12) invoices wait for their valideur (§2.3)
VALIDATION_OUTCOMES = frozenset({"VALIDEE_1", "REFUSEE_1", "ABSENCE_VALIDATION_1_HORS_DELAI"})

#: current status → statuses that may follow it
TRANSITIONS: dict[str, frozenset[str]] = {
    "DEPOSEE": frozenset({"EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "A_VALIDER_1"}),
    "A_VALIDER_1": VALIDATION_OUTCOMES,
    "VALIDEE_1": frozenset({"MISE_A_DISPOSITION"}),
    "ABSENCE_VALIDATION_1_HORS_DELAI": frozenset({"MISE_A_DISPOSITION"}),
    "REFUSEE_1": frozenset(),
    "EN_COURS_ACHEMINEMENT": frozenset({"MISE_A_DISPOSITION"}),
    "MISE_A_DISPOSITION": _FROM_AVAILABLE,
    "PRISE_EN_COMPTE_DESTINATAIRE": _FROM_AVAILABLE - {"PRISE_EN_COMPTE_DESTINATAIRE"},
    "COMPLETEE": _FROM_AVAILABLE,
    "SERVICE_FAIT": frozenset(
        {
            "MANDATEE",
            "MISE_A_DISPOSITION_COMPTABLE",
            "COMPTABILISEE",
            "MISE_EN_PAIEMENT",
            "SUSPENDUE",
            "REJETEE",
        }
    ),
    "MANDATEE": frozenset({"MISE_A_DISPOSITION_COMPTABLE", "COMPTABILISEE", "MISE_EN_PAIEMENT"}),
    "MISE_A_DISPOSITION_COMPTABLE": frozenset({"COMPTABILISEE", "MISE_EN_PAIEMENT"}),
    "COMPTABILISEE": frozenset({"MISE_EN_PAIEMENT"}),
    "SUSPENDUE": frozenset({"COMPLETEE"}),
    "A_RECYCLER": frozenset({"DEPOSEE"}),
    "MISE_EN_PAIEMENT": frozenset(),
    "REJETEE": frozenset(),
}

LIFECYCLE_RULES = {
    "LC-01": ("Transition interdite par le cycle de vie de la facture.",
              "Transition forbidden by the invoice lifecycle."),
    "LC-02": ("Cet acteur ne peut pas donner ce statut à la facture.",
              "This actor may not give the invoice this status."),
    "LC-03": ("Un motif est obligatoire pour suspendre ou rejeter une facture.",
              "A reason is mandatory to suspend or reject an invoice."),
    "LC-04": ("La mise en paiement exige la date et le montant du paiement.",
              "MISE_EN_PAIEMENT requires the payment date and amount."),
    "LC-05": ("Statut inconnu ou non modifiable par l'API.",
              "Unknown status, or one the API does not set."),
    "LC-06": ("La date de l'événement ne peut précéder le dépôt ni être dans le futur.",
              "The event time cannot precede the deposit nor be in the future."),
    "LC-07": ("Le recyclage exige des données d'acheminement corrigées.",
              "Recycling requires corrected routing data."),
    "LC-09": ("La date de paiement précède la réception de la facture (son dépôt).",
              "The payment date precedes the invoice's receipt (its deposit)."),
    "LC-10": ("La date de paiement est postérieure à aujourd'hui (heure de Paris).",
              "The payment date is after today (Paris time)."),
    "LC-11": ("L'événement est daté avant l'événement précédent de la facture (une "
              "complétion avant sa suspension, par exemple).",
              "The event is dated before the invoice's previous event (a completion before "
              "its suspension, for instance)."),
}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """Whether a status change is accepted; ``http_status`` and ``code`` when it is not."""

    ok: bool
    code: str | None = None
    http_status: int = 200
    out_of_order: bool = False
    detail: str | None = None


@dataclass(frozen=True)
class Place(Generic[At]):
    """An event's place in its invoice's lifecycle, as the platform records it with the
    event: its number in the invoice's history (in the order recorded), the status the
    invoice had when it came and since when, the deposit round, and the status and time
    the invoice has after it (an out-of-order event keeps the previous ones)."""

    sequence: int
    previous_status: str | None
    previous_at: At | None
    deposit_round: int
    status: str
    status_at: At


def next_place(
    last: Place[At] | None, status: str, at: At, *, out_of_order: bool = False
) -> Place[At]:
    """The place of a ``status`` event at ``at`` that follows ``last`` (None: the first)."""
    if last is None:
        return Place(1, None, None, 1, status, at)
    deposit_round = last.deposit_round + (status == "DEPOSEE")
    if out_of_order:  # the invoice stays in its status, entered when it was
        return Place(
            last.sequence + 1,
            last.status,
            last.status_at,
            deposit_round,
            last.status,
            last.status_at,
        )
    return Place(last.sequence + 1, last.status, last.status_at, deposit_round, status, at)


def legal_pairs() -> set[tuple[str | None, str]]:
    """Every (previous, next) status pair a history may contain; ``None`` starts it.

    Includes the Hélios pairs (an accounting status older than the current one).
    """
    pairs: set[tuple[str | None, str]] = {(None, "DEPOSEE")}
    pairs |= {(a, b) for a, nexts in TRANSITIONS.items() for b in nexts}
    chain = ACCOUNTING_CHAIN
    pairs |= {(a, b) for a in chain for b in chain if chain.index(b) < chain.index(a)}
    return pairs


def actor_may_set(actor: str, status: str) -> bool:
    if actor == "platform":  # an operator may act for anyone
        return status in SETTABLE | PLATFORM_STATUSES
    if actor == "recipient":
        return status in RECIPIENT_STATUSES
    if actor == "supplier":
        return status in SUPPLIER_STATUSES
    return False


def decide(current: str, new: str, actor: str) -> Decision:
    """May ``actor`` (``recipient``, ``supplier`` or ``platform``) move ``current`` → ``new``?"""
    if new not in SETTABLE:
        return Decision(False, "LC-05", 422, detail=new)
    if not actor_may_set(actor, new):
        return Decision(False, "LC-02", 403, detail=f"{actor} → {new}")
    if new in TRANSITIONS.get(current, frozenset()):
        return Decision(True)
    chain = ACCOUNTING_CHAIN
    if current in chain and new in chain and chain.index(new) < chain.index(current):
        # Hélios pushes accounting statuses on its own clock: keep, flag, do not regress.
        return Decision(True, out_of_order=True)
    return Decision(False, "LC-01", 409, detail=f"{current} → {new}")
