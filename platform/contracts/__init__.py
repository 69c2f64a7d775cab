"""Pydantic contracts shared by every component.

The landing-zone tables (``vigie.platform.contracts.landing``) are the boundary between the
producers (platform extract, synthetic generator) and the warehouse: their fields are the
columns of the Parquet files and of the dbt sources.
"""

from vigie.platform.contracts.landing import (
    LANDING_TABLES,
    DepositRefusal,
    Invoice,
    InvoiceStatusEvent,
    InvoiceVatLine,
    LandingRecord,
    Payment,
    Service,
    Solicitation,
    Structure,
    User,
)

__all__ = [
    "LANDING_TABLES",
    "DepositRefusal",
    "Invoice",
    "InvoiceStatusEvent",
    "InvoiceVatLine",
    "LandingRecord",
    "Payment",
    "Service",
    "Solicitation",
    "Structure",
    "User",
]
