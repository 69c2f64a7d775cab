"""Who may read what in the dashboards, and the trail of what they read.

A person signs in through an OIDC provider (ProConnect for public agents). Vigie trusts the
provider for *who* they are, and decides *what they may see* itself, from ``dashboard_access``,
a table operators manage (``vigie access grant | revoke | list``):

- a grant names a person by e-mail, or everybody of an organisation by its SIRET (the
  ``siret`` claim ProConnect gives from its userinfo endpoint);
- it gives one role: ``operator`` (everything), ``public_entity`` and ``supplier`` (the
  structures the grant lists, by SIRET), ``tax_administration`` (the e-reporting);
- a revoked grant stays in the table, dated, with who revoked it.

``audit_log`` keeps who read which page with which filters, and every download. It is
append-only: SQLite triggers refuse any update or delete.
"""

from __future__ import annotations

import json
import sqlite3
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vigie.platform.store import Store, new_id

#: the stores (connections) whose access tables are known to exist
_SCHEMA_READY: weakref.WeakSet[Store] = weakref.WeakSet()

ROLES = ("operator", "public_entity", "supplier", "tax_administration")
#: roles that see the structures their grant lists (and nothing of the others)
STRUCTURE_ROLES = ("public_entity", "supplier")
#: when one person holds grants of several roles, the widest wins (they are not merged)
_ROLE_ORDER = {role: i for i, role in enumerate(ROLES)}
PRINCIPAL_KINDS = ("email", "organisation_siret")

SCHEMA = """
create table if not exists dashboard_access (
    access_id text primary key,
    principal_kind text not null check (principal_kind in ('email', 'organisation_siret')),
    principal text not null,
    role text not null
        check (role in ('operator', 'public_entity', 'supplier', 'tax_administration')),
    structure_siret text,
    granted_at text not null,
    granted_by text not null,
    revoked_at text,
    revoked_by text,
    check ((role in ('public_entity', 'supplier')) = (structure_siret is not null))
);
create index if not exists dashboard_access_principal
    on dashboard_access (principal_kind, principal);
create table if not exists audit_log (
    entry_id integer primary key,
    at text not null,
    who text not null,
    role text,
    action text not null,
    page text,
    detail text not null
);
create trigger if not exists audit_log_is_append_only_update before update on audit_log
begin select raise(abort, 'audit_log is append-only'); end;
create trigger if not exists audit_log_is_append_only_delete before delete on audit_log
begin select raise(abort, 'audit_log is append-only'); end;
"""


class AccessError(ValueError):
    """A grant or a revocation that cannot be made, in words for the operator."""


@dataclass(frozen=True)
class Access:
    """What one signed-in person may see: their role, and for a structure role the SIRETs
    of their structures."""

    who: str
    role: str
    sirets: frozenset[str] = field(default_factory=frozenset)
    name: str = ""

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"


def ensure_schema(store: Store) -> None:
    """Create the tables once per store connection (every dashboard rerun reads a grant and
    writes an audit entry: the script ran each time)."""
    if store in _SCHEMA_READY:
        return
    with store._lock:  # one script: the triggers hold semicolons
        store._con.executescript(SCHEMA)
    _SCHEMA_READY.add(store)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _principal(email: str | None, organisation_siret: str | None) -> tuple[str, str]:
    if bool(email) == bool(organisation_siret):
        raise AccessError("give exactly one of an e-mail or an organisation SIRET")
    if email:
        email = email.strip().lower()
        if "@" not in email:
            raise AccessError(f"not an e-mail address: {email!r}")
        return "email", email
    siret = (organisation_siret or "").strip()
    if not (len(siret) == 14 and siret.isdigit()):
        raise AccessError(f"a SIRET has 14 digits: {siret!r}")
    return "organisation_siret", siret


