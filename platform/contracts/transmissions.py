"""The record of the e-reporting export: what the export step writes, and the dashboards
and the command line read.

``$VIGIE_HOME/exports/ereporting/transmissions.sqlite`` keeps every transmission written
(its id, period, type, content digest, flow file name and where the file is) and the
last failed check of a period whose XML was refused by the XSD or the Annexe 7 rules. A
reader learns each period's state from it without building any XML itself.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from vigie.platform.settings import Settings

SCHEMA = """
create table if not exists transmissions (
    seq integer primary key autoincrement,
    transmission_id text not null,
    declarant_siren text not null,
    declarant_role text not null,
    report_kind text not null,
    period_start text not null,
    period_end text not null,
    type_code text not null,
    issued_at text not null,
    content_sha256 text not null,
    file_name text not null,
    record_count integer not null,
    replaced_by integer references transmissions,
    path text
);
create index if not exists transmissions_by_period
    on transmissions (declarant_siren, declarant_role, report_kind, period_start);
create table if not exists failed_checks (
    declarant_siren text not null,
    declarant_role text not null,
    report_kind text not null,
    period_start text not null,
    checked_at text not null,
    transmission_id text not null,
    errors text not null,
    primary key (declarant_siren, declarant_role, report_kind, period_start)
);
"""

#: (SIREN, role, kind, period start as YYYY-MM-DD): one transmission of the warehouse
PeriodKey = tuple[str, str, str, str]
#: built: in the warehouse, not written yet; exported: sent initially (IN); rectified:
#: sent again as RE; invalid: its last export was refused by the XSD or Annexe 7
ExportStatus = Literal["built", "exported", "rectified", "invalid"]
SENT_STATUSES: tuple[ExportStatus, ...] = ("exported", "rectified")


@dataclass(frozen=True)
class ExportState:
    """Where one period's transmission stands."""

    status: ExportStatus
    #: the last transmission written (or, when invalid, the one that was refused)
    transmission_id: str | None = None
    #: the XML file written, when one was
    path: Path | None = None
    #: the failed rules of an invalid export
    errors: tuple[str, ...] = ()


def record_path(settings: Settings) -> Path:
    return settings.exports_dir / "ereporting" / "transmissions.sqlite"


def connect(settings: Settings) -> sqlite3.Connection:
    """The record, created if need be (the export step writes through this connection)."""
    path = record_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.executescript(SCHEMA)
    columns = {r["name"] for r in con.execute("pragma table_info(transmissions)")}
    if "path" not in columns:  # a record made before files were located in it
        con.execute("alter table transmissions add column path text")
    return con


def _of(declarant: str | None) -> tuple[str, tuple[str, ...]]:
    """The where clause (and its parameters) of one declarant's rows, or of all."""
    return ("", ()) if declarant is None else (" where declarant_siren = ?", (declarant,))


def history(settings: Settings, declarant: str | None = None) -> list[dict[str, Any]]:
    """Every transmission exported (of one declarant, if given), oldest first."""
    if not record_path(settings).exists():
        return []
    with closing(connect(settings)) as con:
        where, params = _of(declarant)
        return [
            dict(r) for r in con.execute(f"select * from transmissions{where} order by seq", params)
        ]


def states(settings: Settings, declarant: str | None = None) -> dict[PeriodKey, ExportState]:
    """The state of every period the export step has seen (of one declarant, if given);
    a period it has not is ``built``."""
    out: dict[PeriodKey, ExportState] = {}
    for row in history(settings, declarant):
        key = (
            row["declarant_siren"],
            row["declarant_role"],
            row["report_kind"],
            row["period_start"],
        )
        status: ExportStatus = "rectified" if row["type_code"] == "RE" else "exported"
        path = Path(row["path"]) if row["path"] else None
        out[key] = ExportState(status, row["transmission_id"], path)
    if not record_path(settings).exists():
        return out
    with closing(connect(settings)) as con:
        where, params = _of(declarant)
        for row in con.execute(f"select * from failed_checks{where}", params):
            key = (
                row["declarant_siren"],
                row["declarant_role"],
                row["report_kind"],
                row["period_start"],
            )
            errors = tuple(json.loads(row["errors"]))
            sent = out.get(key)  # the last file written stays what was sent
            path = sent.path if sent is not None else None
            out[key] = ExportState("invalid", row["transmission_id"], path, errors)
    return out
