"""Landing-zone producers as assets.

The landing tables are materialized by ``platform_extract``, which lands the platform's
outbox (deposits, status changes, structures, e-reporting captures) after its watermark.
The generator (``synthetic_history``, for demos and benchmarks) writes straight into the
landing zone, upstream of the extract, so the lineage reads generator → landing → dbt.
"""

from datetime import date

import dagster as dg

from vigie.ingestion.extract import extract
from vigie.ingestion.generator import generate
from vigie.orchestration.defs.dbt.translator import landing_key
from vigie.orchestration.pipeline import DEMO_END, DEMO_SCALE, DEMO_SEED, DEMO_START
from vigie.platform.contracts import LANDING_TABLES
from vigie.platform.settings import get_settings


class SyntheticHistoryConfig(dg.Config):
    start: str = DEMO_START.isoformat()
    end: str = DEMO_END.isoformat()
    scale: float = DEMO_SCALE
    seed: int = DEMO_SEED


@dg.asset(
    key="synthetic_history",
    group_name="landing",
    description="Synthetic history written by the generator into the landing zone "
    "(demos and benchmarks; never part of the scheduled refresh).",
)
def synthetic_history(
    context: dg.AssetExecutionContext, config: SyntheticHistoryConfig
) -> dg.MaterializeResult:
    settings = get_settings()
    settings.ensure_dirs()
    summary = generate(
        settings.landing_dir,
        date.fromisoformat(config.start),
        date.fromisoformat(config.end),
        scale=config.scale,
        seed=config.seed,
    )
    context.log.info(f"generated {dict(summary.rows)} in {summary.seconds:.1f} s")
    return dg.MaterializeResult(
        metadata={"seconds": round(summary.seconds, 1), **{t: n for t, n in summary.rows.items()}}
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            landing_key(t),
            group_name="landing",
            description=f"Landing table {t} (Parquet, partitioned by day).",
            deps=["synthetic_history"],
        )
        for t in LANDING_TABLES
    ],
    name="platform_extract",
    description="The platform outbox after the last extracted sequence, landed exactly once.",
)
def platform_extract(context: dg.AssetExecutionContext):
    settings = get_settings()
    settings.ensure_dirs()
    result = extract(settings)
    context.log.info(
        f"outbox {result.start_seq} → {result.end_seq}: {result.files} files "
        f"in {result.seconds:.1f} s"
    )
    for table in LANDING_TABLES:
        yield dg.MaterializeResult(
            asset_key=landing_key(table),
            metadata={
                "rows_extracted": result.rows.get(table, 0),
                "outbox_sequence": result.end_seq,
                "path": str(settings.landing_dir / table),
            },
        )
