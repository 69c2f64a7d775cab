"""Export e-reporting transmissions from the serving snapshot, one XSD-valid XML file each.

The transmissions to build are the rows of ``reports.rpt_ereporting_transmissions``
(declarant × role × kind × period). For each, the records of its flows are read from the
``marts.fct_ereporting_*`` tables, the ``Report`` is built, checked against the official
XSD and the Annexe 7 rules, and written only when both pass.

What was exported, and the last failed check of a period, is recorded in
``$VIGIE_HOME/exports/ereporting/transmissions.sqlite``
(:mod:`vigie.platform.contracts.transmissions`, which the dashboards read). A period
exported before and unchanged since is not sent again; a period whose content changed is
exported whole as a rectificative transmission (``RE``) that replaces the earlier one
(e-reporting.md §6: no delta mechanism).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import duckdb
from lxml import etree

from vigie.orchestration.ereporting import xml as X
from vigie.orchestration.ereporting.rules import check_report
from vigie.platform.contracts import transmissions as record
from vigie.platform.settings import Settings

PARIS = ZoneInfo("Europe/Paris")
INTERFACE_CODE = "FFE1025A"  # F10 transaction and payment data (e-reporting.md §3)


@dataclass(frozen=True)
class Planned:
    """A transmission the warehouse holds: one row of rpt_ereporting_transmissions."""

    declarant_siren: str
    declarant_role: str
    report_kind: str
    period_start: date
    period_end: date
    declarant_name: str
    vat_regime: str
    platform_deadline: date


@dataclass
class Outcome:
    planned: Planned
    action: str  # exported | rectified | unchanged | not_due | invalid
    transmission_id: str | None = None
    path: Path | None = None
    errors: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------- naming
def period_label(p: Planned) -> str:
    """D1/D2/D3 for a décade, B for a two-month period, M for a month; PAY for payments."""
    if p.report_kind == "payments":
        return "PAY"
    if p.vat_regime == "franchise":
        return "B"
    if p.vat_regime == "reel_normal_mensuel":
        return f"D{(p.period_start.day - 1) // 10 + 1}"
    return "M"


def transmission_id(p: Planned, type_code: str, rectification: int) -> str:
    """``ER-<SIREN>-<YYYY-MM>-<label>-IN``, then ``-RE1``, ``-RE2``… (≤ 50 characters)."""
    role = "" if p.declarant_role == "SE" else f"-{p.declarant_role}"
    suffix = "IN" if type_code == "IN" else f"RE{rectification}"
    return f"ER-{p.declarant_siren}{role}-{p.period_start:%Y-%m}-{period_label(p)}-{suffix}"


def report_name(p: Planned) -> str | None:
    """TT-2 of a transactions report (payments reports carry none)."""
    if p.report_kind != "transactions":
        return None
    label = period_label(p)
    if label.startswith("D"):
        return f"E-reporting transactions {p.period_start:%Y-%m} decade {label[1]}"
    if label == "B":
        return f"E-reporting transactions {p.period_start:%Y-%m}/{p.period_end:%m}"
    return f"E-reporting transactions {p.period_start:%Y-%m}"


def file_name(settings: Settings, seq: int) -> str:
    """The flow name of e-reporting.md §3: interface code, application code, flow id."""
    code = settings.platform_app_code
    return f"{INTERFACE_CODE}_{code}_{code}{seq:019d}.xml"


# ------------------------------------------------------------------------------- reading
def _select_planned(
    con: duckdb.DuckDBPyConnection,
    *,
    declarant: str | None,
    period: str | None,
    kind: str | None,
) -> list[Planned]:
    where, params = [], []
    if declarant:
        where.append("declarant_siren = ?")
        params.append(declarant)
    if kind:
        where.append("report_kind = ?")
        params.append(kind)
    if period:
        if len(period) == 7:  # YYYY-MM: every period that starts in the month
            where.append("strftime(period_start_date, '%Y-%m') = ?")
        else:  # YYYY-MM-DD: the period that starts that day
            where.append("period_start_date = cast(? as date)")
        params.append(period)
    sql = (
        "select declarant_siren, declarant_role, report_kind, period_start_date,"
        " period_end_date, declarant_name, vat_regime, platform_deadline_date"
        " from reports.rpt_ereporting_transmissions"
        + (" where " + " and ".join(where) if where else "")
        + " order by declarant_siren, declarant_role, report_kind, period_start_date"
    )
    return [Planned(*row) for row in con.execute(sql, params).fetchall()]


#: a transmission's key in the marts: (declarant SIREN, declarant role, period start)
PeriodKey = tuple[str, str, date]


class InvoiceRow(NamedTuple):
    """One international invoice of ``marts.fct_ereporting_invoices`` (flow 10.1)."""

    invoice_id: str
    invoice_number: str
    issue_date: date
    type_code: str
    currency_code: str
    billing_framework: str
    seller_identifier: str | None
    seller_identifier_scheme: str | None
    seller_vat_id: str | None
    seller_country_code: str | None
    buyer_identifier: str | None
    buyer_identifier_scheme: str | None
    buyer_vat_id: str | None
    buyer_country_code: str | None
    total_excl_vat: Decimal
    total_vat: Decimal
    due_date: date | None
    delivery_date: date | None
    original_invoice_number: str | None


class B2cRow(NamedTuple):
    """One VAT rate of a B2C day (``fct_ereporting_b2c_transactions``, flow 10.3)."""

    sale_date: date
    currency_code: str
    category_code: str
    vat_rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal
    transaction_count: int


class InvoicePaymentRow(NamedTuple):
    """One VAT rate of a receipt for an invoice (``fct_ereporting_invoice_payments``, 10.2)."""

    invoice_number: str
    issue_date: date
    payment_date: date
    vat_rate: Decimal
    currency_code: str
    amount_incl_vat: Decimal


class B2cPaymentRow(NamedTuple):
    """One VAT rate of a day's B2C receipts (``fct_ereporting_b2c_payments``, 10.4)."""

    payment_date: date
    vat_rate: Decimal
    currency_code: str
    amount_incl_vat: Decimal


