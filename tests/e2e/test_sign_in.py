"""Sign-in through a real OIDC provider on 127.0.0.1, and each person sees what is theirs.

In headless Chromium, on `vigie serve` of the demo: nobody signed in sees the sign-in page
only; each demo person signs in through the provider's page; entity A never sees entity B,
not even with B's id typed in the URL, neither on the page nor in a download; a supplier
who looks up another supplier's invoice is told "not found" in the very words used for a
number that does not exist; the downloads land in the audit log.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime
from decimal import Decimal

import duckdb
import pytest
from e2e.pages import sign_in, wait_for_script
from spreadsheet import open_like_excel

from vigie.dashboards.i18n import t
from vigie.platform.contracts.serving import current_snapshot

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

OPERATOR = "operateur@vigie.invalid"
ENTITY_A = "daf.entite-a@vigie.invalid"
ENTITY_B = "daf.entite-b@vigie.invalid"
SUPPLIER = "fournisseur@vigie.invalid"
TAX = "dgfip@vigie.invalid"


@pytest.fixture(scope="module")
def people(demo_home) -> dict[str, dict]:
    """Each demo person's grant, and the structure id of its SIRET in the snapshot."""
    with sqlite3.connect(demo_home.platform_db_path) as con:
        grants = {
            email: siret
            for email, siret in con.execute(
                "select principal, structure_siret from dashboard_access where revoked_at is null"
            )
        }
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as snap:
        ids = dict(snap.execute("select siret, structure_id from marts.dim_structures").fetchall())
    return {email: {"siret": s, "structure_id": ids.get(s)} for email, s in grants.items()}


@pytest.fixture(scope="module")
def snap(demo_home):
    with duckdb.connect(str(current_snapshot(demo_home).path), read_only=True) as con:
        yield con


def _nav_titles(page) -> list[str]:
    # a link reads "<icon name>\n\n<title>": the title is its last line
    links = page.locator('[data-testid="stSidebarNavLink"]').all()
    return [a.inner_text().strip().splitlines()[-1] for a in links]


def _open(page, served, path: str) -> None:
    page.goto(f"{served.base('dashboards')}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading").first.wait_for(timeout=60_000)
    wait_for_script(page)


def test_nobody_signed_in_sees_the_sign_in_page_and_nothing_else(served, browser, people):
    page = browser.page
    b = people[ENTITY_B]["structure_id"]
    for path in (
        "",
        "delais?view=entity&entity=" + b,
        "recherche?number=F1",
        "audit",
        "qualite",
        "ereporting",
    ):
        _open(page, served, path)
        assert page.get_by_role("heading", name=t("sign_in_title", "fr")).is_visible()
        assert page.get_by_role("button", name=t("sign_in", "fr")).is_visible()
        assert _nav_titles(page) == []
        for selector in (
            '[data-testid="stDataFrame"]',
            '[data-testid="stMetric"]',
            '[data-testid="stDownloadButton"]',
        ):
            assert page.locator(selector).count() == 0, (path, selector)
    browser.screenshot("sign-in-page")
    assert browser.problems == []


@pytest.mark.parametrize(
    "who, pages",
    [
        (
            OPERATOR,
            [
                "page_bilan",
                "page_delais",
                "page_rejets",
                "page_ereporting",
                "page_recherche",
                "page_qualite",
                "page_audit",
            ],
        ),
        (ENTITY_A, ["page_accueil", "page_delais", "page_rejets", "page_recherche"]),
        (SUPPLIER, ["page_accueil", "page_delais", "page_rejets", "page_recherche"]),
        (TAX, ["page_accueil", "page_ereporting"]),
    ],
    ids=["operator", "public_entity", "supplier", "tax_administration"],
)
def test_each_role_signs_in_through_the_provider_and_gets_its_pages(served, browser, who, pages):
    sign_in(browser, served, who)
    page = browser.page
    titles = [t(key, "fr") for key in pages]
    assert _nav_titles(page) == titles
    assert page.get_by_role("heading", name=titles[0]).first.is_visible()  # the home
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert t("sign_out", "fr") in sidebar
    browser.screenshot(f"signed-in-{who.split('@')[0]}")
    assert browser.problems == []


