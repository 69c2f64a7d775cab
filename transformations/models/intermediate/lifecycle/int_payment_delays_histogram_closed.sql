-- One row per recipient × public category × observed delay (days) of the latest payment
-- year, added up over its months before the histogram's latest one (`before_month_start_date`).
-- The yearly reports add the months from that one on to it, instead of adding up the year's
-- 27.5 M histogram rows again every day (7.3 M here for a national year): a national
-- one-day build's yearly report 7.3 → 5.2 s.
--
-- Replaced whole (its pre-hook empties it) when it is stale: once a month, when the
-- histogram's latest month moves on, or when one of its months changed on the days read (a
-- backfill). Otherwise a run leaves it as it is (macros/delay_histogram_closed.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_where(this, 'true') if payment_delays_closed_months_stale() else '' }}",
    )
}}

{%- set rebuilt = not is_incremental() or payment_delays_closed_months_stale() %}

with

histogram as (
    select * from {{ ref('int_payment_delays_histogram') }}
),

latest as (
    select
        max(payment_month_start_date) as month_start_date,
        max(last_event_date) as event_date
    from histogram
),

closed_months as (
    select
        h.*,
        l.month_start_date as before_month_start_date,
        -- the histogram's latest event when this was added up (where a run without days
        -- looks for changed months from)
        l.event_date as as_of_event_date
    from histogram as h
    cross join latest as l
    where
        {{ 'true' if rebuilt else 'false' }}
        and h.payment_month_start_date >= date_trunc('year', l.month_start_date)
        and h.payment_month_start_date < l.month_start_date
)

select
    cast(year(payment_month_start_date) as integer) as year,
    recipient_structure_id,
    public_category,
    observed_delay_days,
    {{ histogram_counts_summed() }},
    any_value(before_month_start_date) as before_month_start_date,
    any_value(as_of_event_date) as as_of_event_date
from closed_months
group by all
