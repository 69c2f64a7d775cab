"""Platform outbox → landing zone, incremental, idempotent and safe to kill.

The platform's outbox (``platform.sqlite``, table ``outbox``) carries every change as a
landing record under a gap-free sequence. ``extract`` reads the events after the last
committed sequence (the watermark), in batches, and writes each batch as landing files
named after the batch's first sequence: ``landing/<table>/date=D/platform-<first>.parquet``.

Order of commitment, so that a SIGKILL at any instant neither duplicates nor loses:

1. files of the batch go to a temporary name and are renamed into place;
2. only then is the watermark replaced (temporary file, fsync, rename).

On start, every ``platform-*`` file whose first sequence is above the watermark is the
leftover of a run that never committed: it is deleted before anything is written, and the
batch is extracted again.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from vigie.ingestion import landing
from vigie.ingestion.check import mark_checked
from vigie.platform.contracts import LANDING_TABLES
from vigie.platform.settings import Settings
from vigie.platform.store import read_outbox

PART_PREFIX = "platform-"
_PART = re.compile(r"^platform-(\d{12})\.parquet$")


@dataclass
class ExtractResult:
    start_seq: int
    end_seq: int
    batches: int = 0
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    files: int = 0
    removed_leftovers: int = 0
    seconds: float = 0.0


def watermark_path(settings: Settings) -> Path:
    return settings.landing_dir / "_state" / "platform_extract.json"


def read_watermark(settings: Settings) -> int:
    path = watermark_path(settings)
    if not path.exists():
        return 0
    return int(json.loads(path.read_text(encoding="utf-8"))["seq"])


def _commit_watermark(settings: Settings, seq: int) -> None:
    path = watermark_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    body = json.dumps({"seq": seq, "committed_at": datetime.now(UTC).isoformat()})
    with tmp.open("w", encoding="utf-8") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove_uncommitted(landing_dir: Path, watermark: int) -> int:
    """Delete platform files written after the watermark by a run that did not commit."""
    removed = 0
    for table in LANDING_TABLES:
        for path in (landing_dir / table).glob(f"date=*/{PART_PREFIX}*.parquet"):
            match = _PART.match(path.name)
            if match and int(match.group(1)) > watermark:
                path.unlink()
                removed += 1
    return removed


def extract(
    settings: Settings,
    *,
    batch_size: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> ExtractResult:
    """Land every outbox event after the watermark; return what was written."""
    started = time.perf_counter()
    settings.ensure_dirs()
    watermark = read_watermark(settings)
    result = ExtractResult(start_seq=watermark, end_seq=watermark)
    result.removed_leftovers = _remove_uncommitted(settings.landing_dir, watermark)
    if not settings.platform_db_path.exists():
        result.seconds = time.perf_counter() - started
        return result
    con = sqlite3.connect(f"file:{settings.platform_db_path}?mode=ro", uri=True, timeout=30)
    try:
        while True:
            rows = read_outbox(con, watermark, batch_size)
            if not rows:
                break
            first, last = rows[0][0], rows[-1][0]
            if first != watermark + 1 or last - first + 1 != len(rows):
                raise RuntimeError(f"outbox sequence has a gap after {watermark}")
            by_table: dict[str, list[dict]] = defaultdict(list)
            for _seq, table, record in rows:
                by_table[table].append(record)
            part = f"{PART_PREFIX}{first:012d}"
            paths = []
            for table, records in sorted(by_table.items()):
                frame = landing.frame_from_records(landing.model_for(table), records)
                written = landing.write_table(settings.landing_dir, table, frame, part=part)
                paths += [w.path for w in written]
                result.files += len(written)
                result.rows[table] += frame.height
            _commit_watermark(settings, last)
            mark_checked(settings.landing_dir, paths)
            watermark = result.end_seq = last
            result.batches += 1
            if progress:
                progress(len(rows))
    finally:
        con.close()
    result.seconds = time.perf_counter() - started
    return result
