-- Flow 10.1: one row per international B2B invoice (B2Bi) of an e-reporting declarant, the
-- seller, in the transaction period of its operation date (delivery date, else issue date).
--
-- Incremental like the B2C marts (macros/ereporting_changes.sql): a day's build rebuilds the
-- invoices landed, and every invoice of a declarant whose structure landed again; the
-- pre-hook deletes those rows, the model appends them (a national day: a few thousand of
-- the 0.6 M, which were rebuilt from the 55 M invoices and published whole each day).
-- depends_on: {{ ref('stg_platform__structures') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ ereporting_delete_changed(
            ref('stg_platform__invoices'), 'supplier_structure_id', 'invoice_id') }}",
    )
}}

with

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
    where scope = 'B2Bi'
    {% if is_incremental() %}
    and {{ ereporting_changed(
        ref('stg_platform__invoices'), 'supplier_structure_id', 'invoice_id') }}
    {% endif %}
),

declarants as (
    select * from {{ ref('int_ereporting_declarants') }}
),

final as (
    select
        ---------- ids
        i.invoice_id,
        d.siren as declarant_siren,
        'SE' as declarant_role,
        i.invoice_number,
        ---------- attributes
        d.declarant_name,
        d.vat_regime,
        i.type_code,
        i.currency_code,
        i.billing_framework,
        i.goods_services_nature,
        d.siren as seller_identifier,
        '0002' as seller_identifier_scheme,
        d.vat_id as seller_vat_id,
        d.country_code as seller_country_code,
        i.buyer_identifier,
        i.buyer_identifier_scheme,
        i.buyer_vat_id,
        i.buyer_country_code,
        i.original_invoice_number,
        ---------- amounts
        i.total_excl_vat,
        i.total_vat,
        ---------- dates
        i.issue_date,
        i.deposited_date,
        i.due_date,
        i.delivery_date,
        coalesce(i.delivery_date, i.issue_date) as operation_date,
        {{ ereporting_period_start('coalesce(i.delivery_date, i.issue_date)', 'd.vat_regime', "'transactions'") }}
            as period_start_date,
        {{ ereporting_period_end('coalesce(i.delivery_date, i.issue_date)', 'd.vat_regime', "'transactions'") }}
            as period_end_date,
        ---------- incremental bookkeeping
        i.supplier_structure_id,
        i.landed_date as last_landed_date
    from invoices as i
    inner join declarants as d on i.supplier_structure_id = d.structure_id
)

select * from final
