-- One row per invoice paid after its due date: what the public entity owes its supplier
-- (late-payment interest and the €40 recovery indemnity) — the list a finance director
-- chases, read entity by entity. Incremental like fct_payment_delays: only the invoices whose
-- lifecycle moved on the landing days read are recomputed (an invoice becomes late once, at
-- its payment).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        on_schema_change='fail',
    )
}}

with

delays as (
    select * from {{ ref('fct_payment_delays') }}
    where is_late
    {% if is_incremental() %}
        and {{ landing_window('last_event_date', 'last_event_date') }}
    {% endif %}
),

suppliers as (
    select structure_id, siret, structure_name from {{ ref('dim_structures') }}
),

final as (
    select
        d.recipient_structure_id,
        d.invoice_id,
        d.invoice_number,
        d.supplier_structure_id,
        s.siret as supplier_siret,
        s.structure_name as supplier_name,
        d.public_category,
        d.amount_incl_vat,
        d.receipt_date,
        d.due_date,
        d.payment_date,
        d.days_late,
        d.interest_rate_pct,
        d.late_interest_eur,
        d.recovery_indemnity_eur,
        cast(d.late_interest_eur + d.recovery_indemnity_eur as decimal(18, 2))
            as amount_owed_eur,
        d.last_event_date,
        {{ built_at() }} as built_at
    from delays as d
    left join suppliers as s on d.supplier_structure_id = s.structure_id
)

select * from final
