"""``vigie bench national``: a national year end to end on this machine, step by step.

generate a year → extract the platform outbox → full dbt build (every landing day but the
last) → publish → query every dashboard page → export one month of e-reporting → add the
last day (incremental build + publish). Each step: wall time, rows per second, peak memory
of the whole process tree (this process and dbt, sampled from /proc), and the sizes on disk.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from vigie.platform.settings import Settings

#: the issue's targets, in seconds (None: no target for the step)
TARGETS = {
    "generate": 600,
    "extract": None,
    "full build": 600,
    "publish": 120,
    "dashboards": 1,
    "e-reporting month": 300,
    "one more day": 60,
}
PEAK_TARGET_GIB = 12


@dataclass
class Step:
    name: str
    seconds: float
    rows: int
    peak_gib: float
    detail: str = ""
    target_s: float | None = None

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool | None:
        return None if self.target_s is None else self.seconds <= self.target_s


@dataclass
class NationalRun:
    scale: float
    year: int
    home: str
    steps: list[Step] = field(default_factory=list)
    sizes_gib: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        for step, data in zip(self.steps, out["steps"], strict=True):
            data["rows_per_s"] = round(step.rows_per_s, 1)
            data["ok"] = step.ok
        out["peak_gib"] = max((s.peak_gib for s in self.steps), default=0.0)
        return out


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            proc = Path("/proc") / str(p)
            pages = int((proc / "statm").read_text().split()[1])
            total += pages * os.sysconf("SC_PAGE_SIZE")
            for task in (proc / "task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


class PeakMemory:
    """Samples the process tree's resident memory every 0.2 s while in the ``with``."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss_bytes(os.getpid()))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _tree_rss_bytes(os.getpid()))

    @property
    def gib(self) -> float:
        return self.peak / 2**30


def _size_gib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**30
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**30


#: who the dashboards bench renders the pages as, in the national bench's scratch home
BENCH_OPERATOR = "bench@vigie.invalid"


def run_national(
    settings: Settings,
    *,
    scale: float,
    year: int,
    seed: int = 7,
    progress: Callable[[str], None] = lambda _m: None,
) -> NationalRun:
    from vigie.dashboards import bench as dashboards_bench
    from vigie.ingestion.extract import extract
    from vigie.ingestion.generator import generate
    from vigie.orchestration.ereporting.export import export_transmissions
    from vigie.orchestration.pipeline import build_warehouse
    from vigie.orchestration.publish import publish_snapshot, record_build

    settings.ensure_dirs()
    first, last = date(year, 1, 1), date(year, 12, 31)
    result = NationalRun(scale=scale, year=year, home=str(settings.home))

    def step(name: str, action: Callable[[], tuple[int, str]]) -> None:
        progress(f"{name} …")
        with PeakMemory() as memory:
            began = time.perf_counter()
            rows, detail = action()
            seconds = time.perf_counter() - began
        result.steps.append(Step(name, seconds, rows, memory.gib, detail, TARGETS.get(name)))
        progress(f"{name}: {seconds:,.1f} s, peak {memory.gib:,.2f} GiB {detail}")

    def _generate():
        summary = generate(settings.landing_dir, first, last, scale=scale, seed=seed)
        return sum(summary.rows.values()), f"{summary.rows['invoices']:,} invoices"

    def _extract():
        r = extract(settings)
        return sum(r.rows.values()), f"outbox {r.start_seq} → {r.end_seq}"

    def _count(sql: str) -> int:
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            return con.execute(sql).fetchone()[0]

    def _full_build():
        run = build_warehouse(settings, landing_to=last - timedelta(days=1), full_refresh=True)
        events = _count("select count(*) from staging.stg_platform__invoice_status_events")
        invoices = _count("select count(*) from marts.fct_invoices")
        return events + invoices, f"dbt {run.seconds:,.1f} s, {invoices:,} invoices"

    snapshot_box = {}

    def _publish():
        ref = publish_snapshot(settings)
        record_build(settings, ok=True, message=f"published {ref.snapshot_id}")
        snapshot_box["ref"] = ref
        return sum(ref.tables.values()), f"{len(ref.tables)} tables"

    def _dashboards():
        # the pages render as an operator of this scratch home sees them
        from vigie.platform import access
        from vigie.platform.store import Store

        store = Store(settings.platform_db_path)
        try:
            access.grant(store, role="operator", by="vigie bench national", email=BENCH_OPERATOR)
        finally:
            store.close()
        timings = dashboards_bench.run(snapshot_box["ref"], repeats=5, renders=2, settings=settings)
        worst_query = max(timings, key=lambda t: t.query_p95_ms)
        worst_page = max((t for t in timings if t.render_s is not None), key=lambda t: t.render_s)
        detail = (
            f"slowest query p95 {worst_query.query_p95_ms:,.0f} ms "
            f"({worst_query.page}: {worst_query.slowest_query}); slowest page "
            f"{worst_page.page} {worst_page.render_s:,.2f} s"
        )
        snapshot_box["page_s"] = worst_page.render_s
        return sum(t.queries for t in timings), detail

    def _ereporting():
        scratch = dataclasses.replace(settings, home=settings.home / "bench-ereporting")
        outcomes = export_transmissions(
            scratch, snapshot_box["ref"].path, scratch.home / "out", period=f"{year}-11"
        )
        invalid = sum(o.action == "invalid" for o in outcomes)
        return len(outcomes), f"{len(outcomes):,} transmissions, {invalid} invalid"

    def _one_more_day():
        run = build_warehouse(settings, landing_from=last, landing_to=last)
        ref = publish_snapshot(settings)
        record_build(settings, ok=True, message=f"published {ref.snapshot_id}")
        events = _count(
            "select count(*) from staging.stg_platform__invoice_status_events"
            f" where recorded_date = date '{last}'"
        )
        return events, f"dbt {run.seconds:,.1f} s, {events:,} events of {last}"

    step("generate", _generate)
    step("extract", _extract)
    step("full build", _full_build)
    step("publish", _publish)
    step("dashboards", _dashboards)
    # the dashboards' target is per page: judge the slowest page, not the whole step
    result.steps[-1].seconds = snapshot_box["page_s"]
    step("e-reporting month", _ereporting)
    step("one more day", _one_more_day)
    ref = snapshot_box["ref"]
    result.sizes_gib = {
        "landing": round(_size_gib(settings.landing_dir), 3),
        "warehouse": round(_size_gib(settings.warehouse_path), 3),
        "snapshot": round(_size_gib(ref.path), 3),
    }
    return result


def format_table(run: NationalRun) -> str:
    lines = [
        f"vigie bench national: scale {run.scale}, year {run.year}, VIGIE_HOME {run.home}",
        f"  {'step':<18}{'seconds':>10}{'target':>9}{'rows/s':>14}{'peak GiB':>10}  detail",
    ]
    for s in run.steps:
        target = "—" if s.target_s is None else f"{s.target_s:g}"
        mark = "" if s.ok is None else (" ok" if s.ok else " MISSED")
        lines.append(
            f"  {s.name:<18}{s.seconds:>10,.1f}{target:>9}{s.rows_per_s:>14,.0f}"
            f"{s.peak_gib:>10,.2f}  {s.detail}{mark}"
        )
    peak = max((s.peak_gib for s in run.steps), default=0.0)
    lines.append(
        f"  peak memory {peak:,.2f} GiB (target ≤ {PEAK_TARGET_GIB}); on disk: "
        + ", ".join(f"{k} {v:,.2f} GiB" for k, v in run.sizes_gib.items())
    )
    return "\n".join(lines)
