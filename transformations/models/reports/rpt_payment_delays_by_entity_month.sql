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
        cast(sum(paid_invoice_count) as bigint) as paid_invoice_count,
        cast(round(sum(observed_delay_days * paid_invoice_count) / sum(paid_invoice_count), 1)
            as decimal(9, 1)) as mean_delay_days,
        cast(min(observed_delay_days) filter (where cumulative_count * 2 >= group_count)
            as integer) as median_delay_days,
        cast(round(coalesce(sum(paid_invoice_count) filter (where observed_delay_days <= 30), 0) * 100.0
            / sum(paid_invoice_count), 1) as decimal(5, 1)) as paid_within_30_days_pct,
        cast(sum(late_invoice_count) as bigint) as late_invoice_count,
        cast(sum(late_interest_eur) as decimal(18, 2)) as late_interest_eur,
        cast(sum(recovery_indemnity_eur) as decimal(18, 2)) as recovery_indemnity_eur
    from cumulated
    group by recipient_structure_id, payment_month_start_date
)

select * from final
