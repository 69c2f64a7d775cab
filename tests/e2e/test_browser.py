"""Every dashboard page opened in a headless Chromium (Debian's ``chromium``, driven by
Playwright): it renders, shows no error, logs no error; a screenshot of each is kept."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from vigie.orchestration.services import dashboards_command

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CHROMIUM = os.environ.get("VIGIE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PAGES = {
    "": "Bilan annuel",  # the default page lives at the root
    "delais": "Délais de paiement",
    "rejets": "Rejets",
    "ereporting": "E-reporting",
    "recherche": "Recherche facture",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboards_url(demo_home, tmp_path):
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        dashboards_command("127.0.0.1", port),  # as `vigie serve` runs them
        env={**os.environ, "VIGIE_HOME": str(demo_home.home)},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not answer: " + (tmp_path / "streamlit.log").read_text())
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_every_page_renders_in_chromium_without_error(dashboards_url, tmp_path, demo_home):
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("VIGIE_SCREENSHOTS", tmp_path / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
        for path, title in PAGES.items():
            page.goto(f"{dashboards_url}/{path}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
            # the page's script has finished when Streamlit is no longer running it
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=60_000,
            )
            # charts and tables draw after the script ends: wait for their canvases
            for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
                chart.locator("canvas, svg").first.wait_for(timeout=30_000)
            page.wait_for_timeout(1_000)
            page.screenshot(path=str(shots / f"{path or 'bilan'}.png"), full_page=True)
            # a reader's toolbar: no deploy button (nor rerun or clear cache in the menu)
            if page.locator('[data-testid="stAppDeployButton"]').count():
                problems.append(f"{path}: Streamlit's deploy button is shown")
            for selector in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
                if page.locator(selector).count():
                    problems.append(f"{path}: {page.locator(selector).first.inner_text()}")
        browser.close()
    # Streamlit's front end first probes /<page>/_stcore/… for a base path, then the root:
    # those 404s (and the console lines they cause) are its way of working, not page errors
    problems = [
        p for p in problems
        if not re.search(r"/_stcore/(health|host-config)$", p)
        and p != "console: Failed to load resource: the server responded with a status of 404 "
        "(Not Found)"
    ]  # fmt: skip
    assert not problems, "\n".join(problems)
    assert sorted(p.name for p in shots.glob("*.png")) == sorted(
        f"{p or 'bilan'}.png" for p in PAGES
    )
