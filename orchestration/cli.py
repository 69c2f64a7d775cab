"""The ``vigie`` command: one entry point for every part of Vigie.

Imports are local to each command so that ``vigie --help`` answers at once.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from vigie.platform.reference import LEGAL_DELAY_DAYS
from vigie.platform.settings import get_settings


def _day(_ctx, _param, value):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _progress(total_days: int):
    """A progress bar on stderr when it is a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total_days, unit="day", file=sys.stderr, leave=False)
    return (lambda _day: bar.update(1)), bar.close


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="vigie")
def main() -> None:
    """Vigie: analytics, reporting and e-reporting warehouse for a national e-invoicing hub.

    Everything is written under VIGIE_HOME (default ./data).
    """


@main.command()
@click.option("--no-serve", is_flag=True, help="Run the pipeline, print a summary and exit.")
@click.option(
    "--from",
    "start",
    default="2019-01-01",
    callback=_day,
    show_default=True,
    help="First day of the sample history.",
)
@click.option(
    "--to",
    "end",
    default="2020-12-31",
    callback=_day,
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
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--api-port", default=8000, show_default=True)
@click.option("--dagster-port", default=3000, show_default=True)
@click.option("--dashboards-port", default=8501, show_default=True)
@click.option(
    "--sign-in-port",
    default=9400,
    show_default=True,
    help="Port of the local OIDC provider the dashboards sign in with.",
)
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
    lines = [
        "",
        f"  generated    {g['invoices']:,} invoices, {g['invoice_status_events']:,} status "
        f"events, {g['deposit_refusals']:,} refused deposits, {g['b2c_sales']:,} B2C sales, "
        f"{g['structures']:,} structures ({start} → {end}, scale {scale}, seed {seed}) "
        f"in {result.generate_seconds:.1f} s → {settings.landing_dir}",
        f"  dbt build    passed in {result.dbt_seconds:.1f} s, every dbt test an asset check "
        f"→ {settings.warehouse_path}",
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


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--api-port", default=8000, show_default=True)
@click.option("--dagster-port", default=3000, show_default=True)
@click.option("--dashboards-port", default=8501, show_default=True)
@click.option(
    "--sign-in-port",
    default=9400,
    show_default=True,
    help="Port of the local OIDC provider (not started when VIGIE_DASHBOARD_SECRETS "
    "names a production provider).",
)
def serve_command(host, api_port, dagster_port, dashboards_port, sign_in_port):
    """Serve the API, the Dagster UI and the dashboards (with their sign-in provider)."""
    _serve(get_settings(), host, api_port, dagster_port, dashboards_port, sign_in_port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def api(host, port):
    """Serve the platform's HTTP API (OpenAPI at /docs)."""
    import uvicorn

    uvicorn.run("vigie.platform.api:create_app", factory=True, host=host, port=port)


@main.command()
@click.option("--from", "start", required=True, callback=_day, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, callback=_day, help="Last day, included.")
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
    tick, close = _progress((end - start).days + 1)
    try:
        summary = run(settings.landing_dir, start, end, scale=scale, seed=seed, progress=tick)
    finally:
        close()
    rows = ", ".join(f"{t} {n:,}" for t, n in sorted(summary.rows.items()))
    click.echo(f"wrote {summary.files:,} files in {summary.seconds:.1f} s: {rows}")


@main.group()
def structure():
    """Structures (public entities and suppliers) of the platform."""


@structure.command("create")
@click.option("--siret", required=True, help="14 digits, Luhn-checked (La Poste exception).")
@click.option("--name", required=True)
@click.option(
    "--public",
    "category",
    type=click.Choice(list(LEGAL_DELAY_DAYS)),
    help="A public structure of this category (legal delay: "
    + ", ".join(f"{c} {d} days" for c, d in LEGAL_DELAY_DAYS.items())
    + ").",
)
@click.option("--private", is_flag=True, help="A private structure (a supplier).")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="CODE",
    help="A service code of the structure (repeat for several).",
)
@click.option("--requires-service-code", is_flag=True, help="Invoices must name a service.")
@click.option("--requires-engagement", is_flag=True, help="Invoices must carry an engagement.")
@click.option(
    "--no-payment-status", is_flag=True, help="The structure does not report MISE_EN_PAIEMENT."
)
@click.option("--delay", type=click.IntRange(1, 120), help="Override the legal delay (days).")
@click.option("--vat-id", help="Intra-EU VAT number (FR…).")
@click.option(
    "--vat-regime",
    type=click.Choice(
        ["reel_normal_mensuel", "reel_normal_trimestriel", "reel_simplifie", "franchise"]
    ),
    help="Makes it an e-reporting declarant; sets the periods of its transmissions.",
)
@click.option("--vat-on-debits", is_flag=True, help="It opted for VAT on debits.")
def structure_create(
    siret,
    name,
    category,
    private,
    services,
    requires_service_code,
    requires_engagement,
    no_payment_status,
    delay,
    vat_id,
    vat_regime,
    vat_on_debits,
):
    """Create a structure; print it as JSON with its id and API key."""

    from vigie.platform.service import Platform, PlatformError

    if bool(category) == bool(private):
        raise click.UsageError("give exactly one of --public CATEGORY or --private")
    platform = Platform(get_settings())
    try:
        created = platform.create_structure(
            siret=siret,
            name=name,
            public_category=category,
            legal_payment_delay_days=delay,
            requires_service_code=requires_service_code,
            requires_engagement_number=requires_engagement,
            reports_payment_status=not no_payment_status,
            services=[{"code": code} for code in services],
            vat_id=vat_id,
            vat_regime=vat_regime,
            vat_on_debits=vat_on_debits,
        )
    except PlatformError as err:
        raise click.ClickException(f"{err.code}: {err.message_en} ({err.detail})") from None
    finally:
        platform.close()
    click.echo(created.model_dump_json(indent=2))


@main.command("operator-key")
@click.option("--name", required=True, help="Who the key is for.")
def operator_key(name):
    """Create an operator API key (sees everything, manages structures); print it as JSON."""
    import json

    from vigie.platform.store import Store

    store = Store(get_settings().platform_db_path)
    try:
        click.echo(
            json.dumps(
                {"name": name, "role": "operator", "api_key": store.create_operator_key(name)}
            )
        )
    finally:
        store.close()


@main.group()
def key():
    """API keys, for machines: create, list, rotate, revoke."""


def _store():
    from vigie.platform.store import Store

    return Store(get_settings().platform_db_path)


@key.command("list")
def key_list():
    """Every key (by id: the start of its hash; the key itself is never kept)."""
    store = _store()
    try:
        for k in store.api_keys():
            state = f"revoked {k['revoked_at'][:19]}" if k["revoked_at"] else "active"
            click.echo(
                f"{k['key_id']}  {k['role']:<9}  {k['siret'] or '-':<14}  {state:<27}  {k['name']}"
            )
    finally:
        store.close()


@key.command("create")
@click.option("--structure", "siret", help="The key of this structure (its SIRET).")
@click.option("--operator", is_flag=True, help="An operator key (sees everything).")
@click.option("--name", required=True, help="Who or what the key is for.")
def key_create(siret, operator, name):
    """Create a key; print it once as JSON (only its hash is kept)."""
    import json

    if bool(siret) == bool(operator):
        raise click.UsageError("give exactly one of --structure SIRET or --operator")
    store = _store()
    try:
        made = (
            store.create_operator_key(name) if operator else store.create_structure_key(siret, name)
        )
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None
    finally:
        store.close()
    click.echo(
        json.dumps(
            {
                "name": name,
                "role": "operator" if operator else "structure",
                "siret": siret,
                "api_key": made,
            }
        )
    )


@key.command("rotate")
@click.argument("key_id")
def key_rotate(key_id):
    """Replace a key: a new one for the same holder, the old one revoked at once."""
    import json

    store = _store()
    try:
        made = store.rotate_api_key(key_id)
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None
    finally:
        store.close()
    click.echo(json.dumps({"replaced": key_id, "api_key": made}))


@key.command("revoke")
@click.argument("key_id")
def key_revoke(key_id):
    """Revoke a key: the API refuses it within seconds (401)."""
    store = _store()
    try:
        store.revoke_api_key(key_id)
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None
    finally:
        store.close()
    click.echo(f"revoked {key_id}")


@main.group()
def access():
    """Who may sign in to the dashboards, with which role and structures; the audit log."""


def _operator_name() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


@access.command("grant")
@click.option("--email", help="The person, by the e-mail their provider gives.")
@click.option(
    "--organisation",
    "organisation_siret",
    help="Everybody of this organisation (the SIRET ProConnect gives).",
)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["operator", "public_entity", "supplier", "tax_administration"]),
)
@click.option(
    "--structure",
    "structures",
    multiple=True,
    metavar="SIRET",
    help="A structure the person sees (public_entity, supplier; repeatable).",
)
def access_grant(email, organisation_siret, role, structures):
    """Let a person (or an organisation) sign in with ROLE over their structures."""
    from vigie.platform import access as acl

    store = _store()
    try:
        made = acl.grant(
            store,
            role=role,
            by=_operator_name(),
            email=email,
            organisation_siret=organisation_siret,
            structure_sirets=tuple(structures),
        )
    except acl.AccessError as err:
        raise click.ClickException(str(err)) from None
    finally:
        store.close()
    click.echo(
        f"granted {role} to {email or organisation_siret}"
        + (f" over {', '.join(structures)}" if structures else "")
        + ("" if made else " (already in force)")
    )


