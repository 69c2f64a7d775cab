"""Jobs and the morning schedule.

Every job that writes the warehouse carries the tag ``warehouse=write``; the instance's run
queue (``orchestration/dagster.yaml``) lets one such run go at a time, the others wait.
"""

from datetime import timedelta

import dagster as dg

from vigie.orchestration.partitions import landing_days, today_in_paris

WAREHOUSE_WRITE_TAGS = {"warehouse": "write"}

REFRESH_SELECTION = (
    dg.AssetSelection.groups("landing", "reference", "staging", "intermediate", "marts", "reports")
    - dg.AssetSelection.assets("synthetic_history")
) | dg.AssetSelection.assets("serving_snapshot")

warehouse_refresh = dg.define_asset_job(
    "warehouse_refresh",
    selection=REFRESH_SELECTION,
    partitions_def=landing_days,
    description="Land the platform outbox, dbt build of the partition's landing days (models "
    "and tests), then publication of the serving snapshot if every test passed.",
    tags=WAREHOUSE_WRITE_TAGS,
)

demo_pipeline = dg.define_asset_job(
    "demo_pipeline",
    selection=dg.AssetSelection.all(),
    partitions_def=landing_days,
    description="Generate the sample history, build the warehouse, publish the snapshot, "
    "export e-reporting (run it as a backfill over the generated days).",
    tags=WAREHOUSE_WRITE_TAGS,
)


@dg.schedule(
    name="warehouse_refresh_daily",
    job=warehouse_refresh,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
    description="Every morning at 06:00 Paris: yesterday's landing day, tested and published.",
)
def refresh_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    yesterday = today_in_paris(context.scheduled_execution_time) - timedelta(days=1)
    key = yesterday.isoformat()
    return dg.RunRequest(run_key=f"daily-{key}", partition_key=key)
