-- One row per day × status × whole days spent in it: the status events left that day (the
-- invoice moved on to its next status, a Europe/Paris day), with their exact days summed.
-- The monthly status-duration report adds these up.
--
-- Incremental by day (`replace_tail`): an event left on a day loaded belongs to an invoice
-- sequenced again, whose rows are read by the row groups' min/max of
-- `invoice_last_event_date` (the rows a build appended), not among all 190 M events.
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
        status_code,
        cast(days_in_status as decimal(9, 2)) as days_in_status,
        cast(timezone('Europe/Paris', next_occurred_at) as date) as left_date
    from {{ ref('int_status_events_sequenced') }}
    where
        next_occurred_at is not null
        {% if is_incremental() %}
        and invoice_last_event_date >= {{ from_day }}
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
    {% if is_incremental() %}
    where left_date >= {{ from_day }}
    {% endif %}
    group by all
)

select * from final
