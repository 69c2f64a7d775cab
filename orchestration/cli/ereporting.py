"""``vigie ereporting``: the flux 10 transmissions the warehouse holds, exported as XML."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from vigie.orchestration.cli.common import snapshot_to_export
from vigie.platform.settings import get_settings


@click.group()
def ereporting():
    """E-reporting (flux 10): transmissions per declarant and period."""


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
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the files the export would send (IN, or RE after an earlier export) without"
    " recording anything: no period is marked as sent.",
)
def ereporting_export(out_dir, declarant, period, kind, issued_at, dry_run):
    """Write one XML file per transmission built by the warehouse (without filters: every
    one), each valid against the official XSD and the Annexe 7 rules; an invalid one is
    not written and its failing elements are named. A period exported before whose data
    changed is exported again, whole, as a rectificative (RE) transmission."""
    import dataclasses
    import shutil
    import tempfile
    from contextlib import ExitStack
    from zoneinfo import ZoneInfo

    from vigie.orchestration.ereporting.export import export_transmissions
    from vigie.platform.contracts.transmissions import record_path

    settings = get_settings()
    stamp = None
    if issued_at:
        try:
            stamp = datetime.strptime(issued_at, "%Y%m%d%H%M%S").replace(
                tzinfo=ZoneInfo("Europe/Paris")
            )
        except ValueError:
            raise click.BadParameter("expected YYYYMMDDHHMMSS", param_hint="--issued-at") from None
    with ExitStack() as stack:
        run_settings = settings
        if dry_run:  # a copy of the record, in a folder that goes away
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vigie-")))
            run_settings = dataclasses.replace(settings, home=scratch)
            if record_path(settings).exists():
                record_path(run_settings).parent.mkdir(parents=True)
                shutil.copy2(record_path(settings), record_path(run_settings))
        outcomes = export_transmissions(
            run_settings,
            snapshot_to_export(settings).path,
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
    click.echo(
        f"{len(outcomes)} transmissions: {summary}"
        + (" (dry run: nothing recorded)" if dry_run else "")
    )
    if counts.get("invalid"):
        raise SystemExit(1)


@ereporting.command("list")
def ereporting_list():
    """The transmissions the warehouse holds, with their deadline and export status."""
    import duckdb

    from vigie.platform.contracts.transmissions import states

    settings = get_settings()
    exported = states(settings)
    with duckdb.connect(str(snapshot_to_export(settings).path), read_only=True) as con:
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


COMMANDS = [ereporting]
