-- One row per payable invoice not paid yet (payment status 'unpaid'), with what the overdue
-- report needs. That report is rebuilt every day for the day of the data; it reads these
-- 3.9 M rows of a national year instead of scanning the 49 M payment delays (2.2 s a day).
--
-- Incremental by invoice: the pre-hook deletes the invoices whose payment delay changed on
-- the days read (the paid and rejected ones leave), the model appends those still unpaid.
-- The changed rows of fct_payment_delays are its last ones (delete+insert appends them): a
-- literal day skips the others' row groups.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}{% set changed %}
            invoice_id in (
                select invoice_id from {{ ref('fct_payment_delays') }}
                where {{ landing_window('last_event_date', 'last_event_date') }}
            )
        {% endset %}{{ delete_where(this, changed) }}{% endif %}",
    )
}}

select
    invoice_id,
    invoice_number,
    supplier_structure_id,
    recipient_structure_id,
    public_category,
    amount_incl_vat,
    receipt_date,
    due_date,
    last_event_date
from {{ ref('fct_payment_delays') }}
where
    payment_status = 'unpaid'
    {% if is_incremental() -%}
    and {{ landing_window('last_event_date', 'last_event_date') }}
    {%- endif %}