@dataclass(frozen=True)
class Records:
    """Every record of the planned transmissions, by transmission (VAT lines by invoice)."""

    invoices: dict[PeriodKey, list[InvoiceRow]]
    vat_lines: dict[str, list[X.VatLine]]
    b2c: dict[PeriodKey, list[B2cRow]]
    invoice_payments: dict[PeriodKey, list[InvoicePaymentRow]]
    b2c_payments: dict[PeriodKey, list[B2cPaymentRow]]


Row = TypeVar("Row", bound=tuple[Any, ...])


def _by_period(
    rows: Iterable[tuple[Any, ...]], make: Callable[..., Row]
) -> dict[PeriodKey, list[Row]]:
    """Rows whose first three values are a transmission's key, grouped by it."""
    out: dict[PeriodKey, list[Row]] = defaultdict(list)
    for siren, role, period_start, *rest in rows:
        out[(siren, role, period_start)].append(make(*rest))
    return out


def _load_records(con: duckdb.DuckDBPyConnection, planned: list[Planned]) -> Records:
    """Every record of the planned transmissions, read in one pass per mart."""
    con.execute(
        "create or replace temp table planned (siren varchar, role varchar, kind varchar,"
        " period_start date)"
    )
    con.executemany(
        "insert into planned values (?, ?, ?, ?)",
        [(p.declarant_siren, p.declarant_role, p.report_kind, p.period_start) for p in planned],
    )
    key = "f.declarant_siren, f.declarant_role, f.period_start_date"
    join = (
        "inner join planned as p on f.declarant_siren = p.siren and f.declarant_role = p.role"
        " and f.period_start_date = p.period_start and p.kind = '{kind}'"
    )
    invoices = con.execute(
        f"select {key}, {', '.join('f.' + c for c in InvoiceRow._fields)}"
        f" from marts.fct_ereporting_invoices as f {join.format(kind='transactions')}"
        " order by f.operation_date, f.invoice_number"
    ).fetchall()
    vat_lines: dict[str, list[X.VatLine]] = defaultdict(list)
    for invoice_id, *line in con.execute(
        "select l.invoice_id, l.taxable_amount, l.tax_amount, l.vat_category_code, l.vat_rate,"
        " l.exemption_reason, l.exemption_reason_code"
        " from marts.fct_ereporting_invoice_vat_lines as l"
        " inner join marts.fct_ereporting_invoices as f on l.invoice_id = f.invoice_id"
        f" {join.format(kind='transactions')} order by l.invoice_id, l.line_number"
    ).fetchall():
        vat_lines[invoice_id].append(X.VatLine(*line))
    b2c = con.execute(
        f"select {key}, {', '.join('f.' + c for c in B2cRow._fields)}"
        f" from marts.fct_ereporting_b2c_transactions as f {join.format(kind='transactions')}"
        " order by f.sale_date, f.currency_code, f.category_code, f.vat_rate"
    ).fetchall()
    invoice_payments = con.execute(
        f"select {key}, {', '.join('f.' + c for c in InvoicePaymentRow._fields)}"
        f" from marts.fct_ereporting_invoice_payments as f {join.format(kind='payments')}"
        " order by f.payment_date, f.invoice_number, f.vat_rate"
    ).fetchall()
    b2c_payments = con.execute(
        f"select {key}, {', '.join('f.' + c for c in B2cPaymentRow._fields)}"
        f" from marts.fct_ereporting_b2c_payments as f {join.format(kind='payments')}"
        " order by f.payment_date, f.vat_rate"
    ).fetchall()
    return Records(
        invoices=_by_period(invoices, InvoiceRow),
        vat_lines=vat_lines,
        b2c=_by_period(b2c, B2cRow),
        invoice_payments=_by_period(invoice_payments, InvoicePaymentRow),
        b2c_payments=_by_period(b2c_payments, B2cPaymentRow),
    )


