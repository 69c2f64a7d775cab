"""``vigie bench``: the benchmarks, each printing its figures at a stated scale."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from vigie.orchestration.cli.common import parse_day, progress_bar, snapshot_to_export
from vigie.platform.settings import ENGINES, get_settings


@click.group()
def bench():
    """Benchmarks: print figures (rows/s, latency, peak memory) at stated scales."""


@bench.command("parse")
@click.option("--count", default=5000, show_default=True, help="Invoices to parse.")
@click.option("--lines", default=10, show_default=True, help="Lines per invoice.")
def bench_parse(count, lines):
    """Parse + XSD + official EN 16931 artefacts + hub rules on COUNT UBL invoices, one core
    (target ≥ 300/s)."""
    from vigie.platform.bench import bench_parse as run

    r = run(count, lines)
    click.echo(f"bench parse: {r.documents:,} UBL invoices of {lines} lines in {r.seconds:.2f} s")
    click.echo(
        f"  {r.per_second:,.0f} invoices/s on one core, {r.mean_us:,.0f} µs each; "
        f"peak RSS {r.peak_rss_mib:,.0f} MiB"
    )
    click.echo(
        f"  official artefacts (Saxon XSLT): {r.official_seconds:.2f} s, "
        f"{r.official_seconds / r.seconds:.0%} of the time"
    )


@bench.command("api")
@click.option("--count", default=5000, show_default=True, help="Deposits to send.")
@click.option("--concurrency", default=8, show_default=True, help="Concurrent clients.")
@click.option("--lines", default=10, show_default=True, help="Lines per invoice.")
@click.option("--workers", default=2, show_default=True, help="uvicorn worker processes.")
def bench_api(count, concurrency, lines, workers):
    """Full deposits over HTTP against uvicorn workers (target ≥ 250/s with two workers on two
    cores, p99 ≤ 100 ms)."""
    from vigie.platform.bench import bench_api as run

    r = run(count, concurrency, lines, workers)
    click.echo(
        f"bench api: {r.requests:,} deposits, {r.concurrency} concurrent clients, "
        f"{workers} worker(s), {r.seconds:.2f} s"
    )
    click.echo(
        f"  {r.per_second:,.0f} deposits/s; latency p50 {r.p50_ms:.1f} ms, "
        f"p95 {r.p95_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, max {r.max_ms:.1f} ms"
    )
    click.echo(
        f"  errors {r.errors:,}; acknowledged {r.acknowledged:,}; stored {r.stored:,}; "
        f"server peak RSS {r.server_peak_rss_mib or 0:,.0f} MiB"
    )
    if r.errors or r.stored != r.acknowledged:
        sys.exit(1)


@bench.command("generate")
@click.option("--from", "start", default="2020-01-01", callback=parse_day, show_default=True)
@click.option("--to", "end", default="2020-12-31", callback=parse_day, show_default=True)
@click.option("--scale", default=1.0, show_default=True, help="1.0 = the national volume.")
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this folder and keep it (default: a temporary folder, removed).",
)
def bench_generate(start, end, scale, seed, keep):
    """Generate a history into a scratch landing zone; print rows/s, seconds, peak memory.

    Target: one national year (scale 1.0, about 55 M invoices) in ≤ 10 min, ≤ 8 GiB.
    """
    import resource
    import shutil
    import tempfile

    from vigie.ingestion.generator import generate as run

    root = keep or Path(tempfile.mkdtemp(prefix="vigie-bench-generate-"))
    tick, close = progress_bar((end - start).days + 1)
    try:
        summary = run(root / "landing", start, end, scale=scale, seed=seed, progress=tick)
        size = sum(f.stat().st_size for f in (root / "landing").rglob("*.parquet"))
    finally:
        close()
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    total = sum(summary.rows.values())
    click.echo(
        f"bench generate: {start} → {end}, scale {scale}, seed {seed}: "
        f"{summary.seconds:,.1f} s, peak RSS {peak:,.2f} GiB, "
        f"{summary.files:,} files, {size / 2**30:,.2f} GiB of Parquet"
    )
    click.echo(
        f"  {total:,} rows, {total / summary.seconds:,.0f} rows/s; invoices "
        f"{summary.rows['invoices']:,} ({summary.rows['invoices'] / summary.seconds:,.0f}/s)"
    )
    for table, rows in sorted(summary.rows.items()):
        click.echo(f"  {table:<24} {rows:>14,}")


@bench.command("build")
@click.option("--full-refresh", is_flag=True, help="Rebuild every incremental model.")
@click.option(
    "--incremental",
    "one_day",
    callback=parse_day,
    help="Time a one-day partition run: reload this landing day (YYYY-MM-DD).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="Build with this engine (default: VIGIE_ENGINE, else duckdb).",
)
@click.option(
    "--scale",
    type=float,
    help="Generate the year 2020 at this scale in a temporary home first (timed apart), "
    "build it whole there, then remove it (default: build VIGIE_HOME's landing zone).",
)
def bench_build(full_refresh, one_day, engine, scale):
    """Check the landing zone, dbt build and publish on VIGIE_HOME; print seconds and memory.

    Target on a national year (vigie generate --scale 1.0): full build ≤ 10 min and ≤ 12
    GiB; one more day (--incremental DAY) ≤ 60 s. ``--engine spark --scale 0.01`` beside
    ``--engine duckdb --scale 0.01`` compares the two engines on the same data
    (docs/benchmarks.md § Spark).
    """
    import os
    import shutil
    import tempfile
    import time

    from vigie.ingestion.generator import generate
    from vigie.ingestion.landing import ContractViolation
    from vigie.orchestration.dbt import DbtFailed
    from vigie.orchestration.pipeline import refresh_warehouse

    environ = dict(os.environ)
    if engine:
        environ["VIGIE_ENGINE"] = engine
    scratch = None
    if scale is not None:
        if one_day is not None:
            raise click.UsageError("--scale builds a new year whole: no --incremental with it")
        scratch = Path(tempfile.mkdtemp(prefix="vigie-bench-build-"))
        environ["VIGIE_HOME"] = str(scratch / "home")
    settings = get_settings(environ)
    try:
        if scale is not None:
            started = time.perf_counter()
            summary = generate(
                settings.landing_dir, date(2020, 1, 1), date(2020, 12, 31), scale=scale, seed=7
            )
            click.echo(
                f"bench build: generated 2020 at scale {scale}: "
                f"{summary.rows['invoices']:,} invoices in {time.perf_counter() - started:,.1f} s"
            )
        began = time.perf_counter()
        try:
            result = refresh_warehouse(
                settings, landing_from=one_day, landing_to=one_day, full_refresh=full_refresh
            )
        except (DbtFailed, ContractViolation) as err:
            raise click.ClickException(str(err)) from None
        seconds = time.perf_counter() - began
        _report_build(settings, result, seconds)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _report_build(settings, result, seconds: float) -> None:
    import resource

    import duckdb

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    with duckdb.connect(str(result.snapshot.path), read_only=True) as con:
        invoices = con.execute("select count(*) from marts.fct_invoices").fetchone()[0]
        delays = con.execute("select count(*) from marts.fct_payment_delays").fetchone()[0]
    click.echo(
        f"bench build ({settings.engine}): {seconds:,.1f} s (dbt {result.dbt.seconds:,.1f} s, "
        f"landing check and publication {seconds - result.dbt.seconds:,.1f} s), peak RSS "
        f"dbt {children:,.2f} GiB, vigie {own:,.2f} GiB; {invoices:,} invoices, "
        f"{delays:,} payment delays → {result.snapshot.path}"
    )


@bench.command("ereporting")
@click.option(
    "--period", required=True, help="The month whose transmissions are exported (YYYY-MM)."
)
def bench_ereporting(period):
    """Export every e-reporting transmission of one month from VIGIE_HOME's serving snapshot
    into a scratch folder (its own history); print seconds, files/s and peak memory.

    Target on a national month: ≤ 5 minutes.
    """
    import dataclasses
    import resource
    import tempfile
    import time

    from vigie.orchestration.ereporting.export import export_transmissions

    settings = get_settings()
    snapshot = snapshot_to_export(settings)
    with tempfile.TemporaryDirectory(prefix="vigie-bench-er-") as scratch:
        # a scratch history too: the benchmark never marks the real periods as exported
        bench_settings = dataclasses.replace(settings, home=Path(scratch))
        began = time.perf_counter()
        outcomes = export_transmissions(
            bench_settings, snapshot.path, Path(scratch) / "out", period=period
        )
        seconds = time.perf_counter() - began
        size = sum(p.stat().st_size for p in (Path(scratch) / "out").glob("*.xml"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    invalid = sum(o.action == "invalid" for o in outcomes)
    written = sum(o.action == "exported" for o in outcomes)
    click.echo(
        f"bench ereporting {period}: {len(outcomes):,} transmissions, {written:,}"
        f" written ({size / 2**20:,.1f} MiB), {invalid} invalid, in {seconds:,.1f} s"
        f" ({len(outcomes) / max(seconds, 1e-9):,.0f}/s), peak RSS {peak:,.2f} GiB"
    )


@bench.command("national")
@click.option("--scale", default=1.0, show_default=True, help="1.0 = the national volume.")
@click.option("--year", default=2020, show_default=True, help="The year to generate.")
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run in this VIGIE_HOME (default: a temporary folder).",
)
@click.option("--keep", is_flag=True, help="Keep the data afterwards (default: removed).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def bench_national(scale, year, seed, home, keep, as_json):
    """The whole chain on a generated year: generate, extract, full build, publish, every
    dashboard page, one month of e-reporting, then one more day (incremental); print each
    step's seconds, rows/s and peak memory of the process tree, and the sizes on disk.

    Targets at --scale 1.0 (2020): generate ≤ 10 min, full build ≤ 10 min, publish ≤ 2 min,
    each page ≤ 1 s, an e-reporting month ≤ 5 min, one more day ≤ 60 s, peak ≤ 12 GiB.
    """
    import json
    import shutil
    import tempfile

    from vigie.orchestration.bench_national import format_table, run_national

    root = home or Path(tempfile.mkdtemp(prefix="vigie-bench-national-"))
    settings = get_settings({"VIGIE_HOME": str(root)})
    try:
        run = run_national(
            settings,
            scale=scale,
            year=year,
            seed=seed,
            progress=lambda m: click.echo(m, err=True),
        )
    finally:
        if not keep and home is None:
            shutil.rmtree(root, ignore_errors=True)
    if as_json:
        click.echo(json.dumps(run.as_dict(), indent=2))
    else:
        click.echo(format_table(run))
        if not keep and home is None:
            click.echo(f"  (data removed; --keep to keep {root})")


@bench.command("dashboards")
@click.option("--repeats", default=20, show_default=True, help="Runs of each query (p95).")
@click.option("--renders", default=3, show_default=True, help="Renders of each page (median).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_dashboards(repeats, renders, as_json):
    """Time every query of every dashboard page on VIGIE_HOME's serving snapshot (p95 over
    --repeats runs) and render each page with Streamlit's AppTest, answer cache off (median).

    Targets: each query ≤ 100 ms at p95, each page ≤ 1 s.
    """
    import dataclasses
    import json

    from vigie.dashboards import bench
    from vigie.platform.contracts.serving import current_snapshot

    snapshot = current_snapshot(get_settings())
    if snapshot is None:
        raise click.ClickException("no serving snapshot: run `vigie pipeline run` first")
    timings = bench.run(snapshot, repeats=repeats, renders=renders)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(t) for t in timings], indent=2))
        return
    size = bench.snapshot_size(snapshot) / 2**20
    click.echo(f"bench dashboards on {snapshot.path.name} ({size:,.0f} MiB)")
    click.echo(f"  {'page':<18}{'queries':>8}{'p95 query':>12}  {'slowest':<18}{'render':>9}")
    for t in timings:
        ok = "ok" if t.query_p95_ms <= 100 and (t.render_s or 0) <= 1 else "MISSED"
        render = "-" if t.render_s is None else f"{t.render_s:.2f} s"
        click.echo(
            f"  {t.page:<18}{t.queries:>8}{t.query_p95_ms:>9.1f} ms  "
            f"{t.slowest_query:<18}{render:>9}  {ok}"
        )
    if any(t.render_s is None for t in timings if "(" not in t.page):
        click.echo("  (pages not rendered: no operator is granted — vigie access grant)")


COMMANDS = [bench]
