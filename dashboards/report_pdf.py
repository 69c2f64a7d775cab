"""The Bilan annuel as a PDF (A4): its self-contained HTML printed by headless Chromium.

The browser is Debian's ``chromium`` (``VIGIE_CHROMIUM`` names another), driven by
Playwright, which downloads none; without it the page says that the PDF needs it. The HTML
loads nothing (inline SVG chart, no script, no link), and the browser is refused any request
all the same.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: the flags that keep Chromium from calling home on a closed network
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumMissing(RuntimeError):
    """No Chromium to print with."""


def chromium() -> Path | None:
    """The Chromium executable, or None when it is not installed."""
    path = Path(os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium"))
    return path if path.exists() else None


def _print(html: str, executable: Path) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # the page fetches nothing
            page.set_content(html, wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
            )
        finally:
            browser.close()


def html_to_pdf(html: str) -> bytes:
    """``html`` printed to an A4 PDF. Run in a thread of its own: Playwright's sync API
    refuses a thread that has an asyncio loop (Streamlit's script threads may)."""
    executable = chromium()
    if executable is None:
        raise ChromiumMissing("the PDF is printed by Chromium: `sudo apt-get install chromium`")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, executable).result(timeout=120)
