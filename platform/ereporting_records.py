"""E-reporting data the declarants send: B2C daily sales summaries (flow 10.3) and
payment receipts (flows 10.2 and 10.4).

Each capture is checked whole, then written in one SQLite transaction with its outbox
events, or refused with every failing rule.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from typing import Any

from vigie.platform.contracts import landing as L
from vigie.platform.contracts.api import B2cSalesRecorded, PaymentRecorded
from vigie.platform.contracts.types import CENT, B2cCategory, Scope
from vigie.platform.errors import PlatformError, forbidden, refused
from vigie.platform.paris import today_in_paris
from vigie.platform.rules import ALLOWED_VAT_RATES, RULES, Violation, violation
from vigie.platform.store import Caller, Store, new_id, utcnow


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def line_errors(
    day: date, currency: str, lines: list[dict[str, Any]], today: date
) -> list[Violation]:
    """The checks shared by B2C sales summaries and payment receipts."""
    errors: list[Violation] = []
    if not (date(2000, 1, 1) <= day <= today):
        errors.append(violation("ER-04", day.isoformat()))
    if currency != "EUR":
        errors.append(violation("ER-07", currency))
    rates = [_decimal(line["vat_rate"]) for line in lines]
    if not lines or len(set(rates)) != len(rates):
        errors.append(violation("ER-06", ", ".join(str(r) for r in rates) or "no line"))
    for line, rate in zip(lines, rates, strict=True):
        if rate not in ALLOWED_VAT_RATES:
            errors.append(violation("ER-02", str(rate)))
        for name in ("taxable_amount", "tax_amount", "amount_incl_vat"):
            value = line.get(name)
            if value is not None and _exponent(_decimal(value)) < -2:
                errors.append(violation("ER-05", f"{name} {value}"))
    return errors


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0  # NaN and infinities: no decimals


def vat_errors(lines: list[dict[str, Any]]) -> list[Violation]:
    """ER-03: each rate's VAT is its taxable amount times the rate, within half a cent a
    sale (VAT is rounded sale by sale, so the sum may drift)."""
    errors = []
    for line in lines:
        expected = _decimal(line["taxable_amount"]) * _decimal(line["vat_rate"]) / 100
        tolerance = CENT * max(1, int(line["transaction_count"]))
        if abs(_decimal(line["tax_amount"]) - expected) > tolerance:
            errors.append(
                violation(
                    "ER-03",
                    f"{line['vat_rate']} %: {line['tax_amount']} for"
                    f" {line['taxable_amount']} (expected {expected.quantize(CENT)})",
                )
            )
    return errors


class EreportingRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _declarant(con: sqlite3.Connection, caller: Caller) -> str:
        """The caller's structure id, when it is an e-reporting declarant."""
        if caller.is_operator:
            raise forbidden("e-reporting data is captured by the declarant's own key")
        row = con.execute(
            "select * from structures where structure_id = ?", (caller.structure_id,)
        ).fetchone()
        if row["vat_regime"] is None:
            raise PlatformError(
                422,
                "ER-01",
                RULES["ER-01"].message_fr,
                RULES["ER-01"].message_en,
                errors=[violation("ER-01", row["siret"])],
            )
        return str(row["structure_id"])

    def capture_b2c_sales(
        self,
        caller: Caller,
        *,
        sale_date: date,
        currency_code: str,
        category_code: B2cCategory,
        lines: list[dict[str, Any]],
    ) -> B2cSalesRecorded:
        """Record one day's B2C sales of one category, per VAT rate (taxable, VAT, count)."""
        errors = line_errors(sale_date, currency_code, lines, today_in_paris()) + vat_errors(lines)
        now = utcnow()
        summary_id = new_id("b2c")
        with self.store.write() as con:
            declarant = self._declarant(con, caller)
            if errors:
                raise refused(errors)
            records = [
                L.B2cSale(
                    summary_id=summary_id,
                    line_number=n,
                    declarant_structure_id=declarant,
                    sale_date=sale_date,
                    currency_code=currency_code,
                    category_code=category_code,
                    transaction_count=line["transaction_count"],
                    vat_rate=_decimal(line["vat_rate"]),
                    taxable_amount=_decimal(line["taxable_amount"]),
                    tax_amount=_decimal(line["tax_amount"]),
                    received_at=now,
                )
                for n, line in enumerate(lines, start=1)
            ]
            for record in records:
                self.store.save(con, record)
        return B2cSalesRecorded(
            id=summary_id,
            sale_date=sale_date,
            category_code=category_code,
            currency_code=currency_code,
            transaction_count=sum(r.transaction_count for r in records),
            taxable_amount=sum((r.taxable_amount for r in records), Decimal(0)),
            tax_amount=sum((r.tax_amount for r in records), Decimal(0)),
        )

    def capture_payment(
        self,
        caller: Caller,
        *,
        payment_date: date,
        currency_code: str,
        lines: list[dict[str, Any]],
        invoice_id: str | None = None,
    ) -> PaymentRecorded:
        """Record a receipt, per VAT rate (amount incl. VAT): of one international invoice
        of the declarant (10.2), or of the day's B2C sales (10.4) when no invoice is named."""
        errors = line_errors(payment_date, currency_code, lines, today_in_paris())
        now = utcnow()
        with self.store.write() as con:
            declarant = self._declarant(con, caller)
            scope: Scope = "B2C"
            if invoice_id is not None:
                invoice = con.execute(
                    "select scope from invoices where invoice_id = ? and supplier_structure_id = ?",
                    (invoice_id, declarant),
                ).fetchone()
                if invoice is None or invoice["scope"] != "B2Bi":
                    errors.append(violation("ER-08", invoice_id))
                else:
                    scope = "B2Bi"
            if errors:
                raise refused(errors)
            ids = []
            for line in lines:
                record = L.Payment(
                    payment_id=new_id("pay"),
                    declarant_structure_id=declarant,
                    invoice_id=invoice_id,
                    scope=scope,
                    payment_date=payment_date,
                    currency_code=currency_code,
                    vat_rate=_decimal(line["vat_rate"]),
                    amount_incl_vat=_decimal(line["amount_incl_vat"]),
                    received_at=now,
                )
                self.store.save(con, record)
                ids.append(record.payment_id)
        return PaymentRecorded(
            ids=ids,
            invoice_id=invoice_id,
            scope=scope,
            payment_date=payment_date,
            amount_incl_vat=sum((_decimal(line["amount_incl_vat"]) for line in lines), Decimal(0)),
        )
