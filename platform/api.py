"""The platform's HTTP API (FastAPI). Every route lives under ``/v1``.

Authentication: ``Authorization: Bearer <api key>``. A structure's key sees the invoices it
deposited (supplier) and those addressed to it (recipient); an operator's key sees
everything and manages structures. An invoice the caller may not see answers 404, exactly
as one that does not exist.
"""

from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from importlib.metadata import version
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vigie.platform.contracts.types import (
    B2cCategory,
    PublicCategory,
    SolicitationChannel,
    StatusCode,
    VatRegime,
)
from vigie.platform.documents import official
from vigie.platform.documents.archive import is_zip
from vigie.platform.documents.pdf import PdfHeaderFields
from vigie.platform.documents.read import MAX_UPLOAD_BYTES
from vigie.platform.rules import violation
from vigie.platform.service import Platform, PlatformError, tune_gc
from vigie.platform.settings import Settings, get_settings
from vigie.platform.store import Caller

#: room for the multipart envelope and form fields around the file
MULTIPART_OVERHEAD = 64 * 1024


class Health(BaseModel):
    status: str
    version: str
    vigie_home: str


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


def _deposit_schema() -> dict[str, Any]:
    schema = DepositForm.model_json_schema()
    schema["properties"]["file"] = {
        "type": "string",
        "format": "binary",
        "description": DepositForm.model_fields["file"].description,
    }
    return schema  # fmt: skip


DEPOSIT_REQUEST_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": _deposit_schema()}},
}
HEADER_FIELDS = frozenset(PdfHeaderFields.model_fields)
DEPOSIT_FIELDS = frozenset({"recipient_siret", "channel", "billing_framework", "supplier_siret"})


