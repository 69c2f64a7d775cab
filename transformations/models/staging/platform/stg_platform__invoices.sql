-- One row per deposited invoice: its latest landed version (a recycling lands the invoice
-- again, in the folder of the day it changed). Incremental by landing day: the versions of
-- the days read compete with the version kept so far, and the latest wins (a backfill of old
-- days never brings back an older version).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
    )
}}

with

source as {{ not_materialized() }} (
    select * from {{ source('platform', 'invoices') }}
    where {{ landing_window('landed_date') }}
),

renamed as {{ not_materialized() }} (
    select
        ---------- ids
        invoice_id,
        invoice_number,
        supplier_structure_id,
        recipient_structure_id,
        ---------- attributes
        type_code,
        -- UNTDID 1001 credit notes (chorus-pro.md §3, e-reporting.md §5.3)
        type_code in (
            '81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '502', '503', '532'
        ) as is_credit_note,
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
        buyer_identifier,
        buyer_identifier_scheme,
        buyer_vat_id,
        buyer_country_code,
        buyer_name,
        ---------- amounts (document currency)
        total_excl_vat,
        total_vat,
        total_incl_vat,
        amount_due,
        ---------- dates
        issue_date,
        due_date,
        delivery_date,
        deposited_at,
        {{ local_date('deposited_at') }} as deposited_date,
        updated_at,
        cast(date as date) as landed_date
    from source
),

{% if is_incremental() %}
candidates as {{ not_materialized() }} (
    {{ not_older_than_kept('renamed', 'invoice_id') }}
),
{% else %}
candidates as {{ not_materialized() }} (
    select * from renamed
),
{% endif %}

latest as (
    {{ latest_version('candidates', 'invoice_id') }}
)

select * from latest