#: the type codes of a corrective invoice or credit note, which name the invoice they correct
CORRECTIVE_TYPE_CODES = frozenset({"384", "471", "472", "473"})


def _invoice_record(r: InvoiceRow, vat_lines: list[X.VatLine]) -> X.InvoiceRecord:
    return X.InvoiceRecord(
        number=r.invoice_number,
        issue_date=r.issue_date,
        type_code=r.type_code,
        currency_code=r.currency_code,
        billing_framework=r.billing_framework,
        seller=X.Party(
            r.seller_identifier, r.seller_identifier_scheme, r.seller_vat_id, r.seller_country_code
        ),
        buyer=X.Party(
            r.buyer_identifier, r.buyer_identifier_scheme, r.buyer_vat_id, r.buyer_country_code
        ),
        total_excl_vat=r.total_excl_vat,
        total_vat=r.total_vat,
        due_date=r.due_date,
        delivery_date=r.delivery_date,
        preceding_invoice=(
            r.original_invoice_number if r.type_code in CORRECTIVE_TYPE_CODES else None
        ),
        vat_lines=tuple(vat_lines),
    )


def _b2c_records(rows: list[B2cRow]) -> tuple[X.B2cRecord, ...]:
    """One record per day, currency and category, with its rates."""
    days: dict[tuple[date, str, str], list[B2cRow]] = defaultdict(list)
    for row in rows:
        days[(row.sale_date, row.currency_code, row.category_code)].append(row)
    return tuple(
        X.B2cRecord(
            day=day,
            currency_code=currency,
            category_code=category,
            transaction_count=sum(int(r.transaction_count) for r in rates),
            rates=tuple(
                X.RateAmounts(
                    rate=r.vat_rate, taxable_amount=r.taxable_amount, tax_amount=r.tax_amount
                )
                for r in rates
            ),
        )
        for (day, currency, category), rates in days.items()
    )


