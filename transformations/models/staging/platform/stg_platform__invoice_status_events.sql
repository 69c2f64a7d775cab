with

source as (
    select * from {{ source('platform', 'invoice_status_events') }}
),

renamed as (
    select
        ---------- ids
        event_id,
        invoice_id,
        ---------- attributes
        status_code,
        actor_role,
        reason_code,
        comment,
        ---------- amounts
        payment_amount,
        ---------- dates
        payment_date,
        occurred_at,
        cast(timezone('Europe/Paris', occurred_at) as date) as occurred_date
    from source
)

select * from renamed
