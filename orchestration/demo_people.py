"""The demo's people: one of each role, over structures the demo's data gives them.

``vigie demo`` grants them in ``dashboard_access`` (by e-mail), and the local OIDC provider
of ``vigie serve`` offers one sign-in button each. The two public entities are those with
the most late-paid invoices, the supplier the one that invoiced the first entity most, so
that every page has something to show and entity A has rows entity B must never see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from vigie.platform import access
from vigie.platform.settings import Settings
from vigie.platform.store import Store

DOMAIN = "vigie.invalid"  # RFC 2606: never a real mailbox


@dataclass(frozen=True)
class DemoPerson:
    email: str
    role: str
    siret: str | None
    structure_name: str | None


ENTITIES_SQL = """
select s.structure_id, s.siret, s.structure_name
from reports.rpt_late_invoices as l
inner join marts.dim_structures as s on l.recipient_structure_id = s.structure_id
group by all
order by count(*) desc, s.siret
limit 2
"""

SUPPLIER_SQL = """
select s.siret, s.structure_name
from marts.fct_invoices as i
inner join marts.dim_structures as s on i.supplier_structure_id = s.structure_id
where i.recipient_structure_id = ? and s.siret is not null
group by all
order by count(*) desc, s.siret
limit 1
"""


def pick(snapshot_path: Path) -> list[DemoPerson]:
    """One person per role, over the structures of the snapshot (see the module)."""
    with duckdb.connect(str(snapshot_path), read_only=True) as con:
        entities = con.execute(ENTITIES_SQL).fetchall()
        if len(entities) < 2:
            raise RuntimeError("the demo's data has fewer than two entities with late invoices")
        supplier = con.execute(SUPPLIER_SQL, [entities[0][0]]).fetchone()
    (_, a_siret, a_name), (_, b_siret, b_name) = entities
    return [
        DemoPerson(f"operateur@{DOMAIN}", "operator", None, None),
        DemoPerson(f"daf.entite-a@{DOMAIN}", "public_entity", a_siret, a_name),
        DemoPerson(f"daf.entite-b@{DOMAIN}", "public_entity", b_siret, b_name),
        DemoPerson(f"fournisseur@{DOMAIN}", "supplier", supplier[0], supplier[1]),
        DemoPerson(f"dgfip@{DOMAIN}", "tax_administration", None, None),
    ]


def grant_demo_people(settings: Settings, snapshot_path: Path) -> list[DemoPerson]:
    """Grant the demo's people afresh (a previous demo's grants of theirs are revoked)."""
    people = pick(snapshot_path)
    store = Store(settings.platform_db_path)
    try:
        for person in people:
            access.revoke(store, by="vigie demo", email=person.email)
            access.grant(
                store,
                role=person.role,
                by="vigie demo",
                email=person.email,
                structure_sirets=(person.siret,) if person.siret else (),
            )
    finally:
        store.close()
    return people


def sign_in_lines(settings: Settings) -> list[str]:
    """How to sign in as each person with an e-mail grant (printed by ``vigie serve``)."""
    store = Store(settings.platform_db_path)
    try:
        found = [g for g in access.grants(store) if g["principal_kind"] == "email"]
    finally:
        store.close()
    lines = []
    for g in found:
        where = f" over {g['structure_siret']}" if g["structure_siret"] else ""
        lines.append(f"    {g['principal']:<32} {g['role']}{where}")
    return lines
