{#- Aggregates shared by the payment-delay reports, over `int_payment_delays_histogram`
    rows carrying the `cumulative_count` / `group_count` window columns. -#}
{% macro delay_histogram_summary() %}
        cast(sum(paid_invoice_count) as bigint) as paid_invoice_count,
        cast(round(sum(observed_delay_days * paid_invoice_count) / sum(paid_invoice_count), 1)
            as decimal(9, 1)) as mean_delay_days,
        cast({{ histogram_percentile('observed_delay_days', 1, 2) }} as integer)
            as median_delay_days,
        cast(round(
            coalesce(sum(paid_invoice_count) filter (where observed_delay_days <= 30), 0) * 100.0
            / sum(paid_invoice_count), 1) as decimal(5, 1)) as paid_within_30_days_pct,
        cast(sum(late_invoice_count) as bigint) as late_invoice_count,
        cast(sum(late_interest_eur) as decimal(18, 2)) as late_interest_eur,
        cast(sum(recovery_indemnity_eur) as decimal(18, 2)) as recovery_indemnity_eur
{%- endmacro %}


{#- The histogram's counts and amounts added up over coarser groups (cast back: a sum's own
    type is a 128-bit integer, slower in the windows that read them). -#}
{% macro histogram_counts_summed() %}
        cast(sum(paid_invoice_count) as bigint) as paid_invoice_count,
        cast(sum(late_invoice_count) as bigint) as late_invoice_count,
        cast(sum(late_interest_eur) as decimal(18, 2)) as late_interest_eur,
        cast(sum(recovery_indemnity_eur) as decimal(18, 2)) as recovery_indemnity_eur,
        cast(sum(paid_amount_eur) as decimal(18, 2)) as paid_amount_eur,
        cast(sum(due_dated_amount_eur) as decimal(18, 2)) as due_dated_amount_eur,
        cast(sum(amount_days_after_due) as decimal(24, 2)) as amount_days_after_due,
        max(last_event_date) as last_event_date
{%- endmacro %}
