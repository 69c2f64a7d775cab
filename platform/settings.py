"""The one place that reads the environment.

Everything Vigie writes lives under ``VIGIE_HOME`` (default ``./data``). Every path is
resolved to an absolute path here, because dbt, Dagster and Streamlit each run from their
own working directory and would resolve a relative path differently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "transformations"
DASHBOARD_APP = REPO_ROOT / "dashboards" / "app.py"

DEFAULT_HOME = "data"
DEFAULT_MEMORY_LIMIT = "8GB"
DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Resolved, absolute locations and knobs for one Vigie installation."""

    home: Path
    dbt_target: str
    duckdb_memory_limit: str
    duckdb_threads: int
    #: dbt nodes run at once (they share the ``duckdb_threads`` cores: more nodes at once keep
    #: the long chain of lifecycle models from waiting behind the side reports)
    dbt_threads: int = 4
    #: largest request body the platform API reads (bigger uploads answer 413)
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    #: e-reporting sender (TT-7/TT-8/TT-9): the approved platform's matricule and name, and
    #: its 6-character application code for the flow names (FFE1025A_<code>_<code><seq>)
    platform_matricule: str = "0042"
    platform_name: str = "PLATEFORME VIGIE"
    platform_app_code: str = "VIGIE1"

    @property
    def platform_db_path(self) -> Path:
        return self.home / "platform.sqlite"

    @property
    def documents_dir(self) -> Path:
        return self.home / "documents"

    @property
    def inbox_dir(self) -> Path:
        return self.home / "inbox"

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def serving_dir(self) -> Path:
        return self.home / "serving"

    @property
    def serving_pointer(self) -> Path:
        """Small JSON file naming the current serving snapshot; replaced atomically."""
        return self.serving_dir / "current.json"

    @property
    def build_status_path(self) -> Path:
        """Outcome of the last warehouse build attempt (read by the dashboards' freshness line)."""
        return self.serving_dir / "last_build.json"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def spill_dir(self) -> Path:
        return self.home / "tmp" / "duckdb"

    @property
    def dbt_dir(self) -> Path:
        """dbt's target and log folders for this home (never inside the repository)."""
        return self.home / "dbt"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    def ensure_dirs(self) -> None:
        for d in (
            self.home,
            self.documents_dir,
            self.inbox_dir,
            self.landing_dir,
            self.serving_dir,
            self.exports_dir,
            self.spill_dir,
            self.dbt_dir,
            self.dagster_home,
        ):
            d.mkdir(parents=True, exist_ok=True)

    def dbt_env(self) -> dict[str, str]:
        """Environment variables handed to every dbt invocation (read by profiles.yml)."""
        return {
            "VIGIE_HOME": str(self.home),
            "VIGIE_LANDING_DIR": str(self.landing_dir),
            "WAREHOUSE_PATH": str(self.warehouse_path),
            "VIGIE_SPILL_DIR": str(self.spill_dir),
            "VIGIE_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "VIGIE_DUCKDB_THREADS": str(self.duckdb_threads),
            "VIGIE_DBT_THREADS": str(self.dbt_threads),
            "DBT_TARGET": self.dbt_target,
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            "DBT_LOG_PATH": str(self.dbt_dir / "logs"),
            "DBT_TARGET_PATH": str(self.dbt_dir / "target"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from the environment (``os.environ`` unless given)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("VIGIE_HOME") or DEFAULT_HOME).expanduser()
    if not home.is_absolute():
        home = Path.cwd() / home
    return Settings(
        home=home.resolve(),
        dbt_target=env.get("DBT_TARGET", "dev"),
        duckdb_memory_limit=env.get("VIGIE_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        duckdb_threads=int(env.get("VIGIE_DUCKDB_THREADS", str(os.cpu_count() or 2))),
        dbt_threads=int(env.get("VIGIE_DBT_THREADS", "4")),
        max_upload_bytes=int(env.get("VIGIE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
        platform_matricule=env.get("VIGIE_PLATFORM_MATRICULE", "0042"),
        platform_name=env.get("VIGIE_PLATFORM_NAME", "PLATEFORME VIGIE"),
        platform_app_code=env.get("VIGIE_PLATFORM_APP_CODE", "VIGIE1"),
    )
