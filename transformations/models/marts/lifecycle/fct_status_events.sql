-- A view: the landed events are already a table (190 M rows for a national year), and
-- copying them again cost minutes per build for no gain. On Spark a table: a Spark view
-- lives in its metastore, which the publication (DuckDB, over the Parquet files) cannot read.
{{ config(materialized='table' if target.type == 'spark' else 'view') }}

with

events as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
),

final as (
    select
        ---------- ids
        event_id,
        invoice_id,
        ---------- attributes
        event_sequence,
        status_code,
        previous_status_code,
        actor_role,
        reason_code,
        deposit_round,
        is_out_of_order,
        ---------- amounts
        payment_amount,
        days_in_previous_status,
        ---------- dates
        payment_date,
        previous_status_at,
        occurred_at,
        occurred_date,
        recorded_date,
        built_at
    from events
)

select * from final
