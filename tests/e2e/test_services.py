"""`vigie serve` on the demo, from a shell that never activated .venv, as a newcomer meets it.

Each test asserts what a person sees: the Dagster code location loaded with every asset and
the demo's materializations (its GraphQL API, which the UI reads), the API documentation
rendered in Chromium with nothing loaded from the internet, every dashboard page rendered in
French and in English without an error, its numbers written in its language whatever the
browser's; then Ctrl-C stops every process.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.request
from decimal import Decimal

import dagster as dg
import pytest
from e2e.pages import sign_in, wait_for_script

from vigie.dashboards.formatting import format_number
from vigie.dashboards.i18n import t

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

#: the demo fixture's history ends on this landing day: the demo's run is its partition
DEMO_LAST_DAY = "2020-03-31"
PAGES = {
    "": "page_bilan",
    "delais": "page_delais",
    "rejets": "page_rejets",
    "ereporting": "page_ereporting",
    "recherche": "page_recherche",
    "qualite": "page_qualite",
    "audit": "page_audit",
}
#: granted by `vigie demo` (vigie.orchestration.demo_people)
OPERATOR = "operateur@vigie.invalid"


def graphql(served, query: str) -> dict:
    request = urllib.request.Request(
        served.base("dagster") + "/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 (loopback)
        answer = json.load(resp)
    assert "errors" not in answer, answer
    return answer["data"]


def test_the_four_urls_and_the_demo_people_are_printed_and_the_api_is_healthy(served):
    assert {int(re.search(r":(\d+)/", u).group(1)) for u in served.urls} == set(
        served.ports.values()
    )
    for line in (
        "operateur@vigie.invalid",
        "daf.entite-a@vigie.invalid",
        "daf.entite-b@vigie.invalid",
        "fournisseur@vigie.invalid",
        "dgfip@vigie.invalid",
    ):
        assert line in served.output()
    with urllib.request.urlopen(served.base("api") + "/v1/health", timeout=10) as r:  # noqa: S310
        assert json.load(r)["status"] == "ok"


def test_dagster_loads_every_asset_with_the_demo_materializations_and_checks(served, demo_home):
    from vigie.orchestration.definitions import defs

    location = graphql(
        served,
        """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
            locationOrLoadError { __typename ... on PythonError { message }
              ... on RepositoryLocation { repositories {
                schedules { name scheduleState { status } }
                sensors { name sensorState { status } } } } } } } } }""",
    )["workspaceOrError"]["locationEntries"]
    [entry] = location
    assert entry["loadStatus"] == "LOADED"
    assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
    [repository] = entry["locationOrLoadError"]["repositories"]
    # as the README says: the morning schedules wait to be turned on, the inbox sensor runs
    assert {s["name"]: s["scheduleState"]["status"] for s in repository["schedules"]} == {
        "warehouse_refresh_daily": "STOPPED",
        "ereporting_daily": "STOPPED",
    }
    assert {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]} == {
        "edi_inbox": "RUNNING"
    }

    nodes = graphql(
        served,
        """{ assetNodes { assetKey { path } isPartitioned
            assetMaterializations(limit: 1) { runId partition }
            assetChecksOrError { ... on AssetChecks { checks { name
              executionForLatestMaterialization { status } } } } } }""",
    )["assetNodes"]
    served_keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
    definitions = defs()
    expected_keys = {k.to_user_string() for k in definitions.resolve_all_asset_keys()}
    assert served_keys == expected_keys
    assert len(served_keys) > 50  # landing tables, seeds, dbt models, publication, exports

    never = sorted("/".join(n["assetKey"]["path"]) for n in nodes if not n["assetMaterializations"])
    assert never == [], f"never materialized: {never}"
    [run_id] = {n["assetMaterializations"][0]["runId"] for n in nodes}  # the demo's one run
    with dg.DagsterInstance.from_config(str(demo_home.dagster_home)) as instance:
        run = instance.get_run_by_id(run_id)
    assert run.job_name == "demo_pipeline" and run.tags["vigie/trigger"] == "demo"
    partitions = {n["assetMaterializations"][0]["partition"] for n in nodes if n["isPartitioned"]}
    assert partitions == {DEMO_LAST_DAY}

    checks = {
        ("/".join(n["assetKey"]["path"]), c["name"]): (c["executionForLatestMaterialization"] or {})
        for n in nodes
        for c in n["assetChecksOrError"].get("checks", [])
    }
    expected_checks = {
        (k.asset_key.to_user_string(), k.name)
        for k in definitions.resolve_asset_graph().asset_check_keys
    }
    assert set(checks) == expected_checks and len(checks) > 100
    failing = {k: v.get("status") for k, v in checks.items() if v.get("status") != "SUCCEEDED"}
    assert failing == {}


def test_the_api_documentation_renders_offline(served, browser):
    with urllib.request.urlopen(served.base("api") + "/openapi.json", timeout=10) as r:  # noqa: S310
        spec = json.load(r)
    operations = [
        (method.upper(), path, op["summary"])
        for path, item in spec["paths"].items()
        for method, op in item.items()
    ]
    page = browser.page
    page.goto(served.base("api") + "/docs")
    page.locator(".opblock").first.wait_for(timeout=30_000)
    browser.screenshot("api-docs")
    assert page.locator(".opblock").count() == len(operations)
    shown = {
        (
            b.locator(".opblock-summary-method").inner_text(),
            b.locator(".opblock-summary-path").inner_text().replace("\u200b", ""),
        )
        for b in page.locator(".opblock").all()
    }
    assert shown == {(m, p) for m, p, _ in operations}

    page.goto(served.base("api") + "/redoc")
    page.get_by_role("heading", name=re.compile("Vigie platform API")).wait_for(timeout=30_000)
    titles = {h.strip() for h in page.locator("h2").all_inner_texts()}
    assert {summary for _, _, summary in operations} <= titles
    browser.screenshot("api-redoc")
    assert browser.problems == []


#: each page language is tried in a browser of the other language: the page's decides
@pytest.mark.parametrize(
    "lang",
    [
        pytest.param("fr", marks=pytest.mark.browser_locale("en-US")),
        pytest.param("en", marks=pytest.mark.browser_locale("fr-FR")),
    ],
)
def test_every_dashboard_page_renders_without_error(served, browser, lang):
    sign_in(browser, served, OPERATOR, lang=lang)
    page = browser.page
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    for path, title_key in PAGES.items():
        page.goto(f"{served.base('dashboards')}/{path}?lang={lang}", wait_until="domcontentloaded")
        page.get_by_role("heading", name=t(title_key, lang)).first.wait_for(timeout=60_000)
        wait_for_script(page)
        # charts draw after the script ends: each has its data one click away (the bilan's
        # one is followed by its table)
        data = page.locator('[data-testid="stExpander"]').filter(has_text=t("chart_data", lang))
        drawn = page.locator('[data-testid="stVegaLiteChart"]')
        for i in range(data.count() + (path == "")):
            drawn.nth(i).locator("canvas, svg").first.wait_for(timeout=30_000)
        if drawn.count() != data.count() + (path == ""):
            browser.problems.append(f"{path} ({lang}): {drawn.count()} charts, {data.count()} data")
        for chart in drawn.all():
            # its text alternative (what a screen reader says: the aria-label Vega gives it
            # from its description), which points to its data; its numbers in the page's
            # language
            # (the chart's own element holds the description; its marks, theirs)
            labels = chart.evaluate(
                "e => [e, ...e.querySelectorAll('[aria-label]')]"
                ".map(x => x.getAttribute('aria-label') || '')"
            )
            if not any(label.endswith(t("chart_data_below", lang)) for label in labels):
                browser.problems.append(f"{path or 'bilan'} ({lang}): a chart without text")
            if lang == "fr" and any(re.search(r"\d\.\d", label) for label in labels):
                browser.problems.append(f"{path or 'bilan'}: a chart writes English decimals")
        page.wait_for_timeout(500)
        browser.screenshot(f"dashboards-{path or 'bilan'}-{lang}")
        # the tables' numbers are written in the page's language, not the browser's: what
        # Streamlit's table formatter writes (Intl with navigator.languages) is ours
        written = page.evaluate(
            "new Intl.NumberFormat(navigator.languages, {minimumFractionDigits: 2}).format(1384.5)"
        )
        if written != format_number(Decimal("1384.5"), lang, decimals=2):
            browser.problems.append(f"{path or 'bilan'} ({lang}): a table writes {written!r}")
        # a reader's toolbar: no deploy button
        if page.locator('[data-testid="stAppDeployButton"]').count():
            browser.problems.append(f"{path}: Streamlit's deploy button is shown")
        for selector in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
            for element in page.locator(selector).all():
                browser.problems.append(f"{path or 'bilan'} ({lang}): {element.inner_text()}")
    # Streamlit's front end first probes /<page>/_stcore/… for a base path, then the root:
    # those 404s (and the console lines they cause) are its way of working, not page errors
    failed = [f for f in failed if not re.search(r"/_stcore/(health|host-config)$", f)]
    console = [c for c in console if "status of 404" not in c]
    assert browser.problems + failed + console == []


def test_ctrl_c_stops_every_process_and_frees_the_ports(served):
    assert served.stop() == 0, served.output()
    time.sleep(1)
    for port in served.ports.values():
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served"
