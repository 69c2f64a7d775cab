-- One row per payable invoice made available to a public recipient: the legal clock, the
-- due date, lateness, late-payment interest and the €40 indemnity (payment-delays.md §7).
-- It carries the invoice number, so that the late and overdue reports do not look it up in
-- the 55 M invoices (2.2 s a national day).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='invoice_id',
        on_schema_change='fail',
        post_hook="{{ leave_out_quarantined('invoice_id') }}",
    )
}}
-- an invoice with a record set apart (a payment before its receipt, a status path the
-- lifecycle forbids…) is left out of every delay figure: fct_quarantined_records
-- depends_on: {{ ref('fct_quarantined_records') }}

with

milestones as (
    select * from {{ ref('int_invoices_payment_milestones') }}
    {% if is_incremental() %}
    -- the invoices whose lifecycle moved on the days read
    where {{ landing_window('last_event_date', 'last_event_date') }}
    {% endif %}
),

legal_delays as (
    select * from {{ ref('ref_legal_delays') }}
),

ecb_rates as (
    select * from {{ ref('ref_ecb_rates') }}
),

payable as (
    -- credit notes are not paid to the supplier; A2 was paid before invoicing; A4 / A15 are
    -- works drafts (the A19 is the payable document)
    select *
    from milestones
    where
        not is_credit_note
        and billing_framework not in ('A2', 'A4', 'A15')
        and public_category is not null
),

clock as (
    select
        p.*,
        l.legal_delay_days,
        l.accountant_days as accountant_share_days,
        -- one interruption, before the mandate (R.2192-27); a second one has no effect
        p.interruption_date is not null and not p.is_interrupted_after_mandate
            as is_interrupted,
        {{ dbt.datediff('p.receipt_date', 'p.interruption_date', 'day') }} as elapsed_before_interruption_days
    from payable as p
    inner join legal_delays as l on p.public_category = l.public_category
),

due as (
    select
        *,
        case
            when is_interrupted then greatest(30, legal_delay_days - elapsed_before_interruption_days)
        end as delay_after_interruption_days,
        case
            when is_interrupted and completion_date is null then null  -- clock stopped
            when is_interrupted
                then completion_date
                + cast(greatest(30, legal_delay_days - elapsed_before_interruption_days) as integer)
            else receipt_date + cast(legal_delay_days as integer)
        end as due_date
    from clock
),

lateness as (
    select
        *,
        case
            when payment_date is not null and due_date is not null
                then greatest(0, {{ dbt.datediff('due_date', 'payment_date', 'day') }})
        end as days_late,
        case when due_date is not null then due_date + 1 end as interest_start_date
    from due
),

half_years as (
    select
        *,
        case
            when interest_start_date is not null
                then {{ half_year_start('interest_start_date') }}
        end as interest_half_year_start_date
    from lateness
),

rated as (
    select
        h.*,
        r.mro_rate_pct + 8 as interest_rate_pct
    from half_years as h
    {{ join_rate_in_force('ecb_rates', 'r', 'h.interest_half_year_start_date') }}
),

final as (
    select
        ---------- ids
        invoice_id,
        invoice_number,
        supplier_structure_id,
        recipient_structure_id,
        ---------- attributes
        public_category,
        billing_framework,
        channel,
        case
            when is_rejected then 'rejected'
            when payment_date is not null then 'paid'
            when not reports_payment_status then 'unknown'
            else 'unpaid'
        end as payment_status,
        is_interrupted,
        suspension_count > 1 as has_ineffective_second_interruption,
        is_interrupted_after_mandate as has_interruption_after_mandate,
        ---------- amounts
        amount_incl_vat,
        cast(legal_delay_days as integer) as legal_delay_days,
        cast(delay_after_interruption_days as integer) as delay_after_interruption_days,
        cast(days_late as integer) as days_late,
        coalesce(days_late, 0) > 0 as is_late,
        cast(case when days_late > 0 then interest_rate_pct end as decimal(5, 2))
            as interest_rate_pct,
        -- amount × rate × days / 365, in integer cents (exact), rounded half up to the cent
        {{ late_interest_eur('amount_incl_vat', 'interest_rate_pct', 'days_late') }}
            as late_interest_eur,
        cast(case when days_late > 0 then 40 else 0 end as decimal(18, 2))
            as recovery_indemnity_eur,
        -- the Observatoire's measure: receipt to payment, raw (no interruption rule)
        cast({{ dbt.datediff('receipt_date', 'payment_date', 'day') }} as integer) as observed_delay_days,
        cast({{ dbt.datediff('receipt_date', 'accountant_received_date', 'day') }} as integer)
            as ordonnateur_days,
        cast({{ dbt.datediff('accountant_received_date', 'payment_date', 'day') }} as integer)
            as accountant_days,
        case
            when days_late > 0 and accountant_received_date is not null
                and accountant_share_days is not null
                then case
                    when {{ dbt.datediff('receipt_date', 'accountant_received_date', 'day') }}
                        > legal_delay_days - accountant_share_days then 'ordonnateur'
                    else 'accountant'
                end
        end as late_phase,
        ---------- dates
        receipt_date,
        interruption_date,
        completion_date,
        due_date,
        case when days_late > 0 then interest_start_date end as interest_start_date,
        payment_date,
        last_event_date,
        {{ built_at() }} as built_at
    from rated
)

select * from final
