"""The serving pointer and the build status: what the publication writes and every reader
(dashboards, e-reporting export, CLI) follows.

The publisher (``vigie.orchestration.publish``) writes a versioned DuckDB file under
``serving/`` and then replaces ``serving/current.json`` atomically; readers follow the
pointer, so they never see a half-written snapshot and notice a new one by its id. The
format lives here, with the other contracts, so that no reader imports the writer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from vigie.platform.settings import Settings


@dataclass(frozen=True)
class SnapshotRef:
    snapshot_id: str
    path: Path
    published_at: datetime
    tables: dict[str, int]


@dataclass(frozen=True)
class BuildStatus:
    ok: bool
    at: datetime
    message: str


def current_snapshot(settings: Settings) -> SnapshotRef | None:
    """The snapshot named by the pointer file, or None before the first publication."""
    try:
        data = json.loads(settings.serving_pointer.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return SnapshotRef(
        snapshot_id=data["snapshot_id"],
        path=settings.serving_dir / data["file"],
        published_at=datetime.fromisoformat(data["published_at"]),
        tables={k: int(v) for k, v in data.get("tables", {}).items()},
    )


def last_build(settings: Settings) -> BuildStatus | None:
    try:
        data = json.loads(settings.build_status_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return BuildStatus(bool(data["ok"]), datetime.fromisoformat(data["at"]), data["message"])


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