@access.command("revoke")
@click.option("--email")
@click.option("--organisation", "organisation_siret")
def access_revoke(email, organisation_siret):
    """Revoke every grant of a person (or organisation): their next page says no access."""
    from vigie.platform import access as acl

    store = _store()
    try:
        count = acl.revoke(
            store, by=_operator_name(), email=email, organisation_siret=organisation_siret
        )
    except acl.AccessError as err:
        raise click.ClickException(str(err)) from None
    finally:
        store.close()
    click.echo(f"revoked {count} grant(s) of {email or organisation_siret}")


@access.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Revoked grants too.")
def access_list(include_revoked):
    """The grants in force (principal, role, structure)."""
    from vigie.platform import access as acl

    store = _store()
    try:
        for g in acl.grants(store, include_revoked=include_revoked):
            state = f"  revoked {g['revoked_at'][:19]}" if g["revoked_at"] else ""
            click.echo(
                f"{g['principal']:<36} {g['role']:<19} {g['structure_siret'] or '-':<14}{state}"
            )
    finally:
        store.close()


@access.command("audit")
@click.option("--limit", default=50, show_default=True)
@click.option("--action", type=click.Choice(["view", "download", "denied", "sign_in"]))
def access_audit(limit, action):
    """The latest entries of the audit log (who, when, page, filters, download)."""
    from vigie.platform import access as acl

    store = _store()
    try:
        for e in acl.audit_entries(store, limit=limit, action=action):
            click.echo(
                f"{e['at'][:19]}  {e['who']:<32} {e['action']:<8} "
                f"{e['page'] or '-':<11} {e['detail']}"
            )
    finally:
        store.close()


