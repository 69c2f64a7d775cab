"""Running Vigie: the demo, the services, the generator, the pipeline and its status."""

from __future__ import annotations

import os
import sys

import click

from vigie.orchestration.cli.common import parse_day, progress_bar, serving_options
from vigie.platform.settings import get_settings


@click.command()
@click.option("--no-serve", is_flag=True, help="Run the pipeline, print a summary and exit.")
@click.option(
    "--from",
    "start",
    default="2019-01-01",
    callback=parse_day,
    show_default=True,
    help="First day of the sample history.",
)
@click.option(
    "--to",
    "end",
    default="2020-12-31",
    callback=parse_day,
    show_default=True,
    help="Last day of the sample history.",
)
@click.option(
    "--scale",
    default=0.00005,
    show_default=True,
    help="Fraction of the national volume (0.00005: about 5,000 invoices).",
)
@click.option("--seed", default=7, show_default=True, help="Random seed of the generator.")
@serving_options
def demo(
    no_serve, start, end, scale, seed, host, api_port, dagster_port, dashboards_port, sign_in_port
):
    """Sample history, warehouse build, snapshot, then serve.

    Runs the Dagster job demo_pipeline on the home's Dagster instance: generates a small
    history into the landing zone, runs dbt build, publishes the serving snapshot, exports
    the e-reporting files; then serves the platform API, the Dagster UI (which shows the
    run's materializations) and the dashboards on 127.0.0.1 until Ctrl-C (or exits after a
    summary with --no-serve).
    """
    from vigie.orchestration.dbt import DbtFailed
    from vigie.orchestration.executables import MissingExecutable
    from vigie.orchestration.pipeline import DemoFailed, run_demo

    settings = get_settings()
    click.echo(f"Vigie demo: data in {settings.home}")
    try:
        result = run_demo(settings, start=start, end=end, scale=scale, seed=seed)
    except (DemoFailed, DbtFailed, MissingExecutable) as err:
        raise click.ClickException(str(err)) from None
    for line in demo_summary(result, settings, start=start, end=end, scale=scale, seed=seed):
        click.echo(line)
    from vigie.orchestration.demo_people import grant_demo_people

    people = grant_demo_people(settings, result.snapshot.path)
    click.echo(f"  sign-in      {len(people)} demo people granted (vigie access list)")
    if no_serve:
        return
    _serve(settings, host, api_port, dagster_port, dashboards_port, sign_in_port)


def demo_summary(result, settings, *, start, end, scale, seed) -> list[str]:
    """Where every generated invoice went, and where to look at it."""
    g, scopes = result.generated, result.invoices_by_scope
    published = sum(scopes.values())
    spark = settings.engine == "spark"
    built = settings.spark_warehouse_dir if spark else settings.warehouse_path
    lines = [
        "",
        f"  generated    {g['invoices']:,} invoices, {g['invoice_status_events']:,} status "
        f"events, {g['deposit_refusals']:,} refused deposits, {g['b2c_sales']:,} B2C sales, "
        f"{g['structures']:,} structures ({start} → {end}, scale {scale}, seed {seed}) "
        f"in {result.generate_seconds:.1f} s → {settings.landing_dir}",
        f"  dbt build    passed in {result.dbt_seconds:.1f} s on {settings.engine}, every dbt "
        f"test an asset check → {built}",
        f"  published    {result.snapshot.path} ({result.months} months)",
        f"  invoices     {g['invoices']:,} generated = {scopes.get('B2G', 0):,} to public "
        f"buyers (B2G, the activity figures) + {scopes.get('B2Bi', 0):,} international B2B "
        "(B2Bi, recorded for e-reporting only)",
        f"  refusals     {g['deposit_refusals']:,} deposits refused at the door: never "
        "invoices, counted apart on the Rejets page",
        f"  e-reporting  {result.exported:,} flux 10 files → "
        f"{settings.exports_dir / 'ereporting' / 'out'}",
        f"  Dagster      run {result.run_id} on {settings.dagster_home} "
        "(materializations and checks in the UI)",
    ]
    if published != g["invoices"]:
        lines.append(
            f"  WARNING      {g['invoices'] - published:,} generated invoices are not in the "
            "snapshot"
        )
    return lines


def _serve(settings, host, api_port, dagster_port, dashboards_port, sign_in_port) -> None:
    from vigie.orchestration.dbt import prepare_manifest
    from vigie.orchestration.services import demo_services, serve

    prepare_manifest(settings)
    from vigie.orchestration.demo_people import sign_in_lines
    from vigie.orchestration.services import PRODUCTION_SECRETS_ENV

    services = demo_services(
        settings,
        host=host,
        api_port=api_port,
        dagster_port=dagster_port,
        dashboards_port=dashboards_port,
        provider_port=sign_in_port,
    )
    notes = []
    if not os.environ.get(PRODUCTION_SECRETS_ENV):
        people = sign_in_lines(settings)
        notes = [
            "\nsign in to the dashboards through the local OIDC provider: on its page, click"
            " the button of one of these people",
            *(people or ["    nobody is granted yet: vigie access grant --email … --role …"]),
        ]
    sys.exit(serve(services, settings.home / "logs", echo=click.echo, notes=notes))


