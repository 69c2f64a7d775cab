-- One row per VAT rate of a payment receipt: of an international invoice (flow 10.2) or of
-- a day's B2C sales (flow 10.4).
-- A table: several marts and tests read it (as a view, each read the Parquet files or
-- the structures again).
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('platform', 'payments') }}
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
        received_at
    from source
)

select * from renamed
