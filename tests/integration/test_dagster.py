"""The Dagster code location: loads, has the lineage, and materializes the chain for real."""

import difflib
import os

import dagster as dg
import duckdb
import pytest

from vigie.platform.contracts.serving import current_snapshot, last_build
from vigie.platform.settings import REPO_ROOT, get_settings

pytestmark = pytest.mark.integration


def partition_range(first: str, last: str) -> dict[str, str]:
    """The tags of a one-run backfill over a range of landing days (as the UI launches it)."""
    return {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
    }


@pytest.fixture(scope="module")
def definitions(dbt_manifest):
    from vigie.orchestration.definitions import defs

    return defs()


def test_definitions_load_with_the_jobs_and_the_lineage(definitions):
    keys = {k.to_user_string() for k in definitions.resolve_all_asset_keys()}
    assert {
        "synthetic_history",
        "landing/invoices",
        "staging/stg_platform__invoices",
        "reports/rpt_monthly_volumes",
        "serving_snapshot",
    } <= keys
    graph = definitions.resolve_asset_graph()
    stg = dg.AssetKey(["staging", "stg_platform__invoices"])
    rpt = dg.AssetKey(["reports", "rpt_monthly_volumes"])
    assert dg.AssetKey(["landing", "invoices"]) in graph.get(stg).parent_keys
    assert graph.get(dg.AssetKey(["landing", "invoices"])).parent_keys == {
        dg.AssetKey("synthetic_history")
    }
    assert stg in graph.get(rpt).parent_keys
    assert rpt in graph.get(dg.AssetKey("serving_snapshot")).parent_keys
    assert {j.name for j in definitions.resolve_all_job_defs()} >= {
        "warehouse_refresh",
        "demo_pipeline",
        "ereporting_export",
    }
    assert (
        dg.AssetKey("serving_snapshot") in graph.get(dg.AssetKey("ereporting_exports")).parent_keys
    )
    schedules = {s.name: s for s in definitions.schedules}
    assert schedules["warehouse_refresh_daily"].cron_schedule == "0 6 * * *"
    assert schedules["warehouse_refresh_daily"].execution_timezone == "Europe/Paris"
    assert schedules["ereporting_daily"].job_name == "ereporting_export"
    refresh = definitions.resolve_job_def("warehouse_refresh")
    assert refresh.tags["warehouse"] == "write"
    refreshed = {k.to_user_string() for k in refresh.asset_layer.executable_asset_keys}
    assert "synthetic_history" not in refreshed and "landing/invoices" in refreshed
    # daily partitions on the landing day, Paris time; today's exists for the inbox
    days = refresh.partitions_def
    assert days.get_first_partition_key() == "2017-01-01"
    assert days.timezone == "Europe/Paris"
    sensors = {s.name: s for s in definitions.sensors}
    assert sensors["edi_inbox"].job_name == "warehouse_refresh"
    assert len(list(graph.asset_check_keys)) > 0, "dbt tests must appear as asset checks"


