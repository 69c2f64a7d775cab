"""A real platform API server (``vigie api``) on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from helpers import free_port

from vigie.platform.settings import get_settings
from vigie.platform.store import Store

VIGIE = str(Path(sys.executable).parent / "vigie")
CORPUS = Path(__file__).parents[1] / "fixtures" / "corpus"


@dataclass
class ApiServer:
    url: str
    home: Path
    operator_key: str

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def start_api(home: Path, extra_env: dict[str, str] | None = None):
    settings = get_settings({"VIGIE_HOME": str(home)})
    settings.ensure_dirs()
    store = Store(settings.platform_db_path)
    key = store.create_operator_key("tests")
    store.close()
    port = free_port()
    log = (home / "api.log").open("w")
    proc = subprocess.Popen(
        [VIGIE, "api", "--port", str(port)],
        env={**os.environ, "VIGIE_HOME": str(home), **(extra_env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):  # bounded: 30 s at most
        if proc.poll() is not None:
            break
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return proc, ApiServer(url, home, key)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError((home / "api.log").read_text())


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    home = tmp_path_factory.mktemp("api") / "home"
    home.mkdir()
    proc, server = start_api(home, {"VIGIE_MAX_UPLOAD_BYTES": str(2 * 1024 * 1024)})
    try:
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def dagster_instance():
    """An in-memory Dagster instance, disposed when the test ends.

    Left to the garbage collector, its SQLite connections are finalized in whatever thread
    happens to collect them, such as a later Streamlit AppTest script thread. There they fail
    ("created in a thread…"), and the error is logged. Python 3.11 formats the traceback with
    `ast.parse`. Running that inside the script's own `ast.parse` resets the interpreter-wide
    depth counter, and the page fails with "AST constructor recursion depth mismatch".
    """
    import dagster as dg

    with dg.DagsterInstance.ephemeral() as instance:
        yield instance
