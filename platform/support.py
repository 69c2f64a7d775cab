"""Support requests (solicitations), answered by the virtual assistant or by people."""

from __future__ import annotations

from vigie.platform.contracts import landing as L
from vigie.platform.contracts.api import SolicitationOut
from vigie.platform.contracts.types import SolicitationChannel
from vigie.platform.errors import forbidden
from vigie.platform.reads import Reads
from vigie.platform.store import Caller, Store, new_id, utcnow


class Support:
    def __init__(self, store: Store, reads: Reads) -> None:
        self.store = store
        self.reads = reads

    def create_solicitation(
        self,
        caller: Caller,
        category: str,
        channel: SolicitationChannel,
        invoice_id: str | None = None,
    ) -> SolicitationOut:
        if caller.is_operator or caller.structure_id is None:
            raise forbidden("support requests are raised by structures")
        if invoice_id is not None:
            self.reads.visible_invoice(caller, invoice_id)
        record = L.Solicitation(
            solicitation_id=new_id("sol"),
            structure_id=caller.structure_id,
            category=category,
            channel=channel,
            invoice_id=invoice_id,
            created_at=utcnow(),
        )
        with self.store.write() as con:
            self.store.save(con, record)
        return SolicitationOut(
            id=record.solicitation_id,
            category=category,
            channel=channel,
            invoice_id=invoice_id,
            created_at=record.created_at,
        )
