"""Benchmarks of the platform: ``vigie bench parse`` and ``vigie bench api``.

``parse``: read + XSD + the official EN 16931 artefacts (Saxon) + the hub's rules on
ten-line UBL invoices, one core, in process; it says the share of the time the artefacts
take.
``api``: full deposits over HTTP (parse, validate, archive, store, outbox) against uvicorn
workers in their own processes, from a raw-socket asyncio client with pre-built requests
(so the client is not the bottleneck), N concurrent keep-alive connections.
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigie.platform.contracts.invoices import RuleFinding
from vigie.platform.documents import official
from vigie.platform.documents.read import read_documents
from vigie.platform.documents.samples import ubl_invoice
from vigie.platform.identifiers import luhn_ok
from vigie.platform.rules import check_document
from vigie.platform.service import tune_gc


def _siret(n: int) -> str:
    base = f"{n:013d}"
    return next(base + d for d in "0123456789" if luhn_ok(base + d))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class ParseResult:
    documents: int
    seconds: float
    per_second: float
    mean_us: float
    peak_rss_mib: float
    #: seconds spent in the official artefacts (serialising, the XSLT, reading its report)
    official_seconds: float = 0.0


def bench_parse(count: int = 5000, lines: int = 10) -> ParseResult:
    """Parse and validate ``count`` distinct ``lines``-line UBL invoices, one core."""
    seller, buyer = _siret(1), _siret(2)
    docs = [
        ubl_invoice(f"P-{i:07d}", seller_siret=seller, buyer_siret=buyer, lines=lines, seed=i)
        for i in range(count)
    ]
    for data in docs[:50]:  # warm up: schema compilation, caches
        list(read_documents(data, "w.xml"))
    tune_gc()  # the platform server's settings
    spent = [0.0]
    validate = official.validate

    def timed(*args: Any, **kwargs: Any) -> tuple[RuleFinding, ...]:
        began = time.perf_counter()
        try:
            return validate(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - began

    official.validate = timed
    try:
        start = time.perf_counter()
        for data in docs:
            for result in read_documents(data, "bench.xml"):
                if result.document is None or check_document(result.document):
                    raise RuntimeError(f"benchmark invoice refused: {result.error}")
        seconds = time.perf_counter() - start
    finally:
        official.validate = validate
    return ParseResult(
        count, seconds, count / seconds, seconds / count * 1e6, _peak_rss_mib(), spent[0]
    )


@dataclass
class ApiResult:
    requests: int
    concurrency: int
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    acknowledged: int
    stored: int
    server_peak_rss_mib: float | None


def _multipart(data: bytes, name: str, fields: dict[str, str], boundary: str) -> bytes:
    parts = []
    for key, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/xml\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _request(host: str, port: int, key: str, body: bytes, boundary: str) -> bytes:
    head = (
        f"POST /v1/invoices HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {key}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


async def _client(
    host: str, port: int, requests: list[bytes], latencies: list[float], statuses: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for raw in requests:
            t0 = time.perf_counter()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            statuses.append(status)
    finally:
        writer.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_api(
    count: int = 5000, concurrency: int = 8, lines: int = 10, workers: int = 2
) -> ApiResult:
    """Deposit ``count`` distinct invoices through ``workers`` uvicorn workers; check what was
    stored."""
    from vigie.platform.service import Platform
    from vigie.platform.settings import get_settings

    with tempfile.TemporaryDirectory(prefix="vigie-bench-api-") as tmp:
        home = Path(tmp)
        settings = get_settings({"VIGIE_HOME": str(home)})
        platform = Platform(settings)
        recipient = platform.create_structure(
            siret=_siret(2), name="Bench", public_category="state"
        )
        supplier = platform.create_structure(siret=_siret(1), name="Bench supplier")
        platform.close()
        boundary = uuid.uuid4().hex
        port = _free_port()

        def deposit(number: str, file_name: str, fields: dict[str, str], seed: int = 0) -> bytes:
            assert supplier.siret is not None and recipient.siret is not None
            invoice = ubl_invoice(
                number,
                seller_siret=supplier.siret,
                buyer_siret=recipient.siret,
                lines=lines,
                seed=seed,
            )
            body = _multipart(invoice, file_name, fields, boundary)
            return _request("127.0.0.1", port, supplier.api_key, body, boundary)

        requests = [
            deposit(f"A-{i:07d}", f"inv-{i}.xml", {"channel": "api"}, seed=i) for i in range(count)
        ]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "vigie.platform.api:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env={**os.environ, "VIGIE_HOME": str(home)},
        )
        try:
            _wait(port, server)
            warm = [deposit(f"W-{i:04d}", "w.xml", {}) for i in range(50)]
            asyncio.run(_run([warm], port, [], []))
            latencies: list[float] = []
            statuses: list[int] = []
            shards = [requests[i::concurrency] for i in range(concurrency)]
            start = time.perf_counter()
            asyncio.run(_run(shards, port, latencies, statuses))
            seconds = time.perf_counter() - start
            rss = _rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        with sqlite3.connect(home / "platform.sqlite") as con:
            stored = con.execute(
                "select count(*) from invoices where invoice_number like 'A-%'"
            ).fetchone()[0]
    qs = statistics.quantiles([x * 1000 for x in latencies], n=100)
    acknowledged = sum(1 for s in statuses if s == 201)
    return ApiResult(
        requests=count,
        concurrency=concurrency,
        seconds=seconds,
        per_second=count / seconds,
        p50_ms=qs[49],
        p95_ms=qs[94],
        p99_ms=qs[98],
        max_ms=max(latencies) * 1000,
        errors=count - acknowledged,
        acknowledged=acknowledged,
        stored=stored,
        server_peak_rss_mib=rss,
    )


async def _run(
    shards: list[list[bytes]], port: int, latencies: list[float], statuses: list[int]
) -> None:
    await asyncio.gather(*(_client("127.0.0.1", port, s, latencies, statuses) for s in shards))


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):  # bounded: 30 s
        if server.poll() is not None:
            raise RuntimeError("the API server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the API server did not start")


def _rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