def _payment_records(
    invoice_payments: list[InvoicePaymentRow], b2c_payments: list[B2cPaymentRow]
) -> tuple[X.PaymentRecord, ...]:
    """One record per invoice and day (10.2), then one per day of B2C receipts (10.4)."""
    per_invoice: dict[tuple[str, date, date], list[X.RateAmounts]] = defaultdict(list)
    for p in invoice_payments:
        per_invoice[(p.invoice_number, p.issue_date, p.payment_date)].append(
            X.RateAmounts(rate=p.vat_rate, currency_code=p.currency_code, amount=p.amount_incl_vat)
        )
    per_day: dict[date, list[X.RateAmounts]] = defaultdict(list)
    for b in b2c_payments:
        per_day[b.payment_date].append(
            X.RateAmounts(rate=b.vat_rate, currency_code=b.currency_code, amount=b.amount_incl_vat)
        )
    for_invoices = tuple(
        X.PaymentRecord(
            day=day, invoice_number=number, invoice_issue_date=issued, rates=tuple(rates)
        )
        for (number, issued, day), rates in per_invoice.items()
    )
    return for_invoices + tuple(
        X.PaymentRecord(day=day, rates=tuple(rates)) for day, rates in per_day.items()
    )


def _transmission(p: Planned, header: X.Header, records: Records) -> X.Transmission:
    key = (p.declarant_siren, p.declarant_role, p.period_start)
    if p.report_kind == "transactions":
        invoices = tuple(
            _invoice_record(r, records.vat_lines.get(r.invoice_id, []))
            for r in records.invoices.get(key, [])
        )
        aggregates = _b2c_records(records.b2c.get(key, []))
        return X.Transmission(
            header, "transactions", p.period_start, p.period_end, invoices, aggregates
        )
    payments = _payment_records(
        records.invoice_payments.get(key, []), records.b2c_payments.get(key, [])
    )
    return X.Transmission(header, "payments", p.period_start, p.period_end, payments=payments)


def _earlier(hist: sqlite3.Connection, p: Planned) -> list[sqlite3.Row]:
    """The transmissions already exported for the period of ``p``, oldest first."""
    return hist.execute(
        "select * from transmissions where declarant_siren = ? and declarant_role = ?"
        " and report_kind = ? and period_start = ? order by seq",
        (p.declarant_siren, p.declarant_role, p.report_kind, p.period_start.isoformat()),
    ).fetchall()


def _header(
    settings: Settings, p: Planned, earlier: list[sqlite3.Row], issued_at: datetime
) -> X.Header:
    """IN for a first export, else the next RE of the period."""
    type_code = "RE" if earlier else "IN"
    rectifications = sum(row["type_code"] == "RE" for row in earlier)
    return X.Header(
        transmission_id=transmission_id(p, type_code, rectifications + 1),
        issued_at=issued_at,
        type_code=type_code,
        sender_id=settings.platform_matricule,
        sender_name=settings.platform_name,
        declarant_siren=p.declarant_siren,
        declarant_name=p.declarant_name,
        declarant_role=p.declarant_role,
        name=report_name(p),
    )


def _content_digest(root: etree._Element) -> str:
    """The transmission's content without its header's id, time and type (what changes
    between an initial and a rectificative export of the same data)."""
    copy = etree.fromstring(etree.tostring(root))
    doc = copy.find("ReportDocument")
    for tag in ("Id", "IssueDateTime", "TypeCode", "Name"):
        node = doc.find(tag)
        if node is not None:
            doc.remove(node)
    return hashlib.sha256(etree.tostring(copy, method="c14n")).hexdigest()


def _record_count(t: X.Transmission) -> int:
    return len(t.invoices) + len(t.b2c) + len(t.payments)


