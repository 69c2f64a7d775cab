"""The Dagster code location: loads, has the lineage, and materializes the chain for real."""

import dagster as dg
import duckdb
import pytest

from vigie.dashboards.snapshot import current_snapshot, last_build
from vigie.platform.settings import get_settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def definitions(dbt_manifest):
    from vigie.orchestration.definitions import defs

    return defs()


def test_definitions_load_with_the_jobs_and_the_lineage(definitions):
    keys = {k.to_user_string() for k in definitions.resolve_all_asset_keys()}
    assert {
        "landing/invoices",
        "staging/stg_platform__invoices",
        "reports/rpt_monthly_volumes",
        "serving_snapshot",
    } <= keys
    graph = definitions.resolve_asset_graph()
    stg = dg.AssetKey(["staging", "stg_platform__invoices"])
    rpt = dg.AssetKey(["reports", "rpt_monthly_volumes"])
    assert dg.AssetKey(["landing", "invoices"]) in graph.get(stg).parent_keys
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
    assert definitions.resolve_job_def("warehouse_refresh").tags["warehouse"] == "write"
    assert len(list(graph.asset_check_keys)) > 0, "dbt tests must appear as asset checks"


@pytest.mark.slow
def test_demo_job_materializes_landing_to_serving_snapshot(definitions, vigie_home):
    result = definitions.resolve_job_def("demo_pipeline").execute_in_process(
        run_config={
            "ops": {
                "synthetic_history": {
                    "config": {"start": "2020-01-01", "end": "2020-02-29", "scale": 0.0001}
                }
            }
        },
        instance=dg.DagsterInstance.ephemeral(),
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
