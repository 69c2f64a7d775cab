-- One row per invoice its recipient rejected (REJETEE) and that its supplier deposited again
-- as a new invoice: same supplier, same recipient, same amount incl. VAT, deposited after
-- the rejection (the first such deposit). The days between the first invoice's deposit and
-- the new one are lost to the payment clock: the law's delay restarts at the new receipt.
with

rejections as (
    select invoice_id, first_rejected_date as rejected_date
    from {{ ref('int_invoice_returns') }}
    where first_rejected_date is not null
),

invoices as not materialized (
    -- read where used: materialized, the 55 M invoices were copied first (3.4 s)
    select * from {{ ref('fct_invoices') }}
    where scope = 'B2G' and not is_credit_note
),

rejected as (
    select i.*, r.rejected_date
    from invoices as i
    inner join rejections as r on i.invoice_id = r.invoice_id
),

candidates as (
    select
        r.invoice_id as rejected_invoice_id,
        n.invoice_id as new_invoice_id,
        r.supplier_structure_id,
        r.recipient_structure_id,
        r.recipient_category,
        r.channel,
        r.total_incl_vat,
        r.deposited_date as first_deposited_date,
        r.rejected_date,
        n.deposited_date as new_deposited_date,
        n.deposited_at as new_deposited_at
    from rejected as r
    inner join invoices as n
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
        rejected_invoice_id,
        new_invoice_id,
        supplier_structure_id,
        recipient_structure_id,
        recipient_category,
        channel,
        total_incl_vat,
        first_deposited_date,
        rejected_date,
        new_deposited_date,
        cast(date_diff('day', first_deposited_date, new_deposited_date) as integer)
            as days_lost
    from candidates
)

select * from final
