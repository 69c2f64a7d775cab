with

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
    where scope = 'B2G'  -- the hub's activity (not the B2Bi recorded for e-reporting)
),

monthly as (
    select
        cast(date_trunc('month', deposited_date) as date) as month_start_date,
        count(*) as invoice_count
    from invoices
    group by 1
),

final as (
    select
        month_start_date,
        cast(extract(year from month_start_date) as integer) as year,
        cast(extract(month from month_start_date) as integer) as month,
        invoice_count
    from monthly
)

select * from final
