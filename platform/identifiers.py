"""French identifiers: SIREN, SIRET (with the La Poste exception) and the FR VAT key.

Rules from ``shared/domain/chorus-pro.md`` §6 (after python-stdnum's ``fr.siret``).
"""

from __future__ import annotations

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def luhn_ok(number: str) -> bool:
    """True when the digit string passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def siren_ok(siren: str) -> bool:
    return len(siren) == 9 and siren.isascii() and siren.isdigit() and luhn_ok(siren)


def siret_problem(siret: str) -> str | None:
    """Why ``siret`` is not a valid SIRET, or None when it is."""
    if len(siret) != 14 or not (siret.isascii() and siret.isdigit()):
        return "a SIRET has exactly 14 digits"
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE:
        # La Poste's establishments: the digit sum is a multiple of 5 instead of Luhn.
        if sum(int(c) for c in siret) % 5 == 0:
            return None
        return "La Poste SIRET: the sum of the 14 digits must be a multiple of 5"
    if not luhn_ok(siret):
        return "the SIRET fails the Luhn check"
    return None


def siret_ok(siret: str) -> bool:
    return siret_problem(siret) is None


def fr_vat_id(siren: str) -> str:
    """The intra-community VAT number of a SIREN (numeric key)."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


#: EU member states other than France (ISO 3166 alpha-2; VAT prefix EL for Greece)
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def party_identifier(
    *,
    siret: str | None,
    siren: str | None,
    vat_id: str | None,
    country: str | None,
    name: str | None,
) -> tuple[str | None, str | None]:
    """The (identifier, ISO 6523 scheme) e-reporting names a party by (TT-33/TT-36).

    A French company: its SIRET (0009) or SIREN (0002); an EU company: its VAT number
    (0223); another foreign company: country code + the first 16 characters of its name
    (0227, e-reporting.md §2).
    """
    if siret:
        return siret, "0009"
    if siren:
        return siren, "0002"
    country = (country or "").upper()
    if country in EU_COUNTRIES and vat_id:
        return vat_id.replace(" ", "")[:18], "0223"
    if country and country != "FR" and name:
        return (country + "".join(name.split()).upper())[:18], "0227"
    return None, None
