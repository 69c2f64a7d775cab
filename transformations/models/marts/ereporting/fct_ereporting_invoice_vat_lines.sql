-- Flow 10.1 VAT breakdown (TG-15 TaxSubTotal): one row per VAT line of a reported invoice.
--
-- Incremental: the pre-hook deletes the lines of the reported invoices landed on the days
-- read (a recycling lands an invoice again, without its lines) and of the invoices no longer
-- reported; the model appends the lines of every reported invoice left without lines, read
-- from the landing folders of their deposit days on (a line lands on its invoice's deposit
-- day): a national day reads one day's folder, not the 70 M lines of the year.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ vat_lines_delete_changed() }}",
    )
}}
{%- set appending = is_incremental() %}

with

invoices as (
    select invoice_id, last_landed_date from {{ ref('fct_ereporting_invoices') }}
    {% if appending %}
    -- after the pre-hook: the new invoices, those landed again, those of a new declarant
    where invoice_id not in (select invoice_id from {{ this }})
    {% endif %}
),

lines as (
    select * from {{ ref('stg_platform__invoice_vat_lines') }}
    {% if appending %}
    where landed_date >= date '{{ vat_lines_first_day() }}'
    {% endif %}
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
        l.tax_amount,
        i.last_landed_date
    from lines as l
    inner join invoices as i on l.invoice_id = i.invoice_id
)

select * from final
