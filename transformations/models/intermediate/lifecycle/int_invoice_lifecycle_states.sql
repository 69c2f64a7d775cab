-- One row per invoice with status events: where its lifecycle stands (last event, number
-- of events, deposit round), the milestones of its current round that the payment-delay
-- law needs (receipt, first interruption and its completion, mandate, handover to the
-- accountant, payment, rejection), and its returns (rejections, recyclings) over all
-- rounds. The sequenced events number a day's events on from it, the milestones and the
-- returns read it instead of the events (see macros/lifecycle_state.sql).
--
-- Incremental by invoice (delete+insert): the invoices with events on the days read fold
-- those events into their state before those days, kept in the `base_` columns (with the
-- first day read, `base_before_date`) so that the same days can be run again.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        on_schema_change='append_new_columns',
    )
}}
-- depends_on: {{ ref('int_lifecycle_bases') }}
{%- set appending = is_incremental() -%}
{%- if appending -%}
    {%- set from_day = lifecycle_from_day() -%}
{%- endif %}

with

sequenced as (
    select * from {{ ref('int_status_events_sequenced') }}
),

{% if appending -%}
touched as (
    select distinct invoice_id
    from sequenced
    where {{ lifecycle_window('occurred_date', from_day) }}
),

{{ lifecycle_bases_once('touched', ref('int_status_events_sequenced'), from_day) }},

recent as (
    -- their events from the first day read on, numbered on from their base
    select * from sequenced
    where
        occurred_date >= date '{{ from_day }}'
        and invoice_id in (select invoice_id from touched)
),
{%- else %}
recent as (
    select * from sequenced
),
{%- endif %}

folded as (
    {{ lifecycle_fold('recent') }}
),

final as (
    select
        f.invoice_id,
        f.last_event_sequence,
        f.last_status_code,
        f.last_occurred_at,
        f.last_event_date,
        f.deposit_round_count,
        {%- if appending %}
        -- the round goes on: its milestones before the first day read come first
        {%- for name in lifecycle_milestone_columns() if name != 'suspension_count' %}
        case
            when b.base.deposit_round_count = f.deposit_round_count
                then least(b.base.{{ name }}, f.{{ name }})
            else f.{{ name }}
        end as {{ name }},
        {%- endfor %}
        f.suspension_count + case
            when b.base.deposit_round_count = f.deposit_round_count
                then b.base.suspension_count
            else 0
        end as suspension_count,
        coalesce(b.base.rejection_count, 0) + f.rejection_count as rejection_count,
        coalesce(b.base.recycling_count, 0) + f.recycling_count as recycling_count,
        least(b.base.first_rejected_date, f.first_rejected_date) as first_rejected_date,
        {%- for name, type in lifecycle_state_columns() %}
        b.base.{{ name }} as base_{{ name }},
        {%- endfor %}
        date '{{ from_day }}' as base_before_date
        {%- else %}
        {%- for name in lifecycle_milestone_columns() %}
        f.{{ name }},
        {%- endfor %}
        f.rejection_count,
        f.recycling_count,
        f.first_rejected_date,
        {#- typed as an incremental run writes them -#}
        {%- for name, type in lifecycle_state_columns() %}
        cast(null as {{ type }}) as base_{{ name }},
        {%- endfor %}
        cast(null as date) as base_before_date
        {%- endif %}
    from folded as f
    {%- if appending %}
    left join lifecycle_bases as b on f.invoice_id = b.invoice_id
    {%- endif %}
)

select * from final
