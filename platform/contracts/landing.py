"""The landing-zone tables: one pydantic model per table, one field per column.

``$VIGIE_HOME/landing/<table>/date=YYYY-MM-DD/*.parquet`` holds the rows of each table,
partitioned by the Europe/Paris calendar day of the table's partition column. The dbt
sources (``transformations/models/staging/platform/_platform__sources.yml``) declare the
same columns with the same types; a unit test fails when the two drift apart.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar, get_type_hints

from pydantic import BaseModel, ConfigDict, model_validator

from vigie.platform.contracts.types import (
    ActorRole,
    B2cCategory,
    BillingFramework,
    Channel,
    Code,
    ColumnSpec,
    Count,
    CountryCode,
    CurrencyCode,
    Day,
    Days,
    Flag,
    GoodsServicesNature,
    Id,
    Money,
    PublicCategory,
    Rank,
    Scope,
    Sha256,
    Siren,
    Siret,
    SolicitationChannel,
    StatusCode,
    SupplierSize,
    Syntax,
    Text,
    Timestamp,
    TypeCode,
    UserRole,
    VatRate,
    VatRegime,
    column_spec,
)


class LandingRecord(BaseModel):
    """Base of every landing table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: ClassVar[str]
    #: column whose Europe/Paris calendar day names the partition
    partition_by: ClassVar[str]
    primary_key: ClassVar[tuple[str, ...]]

    @property
    def record_id(self) -> str:
        """The record's key in the outbox: its primary key without the version time stamp."""
        return "#".join(str(getattr(self, k)) for k in self.primary_key if k != "updated_at")

    @classmethod
    def columns(cls) -> list[ColumnSpec]:
        """The table's columns, in contract order."""
        return list(_columns(cls))


@cache
def _columns(model: type[LandingRecord]) -> tuple[ColumnSpec, ...]:
    hints = get_type_hints(model, include_extras=True)
    return tuple(column_spec(name, hints[name]) for name in model.model_fields)


class Structure(LandingRecord):
    """One version of a structure (public entity or supplier); the latest ``updated_at`` wins."""

    table: ClassVar[str] = "structures"
    partition_by: ClassVar[str] = "updated_at"
    primary_key: ClassVar[tuple[str, ...]] = ("structure_id", "updated_at")

    structure_id: Id
    siret: Siret | None
    siren: Siren | None
    vat_id: Code | None
    name: Text
    country_code: CountryCode
    is_public: Flag
    public_category: PublicCategory | None
    legal_payment_delay_days: Days | None
    supplier_size: SupplierSize | None
    requires_engagement_number: Flag
    requires_service_code: Flag
    reports_payment_status: Flag
    is_active: Flag
    created_at: Timestamp
    updated_at: Timestamp
    #: sets the e-reporting periods; None: not an e-reporting declarant
    vat_regime: VatRegime | None = None
    #: opted for VAT on debits: services then owe VAT on invoicing, not on receipt
    vat_on_debits: Flag = False

    @model_validator(mode="after")
    def _public_has_category(self) -> Structure:
        if self.is_public and (self.public_category is None or not self.legal_payment_delay_days):
            raise ValueError("a public structure needs public_category and its legal delay")
        if not self.is_public and self.public_category is not None:
            raise ValueError("a private structure has no public_category")
        return self


class Service(LandingRecord):
    """One version of a service (routing code) of a structure."""

    table: ClassVar[str] = "services"
    partition_by: ClassVar[str] = "updated_at"
    primary_key: ClassVar[tuple[str, ...]] = ("service_id", "updated_at")

    service_id: Id
    structure_id: Id
    service_code: Code
    name: Text
    requires_engagement_number: Flag
    reports_payment_status: Flag
    is_active: Flag
    created_at: Timestamp
    updated_at: Timestamp


class User(LandingRecord):
    """A user account attached to a structure (new registrations per year)."""

    table: ClassVar[str] = "users"
    partition_by: ClassVar[str] = "created_at"
    primary_key: ClassVar[tuple[str, ...]] = ("user_id",)

    user_id: Id
    structure_id: Id
    role: UserRole
    created_at: Timestamp


class Invoice(LandingRecord):
    """One version of a deposited (accepted) document; the latest ``updated_at`` wins.

    An invoice is landed once at deposit (``updated_at`` = ``deposited_at``) and again when
    a recycling changes its routing (recipient, service code, engagement number).
    """

    table: ClassVar[str] = "invoices"
    #: a version lands in the day it was made (a recycling's in the day of the recycling),
    #: so that loading the days from the last one loaded on sees every new version
    partition_by: ClassVar[str] = "updated_at"
    primary_key: ClassVar[tuple[str, ...]] = ("invoice_id", "updated_at")

    invoice_id: Id
    invoice_number: Code
    type_code: TypeCode
    supplier_structure_id: Id
    recipient_structure_id: Id | None
    service_code: Code | None
    engagement_number: Text | None
    billing_framework: BillingFramework
    channel: Channel
    syntax: Syntax
    scope: Scope
    goods_services_nature: GoodsServicesNature | None
    issue_date: Day
    deposited_at: Timestamp
    currency_code: CurrencyCode
    total_excl_vat: Money
    total_vat: Money
    total_incl_vat: Money
    amount_due: Money
    line_count: Count
    original_invoice_number: Text | None
    document_sha256: Sha256
    updated_at: Timestamp
    #: the buyer as the document identifies it (e-reporting of international invoices)
    buyer_identifier: Code | None = None
    #: ISO 6523 scheme of buyer_identifier: 0009 SIRET, 0002 SIREN, 0223 EU VAT, 0227 non-EU
    buyer_identifier_scheme: Code | None = None
    buyer_vat_id: Code | None = None
    buyer_country_code: CountryCode | None = None
    buyer_name: Text | None = None
    due_date: Day | None = None
    #: BT-72, the operation date of e-reporting when the document states it
    delivery_date: Day | None = None


