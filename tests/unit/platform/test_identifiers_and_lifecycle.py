"""SIRET/SIREN/VAT checks (chorus-pro.md §6) and the lifecycle table (§2)."""

from __future__ import annotations

import pytest

from vigie.platform import lifecycle
from vigie.platform.identifiers import fr_vat_id, siren_ok, siret_ok, siret_problem


@pytest.mark.parametrize(
    ("siret", "ok"),
    [
        ("73282932000074", True),  # Luhn
        ("12345678912345", False),  # Luhn fails
        ("35600000000048", True),  # La Poste head office passes Luhn
        ("35600000049837", True),  # La Poste: fails Luhn, digit sum 35
        ("35600000049838", False),  # La Poste: digit sum 36
        ("7328293200007", False),  # 13 digits
        ("7328293200007A", False),
    ],
)
def test_siret_check_follows_luhn_and_the_la_poste_exception(siret, ok):
    assert siret_ok(siret) is ok
    assert (siret_problem(siret) is None) is ok


def test_siren_and_vat_key_worked_examples():
    assert siren_ok("552081317") and siren_ok("732829320")
    assert not siren_ok("552081318")
    assert fr_vat_id("732829320") == "FR44732829320"
    assert fr_vat_id("552081317") == "FR03552081317"


@pytest.mark.parametrize(
    ("current", "new", "actor", "code", "http"),
    [
        ("MISE_A_DISPOSITION", "SERVICE_FAIT", "recipient", None, 200),
        ("MISE_A_DISPOSITION", "SUSPENDUE", "recipient", None, 200),
        ("MISE_A_DISPOSITION", "SERVICE_FAIT", "supplier", "LC-02", 403),
        ("SUSPENDUE", "COMPLETEE", "supplier", None, 200),
        ("SUSPENDUE", "COMPLETEE", "recipient", "LC-02", 403),
        ("SUSPENDUE", "SERVICE_FAIT", "recipient", "LC-01", 409),
        ("A_RECYCLER", "DEPOSEE", "supplier", None, 200),
        ("REJETEE", "SERVICE_FAIT", "recipient", "LC-01", 409),
        ("MISE_EN_PAIEMENT", "REJETEE", "recipient", "LC-01", 409),
        ("COMPTABILISEE", "MISE_EN_PAIEMENT", "recipient", None, 200),
        ("MISE_A_DISPOSITION", "MISE_A_DISPOSITION", "recipient", "LC-05", 422),
        ("MISE_A_DISPOSITION", "BROUILLON", "recipient", "LC-05", 422),
    ],
)
def test_lifecycle_decides_transitions_and_actors(current, new, actor, code, http):
    decision = lifecycle.decide(current, new, actor)
    assert decision.ok is (code is None)
    assert decision.code == code
    assert decision.http_status == http


def test_helios_accounting_statuses_out_of_order_are_accepted_and_flagged():
    late = lifecycle.decide("MISE_EN_PAIEMENT", "MANDATEE", "recipient")
    assert late.ok and late.out_of_order
    assert lifecycle.decide("COMPTABILISEE", "SERVICE_FAIT", "recipient").out_of_order
    assert not lifecycle.decide("SERVICE_FAIT", "MANDATEE", "recipient").out_of_order


def test_every_status_that_can_be_reached_has_a_transition_row():
    reachable = set().union(*lifecycle.TRANSITIONS.values())
    assert reachable <= set(lifecycle.TRANSITIONS)
    assert lifecycle.TRANSITIONS["MISE_EN_PAIEMENT"] == frozenset()
    assert lifecycle.TRANSITIONS["REJETEE"] == frozenset()


def test_docs_list_every_rule_code_with_its_messages():
    from pathlib import Path

    from vigie.platform.rules import RULES

    doc = (Path(__file__).parents[3] / "docs" / "platform.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| `{rule.code}` | {rule.message_fr} | {rule.message_en} |" in doc
    for code, (fr, en) in lifecycle.LIFECYCLE_RULES.items():
        assert f"| `{code}` | {fr} | {en} |" in doc


def test_dbt_transition_seed_equals_the_platform_lifecycle():
    import csv
    from pathlib import Path

    seed = Path(__file__).parents[3] / "transformations/seeds/reference/ref_status_transitions.csv"
    with seed.open(encoding="utf-8") as f:
        rows = {(r["previous_status_code"] or None, r["status_code"]) for r in csv.DictReader(f)}
    assert rows == lifecycle.legal_pairs()


def test_each_event_is_numbered_after_the_one_before_it_including_one_that_comes_late():
    """A recycled invoice paid, then a mandate Hélios reports after the payment, dated
    before it: numbered 8, after the payment; the invoice stays paid, since 31 May."""
    history = [
        ("DEPOSEE", "05-02", False),
        ("MISE_A_DISPOSITION", "05-02", False),
        ("A_RECYCLER", "05-04", False),
        ("DEPOSEE", "05-06", False),
        ("MISE_A_DISPOSITION", "05-06", False),
        ("SERVICE_FAIT", "05-20", False),
        ("MISE_EN_PAIEMENT", "05-31", False),
        ("MANDATEE", "05-25", True),
    ]
    place, places = None, []
    for status, day, late in history:
        place = lifecycle.next_place(place, status, day, out_of_order=late)
        places.append(
            (place.sequence, place.previous_status, place.previous_at, place.deposit_round)
        )
    assert places == [
        (1, None, None, 1),
        (2, "DEPOSEE", "05-02", 1),
        (3, "MISE_A_DISPOSITION", "05-02", 1),
        (4, "A_RECYCLER", "05-04", 2),
        (5, "DEPOSEE", "05-06", 2),
        (6, "MISE_A_DISPOSITION", "05-06", 2),
        (7, "SERVICE_FAIT", "05-20", 2),
        (8, "MISE_EN_PAIEMENT", "05-31", 2),
    ]
    assert (place.status, place.status_at) == ("MISE_EN_PAIEMENT", "05-31")
