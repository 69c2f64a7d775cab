"""Packaging rules of STYLE.md §2 that a fresh clone depends on."""

import re
import subprocess
import sys
import tomllib

from vigie.platform.settings import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAPPING = PYPROJECT["tool"]["setuptools"]["package-dir"]


def test_platform_folder_is_not_a_regular_package():
    assert not (REPO_ROOT / "platform" / "__init__.py").exists()


def test_import_platform_from_the_repository_root_is_the_standard_library():
    code = "import platform, uuid; print(platform.__file__); print(platform.python_version())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert not out[0].startswith(str(REPO_ROOT))
    assert out[1].startswith("3.11")


def test_every_python_folder_of_a_component_is_a_listed_package():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    for package, folder in MAPPING.items():
        for path in (REPO_ROOT / folder).rglob("*.py"):
            rel = path.parent.relative_to(REPO_ROOT / folder)
            name = ".".join([package, *rel.parts])
            assert name in listed, f"{path} is in package {name}, missing from pyproject"


def test_lock_pins_every_package_exactly_without_any_index_or_url():
    lock = (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "://" not in lock and "--index-url" not in lock
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s]+)$", lock, flags=re.MULTILINE))
    requirement_lines = [
        line for line in lock.splitlines() if line and not line.startswith((" ", "#"))
    ]
    assert len(pins) == len(requirement_lines), "every requirement must be pinned with =="
    major, minor = (int(x) for x in pins["dbt-core"].split(".")[:2])
    assert (major, minor) < (1, 12)
    for name in ("duckdb", "dbt-duckdb", "dagster", "dagster-dbt", "streamlit", "polars"):
        assert name in pins, name
