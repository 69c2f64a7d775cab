"""Running dbt on the project in ``transformations/`` with the settings' environment."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from vigie.orchestration.executables import beside_interpreter
from vigie.platform.settings import DBT_PROJECT_DIR, Settings

#: where ``make manifest`` (``dbt parse``) leaves the manifest Dagster loads its assets from
MANIFEST_TARGET_DIR = DBT_PROJECT_DIR / "target"


class DbtFailed(RuntimeError):
    """dbt exited non-zero; the message holds the end of its output."""


@dataclass(frozen=True)
class DbtRun:
    args: tuple[str, ...]
    seconds: float
    log_path: Path


def dbt_executable() -> str:
    """``dbt`` of this interpreter's environment (dagster-dbt is given it too)."""
    return beside_interpreter("dbt")


def dbt_environment(settings: Settings, *, target_path: Path | None = None) -> dict[str, str]:
    env = {**os.environ, **settings.dbt_env()}
    if target_path is not None:
        env["DBT_TARGET_PATH"] = str(target_path)
    return env


def run_dbt(settings: Settings, args: list[str], *, target_path: Path | None = None) -> DbtRun:
    """Run ``dbt <args>`` in a subprocess; raise ``DbtFailed`` with its output's tail.

    On Spark with an in-memory metastore, in this process instead: the metastore lives in
    this process's JVM (its Spark session, reused by every run), so a run in a subprocess
    would forget the tables the previous one built."""
    settings.ensure_dirs()
    log_path = settings.dbt_dir / "last_run.log"
    began = time.perf_counter()
    if settings.engine == "spark":
        require_spark()
        if settings.spark_metastore == "memory":
            _run_dbt_in_process(settings, args, target_path=target_path, log_path=log_path)
            return DbtRun(tuple(args), time.perf_counter() - began, log_path)
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.run(
            [dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR)],
            env=dbt_environment(settings, target_path=target_path),
            cwd=DBT_PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8").splitlines()[-25:]
        raise DbtFailed(f"dbt {' '.join(args)} failed (log: {log_path}):\n" + "\n".join(tail))
    return DbtRun(tuple(args), time.perf_counter() - began, log_path)


class SparkMissing(DbtFailed):
    """VIGIE_ENGINE=spark without the Spark engine installed."""


def require_spark() -> None:
    """Fail with what to do when the Spark engine is not installed (it is optional)."""
    import importlib.util

    missing = [m for m in ("pyspark", "dbt.adapters.spark") if importlib.util.find_spec(m) is None]
    if missing:
        raise SparkMissing(
            f"VIGIE_ENGINE=spark, but the Spark engine is not installed ({', '.join(missing)} "
            "missing): run `make setup-spark` (pyspark and dbt-spark from "
            "requirements-spark.lock; Spark needs a Java 17 runtime)"
        )


def _run_dbt_in_process(
    settings: Settings, args: list[str], *, target_path: Path | None, log_path: Path
) -> None:
    from dbt.cli.main import dbtRunner  # dbt's programmatic entry point

    env = dbt_environment(settings, target_path=target_path)
    saved = dict(os.environ)
    os.environ.update(env)  # profiles.yml and dbt's flags read the environment
    try:
        result = dbtRunner().invoke([*args, "--project-dir", str(DBT_PROJECT_DIR)])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    failures = [  # the nodes that failed, a line each (a run's result lists its nodes)
        f"{r.node.unique_id}: {r.status}: {((r.message or '').splitlines() or [''])[0][:300]}"
        for r in getattr(result.result, "results", [])
        if r.status in ("error", "fail")
    ]
    log_path.write_text(
        f"dbt {' '.join(args)} (in process): success={result.success}\n"
        + "".join(f"{line}\n" for line in failures),
        encoding="utf-8",
    )
    if not result.success:
        detail = "\n".join(failures[-25:]) or repr(result.exception)
        raise DbtFailed(f"dbt {' '.join(args)} failed (in process):\n{detail}")


