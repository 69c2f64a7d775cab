"""The API's request and response bodies: what a client sends and gets, typed.

The routes of :mod:`vigie.platform.api` take the request models and return the response
models, so the OpenAPI document (``/docs``) describes every answer; the operations of
:class:`vigie.platform.service.Platform` return the response models too.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from vigie.platform.contracts.types import (
    B2cCategory,
    PublicCategory,
    Scope,
    SolicitationChannel,
    StatusCode,
    VatRegime,
)

# ---------------------------------------------------------------------------- requests


class ServiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=40)
    name: str | None = Field(default=None, max_length=200)
    requires_engagement_number: bool = False
    reports_payment_status: bool = True
    is_active: bool = True


class StructureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    siret: str
    name: str = Field(min_length=1, max_length=200)
    public_category: PublicCategory | None = Field(
        default=None, description="state, local, health, other (public); null for private"
    )
    legal_payment_delay_days: int | None = Field(default=None, ge=1, le=120)
    supplier_size: Literal["large", "intermediate", "sme", "micro"] | None = None
    requires_service_code: bool = False
    requires_engagement_number: bool = False
    reports_payment_status: bool = True
    services: list[ServiceIn] = []
    vat_id: str | None = Field(default=None, max_length=40)
    vat_regime: VatRegime | None = Field(
        default=None,
        description="reel_normal_mensuel, reel_normal_trimestriel, reel_simplifie, franchise:"
        " makes the structure an e-reporting declarant and sets its periods",
    )
    vat_on_debits: bool = Field(default=False, description="opted for VAT on debits")


class StructurePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    requires_service_code: bool | None = None
    requires_engagement_number: bool | None = None
    reports_payment_status: bool | None = None
    is_active: bool | None = None
    legal_payment_delay_days: int | None = Field(default=None, ge=1, le=120)


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: StatusCode
    reason: str | None = Field(
        default=None, max_length=40, description="mandatory to suspend or reject"
    )
    comment: str | None = Field(default=None, max_length=500)
    payment_date: date | None = Field(default=None, description="MISE_EN_PAIEMENT")
    payment_amount: Decimal | None = Field(default=None, max_digits=18, decimal_places=2)
    occurred_at: datetime | None = Field(default=None, description="defaults to now")
    actor: Literal["recipient", "accountant", "helios"] | None = None
    recipient_siret: str | None = Field(default=None, description="recycling: corrected routing")
    service_code: str | None = Field(default=None, max_length=40)
    engagement_number: str | None = Field(default=None, max_length=50)


class SolicitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: str = Field(min_length=1, max_length=40)
    channel: SolicitationChannel
    invoice_id: str | None = None


Amount = Annotated[Decimal, Field(max_digits=18)]


class B2cSaleLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vat_rate: Decimal = Field(ge=0, le=100, description="percent: 20, 5.5")
    taxable_amount: Amount
    tax_amount: Amount
    transaction_count: int = Field(ge=1, description="number of sales at this rate")


class B2cSalesIn(BaseModel):
    """One day's B2C sales of one category (e-reporting flow 10.3)."""

    model_config = ConfigDict(extra="forbid")
    sale_date: date
    currency_code: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    category_code: B2cCategory = Field(
        description="TLB1 goods, TPS1 services, TNT1 not located in France, TMA1 margin scheme"
    )
    lines: list[B2cSaleLine] = Field(min_length=1, max_length=20)


class PaymentLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vat_rate: Decimal = Field(ge=0, le=100)
    amount_incl_vat: Amount


class PaymentIn(BaseModel):
    """A receipt: of an international invoice (10.2), or of B2C sales (10.4) when no
    invoice is named. Amounts include VAT, per rate."""

    model_config = ConfigDict(extra="forbid")
    payment_date: date
    currency_code: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    invoice_id: str | None = Field(default=None, max_length=64)
    lines: list[PaymentLine] = Field(min_length=1, max_length=20)


class DepositForm(BaseModel):
    """The multipart form of ``POST /v1/invoices`` (documented; parsed by hand)."""

    file: bytes = Field(description="UBL 2.1, CII D16B, Factur-X/ZUGFeRD PDF, PDF or ZIP")
    recipient_siret: str | None = Field(
        default=None, description="used when the document does not identify a known recipient"
    )
    channel: Literal["api", "portal", "edi"] = "api"
    billing_framework: str | None = Field(default=None, description="A1 (default) … A25, B1…")
    supplier_siret: str | None = Field(default=None, description="operator keys only")
    invoice_number: str | None = Field(default=None, description="plain PDF header field")
    issue_date: date | None = Field(default=None, description="plain PDF header field")
    type_code: str | None = Field(default=None, description="plain PDF header field (380)")
    currency: str | None = Field(default=None, description="plain PDF header field (EUR)")
    total_excl_vat: Decimal | None = Field(default=None, description="plain PDF header field")
    total_vat: Decimal | None = Field(default=None, description="plain PDF header field")
    total_incl_vat: Decimal | None = Field(default=None, description="plain PDF header field")
    amount_due: Decimal | None = Field(default=None, description="plain PDF header field")
    vat_rate: Decimal | None = Field(default=None, description="plain PDF header field")
    service_code: str | None = Field(default=None, description="plain PDF header field (BT-10)")
    engagement_number: str | None = Field(default=None, description="plain PDF (BT-13)")


