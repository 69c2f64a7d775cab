"""Invoices in and out of the platform: a document checked, a history imported, the
outbox extracted to the landing zone."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vigie.platform.settings import get_settings


@click.group()
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


@click.command("import")
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


@click.command("extract")
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


COMMANDS = [invoice, import_command, extract_command]
