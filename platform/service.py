"""The platform's operations: structures, deposits, status changes, look-ups, solicitations.

The HTTP API, the CLI and the EDI inbox sensor all go through :class:`Platform`, so a
deposit is validated, archived, stored and announced in the outbox the same way whatever
its channel. Every write is one SQLite transaction that also writes its outbox events.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, get_args

from vigie.platform import lifecycle
from vigie.platform.contracts import landing as L
from vigie.platform.contracts.invoices import InvoiceDocument
from vigie.platform.contracts.types import BillingFramework
from vigie.platform.document_store import DocumentStore
from vigie.platform.documents.pdf import PdfHeaderFields
from vigie.platform.documents.read import ReadResult, read_documents
from vigie.platform.identifiers import party_identifier, siret_problem
from vigie.platform.paris import PARIS, today_in_paris
from vigie.platform.reference import LEGAL_DELAY_DAYS
from vigie.platform.rules import (
    ALLOWED_VAT_RATES,
    RULES,
    Violation,
    check_document,
    document_warnings,
    violation,
)
from vigie.platform.settings import Settings
from vigie.platform.store import Caller, Store, new_id, utcnow

BILLING_FRAMEWORKS = frozenset(get_args(BillingFramework))
_CENT = Decimal("0.01")


def tune_gc() -> None:
    """Garbage-collector settings of a long-running platform process.

    Long-lived objects (modules, compiled schemas and XPaths) leave the collector's view,
    and young collections run less often: fewer pauses on the deposit path.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


class PlatformError(Exception):
    """A refused operation: HTTP status, stable code, French and English message."""

    def __init__(
        self,
        http_status: int,
        code: str,
        message_fr: str,
        message_en: str,
        detail: str | None = None,
        errors: list[Violation] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message_en}" + (f" ({detail})" if detail else ""))
        self.http_status = http_status
        self.code = code
        self.message_fr = message_fr
        self.message_en = message_en
        self.detail = detail
        self.errors = errors or []

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "message": self.message_fr,
            "message_en": self.message_en,
            "detail": self.detail,
        }
        if self.errors:
            out["errors"] = [e.as_dict() for e in self.errors]
        return out


def not_found(what: str) -> PlatformError:
    return PlatformError(404, "NOT-FOUND", f"{what} introuvable.", f"{what} not found.")


def forbidden(detail: str | None = None) -> PlatformError:
    return PlatformError(
        403, "AUTH-02", "Opération non autorisée pour cette clé.",
        "Operation not allowed for this key.", detail,
    )  # fmt: skip


def _lifecycle_error(decision: lifecycle.Decision) -> PlatformError:
    fr, en = lifecycle.LIFECYCLE_RULES[decision.code]
    return PlatformError(decision.http_status, decision.code, fr, en, decision.detail)


@dataclass
class DepositOutcome:
    """The verdict on one document of a deposit."""

    file: str
    accepted: bool
    invoice_id: str | None = None
    refusal_id: str | None = None
    invoice_number: str | None = None
    syntax: str | None = None
    status: str | None = None
    errors: list[Violation] = field(default_factory=list)
    #: the official artefacts' warnings: shown, recorded with the invoice, not refusing it
    warnings: list[Violation] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "status": "accepted" if self.accepted else "refused",
            "invoice_number": self.invoice_number,
            "syntax": self.syntax,
        }
        if self.accepted:
            out["id"] = self.invoice_id
            out["invoice_status"] = self.status
            out["warnings"] = [w.as_dict() for w in self.warnings]
        else:
            out["refusal_id"] = self.refusal_id
            out["errors"] = [e.as_dict() for e in self.errors]
        return out


def _iso(value: datetime) -> str:
    return value.isoformat()


def _dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_CENT)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def is_foreign_buyer(doc: InvoiceDocument) -> bool:
    """The buyer is a company outside France that the document identifies: an
    international B2B invoice, reported in e-reporting flow 10.1 (never a B2C one)."""
    country = (doc.buyer.country_code or "FR").upper()
    return country != "FR" and not doc.buyer.siret and bool(doc.buyer.vat_id or doc.buyer.name)


def buyer_identifier(doc: InvoiceDocument) -> tuple[str | None, str | None]:
    b = doc.buyer
    return party_identifier(
        siret=b.siret, siren=b.siren, vat_id=b.vat_id, country=b.country_code, name=b.name
    )


def _text(value: str | None, limit: int) -> str | None:
    return None if value is None else value[:limit]


# ---------------------------------------------------------------------- e-reporting captures


def _ereporting_line_errors(
    day: date, currency: str, lines: list[dict[str, Any]], today: date
) -> list[Violation]:
    """The checks shared by B2C sales summaries and payment receipts."""
    errors: list[Violation] = []
    if not (date(2000, 1, 1) <= day <= today):
        errors.append(violation("ER-04", day.isoformat()))
    if currency != "EUR":
        errors.append(violation("ER-07", currency))
    rates = [Decimal(str(line["vat_rate"])) for line in lines]
    if not lines or len(set(rates)) != len(rates):
        errors.append(violation("ER-06", ", ".join(str(r) for r in rates) or "no line"))
    for line, rate in zip(lines, rates, strict=True):
        if rate not in ALLOWED_VAT_RATES:
            errors.append(violation("ER-02", str(rate)))
        for name in ("taxable_amount", "tax_amount", "amount_incl_vat"):
            value = line.get(name)
            if value is not None and Decimal(str(value)).as_tuple().exponent < -2:
                errors.append(violation("ER-05", f"{name} {value}"))
    return errors


