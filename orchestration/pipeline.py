"""The pipeline steps as plain functions: generate → dbt build → publish.

The Dagster assets and the ``vigie pipeline`` commands both call these, so the scheduled
runs and the commands execute the same code; the demo is a run of the Dagster job itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from vigie.ingestion.check import check_landing
from vigie.ingestion.landing import ContractViolation
from vigie.orchestration.dbt import (
    DbtFailed,
    DbtRun,
    Rebuild,
    rebuild_needed,
    run_dbt,
    save_built_state,
)
from vigie.orchestration.publish import publish_snapshot, record_build
from vigie.platform.contracts.serving import SnapshotRef, current_snapshot
from vigie.platform.settings import Settings

DEMO_START = date(2019, 1, 1)
DEMO_END = date(2020, 12, 31)
DEMO_SCALE = 0.00005
DEMO_SEED = 7


@dataclass(frozen=True)
class RefreshResult:
    dbt: DbtRun
    snapshot: SnapshotRef


class DemoFailed(RuntimeError):
    """A step of the demo's Dagster run failed; the message names it and says why."""


@dataclass(frozen=True)
class DemoResult:
    """What the demo's Dagster run did, for its summary."""

    run_id: str
    #: rows the generator wrote, per landing table
    generated: dict[str, int]
    generate_seconds: float
    dbt_seconds: float
    snapshot: SnapshotRef
    #: invoices in the published snapshot by scope (B2G: the hub's activity; B2Bi: e-reporting)
    invoices_by_scope: dict[str, int]
    months: int
    #: e-reporting files written by the run (one per transmission due)
    exported: int


def dbt_build_args(
    *,
    landing_from: date | None = None,
    landing_to: date | None = None,
    full_refresh: bool = False,
    rebuild: Sequence[str] = (),
) -> list[str]:
    """``dbt build`` arguments for a run over landing days ``landing_from``–``landing_to``.

    Without days, an incremental run loads from the last day already loaded; ``full_refresh``
    rebuilds every incremental model from the whole landing zone. A run over given days (a
    partition of the schedule, a backfill) leaves out the unit tests: they check the models'
    logic on fixed inputs, not the days' data, and dbt advises running them in development
    and CI only; every build without days (``make demo``, ``make test``) runs them.
    ``rebuild``: models rebuilt whole all the same (``macros/should_full_refresh.sql``).
    """
    args = ["build"]
    days: dict[str, str] = {}
    if landing_from is not None:
        days["landing_from"] = landing_from.isoformat()
    if landing_to is not None:
        days["landing_to"] = landing_to.isoformat()
    variables: dict[str, object] = {**days}
    if rebuild and not full_refresh:
        variables["rebuild_models"] = list(rebuild)
    if variables:
        args += ["--vars", json.dumps(variables)]
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
    plan: Rebuild | None = None,
    say: Callable[[str], None] = print,
) -> DbtRun:
    """Check the landed files, then ``dbt build`` (models and tests).

    A landing file that breaks its contract stops the build before dbt reads anything.
    Either failure is recorded for the dashboards' freshness line. Models whose code or
    inputs' contract changed since the last build are rebuilt whole with their dependents
    (``plan``, found here unless the caller knows it; ``say`` tells which).
    """
    try:
        check_landing(settings.landing_dir)
        if plan is None:
            plan = _plan(settings, full_refresh)
        if plan.reason:
            say(plan.reason)
        full_refresh = full_refresh or plan.everything
        args = dbt_build_args(
            landing_from=landing_from,
            landing_to=landing_to,
            full_refresh=full_refresh,
            rebuild=plan.models,
        )
        run = run_dbt(settings, args)
        save_built_state(settings, settings.dbt_dir / "target")
        return run
    except (DbtFailed, ContractViolation) as err:
        record_build(settings, ok=False, message=str(err).splitlines()[0])
        raise


def _plan(settings: Settings, full_refresh: bool) -> Rebuild:
    return Rebuild(False, (), "") if full_refresh else rebuild_needed(settings)