class BodyLimit:
    """Refuse request bodies above ``max_bytes`` (413) without reading them."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await _too_large(send)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send) -> None:
    v = violation("SIZE-01", "request body too large")
    body = JSONResponse({"error": v.as_dict()}, status_code=413)
    await send({"type": "http.response.start", "status": 413, "headers": body.raw_headers})
    await send({"type": "http.response.body", "body": body.body})


#: where fastapi-offline serves the Swagger UI and ReDoc assets it ships
OFFLINE_DOCS = "/static-offline-docs"
REDOC_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:"
)

_bearer = HTTPBearer(auto_error=False, description="The API key of a structure or an operator")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.platform = Platform(settings)
        official.SAXON.warm()  # compile the official artefacts before the first deposit
        tune_gc()
        yield
        app.state.platform.close()

    # Swagger UI and ReDoc from the assets fastapi-offline ships, not from a CDN: the docs
    # must render on an offline machine (many government networks are)
    app = FastAPIOffline(
        redoc_url=None,  # below, with a policy that keeps ReDoc's logo from the internet
        title="Vigie platform API",
        version=version("vigie"),
        description="Invoice deposits, status events and look-ups of the Vigie hub.",
        lifespan=lifespan,
    )
    limit = min(settings.max_upload_bytes, MAX_UPLOAD_BYTES)
    app.add_middleware(BodyLimit, max_bytes=limit + MULTIPART_OVERHEAD)

    @app.exception_handler(PlatformError)
    async def platform_error(_request: Request, err: PlatformError) -> JSONResponse:
        return JSONResponse({"error": err.as_dict()}, status_code=err.http_status)

    # async dependencies: a sync one would hop to the thread pool on every request
    async def platform(request: Request) -> Platform:
        return request.app.state.platform

    async def caller(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Caller:
        found = None
        if credentials is not None:
            found = request.app.state.platform.store.caller(credentials.credentials)
        if found is None:
            raise _Unauthorized
        return found

    @app.exception_handler(_Unauthorized)
    async def unauthorized(_request: Request, _err: Exception) -> JSONResponse:
        return JSONResponse(
            {"error": {"code": "AUTH-01", "message": "Clé d'API absente ou invalide.",
                       "message_en": "Missing or invalid API key.", "detail": None}},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip

    P = Annotated[Platform, Depends(platform)]
    C = Annotated[Caller, Depends(caller)]

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        """ReDoc from fastapi-offline's copy. Its menu links to Redocly with a logo from
        their CDN: the page's policy allows images from this server only, so the browser
        never asks, and the link is hidden."""
        page = get_redoc_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{OFFLINE_DOCS}/redoc.standalone.js",
            redoc_favicon_url=f"{OFFLINE_DOCS}/favicon.png",
            with_google_fonts=False,
        )
        html = page.body.decode().replace(
            "</style>", 'a[href*="redocly.com"] { display: none; }\n    </style>', 1
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": REDOC_POLICY})

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    @app.get("/v1/health", tags=["system"])
    def health() -> Health:
        return Health(status="ok", version=version("vigie"), vigie_home=str(settings.home))

    # ---------------------------------------------------------------- structures
    @app.post("/v1/structures", tags=["structures"], status_code=201)
    async def create_structure(body: StructureIn, p: P, who: C) -> dict[str, Any]:
        """Create a structure (operator key): returns its id and its API key."""
        if not who.is_operator:
            raise PlatformError(403, "AUTH-02", "Réservé aux opérateurs.", "Operators only.")
        data = body.model_dump()
        data["services"] = [s.model_dump() for s in body.services]
        return p.create_structure(**data)

    @app.get("/v1/structures", tags=["structures"])
    async def find_structure(p: P, who: C, siret: str = Query(...)) -> dict[str, Any]:
        """Directory look-up of an active structure by SIRET."""
        return p.find_structure(who, siret)

    @app.get("/v1/structures/{structure_id}", tags=["structures"])
    async def get_structure(structure_id: str, p: P, who: C) -> dict[str, Any]:
        p._may_manage(who, structure_id)
        return p.structure(structure_id)

    @app.patch("/v1/structures/{structure_id}", tags=["structures"])
    async def patch_structure(
        structure_id: str, body: StructurePatch, p: P, who: C
    ) -> dict[str, Any]:
        return p.update_structure(who, structure_id, **body.model_dump())

    @app.post("/v1/structures/{structure_id}/services", tags=["structures"], status_code=201)
    async def add_service(structure_id: str, body: ServiceIn, p: P, who: C) -> dict[str, Any]:
        return p.add_service(who, structure_id, **body.model_dump())

    # ---------------------------------------------------------------- invoices
    @app.post(
        "/v1/invoices",
        tags=["invoices"],
        status_code=201,
        openapi_extra={"requestBody": DEPOSIT_REQUEST_BODY},
        responses={
            201: {"description": "accepted: the invoice id and its status"},
            200: {"description": "a ZIP batch: one result per entry"},
            413: {"description": "upload too large (SIZE-01)"},
            422: {"description": "refused, with every failed rule (code, FR and EN message)"},
        },
    )
    async def deposit(request: Request, p: P, who: C) -> JSONResponse:
        """Deposit one document (UBL, CII, Factur-X or plain PDF), or a ZIP batch judged
        entry by entry. The form is parsed by hand (no per-field dependency resolution):
        a deposit is the hot path of the platform."""
        form = await request.form(max_files=1, max_fields=40)
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise PlatformError(422, "FORM-02", "Le champ « file » est obligatoire.",
                                    "The 'file' field is required.")  # fmt: skip
            fields = {k: v for k, v in form.multi_items() if k != "file" and isinstance(v, str)}
            unknown = set(fields) - DEPOSIT_FIELDS - HEADER_FIELDS
            if unknown:
                raise PlatformError(422, "FORM-01", "Champ inconnu.", "Unknown field.",
                                    ", ".join(sorted(unknown)))  # fmt: skip
            header_values = {k: v for k, v in fields.items() if k in HEADER_FIELDS and v != ""}
            try:
                header = PdfHeaderFields(**header_values) if header_values else None
            except ValidationError as err:
                raise PlatformError(
                    422, "FORM-01", "Champ d'en-tête invalide.", "Invalid header field.",
                    "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in err.errors()),
                ) from None  # fmt: skip
            data = await upload.read()
            outcomes = p.deposit(
                who, data, upload.filename or "upload",
                recipient_siret=fields.get("recipient_siret") or None,
                channel=fields.get("channel") or "api",
                billing_framework=fields.get("billing_framework") or None,
                header=header, supplier_siret=fields.get("supplier_siret") or None,
            )  # fmt: skip
        finally:
            await form.close()
        results = [o.as_dict() for o in outcomes]
        if is_zip(data):
            accepted = sum(o.accepted for o in outcomes)
            return JSONResponse(
                {"accepted": accepted, "refused": len(outcomes) - accepted, "results": results}
            )
        return JSONResponse(results[0], status_code=201 if outcomes[0].accepted else 422)

    @app.get("/v1/invoices", tags=["invoices"])
    async def list_invoices(
        p: P,
        who: C,
        number: str | None = None,
        status: StatusCode | None = None,
        deposited_from: date | None = None,
        deposited_to: date | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """The caller's invoices (deposited or received), newest first."""
        return p.list_invoices(
            who, number=number, status=status, deposited_from=deposited_from,
            deposited_to=deposited_to, issued_from=issued_from, issued_to=issued_to,
            limit=limit, offset=offset,
        )  # fmt: skip

    @app.get("/v1/invoices/lookup", tags=["invoices"])
    async def lookup(p: P, who: C, number: str = Query(min_length=1)) -> dict[str, Any]:
        """Virtual assistant: invoice number → recipient, current status and its date."""
        return {"number": number, "matches": p.lookup(who, number)}

    @app.get("/v1/invoices/{invoice_id}", tags=["invoices"])
    async def get_invoice(invoice_id: str, p: P, who: C) -> dict[str, Any]:
        return p.invoice(who, invoice_id)

    @app.get("/v1/invoices/{invoice_id}/history", tags=["invoices"])
    async def history(invoice_id: str, p: P, who: C) -> dict[str, Any]:
        return {"invoice_id": invoice_id, "events": p.history(who, invoice_id)}

    @app.post("/v1/invoices/{invoice_id}/status", tags=["invoices"])
    async def change_status(invoice_id: str, body: StatusChange, p: P, who: C) -> dict[str, Any]:
        """Recipient: move along the lifecycle. Supplier: COMPLETEE, or DEPOSEE to recycle."""
        return p.change_status(who, invoice_id, **body.model_dump())

    # ---------------------------------------------------------------- e-reporting
    @app.post("/v1/ereporting/b2c-sales", tags=["e-reporting"], status_code=201)
    async def b2c_sales(body: B2cSalesIn, p: P, who: C) -> dict[str, Any]:
        """Record one day's B2C sales of one category, per VAT rate (declarant's key)."""
        return p.capture_b2c_sales(
            who, sale_date=body.sale_date, currency_code=body.currency_code,
            category_code=body.category_code, lines=[x.model_dump() for x in body.lines],
        )  # fmt: skip

    @app.post("/v1/ereporting/payments", tags=["e-reporting"], status_code=201)
    async def payment(body: PaymentIn, p: P, who: C) -> dict[str, Any]:
        """Record a receipt per VAT rate: of an international invoice, or of B2C sales."""
        return p.capture_payment(
            who, payment_date=body.payment_date, currency_code=body.currency_code,
            invoice_id=body.invoice_id, lines=[x.model_dump() for x in body.lines],
        )  # fmt: skip

    # ---------------------------------------------------------------- solicitations
    @app.post("/v1/solicitations", tags=["support"], status_code=201)
    async def solicitation(body: SolicitationIn, p: P, who: C) -> dict[str, Any]:
        return p.create_solicitation(who, body.category, body.channel, body.invoice_id)

    return app


class _Unauthorized(Exception):
    pass