class InvoiceVatLine(LandingRecord):
    """One row per VAT breakdown line (BG-23) of a deposited invoice."""

    table: ClassVar[str] = "invoice_vat_lines"
    partition_by: ClassVar[str] = "deposited_at"
    primary_key: ClassVar[tuple[str, ...]] = ("invoice_id", "line_number")

    invoice_id: Id
    line_number: Count
    deposited_at: Timestamp
    vat_category_code: Code
    vat_rate: VatRate | None
    taxable_amount: Money
    tax_amount: Money
    exemption_reason: Text | None = None  # BT-120
    exemption_reason_code: Code | None = None  # BT-121 (VATEX)


class InvoiceStatusEvent(LandingRecord):
    """One row per status an invoice went through, with its place in the invoice's lifecycle.

    The producer numbers the events, as it validates each transition: ``event_sequence``
    counts the invoice's events in the order they were recorded (1, 2, …, no gap);
    ``previous_status_code`` is the invoice's status when the event came, which it entered
    at ``previous_status_at`` (the time spent in it is ``occurred_at - previous_status_at``);
    ``deposit_round`` counts the invoice's deposits so far (a recycled invoice is deposited
    again). An accounting status reported late, dated before the invoice's current status
    (the Hélios case), ``is_out_of_order``: it keeps its own date and does not change the
    status. The landing day is the Europe/Paris day the event was ``recorded_at``, so a
    late event lands with the day that brought it, never in a day already loaded.
    """

    table: ClassVar[str] = "invoice_status_events"
    partition_by: ClassVar[str] = "recorded_at"
    primary_key: ClassVar[tuple[str, ...]] = ("event_id",)
    #: the fields the producer derives from the invoice's history when it records the event
    LIFECYCLE_ORDER: ClassVar[tuple[str, ...]] = (
        "event_sequence",
        "previous_status_code",
        "previous_status_at",
        "deposit_round",
        "is_out_of_order",
        "recorded_at",
    )

    event_id: Id
    invoice_id: Id
    status_code: StatusCode
    occurred_at: Timestamp
    actor_role: ActorRole
    reason_code: Code | None
    comment: Text | None
    payment_date: Day | None
    payment_amount: Money | None
    event_sequence: Rank
    previous_status_code: StatusCode | None
    previous_status_at: Timestamp | None
    deposit_round: Rank
    is_out_of_order: Flag
    recorded_at: Timestamp


class DepositRefusal(LandingRecord):
    """One row per document the platform refused at deposit (never became an invoice)."""

    table: ClassVar[str] = "deposit_refusals"
    partition_by: ClassVar[str] = "refused_at"
    primary_key: ClassVar[tuple[str, ...]] = ("refusal_id",)

    refusal_id: Id
    supplier_structure_id: Id
    recipient_siret: Siret | None
    invoice_number: Code | None
    channel: Channel
    syntax: Syntax | None
    refused_at: Timestamp
    rule_code: Code
    rule_codes: Text


class B2cSale(LandingRecord):
    """One VAT rate of a B2C daily sales summary (e-reporting flow 10.3).

    A summary gives, for one declarant, day, currency and transaction category, the sales
    at each VAT rate; a mixed sale is split by its client into goods (TLB1) and services
    (TPS1) before it is summed.
    """

    table: ClassVar[str] = "b2c_sales"
    partition_by: ClassVar[str] = "sale_date"
    primary_key: ClassVar[tuple[str, ...]] = ("summary_id", "line_number")

    summary_id: Id
    line_number: Count
    declarant_structure_id: Id
    sale_date: Day
    currency_code: CurrencyCode
    category_code: B2cCategory
    #: number of sales at this rate (TT-85 is their sum over the summary)
    transaction_count: Count
    vat_rate: VatRate
    taxable_amount: Money
    tax_amount: Money
    received_at: Timestamp


class Payment(LandingRecord):
    """A payment receipt needed by e-reporting, one row per VAT rate: of an invoice (10.2)
    or a B2C day's receipts (10.4)."""

    table: ClassVar[str] = "payments"
    partition_by: ClassVar[str] = "payment_date"
    primary_key: ClassVar[tuple[str, ...]] = ("payment_id",)

    payment_id: Id
    declarant_structure_id: Id
    invoice_id: Id | None
    scope: Scope
    payment_date: Day
    currency_code: CurrencyCode
    vat_rate: VatRate
    amount_incl_vat: Money
    received_at: Timestamp


class Solicitation(LandingRecord):
    """A support request, answered by the virtual assistant or by human support."""

    table: ClassVar[str] = "solicitations"
    partition_by: ClassVar[str] = "created_at"
    primary_key: ClassVar[tuple[str, ...]] = ("solicitation_id",)

    solicitation_id: Id
    structure_id: Id
    category: Code
    channel: SolicitationChannel
    invoice_id: Id | None
    created_at: Timestamp


LANDING_TABLES: dict[str, type[LandingRecord]] = {
    model.table: model
    for model in (
        Structure,
        Service,
        User,
        Invoice,
        InvoiceVatLine,
        InvoiceStatusEvent,
        DepositRefusal,
        B2cSale,
        Payment,
        Solicitation,
    )
}