class EreportingCaptures:
    """B2C daily sales summaries (flow 10.3) and payment receipts (flows 10.2 and 10.4).

    Mixed into :class:`Platform`; each capture is checked whole, then written in one SQLite
    transaction with its outbox events, or refused with every failing rule.
    """

    store: Store

    def _declarant(self, con: sqlite3.Connection, caller: Caller) -> sqlite3.Row:
        if caller.is_operator:
            raise forbidden("e-reporting data is captured by the declarant's own key")
        row = con.execute(
            "select * from structures where structure_id = ?", (caller.structure_id,)
        ).fetchone()
        if row["vat_regime"] is None:
            raise PlatformError(
                422, "ER-01", RULES["ER-01"].message_fr, RULES["ER-01"].message_en,
                errors=[violation("ER-01", row["siret"])],
            )  # fmt: skip
        return row

    def capture_b2c_sales(
        self,
        caller: Caller,
        *,
        sale_date: date,
        currency_code: str,
        category_code: str,
        lines: list[dict[str, Any]],
    ) -> dict[str, Any]:
        """Record one day's B2C sales of one category, per VAT rate (taxable, VAT, count)."""
        errors = _ereporting_line_errors(sale_date, currency_code, lines, today_in_paris())
        for line in lines:
            expected = Decimal(str(line["taxable_amount"])) * Decimal(str(line["vat_rate"])) / 100
            # VAT is rounded sale by sale: the sum may drift by half a cent per sale
            tolerance = _CENT * max(1, int(line["transaction_count"]))
            if abs(Decimal(str(line["tax_amount"])) - expected) > tolerance:
                errors.append(violation(
                    "ER-03", f"{line['vat_rate']} %: {line['tax_amount']} for"
                    f" {line['taxable_amount']} (expected {expected.quantize(_CENT)})",
                ))  # fmt: skip
        now = utcnow()
        summary_id = new_id("b2c")
        with self.store.write() as con:
            declarant = self._declarant(con, caller)
            if errors:
                raise _capture_refused(errors)
            records = [
                L.B2cSale(
                    summary_id=summary_id,
                    line_number=n,
                    declarant_structure_id=declarant["structure_id"],
                    sale_date=sale_date,
                    currency_code=currency_code,
                    category_code=category_code,
                    transaction_count=line["transaction_count"],
                    vat_rate=Decimal(str(line["vat_rate"])),
                    taxable_amount=Decimal(str(line["taxable_amount"])),
                    tax_amount=Decimal(str(line["tax_amount"])),
                    received_at=now,
                )  # fmt: skip
                for n, line in enumerate(lines, start=1)
            ]
            for r in records:
                con.execute(
                    "insert into b2c_sales values (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        r.summary_id, r.line_number, r.declarant_structure_id,
                        r.sale_date.isoformat(), r.currency_code, r.category_code,
                        r.transaction_count, str(r.vat_rate), str(r.taxable_amount),
                        str(r.tax_amount), _iso(now),
                    ),
                )  # fmt: skip
                self.store.emit(con, r, f"{summary_id}#{r.line_number}")
        return {
            "id": summary_id,
            "sale_date": sale_date.isoformat(),
            "category_code": category_code,
            "currency_code": currency_code,
            "transaction_count": sum(r.transaction_count for r in records),
            "taxable_amount": str(sum(r.taxable_amount for r in records)),
            "tax_amount": str(sum(r.tax_amount for r in records)),
        }

    def capture_payment(
        self,
        caller: Caller,
        *,
        payment_date: date,
        currency_code: str,
        lines: list[dict[str, Any]],
        invoice_id: str | None = None,
    ) -> dict[str, Any]:
        """Record a receipt, per VAT rate (amount incl. VAT): of one international invoice
        of the declarant (10.2), or of the day's B2C sales (10.4) when no invoice is named."""
        errors = _ereporting_line_errors(payment_date, currency_code, lines, today_in_paris())
        now = utcnow()
        with self.store.write() as con:
            declarant = self._declarant(con, caller)
            scope = "B2C"
            if invoice_id is not None:
                invoice = con.execute(
                    "select scope from invoices where invoice_id = ? and supplier_structure_id = ?",
                    (invoice_id, declarant["structure_id"]),
                ).fetchone()
                if invoice is None or invoice["scope"] != "B2Bi":
                    errors.append(violation("ER-08", invoice_id))
                else:
                    scope = "B2Bi"
            if errors:
                raise _capture_refused(errors)
            ids = []
            for line in lines:
                r = L.Payment(
                    payment_id=new_id("pay"), declarant_structure_id=declarant["structure_id"],
                    invoice_id=invoice_id, scope=scope, payment_date=payment_date,
                    currency_code=currency_code, vat_rate=Decimal(str(line["vat_rate"])),
                    amount_incl_vat=Decimal(str(line["amount_incl_vat"])), received_at=now,
                )  # fmt: skip
                con.execute(
                    "insert into payments values (?,?,?,?,?,?,?,?,?)",
                    (
                        r.payment_id, r.declarant_structure_id, invoice_id, scope,
                        payment_date.isoformat(), currency_code, str(r.vat_rate),
                        str(r.amount_incl_vat), _iso(now),
                    ),
                )  # fmt: skip
                self.store.emit(con, r, r.payment_id)
                ids.append(r.payment_id)
        return {
            "ids": ids,
            "invoice_id": invoice_id,
            "scope": scope,
            "payment_date": payment_date.isoformat(),
            "amount_incl_vat": str(sum(Decimal(str(line["amount_incl_vat"])) for line in lines)),
        }


def _capture_refused(errors: list[Violation]) -> PlatformError:
    first = errors[0]
    return PlatformError(
        422, first.code, first.message_fr, first.message_en, first.detail, errors=errors
    )


