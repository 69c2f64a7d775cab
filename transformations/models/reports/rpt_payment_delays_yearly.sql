-- One row per year of payment × public entity, and per year × public category (entity
-- null): the headline delay figures of the "Délais de paiement" page, so that an entity is
-- read beside its category's figures for the same year (medians from the histogram).
--
-- Incremental by year (`replace_tail`): the years from that of the first payment month that
-- changed are recounted, so a day's build does not reread every year of the history; the
-- closed months of the latest year come added up once a month.
-- (a column added by an upgrade is added to the table: no full refresh needed)
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='year',
        on_schema_change='append_new_columns',
    )
}}

with

histogram as (
    -- the closed months of the latest year come added up (int_payment_delays_histogram_closed)
    {{ payment_delays_year_rows() }}
),

entity as materialized (
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

final as (
    select
        year,
        case when recipient_structure_id is null then 'category' else 'entity' end as grain,
        recipient_structure_id,
        public_category,
        {{ delay_histogram_summary() }},
        cast({{ histogram_percentile('observed_delay_days', 9, 10) }} as integer)
            as p90_delay_days,
        max(last_event_date) as last_event_date
    from cumulated
    group by all
)

select * from final
