"""The dbt project Dagster builds its assets from."""

from dagster_dbt import DbtProject

from vigie.orchestration.dbt import MANIFEST_TARGET_DIR
from vigie.platform.settings import DBT_PROJECT_DIR, get_settings

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    target_path=MANIFEST_TARGET_DIR,
    target=get_settings().dbt_target,
)
# Only under `dagster dev` (DAGSTER_IS_DEV_CLI): re-parse when the project changed.
dbt_project.prepare_if_dev()
