-- One row per VAT rate of a payment receipt: of an international invoice (flow 10.2) or of
-- a day's B2C sales (flow 10.4).
-- Incremental: a day's build reads only the landing days given (several marts and tests
-- read it: as a view, each read the Parquet files again); the rows read replace those of
-- the same key (a table from before `landed_date` is read again whole).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='payment_id',
        on_schema_change='fail',
    )
}}

with

source as (
    select * from {{ source('platform', 'payments') }}
    where {{ landing_window('landed_date') }}
),

renamed as (
    select
        ---------- ids
        payment_id,
        declarant_structure_id,
        invoice_id,
        ---------- attributes
        scope,
        currency_code,
        vat_rate,
        ---------- amounts
        amount_incl_vat,
        ---------- dates
        payment_date,
        received_at,
        cast(date as date) as landed_date
    from source
)

select * from renamed
