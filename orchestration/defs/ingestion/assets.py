"""Landing-zone producers as assets."""

from datetime import date

import dagster as dg

from vigie.ingestion.generator import generate
from vigie.ingestion.generator.history import GENERATED_TABLES
from vigie.orchestration.defs.dbt.translator import landing_key
from vigie.orchestration.pipeline import DEMO_END, DEMO_SCALE, DEMO_SEED, DEMO_START
from vigie.platform.settings import get_settings


class SyntheticHistoryConfig(dg.Config):
    start: str = DEMO_START.isoformat()
    end: str = DEMO_END.isoformat()
    scale: float = DEMO_SCALE
    seed: int = DEMO_SEED


@dg.multi_asset(
    specs=[
        dg.AssetSpec(landing_key(t), group_name="landing", description=f"Landing table {t}.")
        for t in GENERATED_TABLES
    ],
    name="synthetic_history",
    description="Synthetic history written by the generator (demos and benchmarks).",
)
def synthetic_history(context: dg.AssetExecutionContext, config: SyntheticHistoryConfig):
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
    for table in GENERATED_TABLES:
        yield dg.MaterializeResult(
            asset_key=landing_key(table),
            metadata={
                "rows": summary.rows.get(table, 0),
                "path": str(settings.landing_dir / table),
            },
        )
