-- One row per e-reporting transmission to build: declarant (SIREN) × role × kind
-- (transactions: flows 10.1 + 10.3; payments: 10.2 + 10.4) × period, with what it holds
-- and its filing deadlines (e-reporting.md §6). Nothing is sent for a period without data.
with

invoices as (
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, count(*) as invoice_count, sum(total_excl_vat) as taxable_amount,
        sum(total_vat) as tax_amount
    from {{ ref('fct_ereporting_invoices') }}
    group by all
),

b2c as (
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, count(distinct (sale_date, currency_code, category_code)) as b2c_record_count,
        sum(taxable_amount) as taxable_amount, sum(tax_amount) as tax_amount
    from {{ ref('fct_ereporting_b2c_transactions') }}
    group by all
),

transactions as (
    select
        coalesce(i.declarant_siren, b.declarant_siren) as declarant_siren,
        coalesce(i.declarant_role, b.declarant_role) as declarant_role,
        coalesce(i.declarant_name, b.declarant_name) as declarant_name,
        coalesce(i.vat_regime, b.vat_regime) as vat_regime,
        'transactions' as report_kind,
        coalesce(i.period_start_date, b.period_start_date) as period_start_date,
        coalesce(i.period_end_date, b.period_end_date) as period_end_date,
        coalesce(i.invoice_count, 0) as invoice_record_count,
        coalesce(b.b2c_record_count, 0) as aggregate_record_count,
        coalesce(i.taxable_amount, 0) + coalesce(b.taxable_amount, 0) as taxable_amount,
        coalesce(i.tax_amount, 0) + coalesce(b.tax_amount, 0) as tax_amount,
        cast(null as decimal(18, 2)) as received_amount
    from invoices as i
    full outer join b2c as b
        on i.declarant_siren = b.declarant_siren
        and i.declarant_role = b.declarant_role
        and i.period_start_date = b.period_start_date
),

invoice_payments as (
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, count(distinct (invoice_id, payment_date)) as invoice_payment_count,
        sum(amount_incl_vat) as received_amount
    from {{ ref('fct_ereporting_invoice_payments') }}
    group by all
),

b2c_payments as (
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, count(distinct payment_date) as payment_day_count,
        sum(amount_incl_vat) as received_amount
    from {{ ref('fct_ereporting_b2c_payments') }}
    group by all
),

payments as (
    select
        coalesce(i.declarant_siren, b.declarant_siren) as declarant_siren,
        coalesce(i.declarant_role, b.declarant_role) as declarant_role,
        coalesce(i.declarant_name, b.declarant_name) as declarant_name,
        coalesce(i.vat_regime, b.vat_regime) as vat_regime,
        'payments' as report_kind,
        coalesce(i.period_start_date, b.period_start_date) as period_start_date,
        coalesce(i.period_end_date, b.period_end_date) as period_end_date,
        coalesce(i.invoice_payment_count, 0) as invoice_record_count,
        coalesce(b.payment_day_count, 0) as aggregate_record_count,
        cast(null as decimal(18, 2)) as taxable_amount,
        cast(null as decimal(18, 2)) as tax_amount,
        coalesce(i.received_amount, 0) + coalesce(b.received_amount, 0) as received_amount
    from invoice_payments as i
    full outer join b2c_payments as b
        on i.declarant_siren = b.declarant_siren
        and i.declarant_role = b.declarant_role
        and i.period_start_date = b.period_start_date
),

unioned as (
    select * from transactions
    union all
    select * from payments
),

final as (
    select
        declarant_siren,
        declarant_role,
        report_kind,
        period_start_date,
        period_end_date,
        declarant_name,
        vat_regime,
        cast(invoice_record_count as bigint) as invoice_record_count,
        cast(aggregate_record_count as bigint) as aggregate_record_count,
        cast(taxable_amount as decimal(18, 2)) as taxable_amount,
        cast(tax_amount as decimal(18, 2)) as tax_amount,
        cast(received_amount as decimal(18, 2)) as received_amount,
        {{ ereporting_platform_deadline('period_end_date', 'vat_regime', 'report_kind') }}
            as platform_deadline_date,
        -- the platform delivers to the administration by 08:00 the next day (Europe/Paris)
        timezone(
            'Europe/Paris',
            cast({{ ereporting_platform_deadline('period_end_date', 'vat_regime', 'report_kind') }} + 1 as timestamp)
            + interval 8 hour
        ) as administration_deadline_at
    from unioned
)

select * from final
