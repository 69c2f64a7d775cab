"""The platform's operations behind one facade, :class:`Platform`.

The HTTP API, the CLI, the EDI inbox sensor and the history import all go through it, so
a deposit is validated, archived, stored and announced in the outbox the same way whatever
its channel. Every write is one SQLite transaction that also writes its outbox events.

Each use case lives in its own module: :mod:`~vigie.platform.structures`,
:mod:`~vigie.platform.deposits` (with :mod:`~vigie.platform.routing`),
:mod:`~vigie.platform.status_changes`, :mod:`~vigie.platform.ereporting_records`,
:mod:`~vigie.platform.reads` and :mod:`~vigie.platform.support`. They return the typed
response models of :mod:`vigie.platform.contracts.api`.
"""

from __future__ import annotations

import gc
from typing import Any

from vigie.platform.contracts.api import Lookup, Recycled, StatusChanged
from vigie.platform.contracts.types import StatusCode
from vigie.platform.deposits import DepositOutcome, Deposits
from vigie.platform.document_store import DocumentStore
from vigie.platform.ereporting_records import EreportingRecords
from vigie.platform.errors import PlatformError
from vigie.platform.reads import Reads
from vigie.platform.settings import Settings
from vigie.platform.status_changes import StatusChanges
from vigie.platform.store import Caller, Store
from vigie.platform.structures import Structures
from vigie.platform.support import Support

__all__ = ["DepositOutcome", "Platform", "PlatformError", "tune_gc"]


def tune_gc() -> None:
    """Garbage-collector settings of a long-running platform process.

    Long-lived objects (modules, compiled schemas and XPaths) leave the collector's view,
    and young collections run less often: fewer pauses on the deposit path.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


class Platform:
    """The operational platform over one ``VIGIE_HOME``."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        settings.ensure_dirs()
        self.store = store or Store(settings.platform_db_path)
        self.documents = DocumentStore(settings.documents_dir)
        self.structures = Structures(self.store)
        self.deposits = Deposits(self.store, self.documents)
        self.status_changes = StatusChanges(self.store)
        self.reads = Reads(self.store)
        self.ereporting = EreportingRecords(self.store)
        self.support = Support(self.store, self.reads)
        # the operations callers use most, by name
        self.create_structure = self.structures.create
        self.update_structure = self.structures.update
        self.add_service = self.structures.add_service
        self.structure = self.structures.visible
        self.find_structure = self.structures.find
        self.deposit = self.deposits.deposit
        self.deposit_in = self.deposits.deposit_in
        self.check_event = self.status_changes.check_event
        self.record_event = self.status_changes.record_event
        self.invoice = self.reads.invoice
        self.history = self.reads.history
        self.list_invoices = self.reads.list_invoices
        self.capture_b2c_sales = self.ereporting.capture_b2c_sales
        self.capture_payment = self.ereporting.capture_payment
        self.create_solicitation = self.support.create_solicitation

    def close(self) -> None:
        self.store.close()

    def change_status(
        self, caller: Caller, invoice_id: str, status: StatusCode, **change: Any
    ) -> StatusChanged | Recycled:
        """Move an invoice along its lifecycle (recipient), complete or recycle it (supplier)."""
        row = self.reads.visible_invoice(caller, invoice_id)
        done = self.status_changes.change(caller, row, status, **change)
        if isinstance(done, Recycled):
            return done
        event_id, out_of_order = done
        invoice = self.reads.invoice(caller, invoice_id)
        return StatusChanged(**dict(invoice), event_id=event_id, out_of_order=out_of_order)

    def lookup(self, caller: Caller, number: str) -> Lookup:
        """The virtual assistant's look-up: number → recipient, current status and its date."""
        return Lookup(number=number, matches=self.reads.lookup(caller, number))
