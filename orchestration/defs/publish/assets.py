"""The serving snapshot the dashboards read, published after a build whose tests passed."""

import dagster as dg

from vigie.orchestration.defs.dbt.assets import warehouse_dbt_assets
from vigie.orchestration.publish import PUBLISHED_SCHEMAS, publish_snapshot, record_build
from vigie.platform.settings import get_settings

#: every dbt table the snapshot copies (keys are <schema>/<model>)
PUBLISHED_KEYS = sorted(
    (k for k in warehouse_dbt_assets.keys if k.path[0] in PUBLISHED_SCHEMAS),
    key=lambda k: k.path,
)


@dg.asset(
    key="serving_snapshot",
    deps=PUBLISHED_KEYS,
    group_name="publish",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    description="Read-only copy of marts and reports, swapped in atomically for the dashboards.",
)
def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = get_settings()
    ref = publish_snapshot(settings)
    record_build(settings, ok=True, message=f"published {ref.snapshot_id}")
    context.log.info(f"published {ref.path}")
    return dg.MaterializeResult(
        metadata={"snapshot_id": ref.snapshot_id, "path": str(ref.path), **ref.tables}
    )