@main.group()
def documents():
    """The archive of deposited documents (content-addressed by SHA-256)."""


@documents.command("verify")
def documents_verify():
    """Recompute the hash of every archived document; list and fail on mismatches."""
    from vigie.platform.document_store import DocumentStore

    store = DocumentStore(get_settings().documents_dir)
    checked, bad = store.verify()
    for m in bad:
        click.echo(f"MISMATCH {m.path}: content hashes to {m.actual}")
    click.echo(f"{checked:,} documents checked, {len(bad):,} mismatches")
    sys.exit(1 if bad else 0)


@main.group()
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
@click.option("--from", "start", default="2020-01-01", callback=_day, show_default=True)
@click.option("--to", "end", default="2020-12-31", callback=_day, show_default=True)
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
    tick, close = _progress((end - start).days + 1)
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
    callback=_day,
    help="Time a one-day partition run: reload this landing day (YYYY-MM-DD).",
)
def bench_build(full_refresh, one_day):
    """Check the landing zone, dbt build and publish on VIGIE_HOME; print seconds and memory.

    Target on a national year (vigie generate --scale 1.0): full build ≤ 10 min and ≤ 12
    GiB; one more day (--incremental DAY) ≤ 60 s.
    """
    import resource
    import time

    import duckdb

    from vigie.ingestion.landing import ContractViolation
    from vigie.orchestration.dbt import DbtFailed
    from vigie.orchestration.pipeline import refresh_warehouse

    settings = get_settings()
    began = time.perf_counter()
    try:
        result = refresh_warehouse(
            settings, landing_from=one_day, landing_to=one_day, full_refresh=full_refresh
        )
    except (DbtFailed, ContractViolation) as err:
        raise click.ClickException(str(err)) from None
    seconds = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    with duckdb.connect(str(result.snapshot.path), read_only=True) as con:
        invoices = con.execute("select count(*) from marts.fct_invoices").fetchone()[0]
        delays = con.execute("select count(*) from marts.fct_payment_delays").fetchone()[0]
    click.echo(
        f"bench build: {seconds:,.1f} s (dbt {result.dbt.seconds:,.1f} s), peak RSS "
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
    snapshot = _ereporting_snapshot(settings)
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


@main.group()
def invoice():
    """Invoice documents: check one without any registry."""


@invoice.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def invoice_check(file):
    """Parse and validate FILE (UBL, CII, Factur-X PDF or a ZIP of them); print JSON.

    Exits 0 when the document passes document-level validation, 1 with the list of failed
    rules otherwise. No registry is consulted (recipient, service code and duplicates are
    checked at deposit).
    """
    import json

    from vigie.platform.documents.check import check_bytes

    verdict = check_bytes(file.read_bytes(), file.name)
    click.echo(json.dumps(verdict, ensure_ascii=False, indent=2))
    sys.exit(0 if verdict["valid"] else 1)


@main.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the refused rows (default: FOLDER/rejects.csv).",
)
def import_command(folder, rejects_path):
    """Import history from a previous system: invoices with their original deposit time and
    their status events, through the checks of a deposit and of a status change.

    FOLDER holds invoices.csv (or .parquet), invoice_status_events.csv (or .parquet) and the
    documents they name (layout: docs/platform.md, Importing history). Everything that
    passes is recorded in one transaction; refused rows go to the rejects file with their
    reasons; importing the same files again changes nothing. Exit 1 when a row was refused.
    """
    from vigie.platform.history import ImportRefused, import_history, write_rejects
    from vigie.platform.service import Platform

    settings = get_settings()
    settings.ensure_dirs()
    platform = Platform(settings)
    try:
        result = import_history(platform, folder)
    except ImportRefused as err:
        raise click.ClickException(f"nothing imported: {err}") from None
    finally:
        platform.close()
    rejects_path = rejects_path or folder / "rejects.csv"
    write_rejects(result.rejects, rejects_path)
    click.echo(
        f"imported {result.invoices:,} invoices and {result.events:,} status events; "
        f"{result.already:,} rows already imported; {len(result.rejects):,} refusals "
        f"→ {rejects_path}"
    )
    if result.first_day:
        click.echo(
            "next: `vigie extract`, then `vigie pipeline backfill --from "
            f"{result.first_day} --to {result.last_day}` to load them into the warehouse"
        )
    if result.rejects:
        sys.exit(1)


