"""Every dbt model and seed as a Dagster asset; dbt tests as asset checks."""

import os

import dagster as dg
from dagster_dbt import DagsterDbtCliRuntimeError, DbtCliResource, dbt_assets

from vigie.ingestion.check import check_landing
from vigie.ingestion.landing import ContractViolation
from vigie.orchestration.defs.dbt.project import dbt_project
from vigie.orchestration.defs.dbt.translator import WarehouseTranslator
from vigie.orchestration.publish import record_build
from vigie.platform.settings import get_settings


def dbt_build_env() -> dict[str, str]:
    """The settings' dbt environment, minus the target folder dagster-dbt chooses per run."""
    env = get_settings().dbt_env()
    env.pop("DBT_TARGET_PATH")
    return env


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=WarehouseTranslator(),
    project=dbt_project,
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    settings = get_settings()
    settings.ensure_dirs()
    os.environ.update(dbt_build_env())  # the dbt subprocess inherits this environment
    try:
        checked = check_landing(settings.landing_dir)
    except ContractViolation as err:
        record_build(settings, ok=False, message=str(err))
        raise
    context.log.info(f"landing: {checked.files} files, {checked.checked} checked against contract")
    try:
        yield from dbt.cli(["build"], context=context).stream()
    except DagsterDbtCliRuntimeError as err:
        record_build(settings, ok=False, message=f"dbt build failed: {err}".splitlines()[0])
        raise
