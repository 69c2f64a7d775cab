"""The worked example of e-reporting.md §8, fed through the platform API, exported by
`vigie ereporting export`, equals the two example files (compared as XML trees).

Then a late sale of 3 September makes the first décade change: the next export sends that
period again, whole, as a rectificative transmission, and keeps the history.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from integration.conftest import VIGIE, start_api
from lxml import etree

from vigie.orchestration.ereporting.xml import xsd_errors
from vigie.platform.contracts import transmissions
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXAMPLES = Path(__file__).parents[1] / "fixtures" / "ereporting"
SIREN = "123456782"


def _tree(data: bytes) -> str:
    """Canonical XML without comments or layout whitespace: equal trees, equal strings."""
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    root = etree.fromstring(data, parser)
    return etree.tostring(root, method="c14n").decode()


@pytest.fixture(scope="module")
def example_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("ereporting") / "home"
    home.mkdir()
    env = {"VIGIE_PLATFORM_MATRICULE": "0042", "VIGIE_PLATFORM_NAME": "PLATEFORME EXEMPLE"}
    proc, api = start_api(home, env)
    try:
        with api.client(api.operator_key) as c:
            made = c.post(
                "/v1/structures",
                json={
                    "siret": "12345678200010",
                    "name": "ATELIER EXEMPLE SAS",
                    "supplier_size": "sme",
                    "vat_id": "FR11123456782",
                    "vat_regime": "reel_normal_mensuel",
                },
            )
            assert made.status_code == 201, made.text
        key = made.json()["api_key"]
        with api.client(key) as c:
            invoice = EXAMPLES / "F2026-0912.xml"
            r = c.post("/v1/invoices", files={"file": (invoice.name, invoice.read_bytes())})
            assert r.status_code == 201, r.text
            sales = [
                ("2026-09-01", "TLB1", [("5.5", "14.00", "0.77", 2), ("20", "12.50", "2.50", 1)]),
                ("2026-09-02", "TLB1", [("5.5", "20.00", "1.10", 1), ("20", "25.00", "5.00", 1)]),
                ("2026-09-02", "TPS1", [("20", "50.00", "10.00", 1)]),
            ]
            for day, category, lines in sales:
                r = c.post(
                    "/v1/ereporting/b2c-sales",
                    json={
                        "sale_date": day,
                        "category_code": category,
                        "lines": [
                            {
                                "vat_rate": rate,
                                "taxable_amount": net,
                                "tax_amount": vat,
                                "transaction_count": n,
                            }
                            for rate, net, vat, n in lines
                        ],
                    },
                )
                assert r.status_code == 201, r.text
            for day, amount in (("2026-09-02", "60.00"), ("2026-09-05", "24.00")):
                r = c.post(
                    "/v1/ereporting/payments",
                    json={
                        "payment_date": day,
                        "lines": [{"vat_rate": "20", "amount_incl_vat": amount}],
                    },
                )
                assert r.status_code == 201, r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    run_env = {**os.environ, "VIGIE_HOME": str(home), **env}
    _extract_and_build(run_env)
    return home, run_env, key


def _extract_and_build(run_env) -> None:
    """Land what the platform recorded, build and publish."""
    for args in (["extract"], ["pipeline", "run"]):
        done = subprocess.run(
            [VIGIE, *args], env=run_env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr


def _export(run_env, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [VIGIE, "ereporting", "export", "--out", str(out), *args],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_worked_example_reproduces_both_example_files(example_home, tmp_path):
    _, run_env, _ = example_home
    out = tmp_path / "out"
    tx = _export(run_env, out, "--kind", "transactions", "--issued-at", "20260911093000")
    assert tx.returncode == 0, tx.stdout + tx.stderr
    pay = _export(run_env, out, "--kind", "payments", "--issued-at", "20261002080000")
    assert pay.returncode == 0, pay.stdout + pay.stderr
    files = sorted(out.glob("FFE1025A_*.xml"))
    assert [f.name for f in files] == [
        "FFE1025A_VIGIE1_VIGIE10000000000000000001.xml",
        "FFE1025A_VIGIE1_VIGIE10000000000000000002.xml",
    ]
    transactions, payments = (f.read_bytes() for f in files)
    # copies of shared/domain/examples/ (kept with the tests, like the corpus)
    expected_tx = EXAMPLES / "ereporting-transactions-example.xml"
    expected_pay = EXAMPLES / "ereporting-payments-example.xml"
    assert _tree(transactions) == _tree(expected_tx.read_bytes())
    assert _tree(payments) == _tree(expected_pay.read_bytes())
    for data in (transactions, payments):
        assert xsd_errors(etree.fromstring(data)) == []


@pytest.mark.long
def test_a_late_sale_is_sent_again_whole_as_a_rectificative(example_home, tmp_path):
    home, run_env, key = example_home
    out = tmp_path / "out"
    first = _export(run_env, out, "--period", "2026-09-01", "--kind", "transactions")
    assert first.returncode == 0, first.stdout + first.stderr
    again = _export(run_env, out, "--period", "2026-09-01", "--kind", "transactions")
    assert "1 transmissions: 1 unchanged" in again.stdout

    proc, api = start_api(home, {"VIGIE_PLATFORM_NAME": "PLATEFORME EXEMPLE"})
    try:
        with api.client(key) as c:
            r = c.post(
                "/v1/ereporting/b2c-sales",
                json={
                    "sale_date": "2026-09-03",
                    "category_code": "TLB1",
                    "lines": [
                        {
                            "vat_rate": "20",
                            "taxable_amount": "10.00",
                            "tax_amount": "2.00",
                            "transaction_count": 1,
                        }
                    ],
                },
            )
            assert r.status_code == 201, r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    _extract_and_build(run_env)
    # a dry run writes the RE the export would send, and records nothing
    settings = get_settings({"VIGIE_HOME": str(home)})
    recorded = transmissions.history(settings)
    at = ("--issued-at", "20261103090000")
    tried = _export(
        run_env,
        tmp_path / "dry",
        "--period",
        "2026-09-01",
        "--kind",
        "transactions",
        "--dry-run",
        *at,
    )
    assert tried.returncode == 0, tried.stdout + tried.stderr
    assert (
        "ER-123456782-2026-09-D1-RE1" in tried.stdout
        and "(dry run: nothing recorded)" in tried.stdout
    )
    assert transmissions.history(settings) == recorded
    [dry] = (tmp_path / "dry").glob("FFE1025A_*.xml")
    rectified = _export(run_env, out, "--period", "2026-09-01", "--kind", "transactions", *at)
    assert rectified.returncode == 0, rectified.stdout + rectified.stderr
    assert "ER-123456782-2026-09-D1-RE1" in rectified.stdout
    newest = max(out.glob("FFE1025A_*.xml"))
    # the same file, under the same flow name, as the real export then sent
    assert (dry.name, dry.read_bytes()) == (newest.name, newest.read_bytes())
    root = etree.fromstring(newest.read_bytes())
    assert root.findtext("ReportDocument/TypeCode") == "RE"
    # the whole décade again: the invoice and the four day × category records
    body = root.find("TransactionsReport")
    assert [i.findtext("ID") for i in body.iter("Invoice")] == ["F2026-0912"]
    assert [
        (t.findtext("Date"), t.findtext("CategoryCode"), t.findtext("TaxExclusiveAmount"))
        for t in body.iter("Transactions")
    ] == [
        ("20260901", "TLB1", "26.50"),
        ("20260902", "TLB1", "45.00"),
        ("20260902", "TPS1", "50.00"),
        ("20260903", "TLB1", "10.00"),
    ]
    listing = subprocess.run(
        [VIGIE, "ereporting", "list"], env=run_env, capture_output=True, text=True, timeout=120
    )
    assert listing.returncode == 0, listing.stderr
    line = next(x for x in listing.stdout.splitlines() if "transactions" in x and "2026-09-01" in x)
    assert "due 2026-09-20" in line and "rectified" in line


@pytest.fixture(scope="module")
def capture_api(tmp_path_factory):
    home = tmp_path_factory.mktemp("captures") / "home"
    home.mkdir()
    proc, api = start_api(home)
    try:
        with api.client(api.operator_key) as c:
            declarant = c.post(
                "/v1/structures",
                json={
                    "siret": "12345678200010",
                    "name": "ATELIER EXEMPLE SAS",
                    "vat_regime": "reel_normal_mensuel",
                },
            ).json()
            plain = c.post("/v1/structures", json={"siret": "73282932000074", "name": "X"}).json()
        yield api, declarant["api_key"], plain["api_key"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _sale(day="2026-09-01", rate="20", net="10.00", vat="2.00", currency="EUR", lines=None):
    return {
        "sale_date": day,
        "currency_code": currency,
        "category_code": "TLB1",
        "lines": lines
        or [{"vat_rate": rate, "taxable_amount": net, "tax_amount": vat, "transaction_count": 1}],
    }


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (_sale(rate="19", vat="1.90"), "ER-02"),
        (_sale(vat="2.50"), "ER-03"),
        (_sale(day="2099-01-01"), "ER-04"),
        (_sale(net="10.001", vat="2.00"), "ER-05"),
        (
            _sale(
                lines=[
                    {
                        "vat_rate": "20",
                        "taxable_amount": "1.00",
                        "tax_amount": "0.20",
                        "transaction_count": 1,
                    }
                ]
                * 2
            ),
            "ER-06",
        ),
        (_sale(currency="USD"), "ER-07"),
    ],
)
def test_a_bad_b2c_summary_is_refused_with_its_rule_and_nothing_is_kept(capture_api, body, code):
    api, key, _ = capture_api
    with api.client(key) as c:
        r = c.post("/v1/ereporting/b2c-sales", json=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert code in [e["code"] for e in error["errors"]]
    assert error["errors"][0]["message"] and error["errors"][0]["message_en"]
    with api.client(api.operator_key) as c:
        assert c.get("/v1/health").status_code == 200
    from vigie.platform.store import Store

    store = Store(api.home / "platform.sqlite")
    try:
        assert store.read("select count(*) as n from b2c_sales")[0]["n"] == 0
    finally:
        store.close()


def test_payments_need_a_declarant_and_an_international_invoice_of_its_own(capture_api):
    api, key, plain_key = capture_api
    body = {"payment_date": "2026-09-02", "lines": [{"vat_rate": "20", "amount_incl_vat": "60"}]}
    with api.client(plain_key) as c:
        r = c.post("/v1/ereporting/payments", json=body)
    assert (r.status_code, r.json()["error"]["code"]) == (422, "ER-01")
    with api.client(key) as c:
        r = c.post("/v1/ereporting/payments", json={**body, "invoice_id": "inv_unknown"})
        assert (r.status_code, r.json()["error"]["code"]) == (422, "ER-08")
        ok = c.post("/v1/ereporting/payments", json=body)
    assert ok.status_code == 201, ok.text
    assert ok.json()["scope"] == "B2C" and ok.json()["amount_incl_vat"] == "60"


def test_every_demo_transmission_is_exported_valid_with_both_kinds(demo_home, vigie_cli, tmp_path):
    # the demo's Dagster run exported them (its ereporting_exports asset)
    files = sorted((demo_home.exports_dir / "ereporting" / "out").glob("FFE1025A_*.xml"))
    assert files
    kinds = set()
    for path in files:
        root = etree.parse(str(path)).getroot()
        assert xsd_errors(root) == [], path.name
        kinds |= {child.tag for child in root if child.tag != "ReportDocument"}
    assert kinds == {"TransactionsReport", "PaymentsReport"}
    # exporting again sends nothing: every period went, and none changed since
    out = tmp_path / "out"
    again = vigie_cli(["ereporting", "export", "--out", str(out)], demo_home.home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(out.glob("FFE1025A_*.xml")) and "invalid" not in again.stdout
    assert f"{len(files)} transmissions: {len(files)} unchanged" in again.stdout, again.stdout


def test_an_invalid_transmission_is_not_written_and_its_element_is_named(example_home, tmp_path):
    """An invoice issued in the future (G1.07) makes its décade invalid: nothing is written."""
    home, run_env, key = example_home
    doc = (EXAMPLES / "F2026-0912.xml").read_text(encoding="utf-8")
    doc = doc.replace("F2026-0912", "F2026-1101").replace("2026-09-08", "2099-01-15")
    doc = doc.replace("2026-09-07", "2026-11-02").replace("2026-10-08", "2099-02-15")
    proc, api = start_api(home, {"VIGIE_PLATFORM_NAME": "PLATEFORME EXEMPLE"})
    try:
        with api.client(key) as c:
            r = c.post("/v1/invoices", files={"file": ("F2026-1101.xml", doc.encode())})
            assert r.status_code == 201, r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    _extract_and_build(run_env)
    out = tmp_path / "out"
    bad = _export(run_env, out, "--period", "2026-11-01", "--kind", "transactions")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "invalid" in bad.stdout
    assert "G1.07 /Report/TransactionsReport/Invoice/IssueDate: date in the future" in bad.stderr
    assert not list(out.glob("*.xml"))
    # the refusal is recorded with its rule, for the dashboards and `vigie ereporting list`
    states = transmissions.states(get_settings({"VIGIE_HOME": str(home)}), "123456782")
    refused = states[("123456782", "SE", "transactions", "2026-11-01")]
    assert refused.status == "invalid" and refused.path is None
    assert refused.transmission_id == "ER-123456782-2026-11-D1-IN"
    assert any(
        e.startswith("G1.07 /Report/TransactionsReport/Invoice/IssueDate") for e in refused.errors
    )
    listing = subprocess.run(
        [VIGIE, "ereporting", "list"], env=run_env, capture_output=True, text=True, timeout=120
    )
    assert "2026-11-01–2026-11-10" in listing.stdout
    [line] = [x for x in listing.stdout.splitlines() if "transactions 2026-11-01" in x]
    assert line.endswith("invalid ER-123456782-2026-11-D1-IN"), line


def test_bench_ereporting_prints_its_figures_and_leaves_no_history(demo_home, vigie_cli):
    from vigie.platform.contracts.transmissions import history

    before = history(demo_home)
    done = vigie_cli(["bench", "ereporting", "--period", "2020-01"], demo_home.home)
    assert done.returncode == 0, done.stdout + done.stderr
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("bench ereporting 2020-01: ") and " 0 invalid, in " in line
    assert "/s), peak RSS " in line
    written = int(line.split(" transmissions, ")[1].split(" written")[0].replace(",", ""))
    assert written > 0
    # the scratch run does not mark the real periods as exported
    assert history(demo_home) == before