def test_entity_a_never_sees_entity_b_on_pages_or_downloads(
    served, browser, people, snap, demo_home, tmp_path
):
    a, b = people[ENTITY_A]["structure_id"], people[ENTITY_B]["structure_id"]
    late_a = snap.execute(
        "select year(payment_date) as y, count(*) from reports.rpt_late_invoices"
        " where recipient_structure_id = ? group by y order by count(*) desc, y desc limit 1",
        [a],
    ).fetchone()
    year, count_a = late_a
    numbers_b = {
        n
        for (n,) in snap.execute(
            "select invoice_number from marts.fct_invoices where recipient_structure_id = ?", [b]
        ).fetchall()
    }
    assert numbers_b and count_a > 0
    sign_in(browser, served, ENTITY_A)
    page = browser.page

    # B's id typed in the URL: "not yours", and nothing of B
    _open(page, served, f"delais?view=entity&entity={b}&year={year}")
    assert page.get_by_text(t("not_yours", "fr")).is_visible()
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    browser.screenshot("entity-a-asks-for-b")

    # its own late invoices, downloaded: exactly A's, none of B's
    _open(page, served, f"delais?view=entity&entity={a}&year={year}")
    with page.expect_download() as download:
        page.locator('[data-testid="stDownloadButton"] button').filter(
            has_text=t("download_csv", "fr")
        ).nth(1).click()  # the first is the monthly table, the second the late invoices
    # opened as French Excel opens it (LibreOffice Calc, headless), not only parsed as CSV
    cells = open_like_excel(download.value.path(), tmp_path / "late-csv")
    header = [c.value for c in cells[0]]
    rows = [dict(zip(header, row, strict=True)) for row in cells[1:-1]]
    got = {r[t("invoice_number", "fr")].value for r in rows}
    expected = dict(
        snap.execute(
            "select invoice_number, supplier_siret from reports.rpt_late_invoices"
            " where recipient_structure_id = ? and year(payment_date) = ?",
            [a, year],
        ).fetchall()
    )
    assert len(rows) == count_a and got == set(expected)
    assert not got & numbers_b
    # the SIRET stays a 14-digit text (bare digits became 1,3E+13); dates are dates
    for r in rows:
        siret = r[t("supplier_siret", "fr")]
        assert siret.data_type == "s"
        assert siret.value == expected[r[t("invoice_number", "fr")].value]
        assert isinstance(r[t("payment_date", "fr")].value, datetime)
        assert isinstance(r[t("due_date", "fr")].value, datetime)
    # the last row adds up what is owed, to the cent
    totals = dict(zip(header, (c.value for c in cells[-1]), strict=True))
    interest = snap.execute(
        "select sum(late_interest_eur) from reports.rpt_late_invoices"
        " where recipient_structure_id = ? and year(payment_date) = ?",
        [a, year],
    ).fetchone()[0]
    assert totals[t("invoice_number", "fr")] == t("total", "fr")
    assert Decimal(str(totals[t("interest_eur", "fr")])).quantize(Decimal("0.01")) == interest
    browser.screenshot("entity-a-own-late-invoices")

    # the download is in the audit log, with who made it and from which page
    with sqlite3.connect(demo_home.platform_db_path) as con:
        entries = con.execute(
            "select who, role, page, detail from audit_log where action = 'download'"
            " and who = ? order by entry_id",
            [ENTITY_A],
        ).fetchall()
    assert any(
        page_ == "delais"
        and json.loads(detail)["file"] == download.value.suggested_filename
        and role == "public_entity"
        for _, role, page_, detail in entries
    ), entries
    assert browser.problems == []


def test_a_supplier_looking_up_another_suppliers_invoice_is_told_not_found(
    served, browser, people, snap
):
    mine = people[SUPPLIER]["structure_id"]
    (theirs,) = snap.execute(
        "select invoice_number from marts.fct_invoices where supplier_structure_id <> ?"
        " and invoice_number not in (select invoice_number from marts.fct_invoices"
        " where supplier_structure_id = ?) order by invoice_number limit 1",
        [mine, mine],
    ).fetchone()
    (own,) = snap.execute(
        "select invoice_number from marts.fct_invoices where supplier_structure_id = ?"
        " order by invoice_number limit 1",
        [mine],
    ).fetchone()
    sign_in(browser, served, SUPPLIER)
    page = browser.page
    said = {}
    for label, number in (("theirs", theirs), ("none", "N-EXISTE-PAS-0000"), ("own", own)):
        _open(page, served, f"recherche?number={number}")
        # the answer: a "not found" alert, or the invoice's figures
        page.locator('[data-testid="stAlert"], [data-testid="stMetric"]').first.wait_for(
            timeout=60_000
        )
        wait_for_script(page)
        alerts = [a.inner_text() for a in page.locator('[data-testid="stAlert"]').all()]
        said[label] = (alerts, page.locator('[data-testid="stMetric"]').count())
        browser.screenshot(f"supplier-lookup-{label}")
    assert said["theirs"] == said["none"] == ([t("lookup_none", "fr")], 0)
    assert said["own"][1] > 0  # its own invoice: recipient, status, amount…
    assert browser.problems == []


def test_a_stranger_is_told_no_access_and_nothing_more(served, browser):
    sign_in(browser, served, "inconnu@ailleurs.invalid")
    page = browser.page
    assert page.get_by_text(t("no_access", "fr")).is_visible()
    assert _nav_titles(page) == []
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    browser.screenshot("stranger")
    assert browser.problems == []


def test_the_operator_prints_the_bilan_and_reads_the_downloads_in_the_audit_log(served, browser):
    sign_in(browser, served, OPERATOR)
    page = browser.page
    # the yearly report as an A4 PDF, made on click (its audit entry is written then too)
    _open(page, served, "?year=2020")
    with page.expect_download() as pdf:
        page.get_by_role("button", name=t("export_pdf", "fr")).click()
    assert pdf.value.path().read_bytes()[:5] == b"%PDF-"
    assert pdf.value.suggested_filename == "bilan-annuel-2020.pdf"
    browser.screenshot("operator-bilan")
    _open(page, served, "audit")
    page.get_by_text(t("audit_only_downloads", "fr")).click()
    wait_for_script(page)
    with page.expect_download() as download:
        page.locator('[data-testid="stDownloadButton"] button').filter(
            has_text=t("download_csv", "fr")
        ).first.click()
    rows = list(
        csv.DictReader(
            io.StringIO(download.value.path().read_bytes().decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows and {r[t("audit_action", "fr")] for r in rows} == {"download"}
    files = [json.loads(r[t("audit_detail", "fr")])["file"] for r in rows]
    assert "bilan-annuel-2020.pdf" in files
    browser.screenshot("operator-audit")
    assert browser.problems == []
