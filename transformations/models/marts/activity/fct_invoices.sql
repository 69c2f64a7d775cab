{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        post_hook="{{ leave_out_quarantined('invoice_id', ['STR-01']) }}",
    )
}}
-- an invoice of no known structure is set apart (fct_quarantined_records), not counted
-- depends_on: {{ ref('fct_quarantined_records') }}

with

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
    where {{ landing_window('landed_date', 'landed_date') }}
),

structures as (
    select * from {{ ref('stg_platform__structures') }}
),

final as (
    select
        ---------- ids
        i.invoice_id,
        i.invoice_number,
        i.supplier_structure_id,
        i.recipient_structure_id,
        ---------- attributes
        i.type_code,
        i.is_credit_note,
        i.billing_framework,
        i.billing_framework = 'A19' as is_works_invoice,
        i.channel,
        i.syntax,
        i.scope,
        r.public_category as recipient_category,
        s.supplier_size,
        ---------- amounts
        i.total_excl_vat,
        i.total_vat,
        i.total_incl_vat,
        ---------- dates
        i.issue_date,
        i.deposited_at,
        i.deposited_date,
        i.landed_date,
        {{ built_at() }} as built_at
    from invoices as i
    left join structures as r on i.recipient_structure_id = r.structure_id
    left join structures as s on i.supplier_structure_id = s.structure_id
)

select * from final
