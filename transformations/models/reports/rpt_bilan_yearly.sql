-- One row per calendar year: the headline figures of the hub's activity report.
with

monthly as (
    -- the hub's activity: invoices to public recipients (international B2B invoices
    -- recorded for e-reporting are not part of it), added up from the monthly report's
    -- counts (kept by month) instead of the 55 M invoices read again each day
    select * from {{ ref('rpt_bilan_monthly') }}
),

structures as (
    select * from {{ ref('dim_structures') }}
),

users as (
    select * from {{ ref('stg_platform__users') }}
),

solicitations as (
    select * from {{ ref('stg_platform__solicitations') }}
),

refusals as (
    select * from {{ ref('stg_platform__deposit_refusals') }}
),

invoice_years as (
    select
        year,
        sum(invoice_count) filter (where breakdown = 'total') as invoice_count,
        -- a works invoice is an A19 one (credit notes included, as fct_invoices counts it)
        coalesce(sum(invoice_count) filter (
            where breakdown = 'billing_framework' and breakdown_value = 'A19'
        ), 0) as works_invoice_count,
        coalesce(sum(invoice_count) filter (
            where breakdown = 'document_type' and breakdown_value = 'credit_note'
        ), 0) as credit_note_count
    from monthly
    group by 1
),

structure_years as (
    select
        year(created_date) as year,
        count(*) filter (where is_public) as new_public_structure_count,
        count(*) filter (where not is_public) as new_private_structure_count
    from structures
    group by 1
),

user_years as (
    select year(created_date) as year, count(*) as new_user_count
    from users
    group by 1
),

solicitation_years as (
    select
        year(created_date) as year,
        count(*) filter (where solicitation_channel = 'assistant') as assistant_request_count,
        count(*) filter (where solicitation_channel = 'human') as human_request_count
    from solicitations
    group by 1
),

refusal_years as (
    select year(refused_date) as year, count(*) as platform_refusal_count
    from refusals
    group by 1
),

years as (
    select year from invoice_years
    union
    select year from solicitation_years
),

final as (
    select
        cast(y.year as integer) as year,
        cast(coalesce(i.invoice_count, 0) as bigint) as invoice_count,
        cast(
            case
                when prev.invoice_count > 0
                    then round((i.invoice_count - prev.invoice_count) * 100.0
                        / prev.invoice_count, 1)
            end as decimal(9, 1)
        ) as invoice_change_vs_previous_year_pct,
        cast(coalesce(i.works_invoice_count, 0) as bigint) as works_invoice_count,
        cast(coalesce(i.credit_note_count, 0) as bigint) as credit_note_count,
        cast(coalesce(r.platform_refusal_count, 0) as bigint) as platform_refusal_count,
        cast(coalesce(s.new_public_structure_count, 0) as bigint) as new_public_structure_count,
        cast(coalesce(s.new_private_structure_count, 0) as bigint) as new_private_structure_count,
        cast(coalesce(u.new_user_count, 0) as bigint) as new_user_count,
        cast(coalesce(q.assistant_request_count, 0) as bigint) as assistant_request_count,
        cast(coalesce(q.human_request_count, 0) as bigint) as human_request_count,
        cast(
            case
                when q.assistant_request_count + q.human_request_count > 0
                    then round(q.assistant_request_count * 100.0
                        / (q.assistant_request_count + q.human_request_count), 1)
            end as decimal(5, 1)
        ) as assistant_share_pct
    from years as y
    left join invoice_years as i on y.year = i.year
    left join invoice_years as prev on y.year - 1 = prev.year
    left join structure_years as s on y.year = s.year
    left join user_years as u on y.year = u.year
    left join solicitation_years as q on y.year = q.year
    left join refusal_years as r on y.year = r.year
)

select * from final
