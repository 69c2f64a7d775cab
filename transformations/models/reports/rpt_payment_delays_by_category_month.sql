-- One row per public category × payment month: the Observatoire's delay figures (mean,
-- median, 90th percentile from the histogram), the share paid within 30 days, invoices
-- paid late and what they owe.
with

histogram as (
    select * from {{ ref('int_payment_delays_histogram') }}
),

grouped as (
    select
        public_category,
        payment_month_start_date,
        observed_delay_days,
        sum(paid_invoice_count) as paid_invoice_count,
        sum(late_invoice_count) as late_invoice_count,
        sum(late_interest_eur) as late_interest_eur,
        sum(recovery_indemnity_eur) as recovery_indemnity_eur
    from histogram
    group by all
),

cumulated as (
    select
        *,
        sum(paid_invoice_count) over (
            partition by public_category, payment_month_start_date order by observed_delay_days
        ) as cumulative_count,
        sum(paid_invoice_count) over (partition by public_category, payment_month_start_date)
            as group_count
    from grouped
),

final as (
    select
        public_category,
        payment_month_start_date,
        cast(sum(paid_invoice_count) as bigint) as paid_invoice_count,
        cast(round(sum(observed_delay_days * paid_invoice_count) / sum(paid_invoice_count), 1)
            as decimal(9, 1)) as mean_delay_days,
        cast(min(observed_delay_days) filter (where cumulative_count * 2 >= group_count)
            as integer) as median_delay_days,
        cast(min(observed_delay_days) filter (where cumulative_count * 10 >= group_count * 9)
            as integer) as p90_delay_days,
        cast(round(coalesce(sum(paid_invoice_count) filter (where observed_delay_days <= 30), 0) * 100.0
            / sum(paid_invoice_count), 1) as decimal(5, 1)) as paid_within_30_days_pct,
        cast(sum(late_invoice_count) as bigint) as late_invoice_count,
        cast(sum(late_interest_eur) as decimal(18, 2)) as late_interest_eur,
        cast(sum(recovery_indemnity_eur) as decimal(18, 2)) as recovery_indemnity_eur
    from cumulated
    group by all
)

select * from final
