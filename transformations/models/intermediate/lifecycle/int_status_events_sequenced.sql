-- One row per status event, numbered in the order the invoice went through them, with the
-- status it came from and how long it stayed in this one.
with

events as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
),

sequenced as (
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
        row_number() over (partition by invoice_id order by occurred_at desc, event_id desc) = 1
            as is_latest
    from events
    window invoice_order as (partition by invoice_id order by occurred_at, event_id)
),

final as (
    select
        *,
        date_diff('second', occurred_at, next_occurred_at) / 86400.0 as days_in_status
    from sequenced
)

select * from final