def test_the_morning_schedule_asks_for_yesterday_in_paris(definitions):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    schedule = {s.name: s for s in definitions.schedules}["warehouse_refresh_daily"]
    # 06:00 in Paris on 1 March 2021 is 05:00 UTC: the day to load is 28 February
    at = datetime(2021, 3, 1, 6, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with dg.build_schedule_context(
        scheduled_execution_time=at, repository_def=definitions.get_repository_def()
    ) as context:
        [request] = schedule.evaluate_tick(context).run_requests
    assert request.partition_key == "2021-02-28"


def test_the_run_queue_lets_one_warehouse_writer_go_at_a_time(definitions):
    import yaml

    from vigie.orchestration.services import DAGSTER_YAML

    config = yaml.safe_load(DAGSTER_YAML.read_text(encoding="utf-8"))
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    assert {"key": "warehouse", "value": "write", "limit": 1} in limits
    writers = [
        j.name
        for j in definitions.resolve_all_job_defs()
        if not j.name.startswith("__") and j.tags.get("warehouse") == "write"
    ]
    assert sorted(writers) == ["demo_pipeline", "warehouse_refresh"]


@pytest.mark.slow
@pytest.mark.long
def test_demo_job_materializes_landing_to_serving_snapshot(
    definitions, vigie_home, dagster_instance
):
    result = definitions.resolve_job_def("demo_pipeline").execute_in_process(
        run_config={
            "ops": {
                "synthetic_history": {
                    "config": {"start": "2020-01-01", "end": "2020-02-29", "scale": 0.0001}
                }
            }
        },
        instance=dagster_instance,
        tags=partition_range("2020-01-01", "2020-02-29"),
    )
    assert result.success
    checks = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    assert checks and all(c.passed for c in checks)
    settings = get_settings()
    snapshot = current_snapshot(settings)
    assert snapshot is not None and last_build(settings).ok
    with duckdb.connect(str(snapshot.path), read_only=True) as con:
        months = con.execute(
            "select strftime(month_start_date, '%Y-%m') from reports.rpt_monthly_volumes order by 1"
        ).fetchall()
    assert [m for (m,) in months] == ["2020-01", "2020-02"]
    exported = result.asset_materializations_for_node("ereporting_exports")
    assert exported and exported[0].metadata["exported"].value > 0
    files = list((settings.exports_dir / "ereporting" / "out").glob("FFE1025A_*.xml"))
    assert len(files) == exported[0].metadata["exported"].value


@pytest.mark.slow
@pytest.mark.long
def test_a_build_whose_dbt_test_fails_keeps_the_previous_snapshot(
    definitions, demo_home, tmp_path, monkeypatch, dagster_instance
):
    import json
    import shutil
    from decimal import Decimal

    import polars as pl

    from vigie.ingestion import landing

    home = tmp_path / "home"
    shutil.copytree(demo_home.home, home)
    monkeypatch.setenv("VIGIE_HOME", str(home))
    before = json.loads((home / "serving" / "current.json").read_text())
    # one invoice whose gross is a cent off net + VAT: the contract holds, the dbt test fails
    [*_, last] = landing.list_files(home / "landing", "invoices")
    frame = pl.read_parquet(last)
    frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.col("total_incl_vat") + pl.lit(Decimal("0.01")))
        .otherwise(pl.col("total_incl_vat"))
        .alias("total_incl_vat")
    ).write_parquet(last)
    day = last.parent.name.removeprefix("date=")

    result = definitions.resolve_job_def("warehouse_refresh").execute_in_process(
        instance=dagster_instance, partition_key=day, raise_on_error=False
    )

    assert not result.success
    failed_checks = [
        e.asset_check_evaluation_data.asset_check_key.name
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    ]
    assert any("expression_is_true_stg_platform__invoices" in name for name in failed_checks)
    assert not result.asset_materializations_for_node("serving_snapshot")
    assert json.loads((home / "serving" / "current.json").read_text()) == before
    status = last_build(get_settings())
    assert status is not None and not status.ok and day in status.message


#: the asset graph as it was last accepted: one asset a line, "key [group] <- its deps"
GRAPH_SNAPSHOT = REPO_ROOT / "tests" / "snapshots" / "asset_graph.txt"


def _graph_lines(definitions) -> list[str]:
    graph = definitions.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        deps = ", ".join(sorted(p.to_user_string() for p in node.parent_keys))
        lines.append(f"{key.to_user_string()} [{node.group_name}] <- {deps}".rstrip())
    return lines


def test_the_asset_graph_is_the_one_accepted(definitions):
    """Any change of an asset key, group or dependency shows here as a diff. When the change
    is meant, accept it: VIGIE_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -k asset_graph."""
    lines = _graph_lines(definitions)
    if os.environ.get("VIGIE_UPDATE_SNAPSHOTS") == "1":
        GRAPH_SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accepted = GRAPH_SNAPSHOT.read_text(encoding="utf-8").splitlines()
    diff = "\n".join(difflib.unified_diff(accepted, lines, "accepted", "now", lineterm=""))
    assert lines == accepted, f"the asset graph changed:\n{diff}"