def prepare_manifest(settings: Settings) -> Path:
    """``dbt parse`` into ``transformations/target`` so Dagster can load the dbt assets."""
    run_dbt(settings, ["parse", "--quiet"], target_path=MANIFEST_TARGET_DIR)
    return MANIFEST_TARGET_DIR / "manifest.json"


def manifest_is_current() -> bool:
    """The parsed manifest is newer than every file of the dbt project (what ``make setup``
    checks before it parses again)."""
    manifest = MANIFEST_TARGET_DIR / "manifest.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    skipped = (MANIFEST_TARGET_DIR, DBT_PROJECT_DIR / "dbt_packages", DBT_PROJECT_DIR / "logs")
    sources = (
        path
        for path in DBT_PROJECT_DIR.rglob("*")
        if path.suffix in (".sql", ".yml", ".csv")
        and not any(path.is_relative_to(folder) for folder in skipped)
    )
    return all(path.stat().st_mtime <= built for path in sources)


#: the manifest of the project as it last built the warehouse, to tell what changed since
BUILT_STATE = "built_state"


@dataclass(frozen=True)
class Rebuild:
    """What a build must rebuild from the whole landing zone, and why (for the log)."""

    #: every incremental model (a warehouse with no record of the code that built it)
    everything: bool
    #: else these models: changed since the last build, with their dependents
    models: tuple[str, ...]
    reason: str


def rebuild_needed(settings: Settings) -> Rebuild:
    """The models whose code, configuration or inputs' contract changed since the project
    last built the warehouse (dbt's ``state:modified+`` against that build's manifest):
    their tables may hold rows the new code would not write, so they are rebuilt whole."""
    if not settings.warehouse_exists():  # a first build: every model is built whole
        return Rebuild(False, (), "")
    state = settings.dbt_dir / BUILT_STATE
    if not (state / "manifest.json").exists():
        return Rebuild(
            True, (), "no record of the code that built the warehouse: every model is rebuilt"
        )
    state = _state_for_this_home(settings, state)
    proc = subprocess.run(
        [dbt_executable(), "ls", "--resource-type", "model", "--select", "state:modified+",
         "--state", str(state), "--output", "name", "--quiet", "--project-dir",
         str(DBT_PROJECT_DIR)],
        env=dbt_environment(settings, target_path=settings.dbt_dir / "plan"),
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise DbtFailed(f"dbt ls failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    models = tuple(sorted(line.strip() for line in proc.stdout.splitlines() if line.strip()))
    if not models:
        return Rebuild(False, (), "")
    return Rebuild(
        False,
        models,
        f"changed since the last build, rebuilt whole with their dependents: {', '.join(models)}",
    )


def save_built_state(settings: Settings, target_path: Path) -> None:
    """Keep the manifest of a build that passed, for :func:`rebuild_needed` next time, with
    the landing folder it was parsed with."""
    state = settings.dbt_dir / BUILT_STATE
    state.mkdir(parents=True, exist_ok=True)
    tmp = state / f".manifest.{os.getpid()}.json"
    tmp.write_bytes((target_path / "manifest.json").read_bytes())
    tmp.replace(state / "manifest.json")
    (state / LANDING_FILE).write_text(str(settings.landing_dir), encoding="utf-8")


#: beside the saved manifest: the landing folder rendered into the sources' location
LANDING_FILE = "landing_dir.txt"


def _state_for_this_home(settings: Settings, state: Path) -> Path:
    """The saved manifest as this home would have parsed it: the sources' location names
    the landing folder, so a home copied or moved elsewhere (a test's copy of the demo)
    would otherwise look like a change of every source."""
    saved = state / LANDING_FILE
    before = saved.read_text(encoding="utf-8") if saved.exists() else str(settings.landing_dir)
    if before == str(settings.landing_dir):
        return state
    here = settings.dbt_dir / "built_state_here"
    here.mkdir(parents=True, exist_ok=True)
    text = (state / "manifest.json").read_text(encoding="utf-8")
    (here / "manifest.json").write_text(
        text.replace(before, str(settings.landing_dir)), encoding="utf-8"
    )
    return here
