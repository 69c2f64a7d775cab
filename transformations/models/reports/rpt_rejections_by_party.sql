-- The 20 suppliers and the 20 recipients with the most recipient rejections (REJETEE) per
-- year of deposit, with their deposits, recyclings and rejection rate.
with

invoices as {{ not_materialized() }} (
    -- read where used: materialized, the 55 M invoices were copied first (3.4 s)
    select
        cast(year(deposited_date) as integer) as year,
        supplier_structure_id as supplier,
        recipient_structure_id as recipient
    from {{ ref('fct_invoices') }}
    where scope = 'B2G'
),

by_party as (
    -- only the invoices with a rejection or a recycling can rank a party; each counts for
    -- its supplier and for its recipient
    select
        year,
        party_role,
        structure_id,
        sum(rejection_count) as rejection_count,
        sum(recycling_count) as recycling_count
    from (
        -- the returns carry their invoice's parties and deposit day
        {%- for role in ['supplier', 'recipient'] %}
        select
            cast(year(deposited_date) as integer) as year,
            '{{ role }}' as party_role,
            {{ role }}_structure_id as structure_id,
            rejection_count,
            recycling_count
        from {{ ref('int_invoice_returns') }}
        where scope = 'B2G'
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    )
    group by all
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

deposited as (
    -- the invoices each ranked party deposited (or received) that year
    select year, party_role, structure_id, count(*) as deposited_count
    from (
        {%- for role in ['supplier', 'recipient'] %}
        select year, '{{ role }}' as party_role, {{ role }} as structure_id
        from invoices
        where {{ role }} in (select structure_id from ranked where party_role = '{{ role }}')
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ) as i
    semi join ranked as r using (year, party_role, structure_id)
    group by all
),

final as (
    select
        r.year,
        r.party_role,
        cast(r.rank as integer) as rank,
        r.structure_id,
        s.siret,
        s.structure_name,
        cast(d.deposited_count as bigint) as deposited_count,
        cast(r.rejection_count as bigint) as rejection_count,
        cast(r.recycling_count as bigint) as recycling_count,
        cast(round(r.rejection_count * 100.0 / d.deposited_count, 1) as decimal(5, 1))
            as rejection_rate_pct
    from ranked as r
    inner join deposited as d using (year, party_role, structure_id)
    left join {{ ref('dim_structures') }} as s on r.structure_id = s.structure_id
)

select * from final
