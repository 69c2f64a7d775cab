"""What a signed-in person may read, enforced in the SQL every page runs.

Every query the dashboards send to the serving snapshot goes through ``Reader.query``. A
query that reads a ``marts.`` or ``reports.`` table must say whose rows it may return, with
one of two markers, or it is refused (``UnscopedQuery``) before it runs:

- ``{scope:COLUMN}`` — the rows whose ``COLUMN`` (a structure id) is one of the reader's
  structures: all rows for an operator, none for the tax administration;
- ``{roles:a,b}`` — all rows for those roles, none for the others (reports that are not
  about one structure: the national activity report, the e-reporting, the quarantine).

So a new page cannot forget the scope, and hiding a widget or typing another id in the URL
changes nothing: the rows are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from vigie.dashboards import queries

#: the pages each role opens, its home first (the navigation shows those; each page checks
#: it again). Streamlit serves the home at "/", so a role's pages are all reachable by URL.
PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "operator": ("bilan", "delais", "rejets", "ereporting", "recherche", "qualite", "audit"),
    "public_entity": ("accueil", "delais", "rejets", "recherche"),
    "supplier": ("accueil", "delais", "rejets", "recherche"),
    "tax_administration": ("accueil", "ereporting"),
}
_SCOPE = re.compile(r"\{scope:([A-Za-z_][A-Za-z0-9_.]*)\}")
_ROLES = re.compile(r"\{roles:([a-z_,]+)\}")
_PROTECTED = re.compile(r"\b(marts|reports)\s*\.", re.IGNORECASE)
#: structure ids are generated (``str_…``, ``S…``): anything else is refused, not quoted
_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


class UnscopedQuery(RuntimeError):
    """A query reads warehouse rows without saying whose."""


class NotAllowed(RuntimeError):
    """A page or a read outside the person's role."""


@dataclass(frozen=True)
class Scope:
    """A role and, for a public entity or a supplier, the ids of its structures."""

    role: str
    structure_ids: frozenset[str] = frozenset()
    sirets: frozenset[str] = frozenset()

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"

    @property
    def sees_structures(self) -> bool:
        """Whether the role reads rows of structures (all, or its own)."""
        return self.role in ("operator", "public_entity", "supplier")

    def allows_structure(self, structure_id: str | None) -> bool:
        return self.is_operator or (
            self.role in ("public_entity", "supplier") and structure_id in self.structure_ids
        )

    def may_open(self, page: str) -> bool:
        return page in PAGES_BY_ROLE.get(self.role, ())

    def _ids_predicate(self, column: str) -> str:
        if self.is_operator:
            return "true"
        if self.role not in ("public_entity", "supplier") or not self.structure_ids:
            return "false"
        ids = sorted(self.structure_ids)
        if not all(_ID.match(i) for i in ids):
            raise UnscopedQuery("a structure id of the scope is not an id")
        return f"({column} in ({', '.join(repr(i) for i in ids)}))"

    def apply(self, sql: str) -> str:
        """``sql`` with its markers replaced by this scope's predicates."""
        if _PROTECTED.search(sql) and not (_SCOPE.search(sql) or _ROLES.search(sql)):
            raise UnscopedQuery(
                "a query on marts or reports must carry {scope:COLUMN} or {roles:…}: "
                + " ".join(sql.split())[:160]
            )
        sql = _SCOPE.sub(lambda m: self._ids_predicate(m.group(1)), sql)
        return _ROLES.sub(lambda m: "true" if self.role in m.group(1).split(",") else "false", sql)


def structure_scope(
    role: str, sirets: frozenset[str], snapshot_id: str, snapshot_path: str
) -> Scope:
    """The scope of a role over the structures with these SIRETs in the snapshot."""
    if role not in ("public_entity", "supplier") or not sirets:
        return Scope(role)
    found = queries.query(
        snapshot_id,
        snapshot_path,
        "select structure_id from marts.dim_structures where siret in (select unnest(?))",
        (sorted(sirets),),
    )
    return Scope(role, frozenset(found.get_column("structure_id").to_list()), sirets)


@dataclass(frozen=True)
class Reader:
    """The serving snapshot, as one person may read it."""

    snapshot_id: str
    path: str
    scope: Scope

    def query(self, sql: str, params: tuple = ()) -> pl.DataFrame:
        return queries.query(self.snapshot_id, self.path, self.scope.apply(sql), params)

    def has_table(self, name: str) -> bool:
        return queries.has_table(self.snapshot_id, self.path, name)

    def require(self, page: str) -> None:
        if not self.scope.may_open(page):
            raise NotAllowed(page)
