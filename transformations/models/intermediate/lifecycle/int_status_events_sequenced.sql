-- One row per status event, numbered in the order the invoice went through them, with
-- the status it came from, the time spent in that one, and the deposit round it belongs to
-- (a recycled invoice is deposited again: round 2 starts at its second DEPOSEE). Every
-- column is known when the event arrives, so a later day never rewrites an earlier row
-- (only the same days run again, or a backfill, replace rows from their first day).
--
-- Incremental by day (`replace_invoice_tail`): the events of the days read are numbered on
-- from their invoice's state before those days (`int_invoice_lifecycle_states`, see
-- macros/lifecycle_state.sql) and appended; an invoice's rows from the first day read on
-- are replaced. A national day adds its 0.5 M events without reading the 190 M before.
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_invoice_tail',
        unique_key='invoice_id',
        tail_column='occurred_date',
        on_schema_change='append_new_columns',
    )
}}
{#- a table from before this layout (an upgrade): every event is sequenced again (the
    columns it no longer writes stay, empty) -#}
-- depends_on: {{ ref('int_lifecycle_bases') }}
{%- set appending = is_incremental() and not columns_missing(['previous_occurred_at']) -%}
{%- if appending -%}
    {%- set from_day = lifecycle_from_day() -%}
{%- endif %}

with

{% if appending -%}
touched as (
    -- the invoices with events on the days read
    {{ lifecycle_touched(from_day) }}
),

{{ lifecycle_bases_once('touched', this, from_day, ['last_event_sequence', 'last_status_code',
                                                    'last_occurred_at', 'deposit_round_count']) }},

events as (
    -- their events from the first day read on (later ones too, on a backfill of past days)
    select e.*, b.base
    from {{ ref('stg_platform__invoice_status_events') }} as e
    inner join lifecycle_bases as b on e.invoice_id = b.invoice_id
    where e.occurred_date >= date '{{ from_day }}'
),
{%- else %}
events as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
),
{%- endif %}

sequenced as (
    -- one ordering only (a second, descending one cost a second sort of every event)
    select
        event_id,
        invoice_id,
        status_code,
        actor_role,
        reason_code,
        payment_date,
        payment_amount,
        occurred_at,
        occurred_date,
        {%- if appending %}
        coalesce(base.last_event_sequence, 0) + row_number() over invoice_order
            as event_sequence,
        coalesce(lag(status_code) over invoice_order, base.last_status_code)
            as previous_status_code,
        coalesce(lag(occurred_at) over invoice_order, base.last_occurred_at)
            as previous_occurred_at,
        coalesce(base.deposit_round_count, 0)
        + count(*) filter (where status_code = 'DEPOSEE') over invoice_order as deposit_round
        {%- else %}
        row_number() over invoice_order as event_sequence,
        lag(status_code) over invoice_order as previous_status_code,
        lag(occurred_at) over invoice_order as previous_occurred_at,
        count(*) filter (where status_code = 'DEPOSEE') over invoice_order as deposit_round
        {%- endif %}
    from events
    window invoice_order as (partition by invoice_id order by occurred_at, event_id)
),

final as (
    select
        event_id,
        invoice_id,
        status_code,
        actor_role,
        reason_code,
        payment_date,
        payment_amount,
        occurred_at,
        occurred_date,
        cast(event_sequence as integer) as event_sequence,
        previous_status_code,
        previous_occurred_at,
        cast(date_diff('second', previous_occurred_at, occurred_at) / 86400.0 as decimal(9, 2))
            as days_in_previous_status,
        cast(deposit_round as integer) as deposit_round
    from sequenced
)

select * from final