def refresh_warehouse(
    settings: Settings,
    *,
    landing_from: date | None = None,
    landing_to: date | None = None,
    full_refresh: bool = False,
    say: Callable[[str], None] = print,
) -> RefreshResult:
    """Build, then publish only if every dbt test passed (the keys built since the last
    publication, or everything when most rows were rebuilt)."""
    plan = _plan(settings, full_refresh)
    run = build_warehouse(
        settings,
        landing_from=landing_from,
        landing_to=landing_to,
        full_refresh=full_refresh,
        plan=plan,
        say=say,
    )
    snapshot = publish_snapshot(settings)
    record_build(settings, ok=True, message=f"published {snapshot.snapshot_id}")
    return RefreshResult(run, snapshot)


def demo_run_config(start: date, end: date, scale: float, seed: int) -> dict:
    """The demo job's configuration: the generator's history, then a full build of it."""
    history = {"start": start.isoformat(), "end": end.isoformat(), "scale": scale, "seed": seed}
    return {
        "ops": {
            "synthetic_history": {"config": history},
            "warehouse_dbt_assets": {"config": {"full_refresh": True}},
        },
        # step outcomes and dbt's progress; Dagster's per-event lines stay in the run's log
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
    }


def run_demo(
    settings: Settings,
    *,
    start: date = DEMO_START,
    end: date = DEMO_END,
    scale: float = DEMO_SCALE,
    seed: int = DEMO_SEED,
) -> DemoResult:
    """The ``demo_pipeline`` job, run by Dagster in this process on the home's instance.

    The same assets as the morning schedule: the generator writes the history, the landing
    tables are extracted, dbt builds every model and runs every test (asset checks), the
    snapshot is published, the e-reporting files are exported. It is one run of the
    history's last landing day with a full refresh (every landing day is loaded): a run over
    the range of days would record each asset once per day, tens of thousands of events in
    Dagster's SQLite storage for a two-year history. The Dagster UI that ``vigie serve``
    starts on the same ``DAGSTER_HOME`` then shows the materializations and the checks.

    The assets read their settings from the environment: ``settings`` must be the
    environment's (``get_settings()``).
    """
    import dagster as dg

    from vigie.orchestration.dbt import prepare_manifest
    from vigie.orchestration.services import prepare_dagster_home

    settings.ensure_dirs()
    prepare_manifest(settings)  # the definitions load their dbt assets from it

    from vigie.orchestration.definitions import defs

    job = defs().resolve_job_def("demo_pipeline")
    with dg.DagsterInstance.from_config(str(prepare_dagster_home(settings))) as instance:
        result = job.execute_in_process(
            run_config=demo_run_config(start, end, scale, seed),
            instance=instance,
            partition_key=end.isoformat(),
            tags={"vigie/trigger": "demo"},
            raise_on_error=False,
        )
    if not result.success:
        raise DemoFailed(_failure(result))
    history = _metadata(result, "synthetic_history")
    snapshot = current_snapshot(settings)
    assert snapshot is not None  # the run's serving_snapshot step published it
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        by_scope = dict(
            con.execute("select scope, count(*) from marts.fct_invoices group by 1").fetchall()
        )
        (months,) = con.execute("select count(*) from reports.rpt_monthly_volumes").fetchone()
    dbt_step = next(
        e.event_specific_data.duration_ms
        for e in result.all_events
        if e.event_type_value == "STEP_SUCCESS" and e.step_key == "warehouse_dbt_assets"
    )
    return DemoResult(
        run_id=result.run_id,
        generated={k: int(v) for k, v in history.items() if k != "seconds"},
        generate_seconds=float(history["seconds"]),
        dbt_seconds=dbt_step / 1000,
        snapshot=snapshot,
        invoices_by_scope={k: int(v) for k, v in by_scope.items()},
        months=int(months),
        exported=int(_metadata(result, "ereporting_exports").get("exported", 0)),
    )


def _metadata(result, node: str) -> dict:
    [materialization, *_] = result.asset_materializations_for_node(node)
    return {k: v.value for k, v in materialization.metadata.items()}


def _failure(result) -> str:
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    if not failures:
        return f"the demo run {result.run_id} failed"
    return "\n".join(
        f"step {e.step_key} failed: {e.event_specific_data.error.message.strip()}" for e in failures
    )
