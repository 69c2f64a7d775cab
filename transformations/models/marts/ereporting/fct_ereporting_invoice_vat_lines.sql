-- Flow 10.1 VAT breakdown (TG-15 TaxSubTotal): one row per VAT line of a reported invoice.
with

invoices as (
    select invoice_id from {{ ref('fct_ereporting_invoices') }}
),

lines as (
    select * from {{ ref('stg_platform__invoice_vat_lines') }}
),

final as (
    select
        l.invoice_id,
        l.line_number,
        l.vat_category_code,
        cast(coalesce(l.vat_rate, 0) as decimal(5, 2)) as vat_rate,
        l.exemption_reason,
        l.exemption_reason_code,
        l.taxable_amount,
        l.tax_amount
    from lines as l
    inner join invoices as i on l.invoice_id = i.invoice_id
)

select * from final
