-- One row per month × breakdown × value: documents deposited, refused by the platform at
-- deposit, rejected by their recipient (REJETEE) and returned for recycling — the two kinds
-- of rejection counted apart (chorus-pro.md §4.5), with their rates.
--
-- Incremental by month (`replace_tail`) on a run that names its landing days (Dagster's
-- partitions, backfills): the months from the first of those days — or from the deposit
-- month of an invoice landed again on them, or the month of a return reported late, if
-- earlier — are counted again. Deposits, refusals and status events are counted in the
-- month they happened. A run without days counts every month.
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='month_start_date',
        on_schema_change='fail',
    )
}}
{%- set partial = is_incremental() and var('landing_from', none) %}

with

invoices as {{ not_materialized() }} (
    -- the hub's activity: invoices to public recipients (international B2B invoices
    -- recorded for e-reporting are not part of it). Read where used, each time with its
    -- own day filter (materialized, the 55 M invoices were copied first)
    select * from {{ ref('fct_invoices') }}
    where scope = 'B2G'
),

returned_invoices as (
    -- the channel of the invoices returned: from the returns, not the 55 M invoices
    select invoice_id, channel from {{ ref('int_invoice_returns') }}
    where scope = 'B2G'
),

first_month as (
    {%- if partial %}
    select cast(least(
        date_trunc('month', date '{{ var('landing_from') }}'),
        (
            select min(date_trunc('month', deposited_date))
            from invoices
            where {{ days_between('landed_date', var('landing_from'), var('landing_to', none)) }}
        ),
        (
            -- a return reported late lands days after it happened
            select min(date_trunc('month', occurred_date))
            from {{ ref('stg_platform__invoice_status_events') }}
            where
                status_code in ('REJETEE', 'A_RECYCLER')
                and {{ days_between('recorded_date', var('landing_from'), var('landing_to', none)) }}
        )
    ) as date) as month_start_date
    {%- else %}
    select date '1900-01-01' as month_start_date
    {%- endif %}
),

refusals as (
    select * from {{ ref('stg_platform__deposit_refusals') }}
    where refused_date >= (select month_start_date from first_month)
),

events as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
    where
        status_code in ('REJETEE', 'A_RECYCLER')
        and occurred_date >= (select month_start_date from first_month)
),

deposits as (
    select cast(date_trunc('month', deposited_date) as date) as month_start_date, channel,
        count(*) as deposited_count
    from invoices
    where deposited_date >= (select month_start_date from first_month)
    group by all
),

refused as (
    select cast(date_trunc('month', refused_date) as date) as month_start_date, channel,
        rule_code, count(*) as refused_count
    from refusals group by all
),

returned as (
    select
        cast(date_trunc('month', e.occurred_date) as date) as month_start_date,
        i.channel,
        e.status_code,
        coalesce(e.reason_code, 'NON_RENSEIGNE') as reason_code,
        count(*) as event_count
    from events as e
    inner join returned_invoices as i on e.invoice_id = i.invoice_id
    group by all
),

by_channel as (
    select
        coalesce(d.month_start_date, f.month_start_date, r.month_start_date) as month_start_date,
        'channel' as breakdown,
        coalesce(d.channel, f.channel, r.channel) as breakdown_value,
        coalesce(d.deposited_count, 0) as deposited_count,
        coalesce(f.refused_count, 0) as platform_refusal_count,
        coalesce(r.rejected_count, 0) as recipient_rejection_count,
        coalesce(r.recycled_count, 0) as recycling_count
    from deposits as d
    full join (
        select month_start_date, channel, sum(refused_count) as refused_count
        from refused group by all
    ) as f on d.month_start_date = f.month_start_date and d.channel = f.channel
    full join (
        select
            month_start_date,
            channel,
            sum(event_count) filter (where status_code = 'REJETEE') as rejected_count,
            sum(event_count) filter (where status_code = 'A_RECYCLER') as recycled_count
        from returned group by all
    ) as r
        on coalesce(d.month_start_date, f.month_start_date) = r.month_start_date
        and coalesce(d.channel, f.channel) = r.channel
),

totals as (
    select
        month_start_date, 'total' as breakdown, 'all' as breakdown_value,
        sum(deposited_count) as deposited_count,
        sum(platform_refusal_count) as platform_refusal_count,
        sum(recipient_rejection_count) as recipient_rejection_count,
        sum(recycling_count) as recycling_count
    from by_channel group by all
),

by_rule as (
    select month_start_date, 'platform_rule' as breakdown, rule_code as breakdown_value,
        0 as deposited_count, sum(refused_count) as platform_refusal_count,
        0 as recipient_rejection_count, 0 as recycling_count
    from refused group by all
),

by_reason as (
    select month_start_date, 'rejection_reason' as breakdown, reason_code as breakdown_value,
        0 as deposited_count, 0 as platform_refusal_count,
        sum(event_count) filter (where status_code = 'REJETEE') as recipient_rejection_count,
        sum(event_count) filter (where status_code = 'A_RECYCLER') as recycling_count
    from returned group by all
),

unioned as (
    select * from totals
    union all select * from by_channel
    union all select * from by_rule
    union all select * from by_reason
),

final as (
    select
        month_start_date,
        breakdown,
        breakdown_value,
        cast(deposited_count as bigint) as deposited_count,
        cast(platform_refusal_count as bigint) as platform_refusal_count,
        cast(coalesce(recipient_rejection_count, 0) as bigint) as recipient_rejection_count,
        cast(coalesce(recycling_count, 0) as bigint) as recycling_count,
        cast(case when deposited_count + platform_refusal_count > 0
            then round(platform_refusal_count * 100.0 / (deposited_count + platform_refusal_count), 2)
        end as decimal(7, 2)) as platform_refusal_rate_pct,
        cast(case when deposited_count > 0
            then round(coalesce(recipient_rejection_count, 0) * 100.0 / deposited_count, 2)
        end as decimal(7, 2)) as recipient_rejection_rate_pct
    from unioned
)

select * from final
