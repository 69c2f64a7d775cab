"""Reasons and rules in words: what a recipient gave as its reason, or the platform rule's
message; the code stays in its own column."""

from __future__ import annotations

import re
from pathlib import Path

from vigie.dashboards.i18n import RECIPIENT_REASONS, reason_label
from vigie.ingestion.generator import history


def test_recipient_reasons_and_platform_rules_read_in_words_in_both_languages():
    assert reason_label("SERVICE_ERRONE", "fr") == "Service destinataire erroné"
    assert reason_label("EJ_ABSENT", "en") == "Missing commitment number"
    assert reason_label("REG-01", "fr").startswith("REG-01 — ")
    assert len(reason_label("REG-01", "fr")) > len("REG-01 — ") + 10
    assert reason_label("BR-CO-15", "fr").startswith("BR-CO-15 — Total TTC")
    assert reason_label("BR-AE-01", "fr") == "BR-AE-01"  # an official rule without our words
    assert reason_label(None, "fr") is None


def test_every_reason_the_generator_writes_has_its_words():
    source = Path(history.__file__).read_text(encoding="utf-8")
    written = set(history.REJECTION_REASONS) | set(
        re.findall(r'"([A-Z_]{4,})"', source.split("def ", 1)[1])
    ) & {"SERVICE_ERRONE", "EJ_ERRONE", "PIECE_MANQUANTE", "AUTRE"}
    assert written <= set(RECIPIENT_REASONS)
    for code in history.REFUSAL_RULES:
        assert reason_label(code, "fr") != code
