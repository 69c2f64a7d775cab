-- One row per invoice still unpaid after its due date on the day of the data (the latest
-- status event loaded): the invoices a finance director chases before they cost more, with
-- the late-payment interest accrued to that day and the €40 indemnity already owed
-- (payment-delays.md §5–§6: interest runs from the day after the due date). An invoice of
-- a structure that does not report its payments is "unknown", not unpaid, and is not here;
-- nor is an interrupted invoice whose clock is stopped (no due date).
-- Rebuilt whole at every build: the days overdue of every row grow with each new day.
with

data_day as (
    select max(recorded_date) as overdue_on_date
    from {{ ref('stg_platform__invoice_status_events') }}
),

overdue as (
    -- the unpaid invoices, kept apart by invoice (not the 49 M payment delays)
    select d.*, dd.overdue_on_date
    from {{ ref('int_unpaid_payment_delays') }} as d
    cross join data_day as dd
    where d.due_date < dd.overdue_on_date
),

ecb_rates as (
    select * from {{ ref('ref_ecb_rates') }}
),

rated as (
    select
        o.*,
        {{ dbt.datediff('o.due_date', 'o.overdue_on_date', 'day') }} as days_overdue,
        r.mro_rate_pct + 8 as accrued_rate_pct
    from overdue as o
    {{ join_rate_in_force('ecb_rates', 'r', half_year_start('o.due_date + 1')) }}
),

suppliers as (
    select structure_id, siret, structure_name from {{ ref('dim_structures') }}
),

final as (
    select
        o.recipient_structure_id,
        o.invoice_id,
        o.invoice_number,
        o.supplier_structure_id,
        s.siret as supplier_siret,
        s.structure_name as supplier_name,
        o.public_category,
        o.amount_incl_vat,
        o.receipt_date,
        o.due_date,
        o.overdue_on_date,
        cast(o.days_overdue as integer) as days_overdue,
        cast(o.accrued_rate_pct as decimal(5, 2)) as interest_rate_pct,
        {{ late_interest_eur('o.amount_incl_vat', 'o.accrued_rate_pct', 'o.days_overdue') }}
            as accrued_interest_eur,
        cast(40 as decimal(18, 2)) as recovery_indemnity_eur
    from rated as o
    left join suppliers as s on o.supplier_structure_id = s.structure_id
)

select
    *,
    cast(accrued_interest_eur + recovery_indemnity_eur as decimal(18, 2)) as amount_owed_eur
from final
