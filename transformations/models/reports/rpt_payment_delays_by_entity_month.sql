-- One row per public entity × payment month: mean and median delay, share paid within 30
-- days, invoices paid late and the interest and indemnities they owe.
with

histogram as (
    select * from {{ ref('int_payment_delays_histogram') }}
),

cumulated as (
    select
        *,
        sum(paid_invoice_count) over (
            partition by recipient_structure_id, payment_month_start_date
            order by observed_delay_days
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
        {{ delay_histogram_summary() }}
    from cumulated
    group by recipient_structure_id, payment_month_start_date
)

select * from final
