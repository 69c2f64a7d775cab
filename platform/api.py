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

from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vigie.platform.contracts.types import PublicCategory, SolicitationChannel, StatusCode
from vigie.platform.documents.archive import is_zip
from vigie.platform.documents.pdf import PdfHeaderFields
from vigie.platform.documents.read import MAX_UPLOAD_BYTES
from vigie.platform.rules import violation
from vigie.platform.service import Platform, PlatformError
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


_bearer = HTTPBearer(auto_error=False, description="The API key of a structure or an operator")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.platform = Platform(settings)
        yield
        app.state.platform.close()

    app = FastAPI(
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

    def platform(request: Request) -> Platform:
        return request.app.state.platform

    def caller(
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
    @app.post("/v1/invoices", tags=["invoices"], status_code=201,
              responses={422: {"description": "refused, with every failed rule"},
                         200: {"description": "a ZIP batch: one result per entry"}})  # fmt: skip
    async def deposit(
        p: P,
        who: C,
        file: Annotated[UploadFile, File(description="UBL, CII, Factur-X/PDF or ZIP")],
        recipient_siret: Annotated[str | None, Form()] = None,
        channel: Annotated[Literal["api", "portal", "edi"], Form()] = "api",
        billing_framework: Annotated[str | None, Form()] = None,
        supplier_siret: Annotated[str | None, Form(description="operators only")] = None,
        invoice_number: Annotated[str | None, Form(description="plain PDF header")] = None,
        issue_date: Annotated[date | None, Form()] = None,
        type_code: Annotated[str | None, Form()] = None,
        currency: Annotated[str | None, Form()] = None,
        total_excl_vat: Annotated[Decimal | None, Form()] = None,
        total_vat: Annotated[Decimal | None, Form()] = None,
        total_incl_vat: Annotated[Decimal | None, Form()] = None,
        amount_due: Annotated[Decimal | None, Form()] = None,
        vat_rate: Annotated[Decimal | None, Form()] = None,
        service_code: Annotated[str | None, Form()] = None,
        engagement_number: Annotated[str | None, Form()] = None,
    ) -> JSONResponse:
        """Deposit one document, or a ZIP batch judged entry by entry."""
        data = await file.read()
        fields = {
            k: v
            for k, v in dict(
                invoice_number=invoice_number, issue_date=issue_date, type_code=type_code,
                currency=currency, total_excl_vat=total_excl_vat, total_vat=total_vat,
                total_incl_vat=total_incl_vat, amount_due=amount_due, vat_rate=vat_rate,
                service_code=service_code, engagement_number=engagement_number,
            ).items()
            if v is not None
        }  # fmt: skip
        try:
            header = PdfHeaderFields(**fields) if fields else None
        except ValidationError as err:
            raise PlatformError(
                422, "FORM-01", "Champ d'en-tête invalide.", "Invalid header field.",
                "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in err.errors()),
            ) from None  # fmt: skip
        outcomes = p.deposit(
            who, data, file.filename or "upload", recipient_siret=recipient_siret,
            channel=channel, billing_framework=billing_framework, header=header,
            supplier_siret=supplier_siret,
        )  # fmt: skip
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

    # ---------------------------------------------------------------- solicitations
    @app.post("/v1/solicitations", tags=["support"], status_code=201)
    async def solicitation(body: SolicitationIn, p: P, who: C) -> dict[str, Any]:
        return p.create_solicitation(who, body.category, body.channel, body.invoice_id)

    return app


class _Unauthorized(Exception):
    pass
