"""Resources shared by the assets."""

import dagster as dg
from dagster_dbt import DbtCliResource

from vigie.orchestration.dbt import dbt_executable
from vigie.orchestration.defs.dbt.project import dbt_project


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())}
    )
