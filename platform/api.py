"""The platform's HTTP API (FastAPI). Every route lives under ``/v1``.

Authentication: ``Authorization: Bearer <api key>``. A structure's key sees the invoices it
deposited (supplier) and those addressed to it (recipient); an operator's key sees
everything and manages structures. An invoice the caller may not see answers 404, exactly
as one that does not exist.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from importlib.metadata import version
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigie.platform.contracts.api import (
    B2cSalesIn,
    B2cSalesRecorded,
    DepositAccepted,
    DepositBatch,
    DepositForm,
    DepositRefused,
    Health,
    History,
    InvoiceDetail,
    InvoicePage,
    Lookup,
    PaymentIn,
    PaymentRecorded,
    Recycled,
    ServiceIn,
    ServiceOut,
    SolicitationIn,
    SolicitationOut,
    StatusChange,
    StatusChanged,
    StructureCreated,
    StructureIn,
    StructureOut,
    StructurePatch,
)
from vigie.platform.contracts.types import StatusCode
from vigie.platform.deposits import DepositOutcome
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


def _deposit_schema() -> dict[str, Any]:
    schema = DepositForm.model_json_schema()
    schema["properties"]["file"] = {
        "type": "string",
        "format": "binary",
        "description": DepositForm.model_fields["file"].description,
    }
    return schema


DEPOSIT_REQUEST_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": _deposit_schema()}},
}
HEADER_FIELDS = frozenset(PdfHeaderFields.model_fields)
DEPOSIT_FIELDS = frozenset({"recipient_siret", "channel", "billing_framework", "supplier_siret"})


class BodyLimit:
    """Refuse request bodies above ``max_bytes`` (413) without reading them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await _too_large(send)
        received = 0

        async def limited() -> Message:
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


async def _too_large(send: Send) -> None:
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


class _Unauthorized(Exception):
    pass


# async dependencies: a sync one would hop to the thread pool on every request
async def _platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


async def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    found: Caller | None = None
    if credentials is not None:
        found = request.app.state.platform.store.caller(credentials.credentials)
    if found is None:
        raise _Unauthorized
    return found


P = Annotated[Platform, Depends(_platform)]
C = Annotated[Caller, Depends(_caller)]

v1 = APIRouter(prefix="/v1")


@v1.get("/health", tags=["system"])
def health(request: Request) -> Health:
    home = request.app.state.platform.settings.home
    return Health(status="ok", version=version("vigie"), vigie_home=str(home))


# ---------------------------------------------------------------- structures
@v1.post("/structures", tags=["structures"], status_code=201)
async def create_structure(body: StructureIn, p: P, who: C) -> StructureCreated:
    """Create a structure (operator key): returns its id and its API key."""
    if not who.is_operator:
        raise PlatformError(403, "AUTH-02", "Réservé aux opérateurs.", "Operators only.")
    data = body.model_dump()
    data["services"] = [s.model_dump() for s in body.services]
    return p.create_structure(**data)


@v1.get("/structures", tags=["structures"])
async def find_structure(p: P, who: C, siret: str = Query(...)) -> StructureOut:
    """Directory look-up of an active structure by SIRET."""
    return p.find_structure(siret)


@v1.get("/structures/{structure_id}", tags=["structures"])
async def get_structure(structure_id: str, p: P, who: C) -> StructureOut:
    return p.structure(who, structure_id)


@v1.patch("/structures/{structure_id}", tags=["structures"])
async def patch_structure(structure_id: str, body: StructurePatch, p: P, who: C) -> StructureOut:
    return p.update_structure(who, structure_id, **body.model_dump())


@v1.post("/structures/{structure_id}/services", tags=["structures"], status_code=201)
async def add_service(structure_id: str, body: ServiceIn, p: P, who: C) -> ServiceOut:
    return p.add_service(who, structure_id, **body.model_dump())


# ---------------------------------------------------------------- invoices
async def _deposit_form(
    request: Request, p: Platform, who: Caller
) -> tuple[bool, list[DepositOutcome]]:
    """Read the multipart form of a deposit and deposit its file: (a ZIP batch, outcomes)."""
    form = await request.form(max_files=1, max_fields=40)
    try:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise PlatformError(
                422,
                "FORM-02",
                "Le champ « file » est obligatoire.",
                "The 'file' field is required.",
            )
        fields = {k: v for k, v in form.multi_items() if k != "file" and isinstance(v, str)}
        unknown = set(fields) - DEPOSIT_FIELDS - HEADER_FIELDS
        if unknown:
            raise PlatformError(
                422, "FORM-01", "Champ inconnu.", "Unknown field.", ", ".join(sorted(unknown))
            )
        header_values = {k: v for k, v in fields.items() if k in HEADER_FIELDS and v != ""}
        try:
            header = PdfHeaderFields(**header_values) if header_values else None
        except ValidationError as err:
            raise PlatformError(
                422,
                "FORM-01",
                "Champ d'en-tête invalide.",
                "Invalid header field.",
                "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in err.errors()),
            ) from None
        data = await upload.read()
        outcomes = p.deposit(
            who,
            data,
            upload.filename or "upload",
            recipient_siret=fields.get("recipient_siret") or None,
            channel=fields.get("channel") or "api",
            billing_framework=fields.get("billing_framework") or None,
            header=header,
            supplier_siret=fields.get("supplier_siret") or None,
        )
    finally:
        await form.close()
    return is_zip(data), outcomes


