-- Flow 10.4: B2C receipts per declarant × day × VAT rate, for declarants that owe VAT on
-- receipt (no option for VAT on debits).
--
-- Incremental like flow 10.3 (macros/ereporting_changes.sql): the declarants' days of the
-- receipts landed, and every day of a declarant whose structure landed again.
-- depends_on: {{ ref('stg_platform__structures') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ ereporting_delete_changed(
            ref('stg_platform__payments'), 'declarant_structure_id', 'payment_date') }}",
    )
}}

with

payments as (
    select * from {{ ref('stg_platform__payments') }}
    where
        invoice_id is null and scope = 'B2C'
        {% if is_incremental() %}
        and {{ ereporting_changed(
            ref('stg_platform__payments'), 'declarant_structure_id', 'payment_date') }}
        {% endif %}
),

declarants as (
    select * from {{ ref('int_ereporting_declarants') }}
    where not vat_on_debits
),

final as (
    select
        ---------- ids
        d.siren as declarant_siren,
        'SE' as declarant_role,
        p.declarant_structure_id,
        ---------- attributes
        d.declarant_name,
        d.vat_regime,
        p.currency_code,
        p.vat_rate,
        ---------- amounts
        cast(sum(p.amount_incl_vat) as decimal(18, 2)) as amount_incl_vat,
        ---------- dates
        p.payment_date,
        {{ ereporting_period_start('p.payment_date', 'd.vat_regime', "'payments'") }}
            as period_start_date,
        {{ ereporting_period_end('p.payment_date', 'd.vat_regime', "'payments'") }}
            as period_end_date,
        max(p.landed_date) as last_landed_date,
        max(p.received_at) as last_received_at
    from payments as p
    inner join declarants as d on p.declarant_structure_id = d.structure_id
    group by all
)

select * from final
