-- Flow 10.3: B2C sales per declarant × day × currency × category × VAT rate (TG-32). The
-- record of the flow is the (day, currency, category); its totals are the sums of its rates.
--
-- Incremental: a day's build rebuilds the declarants' days of the summaries landed, and
-- every day of a declarant whose structure landed again (macros/ereporting_changes.sql);
-- the pre-hook deletes those rows, the model appends them.
-- depends_on: {{ ref('stg_platform__structures') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ ereporting_delete_changed(
            ref('stg_platform__b2c_sales'), 'declarant_structure_id', 'sale_date') }}",
    )
}}

with

sales as (
    select * from {{ ref('stg_platform__b2c_sales') }}
    {% if is_incremental() %}
    where {{ ereporting_changed(
        ref('stg_platform__b2c_sales'), 'declarant_structure_id', 'sale_date') }}
    {% endif %}
),

declarants as (
    select * from {{ ref('int_ereporting_declarants') }}
),

final as (
    select
        ---------- ids
        d.siren as declarant_siren,
        'SE' as declarant_role,
        s.declarant_structure_id,
        ---------- attributes
        d.declarant_name,
        d.vat_regime,
        s.currency_code,
        s.category_code,
        s.vat_rate,
        cast(sum(s.transaction_count) as bigint) as transaction_count,
        ---------- amounts
        cast(sum(s.taxable_amount) as decimal(18, 2)) as taxable_amount,
        cast(sum(s.tax_amount) as decimal(18, 2)) as tax_amount,
        ---------- dates
        s.sale_date,
        {{ ereporting_period_start('s.sale_date', 'd.vat_regime', "'transactions'") }}
            as period_start_date,
        {{ ereporting_period_end('s.sale_date', 'd.vat_regime', "'transactions'") }}
            as period_end_date,
        max(s.landed_date) as last_landed_date,
        -- when the declarant's last summary of the day reached the hub (after the period's
        -- deadline, the transmission cannot leave on time)
        max(s.received_at) as last_received_at
    from sales as s
    inner join declarants as d on s.declarant_structure_id = d.structure_id
    group by all
)

select * from final
