-- One row per recipient × payment month × observed delay (days): how many invoices were
-- paid after exactly that many days. Exact percentiles come from these counts: the
-- per-group quantile aggregate ran out of memory at national scale, the histogram does not.
with

delays as (
    select * from {{ ref('fct_payment_delays') }}
    where payment_status = 'paid' and observed_delay_days is not null
)

select
    recipient_structure_id,
    public_category,
    cast(date_trunc('month', payment_date) as date) as payment_month_start_date,
    observed_delay_days,
    count(*) as paid_invoice_count,
    count(*) filter (where is_late) as late_invoice_count,
    sum(late_interest_eur) as late_interest_eur,
    sum(recovery_indemnity_eur) as recovery_indemnity_eur
from delays
group by all
