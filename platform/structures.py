"""Structures (public entities and suppliers), their services, users and API keys."""

from __future__ import annotations

import sqlite3
from typing import Any

from vigie.platform.contracts import landing as L
from vigie.platform.contracts.api import ServiceOut, StructureCreated, StructureOut
from vigie.platform.errors import PlatformError, not_found
from vigie.platform.identifiers import siret_problem
from vigie.platform.reference import LEGAL_DELAY_DAYS
from vigie.platform.store import Caller, Store, new_id, utcnow

#: what a structure's manager or an operator may change
CHANGEABLE = frozenset(
    {
        "name",
        "requires_service_code",
        "requires_engagement_number",
        "reports_payment_status",
        "is_active",
        "legal_payment_delay_days",
        "supplier_size",
    }
)
_FLAGS = (
    "is_public",
    "requires_engagement_number",
    "requires_service_code",
    "reports_payment_status",
    "is_active",
    "vat_on_debits",
)


def may_manage(caller: Caller, structure_id: str) -> None:
    """An operator manages every structure, a structure's key only its own; another
    structure answers 404, as one that does not exist."""
    if not caller.is_operator and caller.structure_id != structure_id:
        raise not_found("Structure")


def structure_record(row: sqlite3.Row) -> L.Structure:
    data = dict(row)
    for flag in _FLAGS:
        data[flag] = bool(data[flag])
    return L.Structure.model_validate(data)


def _service_out(row: sqlite3.Row) -> ServiceOut:
    return ServiceOut(
        id=row["service_id"],
        code=row["service_code"],
        name=row["name"],
        requires_engagement_number=bool(row["requires_engagement_number"]),
        reports_payment_status=bool(row["reports_payment_status"]),
        is_active=bool(row["is_active"]),
    )


class Structures:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
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
    ) -> StructureCreated:
        """Create a structure with its services, its main manager and its API key.

        ``vat_regime`` makes it an e-reporting declarant (it sets the periods of its
        transmissions); ``vat_on_debits``: it opted for VAT on debits.
        """
        problem = siret_problem(siret)
        if problem:
            raise PlatformError(422, "STR-01", "SIRET invalide.", "Invalid SIRET.", problem)
        if public_category is not None and public_category not in LEGAL_DELAY_DAYS:
            raise PlatformError(
                422,
                "STR-02",
                "Catégorie publique inconnue.",
                "Unknown public category.",
                f"{public_category} (one of {', '.join(LEGAL_DELAY_DAYS)})",
            )
        is_public = public_category is not None
        if public_category is not None and legal_payment_delay_days is None:
            legal_payment_delay_days = LEGAL_DELAY_DAYS[public_category]
        now = utcnow()
        record = L.Structure.model_validate(
            {
                "structure_id": new_id("str"),
                "siret": siret,
                "siren": siret[:9],
                "vat_id": vat_id,
                "name": name,
                "country_code": country_code,
                "is_public": is_public,
                "public_category": public_category,
                "legal_payment_delay_days": legal_payment_delay_days if is_public else None,
                "supplier_size": None if is_public else supplier_size,
                "requires_engagement_number": requires_engagement_number,
                "requires_service_code": requires_service_code,
                "reports_payment_status": reports_payment_status,
                "is_active": True,
                "created_at": now,
                "updated_at": now,
                "vat_regime": vat_regime,
                "vat_on_debits": vat_on_debits,
            }
        )
        try:
            with self.store.write() as con:
                self.store.save(con, record)
                user = L.User(
                    user_id=new_id("usr"),
                    structure_id=record.structure_id,
                    role="main_manager",
                    created_at=now,
                )
                self.store.save(con, user)
                for service in services or []:
                    self._add_service(con, record.structure_id, **service)
                api_key = self.store.add_api_key(con, "structure", record.structure_id, name)
        except sqlite3.IntegrityError as err:
            if "siret" in str(err):
                raise PlatformError(
                    409,
                    "STR-03",
                    "Une structure porte déjà ce SIRET.",
                    "A structure already has this SIRET.",
                    siret,
                ) from None
            raise
        created = self.get(record.structure_id)
        return StructureCreated(**created.model_dump(), api_key=api_key)

    def update(self, caller: Caller, structure_id: str, **changes: Any) -> StructureOut:
        """Change a structure's settings (name, flags, activity); operator or the structure."""
        may_manage(caller, structure_id)
        changes = {k: v for k, v in changes.items() if v is not None and k in CHANGEABLE}
        with self.store.write() as con:
            row = con.execute(
                "select * from structures where structure_id = ?", (structure_id,)
            ).fetchone()
            if row is None:
                raise not_found("Structure")
            current = structure_record(row)
            updated = L.Structure.model_validate(
                {**current.model_dump(), **changes, "updated_at": utcnow()}
            )
            self.store.save(con, updated, replace_on="structure_id")
        return self.get(structure_id)

    def add_service(self, caller: Caller, structure_id: str, **service: Any) -> ServiceOut:
        may_manage(caller, structure_id)
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
                409,
                "STR-04",
                "Ce code service existe déjà pour la structure.",
                "This service code already exists for the structure.",
                service.get("code"),
            ) from None
        row = self.store.read_one("select * from services where service_id = ?", (service_id,))
        assert row is not None
        return _service_out(row)

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
            service_id=new_id("svc"),
            structure_id=structure_id,
            service_code=code,
            name=name or code,
            requires_engagement_number=requires_engagement_number,
            reports_payment_status=reports_payment_status,
            is_active=is_active,
            created_at=now,
            updated_at=now,
        )
        self.store.save(con, record)
        return record.service_id

    def get(self, structure_id: str) -> StructureOut:
        row = self.store.read_one(
            "select * from structures where structure_id = ?", (structure_id,)
        )
        if row is None:
            raise not_found("Structure")
        services = self.store.read(
            "select * from services where structure_id = ? order by service_code", (structure_id,)
        )
        return StructureOut(
            id=row["structure_id"],
            siret=row["siret"],
            siren=row["siren"],
            name=row["name"],
            is_public=bool(row["is_public"]),
            public_category=row["public_category"],
            legal_payment_delay_days=row["legal_payment_delay_days"],
            requires_service_code=bool(row["requires_service_code"]),
            requires_engagement_number=bool(row["requires_engagement_number"]),
            reports_payment_status=bool(row["reports_payment_status"]),
            is_active=bool(row["is_active"]),
            created_at=row["created_at"],
            services=[_service_out(s) for s in services],
        )

    def visible(self, caller: Caller, structure_id: str) -> StructureOut:
        """A structure as its manager or an operator sees it."""
        may_manage(caller, structure_id)
        return self.get(structure_id)

    def find(self, siret: str) -> StructureOut:
        """The directory look-up: any key may find an active structure by SIRET."""
        row = self.store.read_one(
            "select structure_id from structures where siret = ? and is_active = 1", (siret,)
        )
        if row is None:
            raise not_found("Structure")
        return self.get(row["structure_id"])
