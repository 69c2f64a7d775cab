-- A view: the sequenced events are already a table (190 M rows for a national year), and
-- copying them again cost minutes per build for no gain.
{{ config(materialized='view') }}

with

events as (
    select * from {{ ref('int_status_events_sequenced') }}
),

final as (
    select
        ---------- ids
        event_id,
        invoice_id,
        ---------- attributes
        cast(event_sequence as integer) as event_sequence,
        status_code,
        previous_status_code,
        actor_role,
        reason_code,
        is_latest,
        ---------- amounts
        payment_amount,
        cast(days_in_status as decimal(9, 2)) as days_in_status,
        ---------- dates
        payment_date,
        occurred_at,
        occurred_date,
        -- the invoice's latest event: the rows a build replaced are those from its first day
        invoice_last_event_date
    from events
)

select * from final
