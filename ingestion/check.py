"""Check landed files against their contract before the warehouse reads them.

The warehouse build runs this first: a file that breaks its table's contract stops the
build with its path, row and failing column, before dbt has loaded anything, so nothing
after it is half-loaded and the previous serving snapshot stays current. Files already
checked (same size and modification time) are not read again.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from vigie.ingestion import landing
from vigie.platform.contracts import LANDING_TABLES


@dataclass
class CheckResult:
    files: int = 0
    checked: int = 0
    rows_checked: int = 0
    seconds: float = 0.0


def _state_path(landing_dir: Path) -> Path:
    return landing_dir / "_state" / "checked_files.json"


def _save(path: Path, state: dict[str, list[int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def _load(path: Path) -> dict[str, list[int]]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def mark_checked(landing_dir: Path, paths: list[Path]) -> None:
    """Remember files a producer validated while writing them (``landing.write_table``
    checks every frame against its contract), so the build does not read them again."""
    state_path = _state_path(landing_dir)
    state = _load(state_path)
    for path in paths:
        stat = path.stat()
        state[str(path.relative_to(landing_dir))] = [stat.st_size, stat.st_mtime_ns]
    _save(state_path, state)


def check_landing(landing_dir: Path) -> CheckResult:
    """Validate every landed file not checked before; raise ``ContractViolation`` on the first
    broken one (the files checked up to then are remembered)."""
    started = time.perf_counter()
    landing.ensure_contract_files(landing_dir)
    state_path = _state_path(landing_dir)
    state = _load(state_path)
    result = CheckResult()
    seen: dict[str, list[int]] = {}
    try:
        for table in LANDING_TABLES:
            for key, (size, mtime_ns) in landing.landed_file_stamps(landing_dir, table):
                stamp = [size, mtime_ns]
                result.files += 1
                if state.get(key) != stamp:
                    result.rows_checked += landing.read_file(landing_dir / key, table).height
                    result.checked += 1
                seen[key] = stamp
    finally:
        _save(state_path, seen)
    result.seconds = time.perf_counter() - started
    return result
