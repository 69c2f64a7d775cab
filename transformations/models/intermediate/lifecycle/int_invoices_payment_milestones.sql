-- One row per invoice made available: the lifecycle dates the payment-delay law needs
-- (payment-delays.md §2–§4), read in one pass over the events of its current deposit round
-- (a recycled invoice restarts its clock at its new notification).
--
-- Incremental by invoice, like int_status_events_sequenced: the invoices that received
-- events on the days read are recomputed.
-- depends_on: {{ ref('stg_platform__invoice_status_events') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
    )
}}

with

events as (
    select * from {{ ref('int_status_events_sequenced') }}
    where
        is_current_round
        {% if is_incremental() %}
        -- the invoices sequenced again (read by min/max, not by a join over every event)
        and invoice_last_event_date >= date '{{ landing_from_date('last_event_date') }}'
        {% if var('landing_to', none) %}
        -- a backfill of past days: only the invoices with events on those days
        and invoice_id in (
            select invoice_id
            from {{ ref('stg_platform__invoice_status_events') }}
            where {{ landing_window('last_event_date', 'occurred_date') }}
        )
        {% endif %}
        {% endif %}
),

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
),

structures as (
    select * from {{ ref('stg_platform__structures') }}
),

milestones as (
    -- in a legal sequence SUSPENDUE, COMPLETEE, MANDATEE… only follow the notification, and
    -- the first COMPLETEE closes the first interruption
    select
        invoice_id,
        min(occurred_at) filter (where status_code = 'MISE_A_DISPOSITION') as receipt_at,
        min(occurred_at) filter (where status_code = 'SUSPENDUE') as suspended_at,
        count(*) filter (where status_code = 'SUSPENDUE') as suspension_count,
        min(occurred_at) filter (where status_code = 'COMPLETEE') as completed_at,
        min(occurred_at) filter (where status_code = 'MANDATEE') as mandated_at,
        min(occurred_at) filter (where status_code = 'MISE_A_DISPOSITION_COMPTABLE')
            as accountant_received_at,
        min(payment_date) filter (where status_code = 'MISE_EN_PAIEMENT') as payment_date,
        min(occurred_at) filter (where status_code = 'REJETEE') as rejected_at,
        max(occurred_date) as last_event_date
    from events
    group by invoice_id
    having receipt_at is not null
),

final as (
    select
        i.invoice_id,
        i.supplier_structure_id,
        i.recipient_structure_id,
        s.public_category,
        s.reports_payment_status,
        i.billing_framework,
        i.channel,
        i.is_credit_note,
        i.total_incl_vat as amount_incl_vat,
        m.receipt_at,
        cast(timezone('Europe/Paris', m.receipt_at) as date) as receipt_date,
        cast(timezone('Europe/Paris', m.suspended_at) as date) as interruption_date,
        cast(timezone('Europe/Paris', m.completed_at) as date) as completion_date,
        m.suspension_count,
        m.suspended_at is not null and m.mandated_at is not null and m.mandated_at < m.suspended_at
            as is_interrupted_after_mandate,
        cast(timezone('Europe/Paris', m.accountant_received_at) as date) as accountant_received_date,
        m.payment_date,
        m.rejected_at is not null as is_rejected,
        m.last_event_date
    from milestones as m
    inner join invoices as i on m.invoice_id = i.invoice_id
    left join structures as s on i.recipient_structure_id = s.structure_id
)

select * from final
