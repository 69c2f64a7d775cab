-- One row per landing day × day left × status × whole days spent in it: the status events
-- left (the invoice moved on to its next status, on a Europe/Paris day), with their exact
-- days summed. The monthly status-duration report adds these up by the day left.
--
-- A status is left when the next event arrives: each event says how long its invoice
-- stayed in the status before it (its producer numbered it). Incremental by landing day
-- (delete+insert of the days read): an event reported late is counted on the day it left
-- its status, by the day it landed.
-- On Spark the landing day is the table's partition, overwritten for each day read.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='recorded_date',
        partition_by='recorded_date',
    )
}}

with

events as (
    select
        recorded_date,
        occurred_date as left_date,
        previous_status_code as status_code,
        days_in_previous_status as days_in_status
    from {{ ref('stg_platform__invoice_status_events') }}
    where
        days_in_previous_status is not null
        and {{ landing_window('recorded_date', 'recorded_date') }}
),

final as (
    select
        recorded_date,
        left_date,
        status_code,
        cast(floor(days_in_status) as integer) as whole_days,
        count(*) as event_count,
        sum(days_in_status) as total_days
    from events
    group by all
)

select * from final
