"""Rejets: platform refusals at deposit and recipient rejections, counted apart."""

import polars as pl
import streamlit as st

from vigie.dashboards import charts, queries
from vigie.dashboards.components import (
    chart,
    downloadable_table,
    invoice_detail,
    labelled,
    new_pick,
    page_header,
    year_selectbox,
)
from vigie.dashboards.formatting import format_number, format_percent
from vigie.dashboards.i18n import reason_label, t

lang, reader = page_header("rejets")

if not reader.scope.is_operator:
    # a public entity sees the rejections it made; a supplier, those of its invoices
    year = year_selectbox(reader, queries.PARTY_REJECTION_YEARS_SQL, lang, key="rejection_year")
    st.subheader(t("my_rejections_title", lang))
    st.caption(t(f"my_rejections_caption_{reader.scope.role}", lang))
    mine = reader.query(queries.PARTY_REJECTIONS_SQL, (year,)).with_columns(
        pl.col("reason_code")
        .map_elements(lambda c: reason_label(c, lang), return_dtype=pl.String)
        .alias("reason")
    )
    downloadable_table(
        labelled(
            mine,
            {
                "invoice_number": t("invoice_number", lang),
                "supplier_name": t("supplier", lang),
                "supplier_siret": t("supplier_siret", lang),
                "recipient_name": t("recipient", lang),
                "recipient_siret": t("recipient_siret", lang),
                "total_incl_vat": t("amount_incl_vat", lang),
                "rejected_at": t("rejected_at", lang),
                "reason": t("reason", lang),
                "reason_code": t("reason_code", lang),
            },
        ),
        f"rejets-{year}",
        "my_rejections",
        lang,
        totals=[t("amount_incl_vat", lang)],
    )
    st.stop()

year = year_selectbox(reader, queries.REJECTION_YEARS_SQL, lang, key="rejection_year")
rows = reader.query(queries.REJECTIONS_SQL, (year,))
total = rows.filter(pl.col("breakdown") == "total")
MEASURES = (
    "deposited_count",
    "platform_refusal_count",
    "recipient_rejection_count",
    "recycling_count",
)
sums = {c: int(total.get_column(c).sum() or 0) for c in MEASURES}
submitted = sums["deposited_count"] + sums["platform_refusal_count"]
with st.container(horizontal=True):
    st.metric(t("deposited", lang), format_number(sums["deposited_count"], lang), border=True)
    st.metric(
        t("platform_refusals", lang),
        format_number(sums["platform_refusal_count"], lang),
        border=True,
    )
    st.metric(
        t("refusal_rate", lang),
        format_percent(
            sums["platform_refusal_count"] / submitted if submitted else None, lang, signed=False
        ),
        border=True,
    )
    st.metric(
        t("recipient_rejections", lang),
        format_number(sums["recipient_rejection_count"], lang),
        border=True,
    )
    st.metric(
        t("rejection_rate", lang),
        format_percent(
            sums["recipient_rejection_count"] / sums["deposited_count"]
            if sums["deposited_count"]
            else None,
            lang,
            signed=False,
        ),
        border=True,
    )
    st.metric(t("recyclings", lang), format_number(sums["recycling_count"], lang), border=True)

RATES = {
    "platform_refusal_rate_pct": t("refusal_rate", lang),
    "recipient_rejection_rate_pct": t("rejection_rate", lang),
}
chart(
    charts.lines_by_month(
        total,
        "month_start_date",
        RATES,
        title=t("rates_title", lang, year=year),
        y_title=t("rate_axis", lang),
        lang=lang,
    ),
    labelled(total.sort("month_start_date"), {"month_start_date": t("month", lang), **RATES}),
    "rates_data",
    lang,
)

COUNTS = {
    "deposited_count": t("deposited", lang),
    "platform_refusal_count": t("platform_refusals", lang),
    "recipient_rejection_count": t("recipient_rejections", lang),
    "recycling_count": t("recyclings", lang),
}
words = queries.breakdown_labels(reader, lang)
by_channel, by_reason = st.tabs([t("by_channel", lang), t("by_reason", lang)])
with by_channel:
    channels = (
        rows.filter(pl.col("breakdown") == "channel")
        .group_by("breakdown_value")
        .agg(pl.col(list(COUNTS)).sum())
        .sort("breakdown_value")
        .with_columns(queries.in_words("breakdown_value", words["channel"]))
    )
    downloadable_table(
        labelled(channels, {"breakdown_value": t("channel", lang), **COUNTS}),
        f"rejets-{year}-canal",
        "rej_channel",
        lang,
        totals=list(COUNTS.values()),
    )
with by_reason:
    reasons = (
        rows.filter(pl.col("breakdown").is_in(["platform_rule", "rejection_reason"]))
        .group_by("breakdown", "breakdown_value")
        .agg(
            (
                pl.col("platform_refusal_count")
                + pl.col("recipient_rejection_count")
                + pl.col("recycling_count")
            )
            .sum()
            .alias("count")
        )
        .with_columns(
            pl.col("breakdown").replace_strict(
                {b: t(f"kind_{b}", lang) for b in ("platform_rule", "rejection_reason")}
            ),
            pl.col("breakdown_value")
            .map_elements(lambda c: reason_label(c, lang), return_dtype=pl.String)
            .alias("reason"),
        )
        .sort("count", "breakdown_value", descending=[True, False])
    )
    st.caption(t("pick_a_reason", lang))
    reason_picked = downloadable_table(
        labelled(
            reasons,
            {
                "breakdown": t("kind", lang),
                "reason": t("reason", lang),
                "count": t("occurrences", lang),
                "breakdown_value": t("reason_code", lang),
            },
        ),
        f"rejets-{year}-motif",
        "rej_reason",
        lang,
        totals=[t("occurrences", lang)],
        selectable=True,
    )
