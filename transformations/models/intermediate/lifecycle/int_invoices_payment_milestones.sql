-- One row per invoice: the lifecycle dates the payment-delay law needs
-- (payment-delays.md §2–§4), read from its status events.
with

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
),

structures as (
    select * from {{ ref('stg_platform__structures') }}
),

events as (
    select * from {{ ref('int_status_events_sequenced') }}
),

last_deposit as (
    -- a recycled invoice is deposited again: its clock starts at the new notification
    select invoice_id, max(occurred_at) as last_deposited_at
    from events
    where status_code = 'DEPOSEE'
    group by invoice_id
),

receipt as (
    select
        e.invoice_id,
        min(e.occurred_at) as receipt_at
    from events as e
    inner join last_deposit as d on e.invoice_id = d.invoice_id
    where e.status_code = 'MISE_A_DISPOSITION' and e.occurred_at >= d.last_deposited_at
    group by e.invoice_id
),

milestones as (
    select
        e.invoice_id,
        min(e.occurred_at) filter (where e.status_code = 'SUSPENDUE') as suspended_at,
        count(*) filter (where e.status_code = 'SUSPENDUE') as suspension_count,
        min(e.occurred_at) filter (where e.status_code = 'MANDATEE') as mandated_at,
        min(e.occurred_at) filter (where e.status_code = 'MISE_A_DISPOSITION_COMPTABLE')
            as accountant_received_at,
        min(e.payment_date) filter (where e.status_code = 'MISE_EN_PAIEMENT') as payment_date,
        min(e.occurred_at) filter (where e.status_code = 'REJETEE') as rejected_at
    from events as e
    inner join receipt as r on e.invoice_id = r.invoice_id
    where e.occurred_at >= r.receipt_at
    group by e.invoice_id
),

completion as (
    select
        e.invoice_id,
        min(e.occurred_at) as completed_at
    from events as e
    inner join milestones as m on e.invoice_id = m.invoice_id
    where e.status_code = 'COMPLETEE' and e.occurred_at > m.suspended_at
    group by e.invoice_id
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
        r.receipt_at,
        cast(timezone('Europe/Paris', r.receipt_at) as date) as receipt_date,
        cast(timezone('Europe/Paris', m.suspended_at) as date) as interruption_date,
        cast(timezone('Europe/Paris', c.completed_at) as date) as completion_date,
        coalesce(m.suspension_count, 0) as suspension_count,
        m.suspended_at is not null and m.mandated_at is not null and m.mandated_at < m.suspended_at
            as is_interrupted_after_mandate,
        cast(timezone('Europe/Paris', m.accountant_received_at) as date) as accountant_received_date,
        m.payment_date,
        m.rejected_at is not null as is_rejected
    from invoices as i
    inner join receipt as r on i.invoice_id = r.invoice_id
    left join milestones as m on i.invoice_id = m.invoice_id
    left join completion as c on i.invoice_id = c.invoice_id
    left join structures as s on i.recipient_structure_id = s.structure_id
)

select * from final
