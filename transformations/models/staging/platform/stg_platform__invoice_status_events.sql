-- One row per status event, as landed: numbered by its producer, which validated each
-- transition (landing contract `InvoiceStatusEvent`). Incremental by landing day
-- (delete+insert of the days read): the landing day is the Europe/Paris day the event was
-- recorded, so an event reported late lands with the day that brought it.
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

source as (
    select * from {{ source('platform', 'invoice_status_events') }}
    where {{ landing_window('recorded_date') }}
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
        ---------- its place in the invoice's lifecycle (the producer's)
        event_sequence,
        previous_status_code,
        deposit_round,
        is_out_of_order,
        ---------- amounts
        payment_amount,
        -- the days the invoice spent in its previous status (none for an out-of-order
        -- event: the invoice stayed in it)
        case when not is_out_of_order then
            cast({{ dbt.datediff('previous_status_at', 'occurred_at', 'second') }} / 86400.0 as decimal(9, 2))
        end as days_in_previous_status,
        ---------- dates
        payment_date,
        previous_status_at,
        occurred_at,
        {{ local_date('occurred_at') }} as occurred_date,
        recorded_at,
        -- the landing folder is the Europe/Paris day of recorded_at (contract)
        cast(date as date) as recorded_date,
        {{ built_at() }} as built_at
    from source
)

select * from renamed