# a reason, a supplier or a recipient drilled into: the invoices behind it (in the URL)
DRILLS = ("reason", "supplier", "recipient", "invoice")


def _drill(**chosen: str) -> None:
    for name in DRILLS:
        if name in chosen:
            st.query_params[name] = chosen[name]
        elif name in st.query_params:
            del st.query_params[name]


if new_pick("rej_reason", reason_picked) is not None:
    _drill(reason=reasons.get_column("breakdown_value")[reason_picked])

parties = reader.query(queries.TOP_PARTIES_SQL, (year,))
PARTY = {
    # the ranking first, then what it ranks by, then the rest
    "rank": t("rank", lang),
    "structure_name": t("name", lang),
    "rejection_count": t("recipient_rejections", lang),
    "rejection_rate_pct": t("rejection_rate", lang),
    "deposited_count": t("deposited", lang),
    "recycling_count": t("recyclings", lang),
    "siret": t("siret", lang),
}
# one under the other: side by side, half a screen hid the columns they rank by
for role in ("supplier", "recipient"):
    st.subheader(t(f"top_{role}s", lang))
    ranked = parties.filter(pl.col("party_role") == role)
    party_picked = downloadable_table(
        labelled(ranked, PARTY), f"rejets-{year}-{role}s", f"top_{role}", lang, selectable=True
    )
    if new_pick(f"top_{role}", party_picked) is not None:
        _drill(**{role: ranked.get_column("siret")[party_picked]})

reason, supplier, recipient = (st.query_params.get(k) for k in ("reason", "supplier", "recipient"))
if reason or supplier or recipient:
    if reason:
        what = reason_label(reason, lang)
    else:
        siret = supplier or recipient
        names = dict(parties.select("siret", "structure_name").iter_rows())
        what = f"{names.get(siret, '')} — {siret}".strip(" —")
    st.subheader(t("behind_title", lang, what=what, year=year))
    if (
        reason
        and reasons.filter(
            (pl.col("breakdown_value") == reason)
            & (pl.col("breakdown") == t("kind_platform_rule", lang))
        ).height
    ):
        # a deposit refused at the door never became an invoice: there is none to list
        st.info(t("refusals_are_not_invoices", lang))
    else:
        behind = reader.query(
            queries.REJECTED_INVOICES_SQL, (year, reason, supplier, recipient)
        ).with_columns(
            pl.col("reason_code")
            .map_elements(lambda c: reason_label(c, lang), return_dtype=pl.String)
            .alias("reason"),
            pl.col("status_code").replace_strict(
                {s: t(f"returned_{s}", lang) for s in ("REJETEE", "A_RECYCLER")}
            ),
        )
        st.caption(t("pick_an_invoice", lang))
        invoice_picked = downloadable_table(
            labelled(
                behind,
                {
                    "invoice_number": t("invoice_number", lang),
                    "supplier_name": t("supplier", lang),
                    "recipient_name": t("recipient", lang),
                    "status_code": t("kind", lang),
                    "reason": t("reason", lang),
                    "rejected_at": t("rejected_at", lang),
                    "total_incl_vat": t("amount_incl_vat", lang),
                    "supplier_siret": t("supplier_siret", lang),
                    "recipient_siret": t("recipient_siret", lang),
                    "reason_code": t("reason_code", lang),
                },
            ),
            f"rejets-{year}-factures",
            "behind",
            lang,
            selectable=True,
            totals=[t("amount_incl_vat", lang)],
        )
        if new_pick("behind", invoice_picked) is not None:
            st.query_params["invoice"] = behind.get_column("invoice_id")[invoice_picked]
        numbers = dict(behind.select("invoice_id", "invoice_number").iter_rows())
        wanted = st.query_params.get("invoice")
        if wanted in numbers:
            invoice_detail(reader, wanted, numbers[wanted], lang, key="behind_timeline")

st.subheader(t("hidden_title", lang))
hidden = reader.query(queries.HIDDEN_DELAYS_SQL, (year,)).with_columns(
    queries.in_words("recipient_category", words["recipient_category"])
)
downloadable_table(
    labelled(
        hidden,
        {
            "month_start_date": t("month_start", lang),
            "recipient_category": t("category", lang),
            "redeposited_invoice_count": t("redeposited", lang),
            "mean_days_lost": t("mean_days_lost", lang),
            "total_days_lost": t("total_days_lost", lang),
            "max_days_lost": t("max_days_lost", lang),
            "amount_incl_vat": t("amount_incl_vat", lang),
        },
    ),
    f"delais-caches-{year}",
    "hidden",
    lang,
    totals=[t(k, lang) for k in ("redeposited", "total_days_lost", "amount_incl_vat")],
)
