with

source as (
    select * from {{ source('platform', 'invoices') }}
),

latest as (
    -- a recycled invoice is landed again with its new routing: keep its latest version
    {{ latest_version('source', 'invoice_id') }}
),

renamed as (
    select
        ---------- ids
        invoice_id,
        invoice_number,
        supplier_structure_id,
        recipient_structure_id,
        ---------- attributes
        type_code,
        type_code in ('381', '261', '262', '296', '308', '396', '420', '458', '532')
            as is_credit_note,
        billing_framework,
        channel,
        syntax,
        scope,
        goods_services_nature,
        service_code,
        engagement_number,
        original_invoice_number,
        currency_code,
        line_count,
        document_sha256,
        ---------- amounts (document currency)
        total_excl_vat,
        total_vat,
        total_incl_vat,
        amount_due,
        ---------- dates
        issue_date,
        deposited_at,
        cast(timezone('Europe/Paris', deposited_at) as date) as deposited_date
    from latest
)

select * from renamed
