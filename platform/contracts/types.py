"""Constrained column types, defined once.

Each type carries its SQL (DuckDB) type as a ``SqlType`` marker in its ``Annotated``
metadata. That marker is the single source of the Parquet/polars dtype and of the
``data_type`` declared for the column in dbt.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import AwareDatetime, Field

#: money is kept to the cent
CENT = Decimal("0.01")


def to_cents(value: Decimal | None) -> Decimal | None:
    """``value`` rounded to the cent (half-even, Decimal's default); None stays None."""
    return None if value is None else value.quantize(CENT)


@dataclass(frozen=True)
class SqlType:
    """The DuckDB type of a landing column."""

    name: str


Id = Annotated[str, Field(min_length=1, max_length=64), SqlType("VARCHAR")]
Text = Annotated[str, Field(max_length=500), SqlType("VARCHAR")]
Code = Annotated[str, Field(min_length=1, max_length=40), SqlType("VARCHAR")]
Siret = Annotated[str, Field(pattern=r"^[0-9]{14}$"), SqlType("VARCHAR")]
Siren = Annotated[str, Field(pattern=r"^[0-9]{9}$"), SqlType("VARCHAR")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), SqlType("VARCHAR")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$"), SqlType("VARCHAR")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$"), SqlType("VARCHAR")]
TypeCode = Annotated[str, Field(pattern=r"^[0-9]{3}$"), SqlType("VARCHAR")]

#: Money: 18 digits, 2 decimals, never a float.
Money = Annotated[Decimal, Field(max_digits=18, decimal_places=2), SqlType("DECIMAL(18,2)")]
#: A VAT rate in percent (20.00, 5.50, 2.10).
VatRate = Annotated[
    Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2), SqlType("DECIMAL(5,2)")
]
Count = Annotated[int, Field(ge=0), SqlType("BIGINT")]
Days = Annotated[int, Field(ge=0, le=3650), SqlType("INTEGER")]
#: A rank from 1 (an event's place in its invoice's history, a deposit round).
Rank = Annotated[int, Field(ge=1), SqlType("INTEGER")]
Flag = Annotated[bool, SqlType("BOOLEAN")]
Day = Annotated[date, SqlType("DATE")]
#: Time stamps are always time-zone aware and stored as UTC instants.
Timestamp = Annotated[AwareDatetime, SqlType("TIMESTAMP WITH TIME ZONE")]

Channel = Literal["portal", "api", "edi"]
Syntax = Literal["UBL", "CII", "FACTURX", "PDF"]
Scope = Literal["B2G", "B2B", "B2Bi", "B2C"]
PublicCategory = Literal["state", "local", "health", "public_undertaking", "other"]
SupplierSize = Literal["large", "intermediate", "sme", "micro"]
GoodsServicesNature = Literal["goods", "services", "mixed"]
SolicitationChannel = Literal["assistant", "human"]
UserRole = Literal["main_manager", "secondary_manager", "user"]
#: VAT regime of a declarant: sets its e-reporting periods (e-reporting.md §6)
VatRegime = Literal["reel_normal_mensuel", "reel_normal_trimestriel", "reel_simplifie", "franchise"]
#: B2C transaction category of flow 10.3 (TT-81, e-reporting.md §5.1)
B2cCategory = Literal["TLB1", "TPS1", "TNT1", "TMA1"]

# Chorus Pro statuses used by the lifecycle (chorus-pro.md §2.2, §2.3).
StatusCode = Literal[
    "DEPOSEE",
    "EN_COURS_ACHEMINEMENT",
    "MISE_A_DISPOSITION",
    "PRISE_EN_COMPTE_DESTINATAIRE",
    "SERVICE_FAIT",
    "MANDATEE",
    "MISE_A_DISPOSITION_COMPTABLE",
    "COMPTABILISEE",
    "MISE_EN_PAIEMENT",
    "SUSPENDUE",
    "COMPLETEE",
    "A_RECYCLER",
    "REJETEE",
    "A_VALIDER_1",
    "VALIDEE_1",
    "REFUSEE_1",
    "ABSENCE_VALIDATION_1_HORS_DELAI",
    "A_VALIDER_2",
    "VALIDEE_2",
    "REFUSEE_2",
    "ABSENCE_VALIDATION_2_HORS_DELAI",
]
ActorRole = Literal[
    "platform", "supplier", "recipient", "accountant", "helios", "validator", "moe", "moa"
]

# Chorus Pro cadres (A1–A25) and reform BT-23 codes (e-reporting.md §4).
BillingFramework = Literal[
    "A1",
    "A2",
    "A3",
    "A4",
    "A5",
    "A6",
    "A7",
    "A8",
    "A9",
    "A10",
    "A11",
    "A12",
    "A13",
    "A14",
    "A15",
    "A16",
    "A17",
    "A18",
    "A19",
    "A20",
    "A21",
    "A22",
    "A23",
    "A24",
    "A25",
    "B1",
    "S1",
    "M1",
    "B2",
    "S2",
    "M2",
    "S3",
    "B4",
    "S4",
    "M4",
    "S5",
    "S6",
    "B7",
    "S7",
]


@dataclass(frozen=True)
class ColumnSpec:
    """What the landing zone needs to know about one contract field."""

    name: str
    sql_type: str
    nullable: bool
    allowed_values: tuple[str, ...] | None
    pattern: str | None
    max_length: int | None


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) != len(get_args(tp)) and len(args) == 1:
            return args[0], True
    return tp, False


def column_spec(name: str, hint: Any) -> ColumnSpec:
    """Describe a field from its full type hint (``Annotated`` extras included)."""
    tp, nullable = _strip_optional(hint)
    sql: str | None = None
    pattern: str | None = None
    max_length: int | None = None
    allowed: tuple[str, ...] | None = None
    if get_origin(tp) is Annotated:
        base, *extras = get_args(tp)
        for extra in extras:
            if isinstance(extra, SqlType):
                sql = extra.name
            for meta in getattr(extra, "metadata", []):
                pattern = getattr(meta, "pattern", None) or pattern
                max_length = getattr(meta, "max_length", None) or max_length
        tp = base
    if get_origin(tp) is Literal:
        allowed = tuple(str(v) for v in get_args(tp))
        sql = sql or "VARCHAR"
    if sql is None:
        raise TypeError(f"field {name!r}: no SqlType for {hint!r}; use a type from contracts.types")
    return ColumnSpec(name, sql, nullable, allowed, pattern, max_length)
