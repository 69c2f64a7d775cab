-- One row per month × breakdown (channel, syntax, billing framework, recipient category,
-- supplier size, document type) × value: invoices deposited, and the same month a year
-- before, for the activity report's year-over-year view.
--
-- Incremental by month (`replace_tail`): the months from the first deposit month of the
-- invoices landed on the days read are counted again (the year before them, for the
-- comparison, is read from this table); an invoice keeps the deposit day the platform
-- stamped, so no earlier month can have changed. A day's build reads one month of invoices
-- instead of all of them.
-- (a table from before `last_landed_date` is counted again whole)
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='month_start_date',
        on_schema_change='fail',
    )
}}

{% if is_incremental() %}
{%- set first_month = first_changed_month(
    ref('fct_invoices'), 'deposited_date', "scope = 'B2G'", 'landed_date', 'last_landed_date'
) %}
{%- endif %}

with

invoices as (
    -- the hub's activity: invoices to public recipients (international B2B invoices
    -- recorded for e-reporting are not part of it)
    select * from {{ ref('fct_invoices') }}
    where scope = 'B2G'
    {% if is_incremental() %}
    and deposited_date >= {{ first_month }}
    {% endif %}
),

keyed as (
    select
        cast(date_trunc('month', deposited_date) as date) as month_start_date,
        channel,
        syntax,
        billing_framework,
        coalesce(recipient_category, 'unknown') as recipient_category,
        coalesce(supplier_size, 'unknown') as supplier_size,
        case
            when is_credit_note then 'credit_note'
            when is_works_invoice then 'works_invoice'
            else 'invoice'
        end as document_type,
        landed_date
    from invoices
),

counted as (
    select
        month_start_date,
        channel,
        syntax,
        billing_framework,
        recipient_category,
        supplier_size,
        document_type,
        count(*) as invoice_count,
        max(landed_date) as last_landed_date
    from keyed
    group by all
),

unpivoted as (
    select month_start_date, 'total' as breakdown, 'all' as breakdown_value,
        sum(invoice_count) as invoice_count, max(last_landed_date) as last_landed_date
    from counted group by 1
    {%- for breakdown in ['channel', 'syntax', 'billing_framework', 'recipient_category',
                          'supplier_size', 'document_type'] %}
    union all
    select month_start_date, '{{ breakdown }}', {{ breakdown }}, sum(invoice_count),
        max(last_landed_date)
    from counted group by 1, 3
    {%- endfor %}
),

year_before as (
    -- the counts the months counted here compare with: counted here too, or kept (a month
    -- before the first one counted again has not changed)
    select month_start_date, breakdown, breakdown_value, invoice_count from unpivoted
    {% if is_incremental() %}
    union all
    select month_start_date, breakdown, breakdown_value, invoice_count from {{ this }}
    where
        month_start_date >= {{ first_month }} - interval 1 year
        and month_start_date < {{ first_month }}
    {% endif %}
),

final as (
    select
        this.month_start_date,
        cast(year(this.month_start_date) as integer) as year,
        cast(month(this.month_start_date) as integer) as month,
        this.breakdown,
        this.breakdown_value,
        cast(this.invoice_count as bigint) as invoice_count,
        cast(before.invoice_count as bigint) as invoice_count_previous_year,
        cast(
            case
                when before.invoice_count > 0
                    then round((this.invoice_count - before.invoice_count) * 100.0
                        / before.invoice_count, 1)
            end as decimal(9, 1)
        ) as change_vs_previous_year_pct,
        this.last_landed_date
    from unpivoted as this
    left join year_before as before
        on before.month_start_date = this.month_start_date - interval 1 year
        and before.breakdown = this.breakdown
        and before.breakdown_value = this.breakdown_value
    {% if is_incremental() %}
    where this.month_start_date >= {{ first_month }}
    {% endif %}
)

select * from final
