-- One row per public category × payment month: the Observatoire's delay figures (mean,
-- median, 90th percentile from the histogram), the share paid within 30 days, invoices
-- paid late and what they owe.
--
-- Incremental by payment month, like the histogram it reads (`replace_tail`).
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='payment_month_start_date',
        on_schema_change='fail',
    )
}}

with

histogram as (
    {{ payment_delays_histogram_tail('month') }}
),

grouped as (
    select
        public_category,
        payment_month_start_date,
        observed_delay_days,
        {{ histogram_counts_summed() }}
    from histogram
    group by all
),

cumulated as (
    select
        *,
        sum(paid_invoice_count) over (
            partition by public_category, payment_month_start_date order by observed_delay_days
            rows between unbounded preceding and current row  -- see rpt_payment_delays_yearly
        ) as cumulative_count,
        sum(paid_invoice_count) over (partition by public_category, payment_month_start_date)
            as group_count
    from grouped
),

final as (
    select
        public_category,
        payment_month_start_date,
        {{ delay_histogram_summary() }},
        cast({{ histogram_percentile('observed_delay_days', 9, 10) }} as integer)
            as p90_delay_days,
        max(last_event_date) as last_event_date
    from cumulated
    group by all
)

select * from final
