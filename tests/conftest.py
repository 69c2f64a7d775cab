"""Shared fixtures: every test gets its own VIGIE_HOME; the demo pipeline runs once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SESSION_DEMO_ARGS

from vigie.platform.settings import REPO_ROOT, Settings, get_settings

VIGIE = str(Path(sys.executable).parent / "vigie")


@pytest.fixture(autouse=True)
def _never_touch_repo_data(monkeypatch, tmp_path_factory):
    """Default every test to a throwaway VIGIE_HOME, so ./data is never touched."""
    if "VIGIE_HOME" not in os.environ or Path(os.environ["VIGIE_HOME"]) == REPO_ROOT / "data":
        monkeypatch.setenv("VIGIE_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def vigie_home(tmp_path, monkeypatch) -> Settings:
    home = tmp_path / "vigie_home"
    monkeypatch.setenv("VIGIE_HOME", str(home))
    settings = get_settings()
    settings.ensure_dirs()
    return settings


def run_vigie(
    args: list[str], home: Path, env_extra: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess:
    env = {**os.environ, "VIGIE_HOME": str(home), **(env_extra or {})}
    return subprocess.run(
        [VIGIE, *args], env=env, capture_output=True, text=True, timeout=900, **kwargs
    )


@pytest.fixture(scope="session")
def vigie_cli():
    """Run the installed `vigie` command with a given VIGIE_HOME."""
    return run_vigie


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Settings:
    """A VIGIE_HOME where `vigie demo --no-serve` ran (once for the whole session)."""
    home = tmp_path_factory.mktemp("demo") / "home"
    proc = run_vigie(["demo", "--no-serve", *SESSION_DEMO_ARGS], home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return get_settings({"VIGIE_HOME": str(home)})


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> Path:
    """The dbt manifest Dagster loads, parsed once per session (never at import), or the
    one ``make setup`` parsed when no dbt file changed since."""
    from vigie.orchestration.dbt import MANIFEST_TARGET_DIR, manifest_is_current, prepare_manifest

    if manifest_is_current():
        return MANIFEST_TARGET_DIR / "manifest.json"

    home = tmp_path_factory.mktemp("manifest")
    return prepare_manifest(get_settings({"VIGIE_HOME": str(home)}))
