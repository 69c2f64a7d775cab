-- One row per year of payment × public entity, and per year × public category (entity
-- null): the headline delay figures of the "Délais de paiement" page, so that an entity is
-- read beside its category's figures for the same year (medians from the histogram); the
-- indicators other countries publish from the same events (docs/dashboards.md, method
-- notes): Italy's amount-weighted timeliness indicator (ITP), Spain's average payment
-- period (PMP, with the invoices still pending at the year's end), the UK's payment bands;
-- and the entity's rank by mean delay among those of its category.
--
-- Incremental by year (`replace_tail`): the years from that of the first payment month that
-- changed are recounted, so a day's build does not reread every year of the history; the
-- closed months of the latest year come added up once a month.
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='year',
        on_schema_change='fail',
    )
}}

with

histogram as (
    -- the closed months of the latest year come added up (int_payment_delays_histogram_closed)
    {{ payment_delays_year_rows() }}
),

entity as {{ materialized_cte() }} (
    select
        year,
        recipient_structure_id,
        public_category,
        observed_delay_days,
        {{ histogram_counts_summed() }}
    from histogram
    group by all
),

grouped as (
    -- the category grain added up from the entities' rows (7.5 M for a national year), not
    -- from the histogram's months again (27.5 M) as grouping sets did: 8.3 → 7.9 s
    select * from entity
    union all
    select
        year,
        null as recipient_structure_id,
        public_category,
        observed_delay_days,
        {{ histogram_counts_summed() }}
    from entity
    group by year, public_category, observed_delay_days
),

cumulated as (
    select
        *,
        sum(paid_invoice_count) over (
            partition by year, recipient_structure_id, public_category
            order by observed_delay_days
            -- a rows frame, not the default range: the same percentiles (the smallest delay
            -- whose running count reaches the share; rows of one delay end on its total),
            -- without comparing peers (0.6 s of the 7.7 s of a national year)
            rows between unbounded preceding and current row
        ) as cumulative_count,
        sum(paid_invoice_count) over (
            partition by year, recipient_structure_id, public_category
        ) as group_count
    from grouped
),

summary as (
    select
        year,
        case when recipient_structure_id is null then 'category' else 'entity' end as grain,
        recipient_structure_id,
        public_category,
        {{ delay_histogram_summary() }},
        cast({{ histogram_percentile('observed_delay_days', 9, 10) }} as integer)
            as p90_delay_days,
        -- Italy (DPCM 22/09/2014 art. 9): days from the due date to payment, weighted by
        -- the amount paid; negative when paid early on average
        cast(round(sum(amount_days_after_due) / nullif(sum(due_dated_amount_eur), 0), 1)
            as decimal(9, 1)) as timeliness_index_days,
        -- the UK's bands (Payment Practices Reporting): within 30 days is
        -- paid_within_30_days_pct; then 31 to 60 days, and over 60
        cast(round(
            coalesce(sum(paid_invoice_count) filter (where observed_delay_days between 31 and 60),
                0) * 100.0 / sum(paid_invoice_count), 1) as decimal(5, 1))
            as paid_31_to_60_days_pct,
        cast(round(
            coalesce(sum(paid_invoice_count) filter (where observed_delay_days > 60), 0) * 100.0
            / sum(paid_invoice_count), 1) as decimal(5, 1)) as paid_over_60_days_pct,
        -- Spain's PMP: the paid part (days from receipt to payment, weighted by amount)
        sum(paid_amount_eur) as paid_amount_eur,
        sum(paid_amount_eur * observed_delay_days) as amount_days_to_payment,
        max(last_event_date) as last_event_date
    from cumulated
    group by all
),

pending as (
    select * from {{ ref('int_payments_pending_at_year_end') }}
),

pending_by_grain as (
    select
        year,
        'entity' as grain,
        recipient_structure_id,
        public_category,
        pending_amount_eur,
        amount_days_pending
    from pending
    union all
    select
        year,
        'category',
        null,
        public_category,
        sum(pending_amount_eur),
        sum(amount_days_pending)
    from pending
    group by year, public_category
),

final as (
    select
        s.year,
        s.grain,
        s.recipient_structure_id,
        s.public_category,
        s.paid_invoice_count,
        s.mean_delay_days,
        s.median_delay_days,
        s.paid_within_30_days_pct,
        s.late_invoice_count,
        s.late_interest_eur,
        s.recovery_indemnity_eur,
        s.p90_delay_days,
        s.last_event_date,
        s.timeliness_index_days,
        -- Spain (RD 635/2014 as amended by RD 1040/2017): the amount-weighted days of the
        -- invoices paid in the year and of those pending at its end, together; the days
        -- count from receipt (Spain counts from the invoice's approval)
        cast(round(
            (s.amount_days_to_payment + coalesce(p.amount_days_pending, 0))
            / nullif(s.paid_amount_eur + coalesce(p.pending_amount_eur, 0), 0), 1)
            as decimal(9, 1)) as average_payment_period_days,
        cast(coalesce(p.pending_amount_eur, 0) as decimal(18, 2)) as pending_amount_eur,
        s.paid_31_to_60_days_pct,
        s.paid_over_60_days_pct,
        -- 1 pays fastest: the entity's mean delay among its category's entities that year
        case when s.grain = 'entity' then cast(rank() over (
            partition by s.year, s.grain, s.public_category order by s.mean_delay_days
        ) as integer) end as rank_in_category,
        case when s.grain = 'entity' then cast(count(*) over (
            partition by s.year, s.grain, s.public_category
        ) as integer) end as entities_in_category
    from summary as s
    left join pending_by_grain as p
        on
            s.year = p.year
            and s.grain = p.grain
            and s.public_category = p.public_category
            and s.recipient_structure_id is not distinct from p.recipient_structure_id
)

select * from final