class Platform(EreportingCaptures):
    """The operational platform over one ``VIGIE_HOME``."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        settings.ensure_dirs()
        self.store = store or Store(settings.platform_db_path)
        self.documents = DocumentStore(settings.documents_dir)

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------------ structures
    def create_structure(
        self,
        *,
        siret: str,
        name: str,
        public_category: str | None = None,
        legal_payment_delay_days: int | None = None,
        supplier_size: str | None = None,
        requires_service_code: bool = False,
        requires_engagement_number: bool = False,
        reports_payment_status: bool = True,
        services: list[dict[str, Any]] | None = None,
        country_code: str = "FR",
        vat_id: str | None = None,
        vat_regime: str | None = None,
        vat_on_debits: bool = False,
    ) -> dict[str, Any]:
        """Create a structure with its services, its main manager and its API key.

        ``vat_regime`` makes it an e-reporting declarant (it sets the periods of its
        transmissions); ``vat_on_debits``: it opted for VAT on debits.
        """
        problem = siret_problem(siret)
        if problem:
            raise PlatformError(422, "STR-01", "SIRET invalide.", "Invalid SIRET.", problem)
        if public_category is not None and public_category not in LEGAL_DELAY_DAYS:
            raise PlatformError(
                422, "STR-02", "Catégorie publique inconnue.", "Unknown public category.",
                f"{public_category} (one of {', '.join(LEGAL_DELAY_DAYS)})",
            )  # fmt: skip
        is_public = public_category is not None
        if is_public and legal_payment_delay_days is None:
            legal_payment_delay_days = LEGAL_DELAY_DAYS[public_category]
        if not is_public:
            legal_payment_delay_days = None
        now = utcnow()
        structure_id = new_id("str")
        record = L.Structure(
            structure_id=structure_id,
            siret=siret,
            siren=siret[:9],
            vat_id=vat_id,
            name=name,
            country_code=country_code,
            is_public=is_public,
            public_category=public_category,
            legal_payment_delay_days=legal_payment_delay_days,
            supplier_size=None if is_public else supplier_size,
            requires_engagement_number=requires_engagement_number,
            requires_service_code=requires_service_code,
            reports_payment_status=reports_payment_status,
            is_active=True,
            created_at=now,
            updated_at=now,
            vat_regime=vat_regime,
            vat_on_debits=vat_on_debits,
        )
        try:
            with self.store.write() as con:
                self._save_structure(con, record, insert=True)
                user = L.User(
                    user_id=new_id("usr"), structure_id=structure_id, role="main_manager",
                    created_at=now,
                )  # fmt: skip
                con.execute(
                    "insert into users values (?,?,?,?)",
                    (user.user_id, structure_id, user.role, _iso(now)),
                )
                self.store.emit(con, user, user.user_id)
                for service in services or []:
                    self._add_service(con, structure_id, **service)
                api_key = self.store.add_api_key(con, "structure", structure_id, name)
        except sqlite3.IntegrityError as err:
            if "siret" in str(err):
                raise PlatformError(
                    409, "STR-03", "Une structure porte déjà ce SIRET.",
                    "A structure already has this SIRET.", siret,
                ) from None  # fmt: skip
            raise
        return {**self.structure(structure_id), "api_key": api_key}

    def _save_structure(self, con: sqlite3.Connection, s: L.Structure, insert: bool) -> None:
        values = (
            s.siret, s.siren, s.vat_id, s.name, s.country_code, int(s.is_public),
            s.public_category, s.legal_payment_delay_days, s.supplier_size,
            int(s.requires_engagement_number), int(s.requires_service_code),
            int(s.reports_payment_status), int(s.is_active), _iso(s.created_at),
            _iso(s.updated_at), s.vat_regime, int(s.vat_on_debits),
        )  # fmt: skip
        if insert:
            con.execute(
                "insert into structures (siret, siren, vat_id, name, country_code, is_public,"
                " public_category, legal_payment_delay_days, supplier_size,"
                " requires_engagement_number, requires_service_code, reports_payment_status,"
                " is_active, created_at, updated_at, vat_regime, vat_on_debits, structure_id)"
                " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*values, s.structure_id),
            )
        else:
            con.execute(
                "update structures set siret=?, siren=?, vat_id=?, name=?, country_code=?,"
                " is_public=?, public_category=?, legal_payment_delay_days=?, supplier_size=?,"
                " requires_engagement_number=?, requires_service_code=?,"
                " reports_payment_status=?, is_active=?, created_at=?, updated_at=?,"
                " vat_regime=?, vat_on_debits=? where structure_id=?",
                (*values, s.structure_id),
            )
        self.store.emit(con, s, s.structure_id)

    def update_structure(self, caller: Caller, structure_id: str, **changes: Any) -> dict:
        """Change a structure's settings (name, flags, activity); operator or the structure."""
        self._may_manage(caller, structure_id)
        allowed = {
            "name", "requires_service_code", "requires_engagement_number",
            "reports_payment_status", "is_active", "legal_payment_delay_days", "supplier_size",
        }  # fmt: skip
        changes = {k: v for k, v in changes.items() if v is not None and k in allowed}
        with self.store.write() as con:
            row = con.execute(
                "select * from structures where structure_id = ?", (structure_id,)
            ).fetchone()
            if row is None:
                raise not_found("Structure")
            current = self._structure_record(row)
            updated = current.model_copy(update={**changes, "updated_at": utcnow()})
            updated = L.Structure.model_validate(updated.model_dump())
            self._save_structure(con, updated, insert=False)
        return self.structure(structure_id)

    @staticmethod
    def _structure_record(row: sqlite3.Row) -> L.Structure:
        data = dict(row)
        for flag in (
            "is_public", "requires_engagement_number", "requires_service_code",
            "reports_payment_status", "is_active",
        ):  # fmt: skip
            data[flag] = bool(data[flag])
        return L.Structure.model_validate(data)

    def add_service(self, caller: Caller, structure_id: str, **service: Any) -> dict:
        self._may_manage(caller, structure_id)
        if (
            self.store.read_one("select 1 from structures where structure_id = ?", (structure_id,))
            is None
        ):
            raise not_found("Structure")
        try:
            with self.store.write() as con:
                service_id = self._add_service(con, structure_id, **service)
        except sqlite3.IntegrityError:
            raise PlatformError(
                409, "STR-04", "Ce code service existe déjà pour la structure.",
                "This service code already exists for the structure.", service.get("code"),
            ) from None  # fmt: skip
        return self._service_dict(
            self.store.read_one("select * from services where service_id = ?", (service_id,))
        )

    def _add_service(
        self,
        con: sqlite3.Connection,
        structure_id: str,
        code: str,
        name: str | None = None,
        requires_engagement_number: bool = False,
        reports_payment_status: bool = True,
        is_active: bool = True,
    ) -> str:
        now = utcnow()
        record = L.Service(
            service_id=new_id("svc"), structure_id=structure_id, service_code=code,
            name=name or code, requires_engagement_number=requires_engagement_number,
            reports_payment_status=reports_payment_status, is_active=is_active,
            created_at=now, updated_at=now,
        )  # fmt: skip
        con.execute(
            "insert into services values (?,?,?,?,?,?,?,?,?)",
            (
                record.service_id, structure_id, code, record.name,
                int(requires_engagement_number), int(reports_payment_status), int(is_active),
                _iso(now), _iso(now),
            ),
        )  # fmt: skip
        self.store.emit(con, record, record.service_id)
        return record.service_id

    def _may_manage(self, caller: Caller, structure_id: str) -> None:
        if not caller.is_operator and caller.structure_id != structure_id:
            raise not_found("Structure")

    @staticmethod
    def _service_dict(row: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": row["service_id"],
            "code": row["service_code"],
            "name": row["name"],
            "requires_engagement_number": bool(row["requires_engagement_number"]),
            "reports_payment_status": bool(row["reports_payment_status"]),
            "is_active": bool(row["is_active"]),
        }

    def structure(self, structure_id: str) -> dict[str, Any]:
        row = self.store.read_one("select * from structures where structure_id = ?",
                                  (structure_id,))  # fmt: skip
        if row is None:
            raise not_found("Structure")
        services = self.store.read(
            "select * from services where structure_id = ? order by service_code", (structure_id,)
        )
        return {
            "id": row["structure_id"],
            "siret": row["siret"],
            "siren": row["siren"],
            "name": row["name"],
            "is_public": bool(row["is_public"]),
            "public_category": row["public_category"],
            "legal_payment_delay_days": row["legal_payment_delay_days"],
            "requires_service_code": bool(row["requires_service_code"]),
            "requires_engagement_number": bool(row["requires_engagement_number"]),
            "reports_payment_status": bool(row["reports_payment_status"]),
            "is_active": bool(row["is_active"]),
            "created_at": row["created_at"],
            "services": [self._service_dict(s) for s in services],
        }

    def find_structure(self, caller: Caller, siret: str) -> dict[str, Any]:
        """The directory look-up: any key may find an active structure by SIRET."""
        row = self.store.read_one(
            "select structure_id from structures where siret = ? and is_active = 1", (siret,)
        )
        if row is None:
            raise not_found("Structure")
        return self.structure(row["structure_id"])

    # ------------------------------------------------------------------ deposits
    def deposit(
        self,
        caller: Caller,
        data: bytes,
        file_name: str,
        *,
        recipient_siret: str | None = None,
        channel: str = "api",
        billing_framework: str | None = None,
        header: PdfHeaderFields | None = None,
        supplier_siret: str | None = None,
    ) -> list[DepositOutcome]:
        """Judge and store every document of one upload; one outcome per document."""
        supplier_id = self._depositing_supplier(caller, supplier_siret)
        if channel not in ("api", "portal", "edi"):
            raise PlatformError(422, "DEP-01", "Canal inconnu.", "Unknown channel.", channel)
        if billing_framework is not None and billing_framework not in BILLING_FRAMEWORKS:
            raise PlatformError(
                422, "DEP-02", "Cadre de facturation inconnu.", "Unknown billing framework.",
                billing_framework,
            )  # fmt: skip
        return [
            self._deposit_one(supplier_id, result, recipient_siret, channel, billing_framework)
            for result in read_documents(data, file_name, header)
        ]

    def _depositing_supplier(self, caller: Caller, supplier_siret: str | None) -> str:
        if not caller.is_operator:
            return caller.structure_id
        if not supplier_siret:
            raise PlatformError(
                422, "DEP-03", "Un opérateur doit préciser le SIRET du fournisseur.",
                "An operator must give the supplier SIRET.",
            )  # fmt: skip
        row = self.store.read_one(
            "select structure_id from structures where siret = ?", (supplier_siret,)
        )
        if row is None:
            raise not_found("Structure")
        return row["structure_id"]

    def _deposit_one(
        self,
        supplier_id: str,
        result: ReadResult,
        recipient_siret: str | None,
        channel: str,
        billing_framework: str | None,
    ) -> DepositOutcome:
        with self.store.write() as con:
            return self.deposit_in(
                con, supplier_id, result, recipient_siret, channel, billing_framework, utcnow()
            )

    def deposit_in(
        self,
        con: sqlite3.Connection,
        supplier_id: str,
        result: ReadResult,
        recipient_siret: str | None,
        channel: str,
        billing_framework: str | None,
        now: datetime,
        *,
        record_refusal: bool = True,
    ) -> DepositOutcome:
        """Judge one document and store it as deposited at ``now``, inside the caller's
        transaction (a deposit's own, or a whole history import's)."""
        doc = result.document
        if result.error is not None:
            errors = [violation(result.error.code, result.error.detail)]
        else:
            errors = check_document(doc)
        outcome = DepositOutcome(
            file=result.name,
            accepted=False,
            invoice_number=doc.invoice_number if doc else None,
            syntax=doc.syntax if doc else None,
        )
        if not errors:
            routing, errors = self._route(con, supplier_id, doc, recipient_siret)
        if errors:
            outcome.errors = errors
            if record_refusal:
                outcome.refusal_id = self._refuse(
                    con, supplier_id, doc, recipient_siret, channel, result.name, errors, now
                )
            return outcome
        sha, created = self.documents.put(result.data)
        try:
            invoice_id = self._insert_invoice(
                con, supplier_id, doc, routing, channel, billing_framework, sha, result.name, now
            )
            warnings = document_warnings(doc)
            if warnings:
                con.execute(
                    "insert into invoice_warnings values (?, ?)",
                    (invoice_id, json.dumps([w.as_dict() for w in warnings], ensure_ascii=False)),
                )
        except BaseException:
            if created:
                self.documents.remove(sha)
            raise
        outcome.warnings = warnings
        outcome.accepted = True
        outcome.invoice_id = invoice_id
        outcome.status = "MISE_A_DISPOSITION"
        return outcome

    def _route(
        self,
        con: sqlite3.Connection,
        supplier_id: str,
        doc: InvoiceDocument,
        recipient_siret: str | None,
        exclude_invoice_id: str | None = None,
    ) -> tuple[dict[str, Any], list[Violation]]:
        """Find the recipient and check its routing requirements and duplicates."""
        errors: list[Violation] = []
        recipient = None
        if doc.buyer.siret:
            recipient = con.execute(
                "select * from structures where siret = ?", (doc.buyer.siret,)
            ).fetchone()
        if recipient is None and recipient_siret:
            problem = siret_problem(recipient_siret)
            if problem:
                return {}, [violation("REG-08", f"{recipient_siret}: {problem}")]
            recipient = con.execute(
                "select * from structures where siret = ?", (recipient_siret,)
            ).fetchone()
            if recipient is None:
                return {}, [violation("REG-01", recipient_siret)]
        if (
            recipient is None
            and not recipient_siret
            and is_foreign_buyer(doc)
            and self._is_declarant(con, supplier_id)
        ):
            # an international B2B invoice (B2Bi) of an e-reporting declarant: no recipient
            # on the platform, recorded for e-reporting (flow 10.1)
            return {"recipient": None, "service_code": None, "engagement_number": None}, (
                self._duplicates(con, supplier_id, doc, exclude_invoice_id)
            )
        if recipient is None:
            given = doc.buyer.siret or "none"
            return {}, [violation("REG-07", f"document buyer SIRET: {given}")]
        if not recipient["is_active"]:
            errors.append(violation("REG-02", recipient["siret"]))
        service_code = doc.buyer_reference
        service = None
        if service_code:
            service = con.execute(
                "select * from services where structure_id = ? and service_code = ?",
                (recipient["structure_id"], service_code),
            ).fetchone()
        if recipient["requires_service_code"]:
            if not service_code:
                errors.append(violation("REG-03"))
            elif service is None or not service["is_active"]:
                errors.append(violation("REG-04", service_code))
        needs_engagement = recipient["requires_engagement_number"] or (
            service is not None and service["requires_engagement_number"]
        )
        if needs_engagement and not doc.purchase_order_ref:
            errors.append(violation("REG-05"))
        errors += self._duplicates(con, supplier_id, doc, exclude_invoice_id)
        return {
            "recipient": recipient,
            "service_code": service_code if service is not None else None,
            "engagement_number": doc.purchase_order_ref,
        }, errors

    @staticmethod
    def _is_declarant(con: sqlite3.Connection, structure_id: str) -> bool:
        row = con.execute(
            "select vat_regime from structures where structure_id = ?", (structure_id,)
        ).fetchone()
        return row is not None and row["vat_regime"] is not None

    @staticmethod
    def _duplicates(con, supplier_id, doc, exclude_invoice_id) -> list[Violation]:
        """REG-06: one invoice number per supplier and year of issue (G1.42)."""
        duplicate = con.execute(
            "select invoice_id from invoices where supplier_structure_id = ?"
            " and invoice_number = ? and issue_year = ? and invoice_id is not ?",
            (supplier_id, doc.invoice_number, doc.issue_date.year, exclude_invoice_id),
        ).fetchone()
        if duplicate is not None:
            return [violation("REG-06", f"{doc.invoice_number} ({doc.issue_date.year})")]
        return []

    def _refuse(self, con, supplier_id, doc, recipient_siret, channel, file_name, errors, now):
        refusal = L.DepositRefusal(
            refusal_id=new_id("ref"),
            supplier_structure_id=supplier_id,
            recipient_siret=(
                recipient_siret
                if recipient_siret and siret_problem(recipient_siret) is None
                else (doc.buyer.siret if doc else None)
            ),
            invoice_number=_text(doc.invoice_number, 40) if doc else None,
            channel=channel,
            syntax=doc.syntax if doc else None,
            refused_at=now,
            rule_code=errors[0].code,
            rule_codes=",".join(dict.fromkeys(e.code for e in errors))[:500],
        )
        con.execute(
            "insert into deposit_refusals values (?,?,?,?,?,?,?,?,?,?)",
            (
                refusal.refusal_id, supplier_id, refusal.recipient_siret, refusal.invoice_number,
                channel, refusal.syntax, file_name[:200], _iso(now), refusal.rule_code,
                json.dumps([e.as_dict() for e in errors], ensure_ascii=False),
            ),
        )  # fmt: skip
        self.store.emit(con, refusal, refusal.refusal_id)
        return refusal.refusal_id

    def _insert_invoice(
        self, con, supplier_id, doc: InvoiceDocument, routing, channel, framework, sha, name, now
    ) -> str:
        recipient = routing["recipient"]
        framework = framework or (
            doc.business_process if doc.business_process in BILLING_FRAMEWORKS else "A1"
        )
        nature = {"B": "goods", "S": "services", "M": "mixed"}.get(framework[0])
        if recipient is None:
            scope = "B2Bi"
        elif recipient["is_public"]:
            scope = "B2G"
        elif (doc.buyer.country_code or "FR") == "FR":
            scope = "B2B"
        else:
            scope = "B2Bi"
        buyer_id, buyer_scheme = buyer_identifier(doc)
        invoice = L.Invoice(
            invoice_id=new_id("inv"),
            invoice_number=doc.invoice_number,
            type_code=doc.type_code,
            supplier_structure_id=supplier_id,
            recipient_structure_id=recipient["structure_id"] if recipient else None,
            service_code=routing["service_code"],
            engagement_number=_text(routing["engagement_number"], 500),
            billing_framework=framework,
            channel=channel,
            syntax=doc.syntax,
            scope=scope,
            goods_services_nature=nature,
            issue_date=doc.issue_date,
            deposited_at=now,
            currency_code=doc.currency,
            total_excl_vat=_dec(doc.total_without_vat),
            total_vat=_dec(doc.total_vat) if doc.total_vat is not None else Decimal("0.00"),
            total_incl_vat=_dec(doc.total_with_vat),
            amount_due=_dec(doc.amount_due),
            line_count=doc.line_count,
            original_invoice_number=_text(doc.preceding_invoice_ref, 500),
            document_sha256=sha,
            updated_at=now,
            buyer_identifier=buyer_id,
            buyer_identifier_scheme=buyer_scheme,
            buyer_vat_id=_text(doc.buyer.vat_id, 40),
            buyer_country_code=doc.buyer.country_code,
            buyer_name=_text(doc.buyer.name, 500),
            due_date=doc.due_date,
            delivery_date=doc.delivery_date,
        )
        i = invoice
        status = "DEPOSEE" if recipient is None else "MISE_A_DISPOSITION"
        con.execute(
            "insert into invoices (invoice_id, invoice_number, issue_year, type_code,"
            " supplier_structure_id, recipient_structure_id, service_code, engagement_number,"
            " billing_framework, channel, syntax, scope, goods_services_nature, issue_date,"
            " deposited_at, currency_code, total_excl_vat, total_vat, total_incl_vat,"
            " amount_due, line_count, original_invoice_number, document_sha256, file_name,"
            " status, status_at, buyer_identifier, buyer_identifier_scheme, buyer_vat_id,"
            " buyer_country_code, buyer_name, due_date, delivery_date)"
            " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                i.invoice_id, i.invoice_number, i.issue_date.year, i.type_code, supplier_id,
                i.recipient_structure_id, i.service_code, i.engagement_number,
                i.billing_framework, channel, i.syntax, scope, nature, i.issue_date.isoformat(),
                _iso(now), i.currency_code, str(i.total_excl_vat), str(i.total_vat),
                str(i.total_incl_vat), str(i.amount_due), i.line_count,
                i.original_invoice_number, sha, name[:200], status, _iso(now),
                i.buyer_identifier, i.buyer_identifier_scheme, i.buyer_vat_id,
                i.buyer_country_code, i.buyer_name, _day(i.due_date), _day(i.delivery_date),
            ),
        )  # fmt: skip
        self.store.emit(con, invoice, i.invoice_id)
        for n, line in enumerate(doc.vat_breakdown, start=1):
            vat = L.InvoiceVatLine(
                invoice_id=i.invoice_id, line_number=n, deposited_at=now,
                vat_category_code=line.category or "S", vat_rate=_dec(line.rate),
                taxable_amount=_dec(line.taxable) or Decimal("0.00"),
                tax_amount=_dec(line.tax) or Decimal("0.00"),
                exemption_reason=_text(line.exemption_reason, 500),
                exemption_reason_code=_text(line.exemption_reason_code, 40),
            )  # fmt: skip
            con.execute(
                "insert into invoice_vat_lines (invoice_id, line_number, vat_category_code,"
                " vat_rate, taxable_amount, tax_amount, exemption_reason, exemption_reason_code)"
                " values (?,?,?,?,?,?,?,?)",
                (
                    i.invoice_id, n, vat.vat_category_code,
                    None if vat.vat_rate is None else str(vat.vat_rate),
                    str(vat.taxable_amount), str(vat.tax_amount), vat.exemption_reason,
                    vat.exemption_reason_code,
                ),
            )  # fmt: skip
            self.store.emit(con, vat, f"{i.invoice_id}#{n}")
        if recipient is None:
            self._event(con, i.invoice_id, "DEPOSEE", now, "platform", None)
            return i.invoice_id
        self._event(con, i.invoice_id, "DEPOSEE", now, "platform", None)
        self._event(con, i.invoice_id, "MISE_A_DISPOSITION", now, "platform", None)
        return i.invoice_id

    def _event(
        self,
        con: sqlite3.Connection,
        invoice_id: str,
        status: str,
        at: datetime,
        actor_role: str,
        actor_structure_id: str | None,
        *,
        reason: str | None = None,
        comment: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
        out_of_order: bool = False,
    ) -> str:
        event = L.InvoiceStatusEvent(
            event_id=new_id("evt"), invoice_id=invoice_id, status_code=status, occurred_at=at,
            actor_role=actor_role, reason_code=reason, comment=comment,
            payment_date=payment_date, payment_amount=payment_amount,
        )  # fmt: skip
        con.execute(
            "insert into invoice_status_events values (?,?,?,?,?,?,?,?,?,?,?)",
            (
                event.event_id, invoice_id, status, _iso(at), actor_role, actor_structure_id,
                reason, comment, payment_date.isoformat() if payment_date else None,
                None if payment_amount is None else str(payment_amount), int(out_of_order),
            ),
        )  # fmt: skip
        self.store.emit(con, event, event.event_id)
        return event.event_id

    # ------------------------------------------------------------------ lifecycle
    def _visible_invoice(self, caller: Caller, invoice_id: str) -> sqlite3.Row:
        row = self.store.read_one("select * from invoices where invoice_id = ?", (invoice_id,))
        if row is None or not self._sees(caller, row):
            raise not_found("Facture")  # same answer whether it exists or not
        return row

    @staticmethod
    def _sees(caller: Caller, row: sqlite3.Row) -> bool:
        return caller.is_operator or caller.structure_id in (
            row["supplier_structure_id"],
            row["recipient_structure_id"],
        )

    def change_status(
        self,
        caller: Caller,
        invoice_id: str,
        status: str,
        *,
        reason: str | None = None,
        comment: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
        occurred_at: datetime | None = None,
        actor: str | None = None,
        recipient_siret: str | None = None,
        service_code: str | None = None,
        engagement_number: str | None = None,
    ) -> dict[str, Any]:
        """Move an invoice along its lifecycle (recipient), complete or recycle it (supplier)."""
        row = self._visible_invoice(caller, invoice_id)
        if caller.is_operator:
            role = "platform"
        elif caller.structure_id == row["recipient_structure_id"]:
            role = "recipient"
        else:
            role = "supplier"
        actor_role = {"platform": "platform", "supplier": "supplier"}.get(role, "recipient")
        if role == "recipient" and actor in ("accountant", "helios"):
            actor_role = actor
        now = utcnow()
        at = occurred_at or now
        with self.store.write() as con:
            fresh = con.execute(
                "select * from invoices where invoice_id = ?", (invoice_id,)
            ).fetchone()  # decided on the row as it is now, not as it was read above
            decision = self.check_event(
                con, fresh, status, role, at=at, now=now, reason=reason,
                payment_date=payment_date, payment_amount=payment_amount,
            )  # fmt: skip
            if status == "DEPOSEE":
                return self._recycle(
                    con, caller, fresh, at, comment, recipient_siret, service_code,
                    engagement_number,
                )  # fmt: skip
            event_id = self.record_event(
                con, fresh, status, decision, at=at, actor_role=actor_role,
                actor_structure_id=caller.structure_id, reason=reason, comment=comment,
                payment_date=payment_date, payment_amount=payment_amount,
            )  # fmt: skip
        return {**self.invoice(caller, invoice_id), "event_id": event_id,
                "out_of_order": decision.out_of_order}  # fmt: skip

    def check_event(
        self,
        con: sqlite3.Connection,
        row: sqlite3.Row,
        status: str,
        role: str,
        *,
        at: datetime,
        now: datetime,
        reason: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
    ) -> lifecycle.Decision:
        """Every check a status change passes (raises ``PlatformError``): the lifecycle, the
        data it requires, and time (a payment before receipt or after today in Paris, an
        event before the deposit, in the future, or before the invoice's previous event)."""
        decision = lifecycle.decide(row["status"], status, role)
        if not decision.ok:
            raise _lifecycle_error(decision)
        if status in lifecycle.REASON_REQUIRED and not (reason and reason.strip()):
            raise _lifecycle_error(lifecycle.Decision(False, "LC-03", 422, detail=status))
        if status == "MISE_EN_PAIEMENT" and (payment_date is None or payment_amount is None):
            raise _lifecycle_error(lifecycle.Decision(False, "LC-04", 422))
        deposited_at = datetime.fromisoformat(row["deposited_at"])
        if payment_date is not None:
            received = deposited_at.astimezone(PARIS).date()
            if payment_date < received:
                raise _lifecycle_error(
                    lifecycle.Decision(False, "LC-09", 422, detail=f"{payment_date} < {received}")
                )
            if payment_date > today_in_paris(now):
                raise _lifecycle_error(
                    lifecycle.Decision(False, "LC-10", 422, detail=str(payment_date))
                )
        if at.tzinfo is None or at > now + timedelta(minutes=5) or at < deposited_at:
            raise _lifecycle_error(lifecycle.Decision(False, "LC-06", 422, detail=str(at)))
        (previous_at,) = con.execute(
            "select max(occurred_at) from invoice_status_events where invoice_id = ?",
            (row["invoice_id"],),
        ).fetchone()
        # an accounting status Hélios sends late (out of order) keeps its own older date
        if (
            previous_at is not None
            and not decision.out_of_order
            and at < datetime.fromisoformat(previous_at)
        ):
            raise _lifecycle_error(
                lifecycle.Decision(False, "LC-11", 422, detail=f"{_iso(at)} < {previous_at}")
            )
        return decision

    def record_event(
        self,
        con: sqlite3.Connection,
        row: sqlite3.Row,
        status: str,
        decision: lifecycle.Decision,
        *,
        at: datetime,
        actor_role: str,
        actor_structure_id: str | None,
        reason: str | None = None,
        comment: str | None = None,
        payment_date: date | None = None,
        payment_amount: Decimal | None = None,
    ) -> str:
        """Record a status change that passed :meth:`check_event`; returns its event id."""
        event_id = self._event(
            con, row["invoice_id"], status, at, actor_role, actor_structure_id, reason=reason,
            comment=comment, payment_date=payment_date, payment_amount=_dec(payment_amount),
            out_of_order=decision.out_of_order,
        )  # fmt: skip
        if not decision.out_of_order:
            con.execute(
                "update invoices set status = ?, status_at = ? where invoice_id = ?",
                (status, _iso(at), row["invoice_id"]),
            )
        return event_id

    def _recycle(
        self, con, caller, row, at, comment, recipient_siret, service_code, engagement_number
    ) -> dict[str, Any]:
        if not (recipient_siret or service_code or engagement_number):
            raise _lifecycle_error(lifecycle.Decision(False, "LC-07", 422))
        doc = InvoiceDocument(
            syntax=row["syntax"],
            invoice_number=row["invoice_number"],
            issue_date=date.fromisoformat(row["issue_date"]),
            buyer_reference=service_code or row["service_code"],
            purchase_order_ref=engagement_number or row["engagement_number"],
        )
        current_recipient = con.execute(
            "select siret from structures where structure_id = ?",
            (row["recipient_structure_id"],),
        ).fetchone()
        routing, errors = self._route(
            con, row["supplier_structure_id"], doc,
            recipient_siret or current_recipient["siret"], exclude_invoice_id=row["invoice_id"],
        )  # fmt: skip
        if errors:
            raise PlatformError(
                422, "LC-08", "Le recyclage est refusé : données d'acheminement invalides.",
                "Recycling refused: invalid routing data.", errors=errors,
            )  # fmt: skip
        recipient = routing["recipient"]
        con.execute(
            "update invoices set recipient_structure_id = ?, service_code = ?,"
            " engagement_number = ?, scope = ?, status = 'MISE_A_DISPOSITION', status_at = ?"
            " where invoice_id = ?",
            (
                recipient["structure_id"], routing["service_code"], routing["engagement_number"],
                "B2G" if recipient["is_public"] else row["scope"], _iso(at), row["invoice_id"],
            ),
        )  # fmt: skip
        updated = con.execute(
            "select * from invoices where invoice_id = ?", (row["invoice_id"],)
        ).fetchone()
        self.store.emit(con, self._invoice_record(updated, utcnow()), row["invoice_id"])
        self._event(con, row["invoice_id"], "DEPOSEE", at, "supplier", caller.structure_id,
                    comment=comment)  # fmt: skip
        self._event(con, row["invoice_id"], "MISE_A_DISPOSITION", at, "platform", None)
        return {"id": row["invoice_id"], "status": "MISE_A_DISPOSITION",
                "recipient_siret": recipient["siret"]}  # fmt: skip

    @staticmethod
    def _invoice_record(row: sqlite3.Row, updated_at: datetime) -> L.Invoice:
        data = {k: row[k] for k in L.Invoice.model_fields if k != "updated_at"}
        return L.Invoice.model_validate({**data, "updated_at": updated_at})

    # ------------------------------------------------------------------ reading
    def _invoice_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        parties = {
            r["structure_id"]: r
            for r in self.store.read(
                "select structure_id, siret, name from structures where structure_id in (?, ?)",
                (row["supplier_structure_id"], row["recipient_structure_id"]),
            )
        }

        def party(structure_id):
            p = parties.get(structure_id)
            return None if p is None else {"id": p["structure_id"], "siret": p["siret"],
                                           "name": p["name"]}  # fmt: skip

        return {
            "id": row["invoice_id"],
            "invoice_number": row["invoice_number"],
            "type_code": row["type_code"],
            "issue_date": row["issue_date"],
            "deposited_at": row["deposited_at"],
            "status": row["status"],
            "status_at": row["status_at"],
            "supplier": party(row["supplier_structure_id"]),
            "recipient": party(row["recipient_structure_id"]),
            "service_code": row["service_code"],
            "engagement_number": row["engagement_number"],
            "billing_framework": row["billing_framework"],
            "channel": row["channel"],
            "syntax": row["syntax"],
            "scope": row["scope"],
            "currency": row["currency_code"],
            "total_excl_vat": row["total_excl_vat"],
            "total_vat": row["total_vat"],
            "total_incl_vat": row["total_incl_vat"],
            "amount_due": row["amount_due"],
            "line_count": row["line_count"],
            "document_sha256": row["document_sha256"],
            "vat_breakdown": [
                {
                    "category": v["vat_category_code"],
                    "rate": v["vat_rate"],
                    "taxable": v["taxable_amount"],
                    "tax": v["tax_amount"],
                }
                for v in self.store.read(
                    "select * from invoice_vat_lines where invoice_id = ? order by line_number",
                    (row["invoice_id"],),
                )
            ],  # fmt: skip
        }

    def invoice(self, caller: Caller, invoice_id: str) -> dict[str, Any]:
        out = self._invoice_dict(self._visible_invoice(caller, invoice_id))
        row = self.store.read_one(
            "select warnings from invoice_warnings where invoice_id = ?", (invoice_id,)
        )
        out["warnings"] = json.loads(row["warnings"]) if row else []
        return out

    def history(self, caller: Caller, invoice_id: str) -> list[dict[str, Any]]:
        self._visible_invoice(caller, invoice_id)
        rows = self.store.read(
            "select * from invoice_status_events where invoice_id = ? order by rowid",
            (invoice_id,),
        )
        return [
            {
                "event_id": r["event_id"],
                "status": r["status_code"],
                "occurred_at": r["occurred_at"],
                "actor": r["actor_role"],
                "reason": r["reason_code"],
                "comment": r["comment"],
                "payment_date": r["payment_date"],
                "payment_amount": r["payment_amount"],
                "out_of_order": bool(r["is_out_of_order"]),
            }
            for r in rows
        ]

    def list_invoices(
        self,
        caller: Caller,
        *,
        number: str | None = None,
        status: str | None = None,
        deposited_from: date | None = None,
        deposited_to: date | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """The caller's invoices, newest deposit first, filtered and paginated."""
        where, params = [], []
        if not caller.is_operator:
            where.append("(supplier_structure_id = ? or recipient_structure_id = ?)")
            params += [caller.structure_id, caller.structure_id]
        for clause, value in (
            ("invoice_number = ?", number),
            ("status = ?", status),
            ("deposited_at >= ?", deposited_from and deposited_from.isoformat()),
            ("deposited_at < ?", deposited_to and (deposited_to + timedelta(days=1)).isoformat()),
            ("issue_date >= ?", issued_from and issued_from.isoformat()),
            ("issue_date <= ?", issued_to and issued_to.isoformat()),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql_where = (" where " + " and ".join(where)) if where else ""
        total = self.store.read_one(f"select count(*) as n from invoices{sql_where}", params)["n"]
        rows = self.store.read(
            f"select * from invoices{sql_where} order by deposited_at desc, invoice_id"
            " limit ? offset ?",
            [*params, limit, offset],
        )
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "items": [self._invoice_dict(r) for r in rows],
        }

    def lookup(self, caller: Caller, number: str) -> list[dict[str, Any]]:
        """The virtual assistant's look-up: number → recipient, current status and its date."""
        return [
            {
                "id": inv["id"],
                "invoice_number": inv["invoice_number"],
                "issue_date": inv["issue_date"],
                "recipient": inv["recipient"],
                "status": inv["status"],
                "status_date": inv["status_at"][:10],
                "status_at": inv["status_at"],
            }
            for inv in self.list_invoices(caller, number=number, limit=100)["items"]
        ]

    # ------------------------------------------------------------------ solicitations
    def create_solicitation(
        self, caller: Caller, category: str, channel: str, invoice_id: str | None = None
    ) -> dict[str, Any]:
        if caller.is_operator:
            raise forbidden("support requests are raised by structures")
        if invoice_id is not None:
            self._visible_invoice(caller, invoice_id)
        record = L.Solicitation(
            solicitation_id=new_id("sol"), structure_id=caller.structure_id, category=category,
            channel=channel, invoice_id=invoice_id, created_at=utcnow(),
        )  # fmt: skip
        with self.store.write() as con:
            con.execute(
                "insert into solicitations values (?,?,?,?,?,?)",
                (record.solicitation_id, record.structure_id, category, channel, invoice_id,
                 _iso(record.created_at)),
            )  # fmt: skip
            self.store.emit(con, record, record.solicitation_id)
        return {"id": record.solicitation_id, "category": category, "channel": channel,
                "invoice_id": invoice_id, "created_at": _iso(record.created_at)}  # fmt: skip
