"""The pipeline steps as plain functions: generate → dbt build → publish.

The Dagster assets and the ``vigie`` command both call these, so the demo, the tests and
the scheduled runs execute the same code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb

from vigie.dashboards.snapshot import SnapshotRef, current_snapshot
from vigie.ingestion.check import check_landing
from vigie.ingestion.generator import GenerateSummary, generate
from vigie.ingestion.landing import ContractViolation
from vigie.orchestration.dbt import DbtFailed, DbtRun, run_dbt
from vigie.orchestration.publish import (
    last_loaded_day,
    note_build_started,
    publish_snapshot,
    record_build,
)
from vigie.platform.settings import Settings

DEMO_START = date(2019, 1, 1)
DEMO_END = date(2020, 12, 31)
DEMO_SCALE = 0.00005
DEMO_SEED = 7


@dataclass(frozen=True)
class RefreshResult:
    dbt: DbtRun
    snapshot: SnapshotRef


@dataclass(frozen=True)
class DemoResult:
    generated: GenerateSummary
    refresh: RefreshResult
    monthly_rows: int
    invoices_in_snapshot: int


def dbt_build_args(
    *, landing_from: date | None = None, landing_to: date | None = None, full_refresh: bool = False
) -> list[str]:
    """``dbt build`` arguments for a run over landing days ``landing_from``–``landing_to``.

    Without days, an incremental run loads from the last day already loaded; ``full_refresh``
    rebuilds every incremental model from the whole landing zone. A run over given days (a
    partition of the schedule, a backfill) leaves out the unit tests: they check the models'
    logic on fixed inputs, not the days' data, and dbt advises running them in development
    and CI only; every build without days (``make demo``, ``make test``) runs them.
    """
    args = ["build"]
    days = {}
    if landing_from is not None:
        days["landing_from"] = landing_from.isoformat()
    if landing_to is not None:
        days["landing_to"] = landing_to.isoformat()
    if days:
        args += ["--vars", json.dumps(days)]
    if full_refresh:
        args.append("--full-refresh")
    elif days:
        args += ["--exclude-resource-type", "unit_test"]
    return args


def build_warehouse(
    settings: Settings,
    *,
    landing_from: date | None = None,
    landing_to: date | None = None,
    full_refresh: bool = False,
    changes_from: date | None = None,
) -> DbtRun:
    """Check the landed files, then ``dbt build`` (models and tests).

    A landing file that breaks its contract stops the build before dbt reads anything.
    Either failure is recorded for the dashboards' freshness line. The first landing day the
    build may change (``changes_from``, found here unless the caller knows it) is remembered
    until a publication replaces it.
    """
    try:
        check_landing(settings.landing_dir)
        if changes_from is None and not full_refresh:
            changes_from = _changes_from(settings, landing_from)
        note_build_started(settings, None if full_refresh else changes_from)
        args = dbt_build_args(
            landing_from=landing_from, landing_to=landing_to, full_refresh=full_refresh
        )
        return run_dbt(settings, args)
    except (DbtFailed, ContractViolation) as err:
        record_build(settings, ok=False, message=str(err).splitlines()[0])
        raise


def _changes_from(settings: Settings, landing_from: date | None) -> date | None:
    """The first landing day an incremental build may change: the one it is given, or where
    its models restart (the last day the current snapshot holds); None if unknown."""
    if landing_from is not None:
        return landing_from
    previous = current_snapshot(settings)
    return last_loaded_day(previous) if previous is not None else None


def refresh_warehouse(
    settings: Settings,
    *,
    landing_from: date | None = None,
    landing_to: date | None = None,
    full_refresh: bool = False,
) -> RefreshResult:
    """Build, then publish only if every dbt test passed."""
    changed_from = None if full_refresh else _changes_from(settings, landing_from)
    run = build_warehouse(
        settings,
        landing_from=landing_from,
        landing_to=landing_to,
        full_refresh=full_refresh,
        changes_from=changed_from,
    )
    snapshot = publish_snapshot(settings, changed_from=changed_from)
    record_build(settings, ok=True, message=f"published {snapshot.snapshot_id}")
    return RefreshResult(run, snapshot)


def run_demo(
    settings: Settings,
    *,
    start: date = DEMO_START,
    end: date = DEMO_END,
    scale: float = DEMO_SCALE,
    seed: int = DEMO_SEED,
    progress: Callable[[date], None] | None = None,
) -> DemoResult:
    settings.ensure_dirs()
    generated = generate(
        settings.landing_dir, start, end, scale=scale, seed=seed, progress=progress
    )
    refresh = refresh_warehouse(settings)
    with duckdb.connect(str(refresh.snapshot.path), read_only=True) as con:
        months, invoices = con.execute(
            "select count(*), coalesce(sum(invoice_count), 0) from reports.rpt_monthly_volumes"
        ).fetchone()
    return DemoResult(generated, refresh, int(months), int(invoices))
