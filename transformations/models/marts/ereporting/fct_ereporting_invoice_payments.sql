-- Flow 10.2: one row per payment of an international invoice × VAT rate, where French VAT
-- is due on receipt: services invoiced by a declarant that did not opt for VAT on debits.
with

payments as (
    select * from {{ ref('stg_platform__payments') }}
    where invoice_id is not null
),

invoices as (
    select * from {{ ref('fct_ereporting_invoices') }}
),

declarants as (
    select * from {{ ref('int_ereporting_declarants') }}
),

final as (
    select
        ---------- ids
        i.invoice_id,
        i.declarant_siren,
        i.declarant_role,
        i.invoice_number,
        ---------- attributes
        i.declarant_name,
        i.vat_regime,
        p.currency_code,
        p.vat_rate,
        ---------- amounts
        cast(sum(p.amount_incl_vat) as decimal(18, 2)) as amount_incl_vat,
        ---------- dates
        i.issue_date,
        p.payment_date,
        {{ ereporting_period_start('p.payment_date', 'i.vat_regime', "'payments'") }}
            as period_start_date,
        {{ ereporting_period_end('p.payment_date', 'i.vat_regime', "'payments'") }}
            as period_end_date
    from payments as p
    inner join invoices as i on p.invoice_id = i.invoice_id
    inner join declarants as d on p.declarant_structure_id = d.structure_id
    where
        not d.vat_on_debits
        and (i.goods_services_nature = 'services' or i.billing_framework like 'S%')
    group by all
)

select * from final
