-- One row per invoice its recipient rejected (REJETEE) or sent back for recycling
-- (A_RECYCLER): how many times, and the day of its first rejection. The rejection reports
-- and the hidden delays read these few million rows instead of the 190 M events.
--
-- Incremental by invoice, like int_status_events_sequenced: the invoices sequenced again
-- (read by the row groups' min/max of `invoice_last_event_date`) are counted again.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        on_schema_change='append_new_columns',
    )
}}

with

returns as (
    select * from {{ ref('int_status_events_sequenced') }}
    where
        status_code in ('REJETEE', 'A_RECYCLER')
        {% if is_incremental() %}
        and invoice_last_event_date >= date '{{ landing_from_date('last_event_date') }}'
        {% endif %}
),

final as (
    select
        invoice_id,
        count(*) filter (where status_code = 'REJETEE') as rejection_count,
        count(*) filter (where status_code = 'A_RECYCLER') as recycling_count,
        min(occurred_date) filter (where status_code = 'REJETEE') as first_rejected_date,
        max(invoice_last_event_date) as last_event_date
    from returns
    group by invoice_id
)

select * from final
