-- One row per invoice its recipient rejected (REJETEE) and that its supplier deposited again
-- as a new invoice: same supplier, same recipient, same amount incl. VAT, deposited after
-- the rejection (the first such deposit). The days between the first invoice's deposit and
-- the new one are lost to the payment clock: the law's delay restarts at the new receipt.
--
-- Incremental on a run over given days: a match found on a deposit before those days is
-- final (it was the first re-deposit), so only the rejected invoices without one, or whose
-- one was deposited on those days or after, look for it among the invoices landed since.
-- A run without days recomputes every match.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='rejected_invoice_id',
        on_schema_change='fail',
    )
}}

{%- set from_day = var('landing_from', none) if is_incremental() else none %}

with

rejected as (
    -- the deposit facts come with the returns (not from the 55 M invoices)
    select
        invoice_id,
        supplier_structure_id,
        recipient_structure_id,
        channel,
        total_incl_vat,
        deposited_date,
        first_rejected_date as rejected_date
    from {{ ref('int_invoice_returns') }}
    where
        first_rejected_date is not null
        and scope = 'B2G'
        and not is_credit_note
        {% if from_day %}
        and invoice_id not in (
            select rejected_invoice_id from {{ this }}
            where new_deposited_date < date '{{ from_day }}'
        )
        {% endif %}
),

deposits as (
    select
        invoice_id,
        supplier_structure_id,
        recipient_structure_id,
        total_incl_vat,
        deposited_date,
        deposited_at
    from {{ ref('fct_invoices') }}
    where
        scope = 'B2G'
        and not is_credit_note
        {% if from_day %}
        -- landed on or after the first day read (a deposit lands on its day or later)
        and landed_date >= date '{{ from_day }}'
        {% endif %}
),

candidates as (
    select
        r.invoice_id as rejected_invoice_id,
        n.invoice_id as new_invoice_id,
        r.supplier_structure_id,
        r.recipient_structure_id,
        r.channel,
        r.total_incl_vat,
        r.deposited_date as first_deposited_date,
        r.rejected_date,
        n.deposited_date as new_deposited_date
    from rejected as r
    inner join deposits as n
        on n.supplier_structure_id = r.supplier_structure_id
        and n.recipient_structure_id = r.recipient_structure_id
        and n.total_incl_vat = r.total_incl_vat
        and n.deposited_date >= r.rejected_date
        and n.invoice_id != r.invoice_id
    qualify row_number() over (
        partition by r.invoice_id order by n.deposited_at, n.invoice_id
    ) = 1
),

final as (
    select
        c.rejected_invoice_id,
        c.new_invoice_id,
        c.supplier_structure_id,
        c.recipient_structure_id,
        s.public_category as recipient_category,
        c.channel,
        c.total_incl_vat,
        c.first_deposited_date,
        c.rejected_date,
        c.new_deposited_date,
        cast({{ dbt.datediff('c.first_deposited_date', 'c.new_deposited_date', 'day') }} as integer)
            as days_lost
    from candidates as c
    left join {{ ref('stg_platform__structures') }} as s
        on c.recipient_structure_id = s.structure_id
)

select * from final
