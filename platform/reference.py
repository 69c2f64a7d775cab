"""Reference codes the platform, the generator and the command line share, each written
once here; the warehouse's seeds must say the same (tests/unit/platform/
test_reference_codes.py checks them against ``transformations/seeds/reference``)."""

from __future__ import annotations

#: the legal payment delay of each public category, in days (Code de la commande publique,
#: R.2192-10 and -11; payment-delays.md)
LEGAL_DELAY_DAYS: dict[str, int] = {
    "state": 30,
    "local": 30,
    "health": 50,
    "public_undertaking": 60,
    "other": 30,
}
