"""The EDI inbox: files dropped in ``VIGIE_HOME/inbox`` are deposited like any other.

Layout::

    inbox/<supplier SIRET>/<file>     deposited for that supplier (one folder per EDI partner)
    inbox/<file>                      deposited for the seller SIRET (BT-29) the file states
    inbox/done/<day>/<file>           every document of the file was accepted
    inbox/refused/<day>/<file>        at least one was refused; ``<file>.errors.json`` beside
                                      it says which rule failed, document by document

A file is taken only once it is complete: when a ``<file>.ready`` marker sits beside it, or
when its size and modification time are the same as at the previous look and it is older
than ``settle_seconds``. Names starting with ``.`` or ending with ``.tmp``/``.part`` are
files still being written and are left alone.

Each file goes through :meth:`Platform.deposit` with channel ``edi``: the same checks, the
same refusal records and the same outbox as the API, so the next extract lands it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vigie.platform.documents.read import read_documents
from vigie.platform.rules import violation
from vigie.platform.service import Platform, PlatformError
from vigie.platform.settings import Settings
from vigie.platform.store import Caller

DONE, REFUSED = "done", "refused"
MARKER = ".ready"
WRITING_SUFFIXES = (".tmp", ".part", ".crdownload", MARKER, ".errors.json")
EDI_CALLER = Caller("operator", None, "edi-inbox")


@dataclass
class InboxFile:
    path: Path
    supplier_siret: str | None  # from the partner folder, else read from the document


@dataclass
class InboxOutcome:
    file: str
    moved_to: Path
    accepted: int = 0
    refused: int = 0
    documents: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.refused == 0 and self.accepted > 0


def _candidates(inbox: Path) -> list[InboxFile]:
    found = []
    for entry in sorted(inbox.iterdir()) if inbox.is_dir() else []:
        if entry.name in (DONE, REFUSED) or entry.name.startswith("."):
            continue
        if entry.is_dir():
            found += [InboxFile(p, entry.name) for p in sorted(entry.iterdir()) if _is_document(p)]
        elif _is_document(entry):
            found.append(InboxFile(entry, None))
    return found


def _is_document(path: Path) -> bool:
    return (
        path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(WRITING_SUFFIXES)
    )


def ready_files(
    inbox: Path,
    seen: dict[str, list[int]],
    *,
    settle_seconds: float = 2.0,
    now: float | None = None,
) -> tuple[list[InboxFile], dict[str, list[int]]]:
    """The complete files, and what to remember of the others for the next look.

    ``seen`` maps a file (relative path) to ``[size, mtime_ns]`` as last looked at.
    """
    now = time.time() if now is None else now
    ready, pending = [], {}
    for item in _candidates(inbox):
        st = item.path.stat()
        key = item.path.relative_to(inbox).as_posix()
        signature = [st.st_size, st.st_mtime_ns]
        marker = item.path.with_name(item.path.name + MARKER)
        settled = seen.get(key) == signature and now - st.st_mtime >= settle_seconds
        if marker.exists() or settled:
            ready.append(item)
        else:
            pending[key] = signature
    return ready, pending


def _seller_siret(data: bytes, name: str) -> str | None:
    for result in read_documents(data, name):
        if result.document is not None and result.document.seller.siret:
            return result.document.seller.siret
    return None


def _destination(inbox: Path, folder: str, item: InboxFile, day: date) -> Path:
    target_dir = inbox / folder / day.isoformat()
    if item.supplier_siret:
        target_dir = target_dir / item.supplier_siret
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / item.path.name
    n = 1
    while target.exists():  # never overwrite an earlier file of the same name
        target = target_dir / f"{item.path.stem}.{n}{item.path.suffix}"
        n += 1
    return target


def deposit_file(platform: Platform, inbox: Path, item: InboxFile, day: date) -> InboxOutcome:
    """Deposit one file (every document of it), then move it to done/ or refused/."""
    data = item.path.read_bytes()
    documents: list[dict[str, Any]] = []
    try:
        supplier = item.supplier_siret or _seller_siret(data, item.path.name)
        if not supplier:
            raise PlatformError(
                422,
                "EDI-01",
                violation("EDI-01").message_fr,
                violation("EDI-01").message_en,
                item.path.name,
            )
        outcomes = platform.deposit(
            EDI_CALLER, data, item.path.name, channel="edi", supplier_siret=supplier
        )
        documents = [o.response().model_dump(mode="json") for o in outcomes]
        accepted = sum(o.accepted for o in outcomes)
        refused = len(outcomes) - accepted
    except PlatformError as err:
        documents = [{"file": item.path.name, "status": "refused", "errors": [err.as_dict()]}]
        accepted, refused = 0, 1
    folder = DONE if refused == 0 and accepted > 0 else REFUSED
    target = _destination(inbox, folder, item, day)
    if folder == REFUSED:
        errors = target.with_name(target.name + ".errors.json")
        errors.write_text(
            json.dumps(
                {"file": item.path.name, "documents": documents}, indent=2, ensure_ascii=False
            ),
            encoding="utf-8",
        )
    shutil.move(item.path, target)
    item.path.with_name(item.path.name + MARKER).unlink(missing_ok=True)
    return InboxOutcome(item.path.name, target, accepted, refused, documents)


def process_inbox(
    settings: Settings, seen: dict[str, list[int]], *, day: date, settle_seconds: float = 2.0
) -> tuple[list[InboxOutcome], dict[str, list[int]]]:
    """Deposit every complete file of the inbox; return the outcomes and the new memory."""
    inbox = settings.inbox_dir
    ready, pending = ready_files(inbox, seen, settle_seconds=settle_seconds)
    if not ready:
        return [], pending
    platform = Platform(settings)
    try:
        outcomes = [deposit_file(platform, inbox, item, day) for item in ready]
    finally:
        platform.close()
    return outcomes, pending


def inbox_counts(settings: Settings) -> dict[str, int]:
    """Files waiting, done and refused (for ``vigie status``)."""
    inbox = settings.inbox_dir

    def count(folder: str) -> int:
        root = inbox / folder
        if not root.exists():
            return 0
        return sum(
            1 for _, _, files in os.walk(root) for f in files if not f.endswith(".errors.json")
        )

    return {"waiting": len(_candidates(inbox)), "done": count(DONE), "refused": count(REFUSED)}
