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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
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


def _keyed(rows: Iterable[tuple], width: int = 3) -> dict[tuple, list[tuple]]:
    out: dict[tuple, list[tuple]] = defaultdict(list)
    for row in rows:
        out[row[:width]].append(row[width:])
    return out


def _load_records(con: duckdb.DuckDBPyConnection, planned: list[Planned]):
    """Every record of the planned transmissions, keyed by (SIREN, role, period start)."""
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
    invoices = _keyed(con.execute(
        f"select {key}, f.invoice_id, f.invoice_number, f.issue_date, f.type_code,"
        " f.currency_code, f.billing_framework, f.seller_identifier, f.seller_identifier_scheme,"
        " f.seller_vat_id, f.seller_country_code, f.buyer_identifier, f.buyer_identifier_scheme,"
        " f.buyer_vat_id, f.buyer_country_code, f.total_excl_vat, f.total_vat, f.due_date,"
        " f.delivery_date, f.original_invoice_number"
        f" from marts.fct_ereporting_invoices as f {join.format(kind='transactions')}"
        " order by f.operation_date, f.invoice_number"
    ).fetchall())  # fmt: skip
    lines = _keyed(con.execute(
        "select l.invoice_id, l.taxable_amount, l.tax_amount, l.vat_category_code, l.vat_rate,"
        " l.exemption_reason, l.exemption_reason_code"
        " from marts.fct_ereporting_invoice_vat_lines as l"
        " inner join marts.fct_ereporting_invoices as f on l.invoice_id = f.invoice_id"
        f" {join.format(kind='transactions')} order by l.invoice_id, l.line_number"
    ).fetchall(), width=1)  # fmt: skip
    b2c = _keyed(con.execute(
        f"select {key}, f.sale_date, f.currency_code, f.category_code, f.vat_rate,"
        " f.taxable_amount, f.tax_amount, f.transaction_count"
        f" from marts.fct_ereporting_b2c_transactions as f {join.format(kind='transactions')}"
        " order by f.sale_date, f.currency_code, f.category_code, f.vat_rate"
    ).fetchall())  # fmt: skip
    invoice_payments = _keyed(con.execute(
        f"select {key}, f.invoice_number, f.issue_date, f.payment_date, f.vat_rate,"
        " f.currency_code, f.amount_incl_vat"
        f" from marts.fct_ereporting_invoice_payments as f {join.format(kind='payments')}"
        " order by f.payment_date, f.invoice_number, f.vat_rate"
    ).fetchall())  # fmt: skip
    b2c_payments = _keyed(con.execute(
        f"select {key}, f.payment_date, f.vat_rate, f.currency_code, f.amount_incl_vat"
        f" from marts.fct_ereporting_b2c_payments as f {join.format(kind='payments')}"
        " order by f.payment_date, f.vat_rate"
    ).fetchall())  # fmt: skip
    return invoices, lines, b2c, invoice_payments, b2c_payments


def _transmission(p: Planned, header: X.Header, records) -> X.Transmission:
    invoices, lines, b2c, invoice_payments, b2c_payments = records
    key = (p.declarant_siren, p.declarant_role, p.period_start)
    if p.report_kind == "transactions":
        inv = tuple(
            X.InvoiceRecord(
                number=r[1],
                issue_date=r[2],
                type_code=r[3],
                currency_code=r[4],
                billing_framework=r[5],
                seller=X.Party(r[6], r[7], r[8], r[9]),
                buyer=X.Party(r[10], r[11], r[12], r[13]),
                total_excl_vat=r[14],
                total_vat=r[15],
                due_date=r[16],
                delivery_date=r[17],
                preceding_invoice=r[18] if r[3] in ("384", "471", "472", "473") else None,
                vat_lines=tuple(X.VatLine(*line) for line in lines.get((r[0],), [])),
            )  # fmt: skip
            for r in invoices.get(key, [])
        )
        aggregates = tuple(
            X.B2cRecord(
                day=day,
                currency_code=currency,
                category_code=category,
                transaction_count=sum(int(x[3]) for x in rates),
                rates=tuple(
                    X.RateAmounts(rate=x[0], taxable_amount=x[1], tax_amount=x[2]) for x in rates
                ),
            )  # fmt: skip
            for (day, currency, category), rates in _keyed(b2c.get(key, [])).items()
        )
        return X.Transmission(header, "transactions", p.period_start, p.period_end, inv, aggregates)
    payments = [
        X.PaymentRecord(day=day, invoice_number=number, invoice_issue_date=issued,
                        rates=_received(rates))
        for (number, issued, day), rates in _keyed(invoice_payments.get(key, [])).items()
    ] + [
        X.PaymentRecord(day=day, rates=_received(rates))
        for (day,), rates in _keyed(b2c_payments.get(key, []), width=1).items()
    ]  # fmt: skip
    return X.Transmission(
        header, "payments", p.period_start, p.period_end, payments=tuple(payments)
    )


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
        issued_at=issued_at, type_code=type_code,
        sender_id=settings.platform_matricule, sender_name=settings.platform_name,
        declarant_siren=p.declarant_siren, declarant_name=p.declarant_name,
        declarant_role=p.declarant_role, name=report_name(p),
    )  # fmt: skip


def _received(rates: list[tuple]) -> tuple[X.RateAmounts, ...]:
    """(rate, currency, amount) rows as the SubTotals of a payment."""
    return tuple(X.RateAmounts(rate=r, currency_code=c, amount=a) for r, c, a in rates)


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
        records = _load_records(con, planned) if planned else None
    outcomes: list[Outcome] = []
    hist = record.connect(settings)
    try:
        for p in planned:
            if issued_at.date() <= p.period_end:
                outcomes.append(Outcome(p, "not_due", errors=[
                    f"the period ends on {p.period_end}: it is transmitted after that day"
                ]))  # fmt: skip
                continue
            done = _earlier(hist, p)
            previous = done[-1] if done else None
            header = _header(settings, p, done, issued_at)
            t = _transmission(p, header, records)
            root = X.build_report(t)
            digest = _content_digest(root)
            if previous is not None and previous["content_sha256"] == digest:
                _clear_failed_check(hist, p)
                outcomes.append(Outcome(p, "unchanged", previous["transmission_id"],
                                        out_dir / previous["file_name"]))  # fmt: skip
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


def _write(hist, settings, out_dir, p, header, t, root, digest, previous) -> Outcome:
    hist.execute("begin immediate")
    try:
        seq = hist.execute(
            "insert into transmissions (transmission_id, declarant_siren, declarant_role,"
            " report_kind, period_start, period_end, type_code, issued_at, content_sha256,"
            " file_name, record_count) values (?,?,?,?,?,?,?,?,?,'',?)",
            (
                header.transmission_id, p.declarant_siren, p.declarant_role, p.report_kind,
                p.period_start.isoformat(), p.period_end.isoformat(), header.type_code,
                header.issued_at.isoformat(), digest, _record_count(t),
            ),
        ).lastrowid  # fmt: skip
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
