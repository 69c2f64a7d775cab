-- One row per invoice its recipient rejected (REJETEE) or sent back for recycling
-- (A_RECYCLER): how many times, the day of its first rejection, and the deposit facts the
-- rejection reports and the hidden delays need (parties, amount, deposit day), so that they
-- read these few million rows instead of the 190 M events and the 55 M invoices. A deposit
-- is never modified (a correction is a new invoice or a credit note), so these stay true.
--
-- Incremental by invoice: the invoices whose lifecycle state changed on the days read (read
-- by the row groups' min/max of `last_event_date`) are counted again.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        on_schema_change='fail',
    )
}}

with

counted as (
    select
        invoice_id,
        rejection_count,
        recycling_count,
        first_rejected_date,
        last_event_date
    from {{ ref('int_invoice_lifecycle_states') }}
    where
        rejection_count + recycling_count > 0
        {% if is_incremental() %}
        and last_event_date >= date '{{ landing_from_date('last_event_date') }}'
        {% endif %}
),

final as (
    select
        c.*,
        i.supplier_structure_id,
        i.recipient_structure_id,
        i.scope,
        i.channel,
        i.is_credit_note,
        i.total_incl_vat,
        i.deposited_date,
        i.deposited_at
    from counted as c
    left join {{ ref('stg_platform__invoices') }} as i on c.invoice_id = i.invoice_id
)

select * from final