@main.command("extract")
@click.option(
    "--batch-size",
    default=50_000,
    show_default=True,
    help="Outbox events per batch (one landing file per table and day per batch).",
)
def extract_command(batch_size):
    """Land the platform's outbox events after the last extracted sequence.

    Incremental and idempotent: re-running it, or killing it at any point, never
    duplicates nor loses an event.
    """
    from vigie.ingestion.extract import extract

    r = extract(get_settings(), batch_size=batch_size)
    rows = ", ".join(f"{t} {n:,}" for t, n in sorted(r.rows.items())) or "nothing new"
    click.echo(
        f"extracted outbox {r.start_seq:,} → {r.end_seq:,} in {r.batches} batches, "
        f"{r.files} files, {r.seconds:.1f} s: {rows}"
    )
    if r.removed_leftovers:
        click.echo(f"  removed {r.removed_leftovers} uncommitted files of an interrupted run")


@main.group()
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
    "--to", "landing_to", callback=_day, help="Load landing days up to this one only (YYYY-MM-DD)."
)
def pipeline_run(full_refresh, landing_to):
    """Build the warehouse with dbt and publish the serving snapshot if every test passed.

    Incremental by default: the large models load the landing days from the last one
    already loaded onwards (a first build loads everything).
    """
    _refresh(None, landing_to, full_refresh)