# ---------------------------------------------------------------------------- responses

#: a time stamp as the platform stored it: ISO 8601 with its offset (``+00:00``)
IsoTimestamp = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str)]


class Response(BaseModel):
    model_config = ConfigDict(frozen=True)


class Health(Response):
    status: str
    version: str
    vigie_home: str


class ServiceOut(Response):
    id: str
    code: str
    name: str
    requires_engagement_number: bool
    reports_payment_status: bool
    is_active: bool


class StructureOut(Response):
    id: str
    siret: str | None
    siren: str | None
    name: str
    is_public: bool
    public_category: PublicCategory | None
    legal_payment_delay_days: int | None
    requires_service_code: bool
    requires_engagement_number: bool
    reports_payment_status: bool
    is_active: bool
    created_at: IsoTimestamp
    services: list[ServiceOut]


class StructureCreated(StructureOut):
    api_key: str = Field(description="shown once: only its hash is kept")


class Party(Response):
    id: str
    siret: str | None
    name: str


class VatBreakdownLine(Response):
    category: str
    rate: Decimal | None
    taxable: Decimal
    tax: Decimal


class RuleViolation(Response):
    """A rule a document or a request broke (or, as a warning, did not follow)."""

    code: str
    message: str
    message_en: str
    detail: str | None = None
    severity: str | None = None
    official_message: str | None = None


class InvoiceOut(Response):
    id: str
    invoice_number: str
    type_code: str
    issue_date: date
    deposited_at: IsoTimestamp
    status: StatusCode
    status_at: IsoTimestamp
    supplier: Party | None
    recipient: Party | None
    service_code: str | None
    engagement_number: str | None
    billing_framework: str
    channel: str
    syntax: str
    scope: Scope
    currency: str
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal
    amount_due: Decimal
    line_count: int
    document_sha256: str
    vat_breakdown: list[VatBreakdownLine]


class InvoiceDetail(InvoiceOut):
    #: the official artefacts' warnings recorded at deposit
    warnings: list[RuleViolation]


class StatusChanged(InvoiceDetail):
    event_id: str
    out_of_order: bool = Field(
        description="an accounting status reported late: recorded, the current status kept"
    )


class Recycled(Response):
    id: str
    status: StatusCode
    recipient_siret: str | None


class InvoicePage(Response):
    total: int
    limit: int
    offset: int
    items: list[InvoiceOut]


class LookupMatch(Response):
    id: str
    invoice_number: str
    issue_date: date
    recipient: Party | None
    status: StatusCode
    status_date: date
    status_at: IsoTimestamp


class Lookup(Response):
    number: str
    matches: list[LookupMatch]


class StatusEventOut(Response):
    event_id: str
    status: StatusCode
    occurred_at: IsoTimestamp
    actor: str
    reason: str | None
    comment: str | None
    payment_date: date | None
    payment_amount: Decimal | None
    out_of_order: bool


class History(Response):
    invoice_id: str
    events: list[StatusEventOut]


class DepositAccepted(Response):
    file: str
    status: Literal["accepted"] = "accepted"
    invoice_number: str | None
    syntax: str | None
    id: str
    invoice_status: StatusCode
    warnings: list[RuleViolation]


class DepositRefused(Response):
    file: str
    status: Literal["refused"] = "refused"
    invoice_number: str | None
    syntax: str | None
    refusal_id: str | None
    errors: list[RuleViolation]


class DepositBatch(Response):
    """A ZIP batch: one result per entry, judged one by one."""

    accepted: int
    refused: int
    results: list[DepositAccepted | DepositRefused]


class B2cSalesRecorded(Response):
    id: str
    sale_date: date
    category_code: B2cCategory
    currency_code: str
    transaction_count: int
    taxable_amount: Decimal
    tax_amount: Decimal


class PaymentRecorded(Response):
    ids: list[str]
    invoice_id: str | None
    scope: Scope
    payment_date: date
    amount_incl_vat: Decimal


class SolicitationOut(Response):
    id: str
    category: str
    channel: SolicitationChannel
    invoice_id: str | None
    created_at: IsoTimestamp
