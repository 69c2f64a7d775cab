-- One row per VAT breakdown line (BG-23) of a deposited invoice.
with

source as (
    select * from {{ source('platform', 'invoice_vat_lines') }}
),

renamed as (
    select
        ---------- ids
        invoice_id,
        line_number,
        ---------- attributes
        vat_category_code,
        vat_rate,
        exemption_reason,
        exemption_reason_code,
        ---------- amounts (document currency)
        taxable_amount,
        tax_amount,
        ---------- dates
        -- the landing folder: a run limited to some days tests the lines of those days
        cast(date as date) as landed_date
    from source
)

select * from renamed
