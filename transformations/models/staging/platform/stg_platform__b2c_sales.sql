-- One row per VAT rate of a B2C daily sales summary (e-reporting flow 10.3).
-- Incremental: a day's build reads only the landing days given (several marts and tests
-- read it: as a view, each read the Parquet files again); the rows read replace those of
-- the same key (a table from before `landed_date` is read again whole).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['summary_id', 'line_number'],
        on_schema_change='fail',
    )
}}

with

source as (
    select * from {{ source('platform', 'b2c_sales') }}
    where {{ landing_window('landed_date') }}
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
        received_at,
        cast(date as date) as landed_date
    from source
)

select * from renamed
