"""The EDI inbox sensor: deposit what was dropped, then refresh today's partition."""

import hashlib
import json

import dagster as dg

from vigie.orchestration.defs.jobs import warehouse_refresh
from vigie.orchestration.inbox import process_inbox
from vigie.orchestration.partitions import today_in_paris
from vigie.platform.settings import get_settings


@dg.sensor(
    name="edi_inbox",
    job=warehouse_refresh,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Deposits every complete file of VIGIE_HOME/inbox through the platform "
    "(channel edi), moves it to inbox/done or inbox/refused (+ .errors.json), then refreshes "
    "today's landing day.",
)
def edi_inbox(context: dg.SensorEvaluationContext):
    settings = get_settings()
    settings.ensure_dirs()
    seen = json.loads(context.cursor) if context.cursor else {}
    day = today_in_paris()
    outcomes, pending = process_inbox(settings, seen, day=day)
    context.update_cursor(json.dumps(pending, sort_keys=True))
    if not outcomes:
        return dg.SkipReason(
            f"{len(pending)} file(s) still being written" if pending else "inbox empty"
        )
    for o in outcomes:
        context.log.info(
            f"{o.file}: {o.accepted} accepted, {o.refused} refused → "
            f"{o.moved_to.relative_to(settings.inbox_dir)}"
        )
    moved = "\n".join(sorted(str(o.moved_to) for o in outcomes))
    return dg.RunRequest(
        run_key=f"inbox-{day}-{hashlib.sha256(moved.encode()).hexdigest()[:16]}",
        partition_key=day.isoformat(),
        tags={"vigie/trigger": "edi-inbox"},
    )
