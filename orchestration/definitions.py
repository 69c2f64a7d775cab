"""The Dagster code location: ``dagster dev -m vigie.orchestration.definitions``.

Nothing heavy happens at import: the dbt manifest is read (prepared beforehand by
``make manifest`` / ``vigie pipeline manifest``), never parsed.
"""

import dagster as dg

import vigie.orchestration.defs


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_defs(defs_root=vigie.orchestration.defs)
