"""E-reporting exports: every transmission whose period has ended, written once, after each
publication (a changed period goes again as a rectificative)."""

import dagster as dg

from vigie.orchestration.ereporting.export import export_transmissions
from vigie.platform.contracts.serving import current_snapshot
from vigie.platform.settings import get_settings


def exports_dir(settings):
    return settings.exports_dir / "ereporting" / "out"


@dg.asset(
    key="ereporting_exports",
    deps=["serving_snapshot"],
    group_name="publish",
    description="Flux 10 XML of every transmission due (period ended), XSD- and Annexe "
    "7-checked; unchanged periods are not sent again, changed ones go as RE.",
)
def ereporting_exports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = get_settings()
    snapshot = current_snapshot(settings)
    if snapshot is None:
        raise dg.Failure("no serving snapshot to export from")
    outcomes = export_transmissions(settings, snapshot.path, exports_dir(settings))
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.action] = counts.get(o.action, 0) + 1
    invalid = [o for o in outcomes if o.action == "invalid"]
    for o in invalid:
        context.log.error(f"{o.transmission_id}: " + "; ".join(o.errors[:5]))
    if invalid:
        raise dg.Failure(
            f"{len(invalid)} invalid transmissions (not written)",
            metadata={"invalid": [o.transmission_id for o in invalid][:50]},
        )
    return dg.MaterializeResult(metadata={"folder": str(exports_dir(settings)), **counts})


ereporting_export = dg.define_asset_job(
    "ereporting_export",
    selection=dg.AssetSelection.assets("ereporting_exports"),
    description="Export the e-reporting transmissions that are due.",
)

# Filing deadlines fall on the 10th, the 20th and month ends (e-reporting.md §6): exporting
# every morning after the refresh sends each period the day after it ends, well before them.
ereporting_daily = dg.ScheduleDefinition(
    name="ereporting_daily",
    job=ereporting_export,
    cron_schedule="30 6 * * *",
    execution_timezone="Europe/Paris",
    description="Every morning at 06:30 Paris, after the 06:00 refresh.",
)
