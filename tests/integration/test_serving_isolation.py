"""Dashboards keep answering while the warehouse is being rebuilt: they read the snapshot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from vigie.dashboards import queries
from vigie.dashboards.scope import Scope
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import get_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
VIGIE = str(Path(sys.executable).parent / "vigie")


#: the dashboards' queries as an operator reads them
MONTHLY = Scope("operator").apply(queries.MONTHLY_VOLUMES_SQL)
DECLARANTS = Scope("operator").apply(queries.EREPORTING_DECLARANTS_SQL)


def test_dashboard_queries_succeed_during_a_full_build(demo_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(demo_home.home, home)
    settings = get_settings({"VIGIE_HOME": str(home)})
    before = current_snapshot(settings)
    with duckdb.connect(str(before.path), read_only=True) as con:
        expected = con.execute(MONTHLY).fetchall()

    build = subprocess.Popen(
        [VIGIE, "pipeline", "run", "--full-refresh"],
        env={**os.environ, "VIGIE_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    answered, deadline = 0, time.monotonic() + 600
    try:
        while build.poll() is None and time.monotonic() < deadline:
            snapshot = current_snapshot(settings)
            with duckdb.connect(str(snapshot.path), read_only=True) as con:
                assert con.execute(MONTHLY).fetchall() == expected
                con.execute(DECLARANTS).fetchall()
            answered += 1
            time.sleep(0.05)
    finally:
        if build.poll() is None:
            build.kill()
        output = build.communicate()[0]
    assert build.returncode == 0, output
    assert answered >= 10, f"only {answered} dashboard queries ran during the build"
    after = current_snapshot(settings)
    assert after.snapshot_id != before.snapshot_id
    with duckdb.connect(str(after.path), read_only=True) as con:
        assert con.execute(MONTHLY).fetchall() == expected
