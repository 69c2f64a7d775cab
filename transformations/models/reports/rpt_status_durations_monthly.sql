-- One row per month × status: invoices that entered the status that month, and how long
-- they stayed in it (mean, and median from a histogram of whole days) before the next one.
with

events as (
    select * from {{ ref('fct_status_events') }}
    where days_in_status is not null
),

histogram as (
    select
        cast(date_trunc('month', occurred_date) as date) as month_start_date,
        status_code,
        cast(floor(days_in_status) as integer) as whole_days,
        count(*) as event_count,
        sum(days_in_status) as total_days
    from events
    group by all
),

cumulated as (
    select
        *,
        sum(event_count) over (
            partition by month_start_date, status_code order by whole_days
        ) as cumulative_count,
        sum(event_count) over (partition by month_start_date, status_code) as group_count
    from histogram
),

final as (
    select
        month_start_date,
        status_code,
        cast(sum(event_count) as bigint) as left_status_count,
        cast(round(sum(total_days) / sum(event_count), 2) as decimal(9, 2)) as mean_days_in_status,
        cast(min(whole_days) filter (where cumulative_count * 2 >= group_count) as integer)
            as median_days_in_status
    from cumulated
    group by all
)

select * from final
