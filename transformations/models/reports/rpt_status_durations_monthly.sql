-- One row per month × status: the status events left that month (the invoice moved on to
-- its next status) and how long they had stayed in it (mean, and median from a histogram of
-- whole days).
--
-- By the month the status was left: a month's figures are final once it is over, and a
-- day's build recounts only the months from that of the first day it loaded
-- (`replace_tail`), reading the invoices that moved on by the row groups' min/max of
-- `invoice_last_event_date` instead of every event of the history.
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='month_start_date',
        on_schema_change='append_new_columns',
    )
}}
{%- if is_incremental() -%}
    {%- set tail_start -%}
        cast(date_trunc('month', date '{{ landing_from_date('last_left_date') }}') as date)
    {%- endset -%}
{%- endif %}

with

events as (
    select
        status_code,
        cast(days_in_status as decimal(9, 2)) as days_in_status,
        cast(timezone('Europe/Paris', next_occurred_at) as date) as left_date
    from {{ ref('int_status_events_sequenced') }}
    where
        next_occurred_at is not null
        {% if is_incremental() %}
        -- an event left on or after the tail's start belongs to an invoice whose last
        -- event is that late too
        and invoice_last_event_date >= {{ tail_start }}
        {% endif %}
),

tail as (
    select * from events
    {% if is_incremental() %}
    where left_date >= {{ tail_start }}
    {% endif %}
),

histogram as (
    select
        cast(date_trunc('month', left_date) as date) as month_start_date,
        status_code,
        cast(floor(days_in_status) as integer) as whole_days,
        count(*) as event_count,
        sum(days_in_status) as total_days,
        max(left_date) as last_left_date
    from tail
    group by all
),

cumulated as (
    select
        *,
        sum(event_count) over (
            partition by month_start_date, status_code order by whole_days
        ) as cumulative_count,
        sum(event_count) over (partition by month_start_date, status_code) as group_count
    from histogram
),

final as (
    select
        month_start_date,
        status_code,
        cast(sum(event_count) as bigint) as left_status_count,
        cast(round(sum(total_days) / sum(event_count), 2) as decimal(9, 2)) as mean_days_in_status,
        cast(min(whole_days) filter (where cumulative_count * 2 >= group_count) as integer)
            as median_days_in_status,
        max(last_left_date) as last_left_date
    from cumulated
    group by all
)

select * from final
