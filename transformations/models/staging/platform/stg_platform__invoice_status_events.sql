-- One row per status event, as landed. Incremental by landing day (delete+insert of the
-- days read): the landing day is the Europe/Paris day of `occurred_at`.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='occurred_date',
    )
}}

with

source as (
    select * from {{ source('platform', 'invoice_status_events') }}
    where {{ landing_window('occurred_date') }}
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
        -- the landing folder is the Europe/Paris day of occurred_at (contract)
        cast(date as date) as occurred_date
    from source
)

select * from renamed
