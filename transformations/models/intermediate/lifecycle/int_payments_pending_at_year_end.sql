-- One row per year with payments × public recipient: the invoices it had received and not
-- paid at the end of that year (on the last day of data, for the year under way), their
-- amount, and that amount weighted by the days each had been waiting. Spain's average
-- payment period (PMP) counts them beside the invoices paid in the year.
--
-- A table, rebuilt each run: one pass over the payable invoices per year of payments (a
-- handful), where an incremental version would need a window per day of data.
{{ config(materialized='table') }}

with

delays as (
    -- the invoices whose payment is known (paid, or reported unpaid): a recipient that does
    -- not report its payments has no pending amount to count
    select recipient_structure_id, public_category, receipt_date, payment_date, amount_incl_vat
    from {{ ref('fct_payment_delays') }}
    where payment_status in ('paid', 'unpaid') and receipt_date is not null
),

last_day as (
    select max(last_event_date) as last_event_date from {{ ref('fct_payment_delays') }}
),

years as (
    select distinct cast(year(payment_date) as integer) as year
    from delays
    where payment_date is not null
),

counted_on as (
    select y.year, least(make_date(y.year, 12, 31), l.last_event_date) as as_of_date
    from years as y
    cross join last_day as l
),

final as (
    select
        c.year,
        d.recipient_structure_id,
        d.public_category,
        any_value(c.as_of_date) as as_of_date,
        cast(count(*) as bigint) as pending_invoice_count,
        cast(sum(d.amount_incl_vat) as decimal(18, 2)) as pending_amount_eur,
        cast(sum(d.amount_incl_vat * {{ dbt.datediff('d.receipt_date', 'c.as_of_date', 'day') }})
            as decimal(24, 2)) as amount_days_pending
    from delays as d
    inner join counted_on as c
        on
            d.receipt_date <= c.as_of_date
            and (d.payment_date is null or d.payment_date > c.as_of_date)
    group by c.year, d.recipient_structure_id, d.public_category
)

select * from final
