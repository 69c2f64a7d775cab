-- One row per invoice made available: the lifecycle dates the payment-delay law needs
-- (payment-delays.md §2–§4), those of its current deposit round (a recycled invoice
-- restarts its clock at its new notification), read from its lifecycle state.
--
-- Ephemeral: fct_payment_delays selects from it the invoices whose state changed on the
-- days read (by `last_event_date`, pushed down to the lifecycle states' row groups). As a
-- table of its own it cost a second delete+insert by invoice over 55 M rows a day (2.5 s
-- of the national one-day build) for a single reader.
{{ config(materialized='ephemeral') }}

with

states as (
    select * from {{ ref('int_invoice_lifecycle_states') }}
    where receipt_at is not null
),

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
),

structures as (
    select * from {{ ref('stg_platform__structures') }}
),

final as (
    select
        i.invoice_id,
        i.invoice_number,
        i.supplier_structure_id,
        i.recipient_structure_id,
        s.public_category,
        s.reports_payment_status,
        i.billing_framework,
        i.channel,
        i.is_credit_note,
        i.total_incl_vat as amount_incl_vat,
        m.receipt_at,
        {{ local_date('m.receipt_at') }} as receipt_date,
        {{ local_date('m.suspended_at') }} as interruption_date,
        {{ local_date('m.completed_at') }} as completion_date,
        m.suspension_count,
        m.suspended_at is not null and m.mandated_at is not null and m.mandated_at < m.suspended_at
            as is_interrupted_after_mandate,
        {{ local_date('m.accountant_received_at') }} as accountant_received_date,
        m.payment_date,
        m.rejected_at is not null as is_rejected,
        m.last_event_date
    from states as m
    inner join invoices as i on m.invoice_id = i.invoice_id
    left join structures as s on i.recipient_structure_id = s.structure_id
)

select * from final
