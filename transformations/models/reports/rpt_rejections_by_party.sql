-- The 20 suppliers and the 20 recipients with the most recipient rejections (REJETEE) per
-- year of deposit, with their deposits, recyclings and rejection rate.
with

invoices as (
    select invoice_id, supplier_structure_id, recipient_structure_id, deposited_date
    from {{ ref('fct_invoices') }}
    where scope = 'B2G'
),

returns as (
    select
        invoice_id,
        count(*) filter (where status_code = 'REJETEE') as rejection_count,
        count(*) filter (where status_code = 'A_RECYCLER') as recycling_count
    from {{ ref('stg_platform__invoice_status_events') }}
    where status_code in ('REJETEE', 'A_RECYCLER')
    group by invoice_id
),

joined as (
    select
        cast(year(i.deposited_date) as integer) as year,
        i.supplier_structure_id,
        i.recipient_structure_id,
        coalesce(r.rejection_count, 0) as rejection_count,
        coalesce(r.recycling_count, 0) as recycling_count
    from invoices as i
    left join returns as r on i.invoice_id = r.invoice_id
),

by_party as (
    select year, 'supplier' as party_role, supplier_structure_id as structure_id,
        count(*) as deposited_count, sum(rejection_count) as rejection_count,
        sum(recycling_count) as recycling_count
    from joined group by all
    union all
    select year, 'recipient' as party_role, recipient_structure_id as structure_id,
        count(*) as deposited_count, sum(rejection_count) as rejection_count,
        sum(recycling_count) as recycling_count
    from joined group by all
),

ranked as (
    select
        *,
        row_number() over (
            partition by year, party_role order by rejection_count desc, structure_id
        ) as rank
    from by_party
    where rejection_count > 0
    qualify rank <= 20
),

final as (
    select
        r.year,
        r.party_role,
        cast(r.rank as integer) as rank,
        r.structure_id,
        s.siret,
        s.structure_name,
        cast(r.deposited_count as bigint) as deposited_count,
        cast(r.rejection_count as bigint) as rejection_count,
        cast(r.recycling_count as bigint) as recycling_count,
        cast(round(r.rejection_count * 100.0 / r.deposited_count, 1) as decimal(5, 1))
            as rejection_rate_pct
    from ranked as r
    left join {{ ref('dim_structures') }} as s on r.structure_id = s.structure_id
)

select * from final
