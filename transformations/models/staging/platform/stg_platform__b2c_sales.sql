-- One row per VAT rate of a B2C daily sales summary (e-reporting flow 10.3).
-- A table: several marts and tests read it (as a view, each read the Parquet files or
-- the structures again).
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('platform', 'b2c_sales') }}
),

renamed as (
    select
        ---------- ids
        summary_id,
        line_number,
        declarant_structure_id,
        ---------- attributes
        currency_code,
        category_code,
        transaction_count,
        vat_rate,
        ---------- amounts
        taxable_amount,
        tax_amount,
        ---------- dates
        sale_date,
        received_at
    from source
)

select * from renamed