@click.command("serve")
@serving_options
def serve_command(host, api_port, dagster_port, dashboards_port, sign_in_port):
    """Serve the API, the Dagster UI and the dashboards (with their sign-in provider)."""
    _serve(get_settings(), host, api_port, dagster_port, dashboards_port, sign_in_port)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def api(host, port):
    """Serve the platform's HTTP API (OpenAPI at /docs)."""
    import uvicorn

    uvicorn.run("vigie.platform.api:create_app", factory=True, host=host, port=port)


@click.command()
@click.option("--from", "start", required=True, callback=parse_day, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, callback=parse_day, help="Last day, included.")
@click.option(
    "--scale",
    default=0.001,
    show_default=True,
    help="Fraction of the national volume (1.0 = a national year).",
)
@click.option("--seed", default=7, show_default=True)
def generate(start, end, scale, seed):
    """Write a synthetic history into the landing zone."""
    from vigie.ingestion.generator import generate as run

    settings = get_settings()
    settings.ensure_dirs()
    tick, close = progress_bar((end - start).days + 1)
    try:
        summary = run(settings.landing_dir, start, end, scale=scale, seed=seed, progress=tick)
    finally:
        close()
    rows = ", ".join(f"{t} {n:,}" for t, n in sorted(summary.rows.items()))
    click.echo(f"wrote {summary.files:,} files in {summary.seconds:.1f} s: {rows}")


@click.group()
def pipeline():
    """Warehouse pipeline: dbt build and publication."""


def _refresh(landing_from, landing_to, full_refresh) -> None:
    from vigie.ingestion.landing import ContractViolation
    from vigie.orchestration.dbt import DbtFailed
    from vigie.orchestration.pipeline import refresh_warehouse

    try:
        result = refresh_warehouse(
            get_settings(),
            landing_from=landing_from,
            landing_to=landing_to,
            full_refresh=full_refresh,
            say=click.echo,
        )
    except (DbtFailed, ContractViolation) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"dbt build passed in {result.dbt.seconds:.1f} s; published {result.snapshot.path}")


@pipeline.command("run")
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Rebuild the incremental models from the whole landing zone.",
)
@click.option(
    "--to",
    "landing_to",
    callback=parse_day,
    help="Load landing days up to this one only (YYYY-MM-DD).",
)
def pipeline_run(full_refresh, landing_to):
    """Build the warehouse with dbt and publish the serving snapshot if every test passed.

    Incremental by default: the large models load the landing days from the last one
    already loaded onwards (a first build loads everything). Models whose code changed
    since the last build that passed (their SQL, configuration, macros or the contract of
    what they read) are rebuilt whole with their dependents, and named.

    The engine is DuckDB, or Spark with VIGIE_ENGINE=spark (make setup-spark; docs/scale-out.md).
    """
    _refresh(None, landing_to, full_refresh)


@pipeline.command("backfill")
@click.option(
    "--from",
    "landing_from",
    required=True,
    callback=parse_day,
    help="First landing day to load again (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "landing_to",
    required=True,
    callback=parse_day,
    help="Last landing day to load again (YYYY-MM-DD).",
)
def pipeline_backfill(landing_from, landing_to):
    """Load the landing days FROM–TO again (the invoices they touch are recomputed), test
    those days, and publish the serving snapshot if every test passed."""
    if landing_to < landing_from:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    _refresh(landing_from, landing_to, False)


@pipeline.command("manifest")
def pipeline_manifest():
    """Parse the dbt project into transformations/target (what Dagster loads)."""
    from vigie.orchestration.dbt import prepare_manifest

    click.echo(prepare_manifest(get_settings()))


@click.command()
def status():
    """Show the data folder, snapshot, last build and the EDI inbox."""
    from vigie.orchestration.inbox import inbox_counts
    from vigie.platform.contracts.serving import current_snapshot, last_build

    settings = get_settings()
    snap, build = current_snapshot(settings), last_build(settings)
    click.echo(f"VIGIE_HOME  {settings.home}")
    click.echo(f"snapshot    {snap.path if snap else 'none published yet'}")
    if build:
        when = build.at.astimezone().strftime("%Y-%m-%d %H:%M")
        click.echo(f"last build  {'ok' if build.ok else 'FAILED'} at {when}: {build.message}")
    inbox = inbox_counts(settings)
    click.echo(
        f"EDI inbox   {settings.inbox_dir}: {inbox['waiting']} waiting, "
        f"{inbox['done']} done, {inbox['refused']} refused"
    )


COMMANDS = [demo, serve_command, api, generate, pipeline, status]
