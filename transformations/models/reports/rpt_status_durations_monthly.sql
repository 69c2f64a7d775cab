-- One row per month × status: the status events left that month (the invoice moved on to
-- its next status) and how long they had stayed in it (mean, and median from a histogram of
-- whole days).
--
-- By the month the status was left, so that a month's figures are final once it is over.
-- Added up from the daily histogram (`int_status_durations_daily`, incremental by day): a
-- few hundred thousand rows, not the 190 M events.
with

histogram as (
    select
        cast(date_trunc('month', left_date) as date) as month_start_date,
        status_code,
        whole_days,
        sum(event_count) as event_count,
        sum(total_days) as total_days,
        max(left_date) as last_left_date
    from {{ ref('int_status_durations_daily') }}
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
            as median_days_in_status,
        max(last_left_date) as last_left_date
    from cumulated
    group by all
)

select * from final
