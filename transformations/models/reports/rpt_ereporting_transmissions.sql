-- One row per e-reporting transmission to build: declarant (SIREN) × role × kind
-- (transactions: flows 10.1 + 10.3; payments: 10.2 + 10.4) × period, with what it holds
-- and its filing deadlines (e-reporting.md §6). Nothing is sent for a period without data.
-- A transmission whose declarant sent its summaries (flows 10.3, 10.4) after the platform
-- deadline cannot leave on time: `received_after_deadline`. The hub's own invoices (10.1,
-- 10.2) are there from their deposit.
with

records as (
    -- every record of the four flows, with the period of the transmission it travels in
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, 'transactions' as report_kind, invoice_id as invoice_record,
        null as aggregate_record, total_excl_vat as taxable_amount, total_vat as tax_amount,
        null as received_amount, cast(null as {{ type_timestamp_tz() }}) as received_at
    from {{ ref('fct_ereporting_invoices') }}
    union all
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, 'transactions', null, concat_ws('|', sale_date, currency_code,
        category_code), taxable_amount, tax_amount, null, last_received_at
    from {{ ref('fct_ereporting_b2c_transactions') }}
    union all
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, 'payments', concat_ws('|', invoice_id, payment_date), null, null, null,
        amount_incl_vat, null
    from {{ ref('fct_ereporting_invoice_payments') }}
    union all
    select declarant_siren, declarant_role, declarant_name, vat_regime, period_start_date,
        period_end_date, 'payments', null, cast(payment_date as {{ type_text() }}), null, null,
        amount_incl_vat, last_received_at
    from {{ ref('fct_ereporting_b2c_payments') }}
),

transmissions as (
    select
        declarant_siren,
        declarant_role,
        report_kind,
        period_start_date,
        period_end_date,
        any_value(declarant_name) as declarant_name,
        any_value(vat_regime) as vat_regime,
        count(distinct invoice_record) as invoice_record_count,
        count(distinct aggregate_record) as aggregate_record_count,
        sum(taxable_amount) as taxable_amount,
        sum(tax_amount) as tax_amount,
        sum(received_amount) as received_amount,
        max(received_at) as last_received_at
    from records
    group by declarant_siren, declarant_role, report_kind, period_start_date, period_end_date
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
        {{ local_instant(
            'cast(' ~ ereporting_platform_deadline('period_end_date', 'vat_regime', 'report_kind')
            ~ ' + 1 as timestamp) + interval 8 hour'
        ) }} as administration_deadline_at,
        last_received_at,
        coalesce(
            {{ local_date('last_received_at') }}
            > {{ ereporting_platform_deadline('period_end_date', 'vat_regime', 'report_kind') }},
            false
        ) as received_after_deadline
    from transmissions
)

select * from final
