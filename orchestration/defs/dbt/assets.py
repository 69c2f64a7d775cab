"""Every dbt model and seed as a Dagster asset, partitioned by landing day; dbt tests as
asset checks.

A run over a partition, or a range of them (one run per backfill), passes the days to dbt as
``landing_from`` / ``landing_to``: the incremental models delete and re-insert those days, so
a run killed mid-way and run again leaves no duplicate. A build whose dbt tests fail raises,
so the publication downstream does not run and the previous snapshot stays current.
"""

import os
import re

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from vigie.ingestion.check import check_landing
from vigie.ingestion.landing import ContractViolation
from vigie.orchestration.dbt import Rebuild, rebuild_needed, save_built_state
from vigie.orchestration.defs.dbt.project import dbt_project
from vigie.orchestration.defs.dbt.translator import WarehouseTranslator
from vigie.orchestration.partitions import landing_days, landing_window
from vigie.orchestration.pipeline import dbt_build_args
from vigie.orchestration.publish import record_build
from vigie.platform.settings import get_settings

#: dbt failures worth another try: the warehouse file held by another process, I/O hiccups
TRANSIENT = re.compile(r"Could not set lock on file|IO Error|database is locked", re.IGNORECASE)
MAX_TRANSIENT_RETRIES = 3


class WarehouseBuildConfig(dg.Config):
    full_refresh: bool = False
    """Rebuild every incremental model from the whole landing zone (ignores the days)."""


def dbt_build_env() -> dict[str, str]:
    """The settings' dbt environment, minus the target folder dagster-dbt chooses per run."""
    env = get_settings().dbt_env()
    env.pop("DBT_TARGET_PATH")
    return env


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=WarehouseTranslator(),
    project=dbt_project,
    partitions_def=landing_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def warehouse_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: WarehouseBuildConfig
):
    settings = get_settings()
    settings.ensure_dirs()
    os.environ.update(dbt_build_env())  # the dbt subprocess inherits this environment
    try:
        checked = check_landing(settings.landing_dir)
    except ContractViolation as err:
        record_build(settings, ok=False, message=str(err))
        raise
    first, last = landing_window(context.partition_time_window)
    plan = Rebuild(False, (), "") if config.full_refresh else rebuild_needed(settings)
    if plan.reason:
        context.log.warning(plan.reason)
    full_refresh = config.full_refresh or plan.everything
    context.log.info(
        f"landing: {checked.files} files, {checked.checked} checked against contract; loading "
        + ("every landing day (full refresh)" if full_refresh else f"days {first} to {last}")
    )
    args = dbt_build_args(
        landing_from=None if full_refresh else first,
        landing_to=None if full_refresh else last,
        full_refresh=full_refresh,
        rebuild=plan.models,
    )
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    yield from invocation.stream()
    if invocation.is_successful():
        save_built_state(settings, invocation.target_path)
        return
    error = str(invocation.get_error())
    log = invocation.target_path / "dbt.log"
    if log.exists():
        error += log.read_text(encoding="utf-8", errors="replace")[-20_000:]
    if TRANSIENT.search(error) and context.retry_number < MAX_TRANSIENT_RETRIES:
        wait = 15 * 2**context.retry_number
        context.log.warning(f"transient dbt failure, retry in {wait} s")
        raise dg.RetryRequested(max_retries=MAX_TRANSIENT_RETRIES, seconds_to_wait=wait)
    days = "every landing day (full refresh)" if full_refresh else f"landing days {first} to {last}"
    message = f"dbt build failed for {days}"
    record_build(settings, ok=False, message=message)
    raise dg.Failure(message, metadata={"dbt_log": str(settings.dbt_dir)})