@v1.post(
    "/invoices",
    tags=["invoices"],
    status_code=201,
    openapi_extra={"requestBody": DEPOSIT_REQUEST_BODY},
    response_model=DepositAccepted,
    responses={
        201: {"description": "accepted: the invoice id and its status"},
        200: {"description": "a ZIP batch: one result per entry", "model": DepositBatch},
        413: {"description": "upload too large (SIZE-01)"},
        422: {
            "description": "refused, with every failed rule (code, FR and EN message)",
            "model": DepositRefused,
        },
    },
)
async def deposit(request: Request, p: P, who: C) -> Response:
    """Deposit one document (UBL, CII, Factur-X or plain PDF), or a ZIP batch judged
    entry by entry. The form is parsed by hand (no per-field dependency resolution):
    a deposit is the hot path of the platform."""
    batch, outcomes = await _deposit_form(request, p, who)
    results = [o.response() for o in outcomes]
    if batch:
        accepted = sum(o.accepted for o in outcomes)
        body = DepositBatch(accepted=accepted, refused=len(outcomes) - accepted, results=results)
        return JSONResponse(body.model_dump(mode="json"))
    status = 201 if outcomes[0].accepted else 422
    return JSONResponse(results[0].model_dump(mode="json"), status_code=status)


@v1.get("/invoices", tags=["invoices"])
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
) -> InvoicePage:
    """The caller's invoices (deposited or received), newest first."""
    return p.list_invoices(
        who,
        number=number,
        status=status,
        deposited_from=deposited_from,
        deposited_to=deposited_to,
        issued_from=issued_from,
        issued_to=issued_to,
        limit=limit,
        offset=offset,
    )


@v1.get("/invoices/lookup", tags=["invoices"])
async def lookup(p: P, who: C, number: str = Query(min_length=1)) -> Lookup:
    """Virtual assistant: invoice number → recipient, current status and its date."""
    return p.lookup(who, number)


@v1.get("/invoices/{invoice_id}", tags=["invoices"])
async def get_invoice(invoice_id: str, p: P, who: C) -> InvoiceDetail:
    return p.invoice(who, invoice_id)


@v1.get("/invoices/{invoice_id}/history", tags=["invoices"])
async def history(invoice_id: str, p: P, who: C) -> History:
    return p.history(who, invoice_id)


@v1.post("/invoices/{invoice_id}/status", tags=["invoices"])
async def change_status(
    invoice_id: str, body: StatusChange, p: P, who: C
) -> StatusChanged | Recycled:
    """Recipient: move along the lifecycle. Supplier: COMPLETEE, or DEPOSEE to recycle."""
    change = body.model_dump()
    return p.change_status(who, invoice_id, change.pop("status"), **change)


# ---------------------------------------------------------------- e-reporting
@v1.post("/ereporting/b2c-sales", tags=["e-reporting"], status_code=201)
async def b2c_sales(body: B2cSalesIn, p: P, who: C) -> B2cSalesRecorded:
    """Record one day's B2C sales of one category, per VAT rate (declarant's key)."""
    return p.capture_b2c_sales(
        who,
        sale_date=body.sale_date,
        currency_code=body.currency_code,
        category_code=body.category_code,
        lines=[x.model_dump() for x in body.lines],
    )


@v1.post("/ereporting/payments", tags=["e-reporting"], status_code=201)
async def payment(body: PaymentIn, p: P, who: C) -> PaymentRecorded:
    """Record a receipt per VAT rate: of an international invoice, or of B2C sales."""
    return p.capture_payment(
        who,
        payment_date=body.payment_date,
        currency_code=body.currency_code,
        invoice_id=body.invoice_id,
        lines=[x.model_dump() for x in body.lines],
    )


# ---------------------------------------------------------------- solicitations
@v1.post("/solicitations", tags=["support"], status_code=201)
async def solicitation(body: SolicitationIn, p: P, who: C) -> SolicitationOut:
    return p.create_solicitation(who, body.category, body.channel, body.invoice_id)


def create_app(settings: Settings | None = None) -> FastAPI:
    resolved = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.platform = Platform(resolved)
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
    limit = min(resolved.max_upload_bytes, MAX_UPLOAD_BYTES)
    app.add_middleware(BodyLimit, max_bytes=limit + MULTIPART_OVERHEAD)

    @app.exception_handler(PlatformError)
    async def platform_error(_request: Request, err: PlatformError) -> JSONResponse:
        return JSONResponse({"error": err.as_dict()}, status_code=err.http_status)

    @app.exception_handler(_Unauthorized)
    async def unauthorized(_request: Request, _err: Exception) -> JSONResponse:
        return JSONResponse(
            {
                "error": {
                    "code": "AUTH-01",
                    "message": "Clé d'API absente ou invalide.",
                    "message_en": "Missing or invalid API key.",
                    "detail": None,
                }
            },
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        """ReDoc from fastapi-offline's copy. Its menu links to Redocly with a logo from
        their CDN: the page's policy allows images from this server only, so the browser
        never asks, and the link is hidden."""
        page = get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{OFFLINE_DOCS}/redoc.standalone.js",
            redoc_favicon_url=f"{OFFLINE_DOCS}/favicon.png",
            with_google_fonts=False,
        )
        html = (
            bytes(page.body)
            .decode()
            .replace("</style>", 'a[href*="redocly.com"] { display: none; }\n    </style>', 1)
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": REDOC_POLICY})

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    app.include_router(v1)
    return app
