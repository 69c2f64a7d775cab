-- One row per day × status × whole days spent in it: the status events left that day (the
-- invoice moved on to its next status, a Europe/Paris day), with their exact days summed.
-- The monthly status-duration report adds these up.
--
-- A status is left when the next event arrives: each sequenced event says how long its
-- invoice stayed in the status before it. Incremental by day (`replace_tail`): the events
-- of the days loaded (read by the row groups' min/max of `occurred_date`: a build appends
-- them).
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='left_date',
        on_schema_change='append_new_columns',
    )
}}
{%- if is_incremental() -%}
    {%- set from_day -%} date '{{ landing_from_date('left_date') }}' {%- endset -%}
{%- endif %}

with

events as (
    select
        previous_status_code as status_code,
        days_in_previous_status as days_in_status,
        occurred_date as left_date
    from {{ ref('int_status_events_sequenced') }}
    where
        previous_status_code is not null
        {% if is_incremental() %}
        and occurred_date >= {{ from_day }}
        {% endif %}
),

final as (
    select
        left_date,
        status_code,
        cast(floor(days_in_status) as integer) as whole_days,
        count(*) as event_count,
        sum(days_in_status) as total_days
    from events
    group by all
)

select * from final