def export_transmissions(
    settings: Settings,
    snapshot_path: Path,
    out_dir: Path,
    *,
    declarant: str | None = None,
    period: str | None = None,
    kind: str | None = None,
    issued_at: datetime | None = None,
) -> list[Outcome]:
    """Build, check and write the selected transmissions; return what happened to each."""
    issued_at = (issued_at or datetime.now(PARIS)).astimezone(PARIS)
    today = datetime.now(PARIS).date()
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(snapshot_path), read_only=True) as con:
        planned = _select_planned(con, declarant=declarant, period=period, kind=kind)
        if not planned:
            return []
        records = _load_records(con, planned)
    outcomes: list[Outcome] = []
    hist = record.connect(settings)
    try:
        for p in planned:
            if issued_at.date() <= p.period_end:
                outcomes.append(
                    Outcome(
                        p,
                        "not_due",
                        errors=[
                            f"the period ends on {p.period_end}: it is transmitted after that day"
                        ],
                    )
                )
                continue
            done = _earlier(hist, p)
            previous = done[-1] if done else None
            header = _header(settings, p, done, issued_at)
            t = _transmission(p, header, records)
            root = X.build_report(t)
            digest = _content_digest(root)
            if previous is not None and previous["content_sha256"] == digest:
                _clear_failed_check(hist, p)
                outcomes.append(
                    Outcome(
                        p, "unchanged", previous["transmission_id"], out_dir / previous["file_name"]
                    )
                )
                continue
            errors = [str(e) for e in X.xsd_errors(root)]
            errors += [str(f) for f in check_report(root, today=today)]
            if errors:
                _record_failed_check(hist, p, header, errors)
                outcomes.append(Outcome(p, "invalid", header.transmission_id, errors=errors))
                continue
            _clear_failed_check(hist, p)
            outcomes.append(_write(hist, settings, out_dir, p, header, t, root, digest, previous))
    finally:
        hist.close()
    return outcomes


def _write(
    hist: sqlite3.Connection,
    settings: Settings,
    out_dir: Path,
    p: Planned,
    header: X.Header,
    t: X.Transmission,
    root: etree._Element,
    digest: str,
    previous: sqlite3.Row | None,
) -> Outcome:
    hist.execute("begin immediate")
    try:
        seq = hist.execute(
            "insert into transmissions (transmission_id, declarant_siren, declarant_role,"
            " report_kind, period_start, period_end, type_code, issued_at, content_sha256,"
            " file_name, record_count) values (?,?,?,?,?,?,?,?,?,'',?)",
            (
                header.transmission_id,
                p.declarant_siren,
                p.declarant_role,
                p.report_kind,
                p.period_start.isoformat(),
                p.period_end.isoformat(),
                header.type_code,
                header.issued_at.isoformat(),
                digest,
                _record_count(t),
            ),
        ).lastrowid
        assert seq is not None
        name = file_name(settings, seq)
        final = out_dir / name
        hist.execute(
            "update transmissions set file_name = ?, path = ? where seq = ?",
            (name, str(final.resolve()), seq),
        )
        if previous is not None:
            hist.execute(
                "update transmissions set replaced_by = ? where seq = ?", (seq, previous["seq"])
            )
        tmp = final.with_name(f".{name}.tmp")
        tmp.write_bytes(X.to_bytes(root))
        tmp.replace(final)
    except BaseException:
        hist.execute("rollback")
        raise
    hist.execute("commit")
    action = "exported" if header.type_code == "IN" else "rectified"
    return Outcome(p, action, header.transmission_id, final)


def _period_key(p: Planned) -> tuple[str, str, str, str]:
    return (p.declarant_siren, p.declarant_role, p.report_kind, p.period_start.isoformat())


def _record_failed_check(
    hist: sqlite3.Connection, p: Planned, header: X.Header, errors: list[str]
) -> None:
    hist.execute(
        "insert or replace into failed_checks (declarant_siren, declarant_role, report_kind,"
        " period_start, checked_at, transmission_id, errors) values (?, ?, ?, ?, ?, ?, ?)",
        (*_period_key(p), header.issued_at.isoformat(), header.transmission_id, json.dumps(errors)),
    )


def _clear_failed_check(hist: sqlite3.Connection, p: Planned) -> None:
    hist.execute(
        "delete from failed_checks where declarant_siren = ? and declarant_role = ?"
        " and report_kind = ? and period_start = ?",
        _period_key(p),
    )
