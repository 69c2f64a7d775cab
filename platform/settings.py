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
#: the engines dbt can build the warehouse with (profiles.yml targets dev and spark)
ENGINES = ("duckdb", "spark")


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
    #: the engine dbt builds the warehouse with: ``duckdb`` (one machine) or ``spark``
    #: (docs/scale-out.md); the dashboards read a DuckDB snapshot either way
    engine: str = "duckdb"
    #: Spark's metastore: ``memory`` (tests: no lock between processes, forgotten at exit)
    #: or ``derby`` (a Derby database in VIGIE_HOME/spark: one build at a time per home)
    spark_metastore: str = "derby"

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
        """The DuckDB file the publication reads: dbt's warehouse on DuckDB; on Spark, a
        catalog of views over the Parquet files of the tables Spark built."""
        if self.engine == "spark":
            return self.spark_dir / "warehouse.duckdb"
        return self.home / "warehouse.duckdb"

    @property
    def spark_dir(self) -> Path:
        return self.home / "spark"

    @property
    def spark_warehouse_dir(self) -> Path:
        """Spark's managed tables: ``<schema>.db/<table>/`` folders of Parquet files."""
        return self.spark_dir / "warehouse"

    @property
    def spark_metastore_url(self) -> str:
        if self.spark_metastore == "memory":
            return "jdbc:derby:memory:vigie_metastore;create=true"
        return f"jdbc:derby:;databaseName={self.spark_dir / 'metastore'};create=true"

    def warehouse_exists(self) -> bool:
        """Whether a build has written the warehouse (a first build builds every model whole)."""
        if self.engine == "spark":
            return self.spark_warehouse_dir.is_dir() and any(self.spark_warehouse_dir.iterdir())
        return self.warehouse_path.exists()

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
            "VIGIE_SPARK_DIR": str(self.spark_dir),
            "VIGIE_SPARK_WAREHOUSE": str(self.spark_warehouse_dir),
            "VIGIE_SPARK_METASTORE_URL": self.spark_metastore_url,
            # Spark binds its driver to the loopback (this machine's name resolves elsewhere)
            "SPARK_LOCAL_IP": "127.0.0.1",
            **({"JAVA_HOME": str(java_home)} if (java_home := _java_home()) else {}),
        }


def _java_home() -> Path | None:
    """The Java runtime pyspark starts: JAVA_HOME, else Debian's OpenJDK 17 when installed
    (rather than whatever ``java`` comes first on PATH)."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    debian = Path("/usr/lib/jvm/java-17-openjdk-amd64")
    return debian if (debian / "bin" / "java").exists() else None


def get_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from the environment (``os.environ`` unless given)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("VIGIE_HOME") or DEFAULT_HOME).expanduser()
    if not home.is_absolute():
        home = Path.cwd() / home
    engine = env.get("VIGIE_ENGINE", "duckdb").strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"VIGIE_ENGINE={engine!r}: expected one of {', '.join(ENGINES)}")
    metastore = env.get("VIGIE_SPARK_METASTORE", "derby").strip().lower()
    if metastore not in ("derby", "memory"):
        raise ValueError(f"VIGIE_SPARK_METASTORE={metastore!r}: expected derby or memory")
    return Settings(
        home=home.resolve(),
        engine=engine,
        spark_metastore=metastore,
        # the dbt target of the engine (profiles.yml), unless one is named
        dbt_target=env.get("DBT_TARGET") or ("spark" if engine == "spark" else "dev"),
        duckdb_memory_limit=env.get("VIGIE_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        duckdb_threads=int(env.get("VIGIE_DUCKDB_THREADS", str(os.cpu_count() or 2))),
        dbt_threads=int(env.get("VIGIE_DBT_THREADS", "4")),
        max_upload_bytes=int(env.get("VIGIE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)),
        platform_matricule=env.get("VIGIE_PLATFORM_MATRICULE", "0042"),
        platform_name=env.get("VIGIE_PLATFORM_NAME", "PLATEFORME VIGIE"),
        platform_app_code=env.get("VIGIE_PLATFORM_APP_CODE", "VIGIE1"),
    )
