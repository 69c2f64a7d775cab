"""``vigie bench dashboards``: every query each page runs, timed on the current snapshot,
and each page rendered by Streamlit's AppTest with its answer cache off (VIGIE_DASHBOARD_CACHE=0).

Targets (issue 8): each query ≤ 100 ms at p95, each page ≤ 1 s.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from vigie.dashboards import queries
from vigie.dashboards.scope import Scope
from vigie.platform.contracts.serving import SnapshotRef
from vigie.platform.settings import DASHBOARD_APP, get_settings

OPERATOR = Scope("operator")


@dataclass
class PageTiming:
    page: str
    queries: int
    query_p95_ms: float
    slowest_query: str
    #: None where no page was rendered (nobody granted, or a view of another role)
    render_s: float | None


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def page_queries(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[dict, list[tuple]]]:
    """Per page: the URL parameters of a busy view, and the queries it runs for it."""
    (year,) = con.execute("select max(year) from reports.rpt_bilan_yearly").fetchone()
    entity = con.execute(
        "select recipient_structure_id, public_category from reports.rpt_payment_delays_yearly"
        " where grain = 'entity' and year = ? order by paid_invoice_count desc limit 1",
        [year],
    ).fetchone()
    number = con.execute(
        "select invoice_number, invoice_id from marts.fct_invoices limit 1"
    ).fetchone()
    entity_id, category = entity or (None, None)
    declarant = con.execute(
        "select declarant_siren from reports.rpt_ereporting_transmissions"
        " group by 1 order by count(*) desc, 1 limit 1"
    ).fetchone()
    supplier = con.execute(
        "select supplier_structure_id from marts.fct_invoices group by 1"
        " order by count(*) desc, 1 limit 1"
    ).fetchone()
    as_supplier = Scope("supplier", frozenset(supplier or ()))
    return {
        "bilan": (
            {"year": str(year)},
            [
                ("monthly volumes", queries.MONTHLY_VOLUMES_SQL, ()),
                ("yearly figures", queries.BILAN_YEARLY_SQL, ()),
                ("splits", queries.BILAN_SPLITS_SQL, (year,)),
                ("breakdown labels", queries.BREAKDOWN_LABELS_SQL, ()),
            ],
        ),
        "delais": (
            {"view": "entity", "entity": entity_id or "", "year": str(year)},
            [
                ("years", queries.DELAY_YEARS_SQL, ()),
                ("entity search", queries.ENTITY_SEARCH_SQL, ("", "")),
                ("entity", queries.ENTITY_SQL, (entity_id,)),
                ("yearly figures", queries.DELAYS_YEARLY_SQL, (year, category, entity_id)),
                ("entity months", queries.ENTITY_MONTHS_SQL, (entity_id, year)),
                ("category months", queries.CATEGORY_MONTHS_SQL, (category, year)),
                ("late invoices", queries.LATE_INVOICES_SQL, (entity_id, year)),
                ("overdue invoices", queries.OVERDUE_INVOICES_SQL, (entity_id,)),
            ],
        ),
        "rejets": (
            {"year": str(year)},
            [
                ("years", queries.REJECTION_YEARS_SQL, ()),
                ("monthly", queries.REJECTIONS_SQL, (year,)),
                ("top parties", queries.TOP_PARTIES_SQL, (year,)),
                ("hidden delays", queries.HIDDEN_DELAYS_SQL, (year,)),
                ("breakdown labels", queries.BREAKDOWN_LABELS_SQL, ()),
            ],
        ),
        "ereporting": (
            {"declarant": declarant[0] if declarant else ""},
            [
                ("declarants", queries.EREPORTING_DECLARANTS_SQL, ()),
                ("transmissions", queries.EREPORTING_SQL, (declarant[0] if declarant else "",)),
            ],
        ),
        "recherche": (
            {"number": number[0]},
            [
                ("invoice", queries.INVOICE_LOOKUP_SQL, (number[0], None)),
                ("history", queries.INVOICE_HISTORY_SQL, (number[1], number[0])),
                ("delay", queries.INVOICE_DELAY_SQL, (number[1],)),
            ],
        ),
        # a supplier's views read the marts by its structure (no report holds them yet)
        "delais (supplier)": (
            {"year": str(year)},
            [
                ("its buyers", queries.SUPPLIER_BUYERS_SQL, (year,), as_supplier),
                ("its years", queries.SUPPLIER_DELAY_YEARS_SQL, (), as_supplier),
            ],
        ),
        "rejets (supplier)": (
            {"year": str(year)},
            [
                ("its rejections", queries.PARTY_REJECTIONS_SQL, (year,), as_supplier),
                ("its years", queries.PARTY_REJECTION_YEARS_SQL, (), as_supplier),
            ],
        ),
    }


def _renderer(settings) -> str | None:
    """An operator with a grant in force, whose session the renders simulate (AppTest seeds
    ``st.user`` as Streamlit does after a sign-in); None when nobody is granted."""
    from vigie.platform import access
    from vigie.platform.store import Store

    store = Store(settings.platform_db_path)
    try:
        found = [
            g["principal"]
            for g in access.grants(store)
            if g["role"] == "operator" and g["principal_kind"] == "email"
        ]
    finally:
        store.close()
    return found[0] if found else None


def _signed_in(app, email: str):
    app.secrets["auth"] = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "bench-" + "0" * 32,
        "client_id": "bench",
        "client_secret": "bench",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    app.user = {"is_logged_in": True, "sub": email, "email": email, "iat": int(time.time())}
    return app


def run(
    snapshot: SnapshotRef, *, repeats: int = 20, renders: int = 3, settings=None
) -> list[PageTiming]:
    """Time the queries and renders on ``snapshot``, the pages rendered as the app reads the
    home of ``settings`` (default: ``VIGIE_HOME``)."""
    import logging

    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime" notices of AppTest
    os.environ["VIGIE_DASHBOARD_CACHE"] = "0"  # every render runs its queries
    if settings is not None:  # the app in AppTest finds its home in the environment
        os.environ["VIGIE_HOME"] = str(settings.home)
    con = duckdb.connect(str(snapshot.path), read_only=True)
    try:
        plan = page_queries(con)
        operator = _renderer(settings or get_settings())
        if operator is not None:  # warm-up: imports
            _signed_in(AppTest.from_file(str(DASHBOARD_APP), default_timeout=120), operator).run()
        timings = []
        for page, (params, page_sql) in plan.items():
            per_query: dict[str, list[float]] = {}
            for name, sql, args, *scope in page_sql:
                sql = (scope[0] if scope else OPERATOR).apply(sql)  # noqa: PLW2901
                for _ in range(repeats):
                    began = time.perf_counter()
                    con.execute(sql, list(args)).pl()  # as the pages read them
                    per_query.setdefault(name, []).append(time.perf_counter() - began)
            p95 = {name: _p95(v) * 1000 for name, v in per_query.items()}
            slowest = max(p95, key=p95.get)
            renders_s = []
            # pages are rendered as an operator sees them (a supplier's views: queries only)
            for _ in range(renders if operator and "(" not in page else 0):
                app = _signed_in(
                    AppTest.from_file(str(DASHBOARD_APP), default_timeout=120), operator
                )
                if page != "bilan":
                    app.switch_page(f"app_pages/{page}.py")
                app.query_params.update(params)
                began = time.perf_counter()
                app.run()
                renders_s.append(time.perf_counter() - began)
                if app.exception:
                    raise RuntimeError(f"page {page}: {app.exception[0].value}")
            render = statistics.median(renders_s) if renders_s else None
            timings.append(PageTiming(page, len(page_sql), p95[slowest], slowest, render))
        return timings
    finally:
        con.close()


def snapshot_size(snapshot: SnapshotRef) -> int:
    return Path(snapshot.path).stat().st_size