@pipeline.command("backfill")
@click.option(
    "--from",
    "landing_from",
    required=True,
    callback=_day,
    help="First landing day to load again (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "landing_to",
    required=True,
    callback=_day,
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


@main.group()
def ereporting():
    """E-reporting (flux 10): transmissions per declarant and period."""


def _ereporting_snapshot(settings):
    from vigie.platform.contracts.serving import current_snapshot

    snapshot = current_snapshot(settings)
    if snapshot is None:
        raise click.ClickException("no serving snapshot yet: run `vigie pipeline run` first")
    return snapshot


@ereporting.command("export")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder the XML files are written to.",
)
@click.option("--declarant", help="Only this declarant (SIREN, 9 digits).")
@click.option("--period", help="Only the periods starting in YYYY-MM, or on YYYY-MM-DD.")
@click.option(
    "--kind",
    type=click.Choice(["transactions", "payments"]),
    help="Only transaction reports (10.1 + 10.3) or payment reports (10.2 + 10.4).",
)
@click.option(
    "--issued-at",
    help="Creation time written in the header (YYYYMMDDHHMMSS, Europe/Paris); default: now.",
)
def ereporting_export(out_dir, declarant, period, kind, issued_at):
    """Write one XML file per transmission built by the warehouse (without filters: every
    one), each valid against the official XSD and the Annexe 7 rules; an invalid one is
    not written and its failing elements are named. A period exported before whose data
    changed is exported again, whole, as a rectificative (RE) transmission."""
    from zoneinfo import ZoneInfo

    from vigie.orchestration.ereporting.export import export_transmissions

    settings = get_settings()
    stamp = None
    if issued_at:
        try:
            stamp = datetime.strptime(issued_at, "%Y%m%d%H%M%S").replace(
                tzinfo=ZoneInfo("Europe/Paris")
            )
        except ValueError:
            raise click.BadParameter("expected YYYYMMDDHHMMSS", param_hint="--issued-at") from None
    outcomes = export_transmissions(
        settings,
        _ereporting_snapshot(settings).path,
        out_dir,
        declarant=declarant,
        period=period,
        kind=kind,
        issued_at=stamp,
    )
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.action] = counts.get(o.action, 0) + 1
        p = o.planned
        where = o.path.name if o.path else ""
        period = f"{p.period_start}–{p.period_end}"
        ident = o.transmission_id or ""
        line = f"{o.action:<10} {p.declarant_siren} {p.report_kind:<12} {period} {ident:<36}"
        click.echo(f"{line} {where}")
        for error in o.errors:
            click.echo(f"           {error}", err=o.action == "invalid")
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing"
    click.echo(f"{len(outcomes)} transmissions: {summary}")
    if counts.get("invalid"):
        raise SystemExit(1)


@ereporting.command("list")
def ereporting_list():
    """The transmissions the warehouse holds, with their deadline and export status."""
    import duckdb

    from vigie.platform.contracts.transmissions import states

    settings = get_settings()
    exported = states(settings)
    with duckdb.connect(str(_ereporting_snapshot(settings).path), read_only=True) as con:
        rows = con.execute(
            "select declarant_siren, declarant_role, report_kind, period_start_date,"
            " period_end_date, platform_deadline_date,"
            " invoice_record_count + aggregate_record_count"
            " from reports.rpt_ereporting_transmissions order by 1, 3, 4"
        ).fetchall()
    for siren, role, kind, start, end, deadline, records in rows:
        last = exported.get((siren, role, kind, start.isoformat()))
        status = "built" if last is None else last.status
        ident = f" {last.transmission_id}" if last and last.transmission_id else ""
        click.echo(
            f"{siren} {kind:<12} {start}–{end} due {deadline} {records:>6} records {status}{ident}"
        )


@main.command()
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


if __name__ == "__main__":  # pragma: no cover
    main()
