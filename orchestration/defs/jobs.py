"""Jobs: the warehouse refresh (dbt build → publish) and the demo (generate first)."""

import dagster as dg

WAREHOUSE_WRITE_TAGS = {"warehouse": "write"}

warehouse_refresh = dg.define_asset_job(
    "warehouse_refresh",
    selection=dg.AssetSelection.groups("reference", "staging", "intermediate", "marts", "reports")
    | dg.AssetSelection.assets("serving_snapshot"),
    description="dbt build of every model and test, then publication of the serving snapshot.",
    tags=WAREHOUSE_WRITE_TAGS,
)

demo_pipeline = dg.define_asset_job(
    "demo_pipeline",
    selection=dg.AssetSelection.all(),
    description="Generate the sample history, build the warehouse, publish the snapshot.",
    tags=WAREHOUSE_WRITE_TAGS,
)

refresh_daily = dg.ScheduleDefinition(
    name="warehouse_refresh_daily",
    job=warehouse_refresh,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
    description="Every morning at 06:00 Paris: load the new landing days, test, publish.",
)
