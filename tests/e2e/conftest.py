"""What the end-to-end tests share: the served demo and a headless Chromium that may reach
nothing but this machine.

The browser is Debian's ``chromium`` driven by Playwright (no browser download). Under CI
(``CI=true``) a missing browser fails the tests; on a developer's machine it skips them with
the command that installs it. Each page a test opens is kept as a screenshot, in
``$VIGIE_SCREENSHOTS`` (default ``test-artifacts/screenshots``, git-ignored), so a failure
can be looked at.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import debian_program_or_skip, free_port

from vigie.platform.settings import REPO_ROOT

CHROMIUM = Path(os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(
    os.environ.get("VIGIE_SCREENSHOTS", REPO_ROOT / "test-artifacts" / "screenshots")
)
#: the flags that keep Chromium from calling home on a closed network
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:|about:)")
#: a shell whose PATH does not hold .venv/bin, as a newcomer's
NEWCOMER_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass
class Served:
    """``vigie serve`` running on a demo home: its URLs, its process, what it printed."""

    proc: subprocess.Popen
    log_path: Path
    ports: dict[str, int]
    urls: list[str] = field(default_factory=list)

    def base(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def stop(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise


@pytest.fixture(scope="session")
def served(demo_home, tmp_path_factory) -> Iterator[Served]:
    """``vigie serve`` on the session's demo home, from a shell that never activated .venv
    (one for the whole session: the test of Ctrl-C runs last, see below)."""
    ports = {
        "api": free_port(),
        "dagster": free_port(),
        "dashboards": free_port(),
        "sign_in": free_port(),
    }
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "vigie"),
                "serve",
                "--api-port",
                str(ports["api"]),
                "--dagster-port",
                str(ports["dagster"]),
                "--dashboards-port",
                str(ports["dashboards"]),
                "--sign-in-port",
                str(ports["sign_in"]),
            ],
            env={**os.environ, "VIGIE_HOME": str(demo_home.home), "PATH": NEWCOMER_PATH},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    served = Served(proc, log_path, ports)
    try:
        deadline = time.monotonic() + 240
        while len(served.urls) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(1)
            served.urls = re.findall(r"(http://127\.0\.0\.1:\d+/\S*)", served.output())
        assert len(served.urls) == 4, served.output()
        yield served
    finally:
        if proc.poll() is None:
            served.stop()


@dataclass
class Browser:
    """One headless Chromium page that may load only from this machine."""

    page: object
    problems: list[str]
    shots: list[Path] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """The whole page at its width: Streamlit scrolls inside its own container, so a
        full-page screenshot held the first screen only; the window is made as tall as
        the page for the shot (at most 12,000 px)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        size = self.page.viewport_size
        tall = self.page.evaluate(
            "() => Math.max(document.body.scrollHeight, ...[...document.querySelectorAll("
            '\'[data-testid="stMain"], [data-testid="stAppViewContainer"]\')]'
            ".map(e => e.scrollHeight))"
        )
        if size and tall > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": min(tall, 12_000)})
            self.page.wait_for_timeout(700)  # charts redraw at the new size
        try:
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            if size and tall > size["height"]:
                self.page.set_viewport_size(size)
        self.shots.append(path)
        return path


def chromium_or_skip() -> Path:
    return debian_program_or_skip(
        CHROMIUM, package="chromium", variable="VIGIE_CHROMIUM", needed_for="run the browser tests"
    )


@pytest.fixture
def browser(request) -> Iterator[Browser]:
    """A page in headless Chromium; any request off this machine is refused and reported."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []

    def route(r):
        if LOCAL.match(r.request.url):
            r.continue_()
        else:
            problems.append(f"request off this machine: {r.request.url}")
            r.abort()

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        # the browser's own language: French, or a test's ``browser_locale`` marker
        marker = request.node.get_closest_marker("browser_locale")
        locale = marker.args[0] if marker else "fr-FR"
        context = chromium.new_context(viewport={"width": 1280, "height": 1000}, locale=locale)
        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        b = Browser(page, problems)
        try:
            yield b
        finally:
            failed = getattr(request.node, "rep_call", None)
            if failed is not None and failed.failed:
                b.screenshot(f"FAILED-{request.node.name}")
            chromium.close()


def pytest_collection_modifyitems(items):
    """The test that stops the served demo with Ctrl-C runs after every test that uses it."""
    items.sort(key=lambda item: item.name.startswith("test_ctrl_c"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture can tell that its test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
