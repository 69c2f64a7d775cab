-- One row per invoice with status events: where its lifecycle stands (last event, number
-- of events, deposit round), the milestones of its current round that the payment-delay
-- law needs (receipt, first interruption and its completion, mandate, handover to the
-- accountant, payment, rejection), and its returns (rejections, recyclings) over all
-- rounds. The milestones and the returns read it instead of the 190 M events.
--
-- Incremental by invoice (delete+insert): the events of the days read that an invoice's
-- state does not hold yet (numbered after its last one by their producer) are folded into
-- it; no event is sorted, and no invoice's history is read (macros/lifecycle_state.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
    )
}}

with

events as (
    -- the events of the days read (every landed day on a full build)
    select * from {{ ref('stg_platform__invoice_status_events') }}
    {%- if is_incremental() %}
    where {{ days_between('recorded_date', lifecycle_from_day(), var('landing_to', none)) }}
    {%- else %}
    where {{ landing_window('last_event_date', 'recorded_date') }}
    {%- endif %}
),

{% if is_incremental() -%}
states as (
    -- the states of the invoices with events on the days read
    select * from {{ this }}
    where invoice_id in (select invoice_id from events)
),

arrivals as (
    -- per invoice, the days' events its state does not hold (numbered after its last)
    select
        e.invoice_id,
        count(*) filter (where e.event_sequence > coalesce(s.last_event_sequence, 0)) as new_count,
        min(e.event_sequence) filter (where e.event_sequence > coalesce(s.last_event_sequence, 0))
            as first_new,
        max(e.event_sequence) as last_new,
        coalesce(any_value(s.last_event_sequence), 0) as last_held,
        coalesce(any_value(s.event_count = s.last_event_sequence), true) as is_complete
    from events as e
    left join states as s on e.invoice_id = s.invoice_id
    group by e.invoice_id
),

following as (
    -- the usual case: the new events follow a complete state (or start the invoice)
    select invoice_id, last_held from arrivals
    where is_complete and new_count > 0 and first_new = last_held + 1
        and last_new = last_held + new_count
),

regapped as (
    -- the rare others (days loaded out of their order): folded again from all their events
    select a.invoice_id
    from arrivals as a
    anti join following as f on a.invoice_id = f.invoice_id
    where not a.is_complete or a.new_count > 0
),

new_events as (
    select e.*
    from events as e
    inner join following as f on e.invoice_id = f.invoice_id
    where e.event_sequence > f.last_held
),

new_states as (
    {{ lifecycle_fold('new_events') }}
),

history as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
    where invoice_id in (select invoice_id from regapped)
),

final as (
    select
        {{ lifecycle_merge('s', 'd') }}
    from new_states as d
    left join states as s on d.invoice_id = s.invoice_id
    union all
    {{ lifecycle_fold('history') }}
)
{%- else -%}
final as (
    {{ lifecycle_fold('events') }}
)
{%- endif %}

select * from final
