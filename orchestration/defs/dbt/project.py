"""The dbt project Dagster builds its assets from.

The manifest is prepared before Dagster loads (``vigie pipeline manifest``, which ``make
setup``, ``make dev``, ``vigie demo`` and ``vigie serve`` run first), with the project's own
``dbt``: dagster-dbt's preparer under ``dagster dev`` would run a ``dbt`` looked up on
``PATH``, which a shell that never activated ``.venv`` does not have, and it would parse the
project again in every code server that loads the location.
"""

from dagster_dbt import DbtProject

from vigie.orchestration.dbt import MANIFEST_TARGET_DIR
from vigie.platform.settings import DBT_PROJECT_DIR, get_settings


class ManifestMissing(FileNotFoundError):
    """The dbt manifest Dagster loads its assets from has not been prepared."""


dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    target_path=MANIFEST_TARGET_DIR,
    target=get_settings().dbt_target,
)
if not dbt_project.manifest_path.exists():
    raise ManifestMissing(
        f"the dbt manifest {dbt_project.manifest_path} is missing: run `make manifest` "
        "(or `.venv/bin/vigie pipeline manifest`) before loading the Dagster definitions"
    )
