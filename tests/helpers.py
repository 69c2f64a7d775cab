"""Small helpers shared by tests."""

from __future__ import annotations

from vigie.platform.identifiers import luhn_ok


def siret(n: int) -> str:
    """A valid (Luhn) SIRET built from ``n``: 13 digits plus the check digit."""
    base = f"{n:013d}"
    return next(base + d for d in "0123456789" if luhn_ok(base + d))
