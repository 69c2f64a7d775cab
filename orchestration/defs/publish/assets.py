"""The serving snapshot the dashboards read, published after a build whose tests passed."""

from datetime import date

import dagster as dg

from vigie.orchestration.defs.dbt.assets import warehouse_dbt_assets
from vigie.orchestration.publish import PUBLISHED_SCHEMAS, publish_snapshot, record_build
from vigie.platform.settings import get_settings

#: every dbt table the snapshot copies (keys are <schema>/<model>)
PUBLISHED_KEYS = sorted(
    (k for k in warehouse_dbt_assets.keys if k.path[0] in PUBLISHED_SCHEMAS),
    key=lambda k: k.path,
)


def changed_from(run: dg.DagsterRun) -> date | None:
    """The first landing day the run's dbt build loaded (its partition, or the start of its
    range), or None after a full refresh or without a partition: then the whole snapshot is
    copied."""
    ops = (run.run_config or {}).get("ops", {})
    if ops.get(warehouse_dbt_assets.op.name, {}).get("config", {}).get("full_refresh"):
        return None
    first = run.tags.get("dagster/asset_partition_range_start") or run.tags.get("dagster/partition")
    return date.fromisoformat(first) if first else None


@dg.asset(
    key="serving_snapshot",
    deps=PUBLISHED_KEYS,
    group_name="publish",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    description="Read-only copy of marts and reports, swapped in atomically for the dashboards.",
)
def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = get_settings()
    ref = publish_snapshot(settings, changed_from=changed_from(context.run))
    record_build(settings, ok=True, message=f"published {ref.snapshot_id}")
    context.log.info(f"published {ref.path}")
    return dg.MaterializeResult(
        metadata={"snapshot_id": ref.snapshot_id, "path": str(ref.path), **ref.tables}
    )
