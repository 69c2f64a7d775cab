-- One row per status event, numbered in the order the invoice went through them, with the
-- status it came from, how long it stayed in this one, and the deposit round it belongs to
-- (a recycled invoice is deposited again: round 2 starts at its second DEPOSEE).
--
-- Incremental by invoice: the invoices that received events on the days read are sequenced
-- again over all their events, and their rows replace the earlier ones (delete+insert).
-- Every row carries its invoice's last event day: the rows of the invoices a build changed
-- are `invoice_last_event_date >= <first day loaded>`, which later models and the snapshot
-- publication read by the row groups' min/max instead of joining 190 M rows on invoice_id.
-- An incremental build appends the invoices it sequenced again at the end, so the rows of
-- the last days lie together. (A full build does not sort 190 M rows by it: the sort spilled
-- more than 25 GB.)
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        on_schema_change='append_new_columns',
    )
}}

with

events as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
    {% if is_incremental() %}
    where invoice_id in (
        select invoice_id
        from {{ ref('stg_platform__invoice_status_events') }}
        {#- a table from before invoice_last_event_date: every invoice is sequenced again #}
        where {{ landing_window('invoice_last_event_date', 'occurred_date') }}
    )
    {% endif %}
),

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
        row_number() over invoice_order as event_sequence,
        lag(status_code) over invoice_order as previous_status_code,
        lead(occurred_at) over invoice_order as next_occurred_at,
        count(*) filter (where status_code = 'DEPOSEE') over invoice_order as deposit_round,
        count(*) filter (where status_code = 'DEPOSEE') over invoice_whole as deposit_round_count,
        max(occurred_date) over invoice_whole as invoice_last_event_date
    from events
    window
        invoice_order as (partition by invoice_id order by occurred_at, event_id),
        invoice_whole as (
            invoice_order rows between unbounded preceding and unbounded following
        )
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
        invoice_last_event_date,
        event_sequence,
        previous_status_code,
        next_occurred_at,
        next_occurred_at is null as is_latest,
        cast(deposit_round as integer) as deposit_round,
        deposit_round = deposit_round_count as is_current_round,
        date_diff('second', occurred_at, next_occurred_at) / 86400.0 as days_in_status
    from sequenced
)

select * from final
