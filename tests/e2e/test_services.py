"""`vigie serve`: the three URLs answer 200, then Ctrl-C stops every process."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
VIGIE = str(Path(sys.executable).parent / "vigie")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_answers_on_three_urls_and_stops_cleanly_on_ctrl_c(demo_home, tmp_path):
    ports = [_free_port() for _ in range(3)]
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [
            VIGIE,
            "serve",
            "--api-port",
            str(ports[0]),
            "--dagster-port",
            str(ports[1]),
            "--dashboards-port",
            str(ports[2]),
        ],  # fmt: skip
        env={**os.environ, "VIGIE_HOME": str(demo_home.home)},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        urls: list[str] = []
        deadline = time.monotonic() + 240
        while len(urls) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(1)
            log.seek(0)
            urls = re.findall(r"(http://127\.0\.0\.1:\d+/\S*)", log.read())
        log.seek(0)
        output = log.read()
        assert len(urls) == 3, output
        assert {int(re.search(r":(\d+)/", u).group(1)) for u in urls} == set(ports)
        for url in urls:
            with urllib.request.urlopen(url, timeout=10) as resp:
                assert resp.status == 200, url
        with urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/v1/health", timeout=10) as r:
            assert b'"status":"ok"' in r.read()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert code == 0
    time.sleep(1)
    for port in ports:
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served"
