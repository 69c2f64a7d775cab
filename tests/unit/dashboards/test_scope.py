"""The scope is applied in the SQL itself: every query on marts or reports says whose rows
it may return, and the markers become predicates of the reader's role and structures."""

from __future__ import annotations

import re

import duckdb
import pytest

from vigie.dashboards import queries
from vigie.dashboards.scope import PAGES_BY_ROLE, Scope, UnscopedQuery

ENTITY = Scope("public_entity", frozenset({"str_a", "str_a2"}))
SUPPLIER = Scope("supplier", frozenset({"str_s"}))
OPERATOR = Scope("operator")
TAX = Scope("tax_administration")


def test_a_query_on_the_warehouse_without_a_marker_is_refused_before_it_runs():
    with pytest.raises(UnscopedQuery):
        ENTITY.apply("select * from reports.rpt_late_invoices")
    with pytest.raises(UnscopedQuery):
        OPERATOR.apply("select * from marts . fct_invoices")
    # reference tables and the catalogue hold nobody's rows
    assert ENTITY.apply("select * from reference.ref_channels") == (
        "select * from reference.ref_channels"
    )


def test_structure_marker_becomes_the_readers_own_ids_or_all_or_none():
    sql = "select * from reports.rpt_late_invoices where {scope:recipient_structure_id}"
    assert ENTITY.apply(sql).endswith("where (recipient_structure_id in ('str_a', 'str_a2'))")
    assert OPERATOR.apply(sql).endswith("where true")
    assert TAX.apply(sql).endswith("where false")
    assert Scope("public_entity").apply(sql).endswith("where false")  # no structure found


def test_roles_marker_opens_a_report_to_the_listed_roles_only():
    sql = "select * from reports.rpt_bilan_yearly where {roles:operator}"
    assert OPERATOR.apply(sql).endswith("where true")
    for scope in (ENTITY, SUPPLIER, TAX):
        assert scope.apply(sql).endswith("where false")


def test_an_id_that_is_not_an_id_is_refused_rather_than_quoted():
    with pytest.raises(UnscopedQuery):
        Scope("supplier", frozenset({"x') or true --"})).apply(
            "select 1 from marts.fct_invoices where {scope:supplier_structure_id}"
        )


@pytest.mark.parametrize("name", sorted(n for n in dir(queries) if n.endswith("_SQL")), ids=str)
def test_every_dashboard_query_on_the_warehouse_carries_a_scope_marker(name):
    sql = getattr(queries, name)
    if re.search(r"\b(marts|reports)\s*\.", sql):
        assert "{scope:" in sql or "{roles:" in sql, name
        for scope in (OPERATOR, ENTITY, SUPPLIER, TAX):
            rendered = scope.apply(sql)
            assert "{" not in rendered.replace("{}", ""), name


def test_scoped_sql_returns_only_the_readers_rows_in_duckdb():
    con = duckdb.connect()
    con.execute("create schema reports")
    con.execute(
        "create table reports.rpt_late_invoices as select * from (values"
        " ('inv1', 'str_a'), ('inv2', 'str_b'), ('inv3', 'str_a2')) t(invoice_id,"
        " recipient_structure_id)"
    )
    sql = (
        "select invoice_id from reports.rpt_late_invoices where recipient_structure_id = ?"
        " and {scope:recipient_structure_id} order by 1"
    )
    assert con.execute(ENTITY.apply(sql), ["str_a"]).fetchall() == [("inv1",)]
    assert con.execute(ENTITY.apply(sql), ["str_b"]).fetchall() == []  # B's id typed in
    assert con.execute(OPERATOR.apply(sql), ["str_b"]).fetchall() == [("inv2",)]


def test_pages_by_role_follow_the_issue_table():
    assert PAGES_BY_ROLE["tax_administration"] == ("accueil", "ereporting")
    assert "qualite" in PAGES_BY_ROLE["operator"] and "audit" in PAGES_BY_ROLE["operator"]
    for role in ("public_entity", "supplier"):
        assert not {"bilan", "ereporting", "qualite", "audit"} & set(PAGES_BY_ROLE[role])
    assert ENTITY.may_open("delais") and not ENTITY.may_open("audit")
