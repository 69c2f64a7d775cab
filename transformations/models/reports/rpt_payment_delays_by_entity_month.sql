-- One row per public entity × payment month: mean and median delay, share paid within 30
-- days, invoices paid late and the interest and indemnities they owe.
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

cumulated as (
    select
        *,
        sum(paid_invoice_count) over (
            partition by recipient_structure_id, payment_month_start_date
            order by observed_delay_days
            rows between unbounded preceding and current row  -- see rpt_payment_delays_yearly
        ) as cumulative_count,
        sum(paid_invoice_count) over (
            partition by recipient_structure_id, payment_month_start_date
        ) as group_count
    from histogram
),

final as (
    select
        recipient_structure_id,
        any_value(public_category) as public_category,
        payment_month_start_date,
        {{ delay_histogram_summary() }},
        max(last_event_date) as last_event_date
    from cumulated
    group by recipient_structure_id, payment_month_start_date
)

select * from final