def grant(
    store: Store,
    *,
    role: str,
    by: str,
    email: str | None = None,
    organisation_siret: str | None = None,
    structure_sirets: tuple[str, ...] = (),
) -> list[str]:
    """Grant ``role`` (over ``structure_sirets`` for a structure role); the new access ids.
    A grant already in force is not doubled."""
    ensure_schema(store)
    kind, principal = _principal(email, organisation_siret)
    if role not in ROLES:
        raise AccessError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if role in STRUCTURE_ROLES and not structure_sirets:
        raise AccessError(f"a {role} grant names its structures (--structure SIRET)")
    if role not in STRUCTURE_ROLES and structure_sirets:
        raise AccessError(f"a {role} sees no structure of its own: give no --structure")
    made: list[str] = []
    with store.write() as con:
        for siret in structure_sirets or (None,):
            if siret is not None and not (len(siret) == 14 and siret.isdigit()):
                raise AccessError(f"a SIRET has 14 digits: {siret!r}")
            in_force = con.execute(
                "select 1 from dashboard_access where principal_kind = ? and principal = ?"
                " and role = ? and structure_siret is ? and revoked_at is null",
                (kind, principal, role, siret),
            ).fetchone()
            if in_force:
                continue
            access_id = new_id("acc")
            con.execute(
                "insert into dashboard_access (access_id, principal_kind, principal, role,"
                " structure_siret, granted_at, granted_by) values (?,?,?,?,?,?,?)",
                (access_id, kind, principal, role, siret, _now(), by),
            )
            made.append(access_id)
    return made


def revoke(
    store: Store, *, by: str, email: str | None = None, organisation_siret: str | None = None
) -> int:
    """Revoke every grant in force of a person (or organisation); how many were revoked."""
    ensure_schema(store)
    kind, principal = _principal(email, organisation_siret)
    with store.write() as con:
        cur = con.execute(
            "update dashboard_access set revoked_at = ?, revoked_by = ?"
            " where principal_kind = ? and principal = ? and revoked_at is null",
            (_now(), by, kind, principal),
        )
        return cur.rowcount


def grants(store: Store, *, include_revoked: bool = False) -> list[dict[str, Any]]:
    ensure_schema(store)
    where = "" if include_revoked else " where revoked_at is null"
    rows = store.read(
        "select access_id, principal_kind, principal, role, structure_siret, granted_at,"
        f" granted_by, revoked_at, revoked_by from dashboard_access{where}"
        " order by principal, role, structure_siret"
    )
    return [dict(r) for r in rows]


def resolve(
    store: Store, *, email: str | None, organisation_siret: str | None, name: str = ""
) -> Access | None:
    """The access of a signed-in person, from the grants in force for their e-mail and for
    their organisation's SIRET; None when they have none (or only revoked ones)."""
    ensure_schema(store)
    keys: list[tuple[str, str]] = []
    if email:
        keys.append(("email", email.strip().lower()))
    if organisation_siret:
        keys.append(("organisation_siret", organisation_siret.strip()))
    if not keys:
        return None
    found: list[sqlite3.Row] = []
    for kind, principal in keys:
        found += store.read(
            "select role, structure_siret from dashboard_access"
            " where principal_kind = ? and principal = ? and revoked_at is null",
            (kind, principal),
        )
    if not found:
        return None
    role = min((r["role"] for r in found), key=_ROLE_ORDER.__getitem__)
    sirets = frozenset(
        r["structure_siret"] for r in found if r["role"] == role and r["structure_siret"]
    )
    who = keys[0][1]
    return Access(who=who, role=role, sirets=sirets, name=name)


def record(
    store: Store,
    *,
    who: str,
    role: str | None,
    action: str,
    page: str | None,
    detail: dict[str, Any],
) -> None:
    """Append one entry to the audit log (its own transaction)."""
    ensure_schema(store)
    with store.write() as con:
        con.execute(
            "insert into audit_log (at, who, role, action, page, detail) values (?,?,?,?,?,?)",
            (
                _now(),
                who,
                role,
                action,
                page,
                json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
            ),
        )


def audit_entries(
    store: Store, *, limit: int = 1000, action: str | None = None
) -> list[dict[str, Any]]:
    """The latest entries of the audit log, newest first."""
    ensure_schema(store)
    where, params = ("", ()) if action is None else (" where action = ?", (action,))
    rows = store.read(
        f"select entry_id, at, who, role, action, page, detail from audit_log{where}"
        " order by entry_id desc limit ?",
        (*params, limit),
    )
    return [dict(r) for r in rows]
