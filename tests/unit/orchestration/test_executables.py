"""Every executable the project runs is the one beside the interpreter, never one on PATH."""

import sys
from pathlib import Path

import pytest

from vigie.orchestration.executables import MissingExecutable, beside_interpreter


def test_dbt_dagster_and_vigie_resolve_beside_the_interpreter(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # a newcomer's shell: .venv/bin not on PATH
    for name in ("dbt", "dagster", "vigie"):
        assert beside_interpreter(name) == str(Path(sys.executable).parent / name)


def test_a_missing_tool_is_named_with_how_to_install_it():
    with pytest.raises(MissingExecutable) as err:
        beside_interpreter("no-such-tool")
    assert "'no-such-tool'" in str(err.value) and "make setup" in str(err.value)
