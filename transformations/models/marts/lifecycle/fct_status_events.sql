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
        -- (cast: a table upgraded from an earlier layout keeps its column types)
        cast(event_sequence as integer) as event_sequence,
        status_code,
        previous_status_code,
        actor_role,
        reason_code,
        cast(deposit_round as integer) as deposit_round,
        ---------- amounts
        payment_amount,
        days_in_previous_status,
        ---------- dates
        payment_date,
        previous_occurred_at,
        occurred_at,
        occurred_date
    from events
)

select * from final
