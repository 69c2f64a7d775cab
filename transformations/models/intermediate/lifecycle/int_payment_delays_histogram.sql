-- One row per recipient × payment month × observed delay (days): how many invoices were
-- paid after exactly that many days. Exact percentiles come from these counts: the
-- per-group quantile aggregate ran out of memory at national scale, the histogram does not.
--
-- Incremental by payment month: the months from the earliest payment month of the invoices
-- whose lifecycle moved on the days read are counted again (`replace_tail`). A payment is
-- final (a legal sequence neither rejects nor recycles a paid invoice, and a later payment
-- event can only bring its date forward), so no earlier month can have changed.
{{
    config(
        materialized='incremental',
        incremental_strategy='replace_tail',
        unique_key='payment_month_start_date',
        on_schema_change='fail',
    )
}}

{% set is_paid = "payment_status = 'paid' and observed_delay_days is not null" %}

with

delays as (
    select * from {{ ref('fct_payment_delays') }}
    where {{ is_paid }}
    {% if is_incremental() %}
    and payment_date >= {{
        first_changed_month(ref('fct_payment_delays'), 'payment_date', is_paid)
    }}
    {% endif %}
)

select
    recipient_structure_id,
    public_category,
    cast(date_trunc('month', payment_date) as date) as payment_month_start_date,
    observed_delay_days,
    count(*) as paid_invoice_count,
    count(*) filter (where is_late) as late_invoice_count,
    -- 18 digits as in the marts: a sum's default 38 digits are 128-bit integers, which made
    -- every report reading this histogram a third slower
    cast(sum(late_interest_eur) as decimal(18, 2)) as late_interest_eur,
    cast(sum(recovery_indemnity_eur) as decimal(18, 2)) as recovery_indemnity_eur,
    -- the amounts paid, and each weighted by its days after the due date (negative when paid
    -- early): the amount-weighted indicators (Italy's ITP, Spain's PMP) add them up
    cast(sum(amount_incl_vat) as decimal(18, 2)) as paid_amount_eur,
    cast(sum(amount_incl_vat) filter (where due_date is not null) as decimal(18, 2))
        as due_dated_amount_eur,
    cast(sum(amount_incl_vat * {{ dbt.datediff('due_date', 'payment_date', 'day') }}) as decimal(24, 2))
        as amount_days_after_due,
    max(last_event_date) as last_event_date
from delays
group by all
