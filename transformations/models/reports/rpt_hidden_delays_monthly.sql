-- Hidden delays per month of the new deposit and recipient category: rejected invoices
-- deposited again, the days they cost and the amounts held back.
with

delays as (
    select * from {{ ref('fct_hidden_delays') }}
),

final as (
    select
        cast(date_trunc('month', new_deposited_date) as date) as month_start_date,
        coalesce(recipient_category, 'unknown') as recipient_category,
        count(*) as redeposited_invoice_count,
        cast(avg(days_lost) as decimal(9, 1)) as mean_days_lost,
        cast(sum(days_lost) as bigint) as total_days_lost,
        cast(max(days_lost) as integer) as max_days_lost,
        cast(sum(total_incl_vat) as decimal(18, 2)) as amount_incl_vat
    from delays
    group by all
)

select * from final
