-- Landed records that break a business rule, set apart with the rule they broke, so that one
-- party's bad data never stops the build for everyone (docs/warehouse.md § Bad records).
-- Each rule names the figures the record is left out of (ref_quality_rules): every rule here
-- takes the invoice out of fct_payment_delays (its post-hook), hence out of every delay,
-- late-payment and overdue figure.
--
-- Incremental by invoice and rule: a run checks the records of the days it reads, from the
-- day fct_payment_delays (built right after it) will recompute from.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['invoice_id', 'rule_code'],
    )
}}
{%- if is_incremental() -%}
    {%- set delays = adapter.get_relation(this.database, this.schema, 'fct_payment_delays') -%}
    {%- set from_day = landing_from_date('last_event_date', loaded_in=delays) -%}
{%- endif %}

with

events as (
    select * from {{ ref('stg_platform__invoice_status_events') }}
    {% if is_incremental() -%}
    where {{ days_between('recorded_date', from_day, var('landing_to', none)) }}
    {%- endif %}
),

invoices as (
    select * from {{ ref('stg_platform__invoices') }}
),

landed_invoices as (
    select * from invoices
    {% if is_incremental() -%}
    where {{ days_between('landed_date', from_day, var('landing_to', none)) }}
    {%- endif %}
),

structures as (
    select * from {{ ref('stg_platform__structures') }}
),

transitions as (
    select * from {{ ref('ref_status_transitions') }}
),

states as (
    select invoice_id, {{ local_date('receipt_at') }} as receipt_date
    from {{ ref('int_invoice_lifecycle_states') }}
    where receipt_at is not null
),

early_payments as (
    -- the days' payments against their invoice's receipt (the lifecycle state, two columns:
    -- not the delays' milestones, which join the 55 M invoices)
    select e.*, s.receipt_date
    from events as e
    inner join states as s on e.invoice_id = s.invoice_id
    where e.status_code = 'MISE_EN_PAIEMENT' and e.payment_date < s.receipt_date
),

payments_before_receipt as (
    -- PAY-01: a payment dated before the invoice reached its recipient
    select
        e.invoice_id,
        'PAY-01' as rule_code,
        'invoice_status_events' as record_table,
        e.event_id as record_id,
        e.actor_role as producer,
        i.recipient_structure_id as structure_id,
        e.occurred_date as detected_date,
        'payment ' || cast(e.payment_date as {{ type_text() }}) || ' < receipt '
        || cast(e.receipt_date as {{ type_text() }}) as detail
    from early_payments as e
    left join invoices as i on e.invoice_id = i.invoice_id
),

illegal_events as (
    select e.*
    from events as e
    anti join transitions as t
        on e.previous_status_code is not distinct from t.previous_status_code
        and e.status_code = t.status_code
),

illegal_paths as (
    -- LC-PATH: a status the lifecycle does not allow after the one before it
    select
        e.invoice_id,
        'LC-PATH' as rule_code,
        'invoice_status_events' as record_table,
        e.event_id as record_id,
        e.actor_role as producer,
        i.recipient_structure_id as structure_id,
        e.occurred_date as detected_date,
        coalesce(e.previous_status_code, '∅') || ' → ' || e.status_code as detail
    from illegal_events as e
    left join invoices as i on e.invoice_id = i.invoice_id
),

unknown_structures as (
    -- STR-01: an invoice whose supplier or recipient is no structure of the hub
    select
        i.invoice_id,
        'STR-01' as rule_code,
        'invoices' as record_table,
        i.invoice_id as record_id,
        i.channel as producer,
        coalesce(r.structure_id, s.structure_id) as structure_id,
        i.landed_date as detected_date,
        case when s.structure_id is null then 'supplier ' || i.supplier_structure_id
            else 'recipient ' || i.recipient_structure_id end as detail
    from landed_invoices as i
    left join structures as s on i.supplier_structure_id = s.structure_id
    left join structures as r on i.recipient_structure_id = r.structure_id
    where s.structure_id is null
        or (i.recipient_structure_id is not null and r.structure_id is null)
),

unioned as (
    select * from payments_before_receipt
    union all
    select * from illegal_paths
    union all
    select * from unknown_structures
),

final as (
    -- one row per invoice and rule: its first offending record
    select
        invoice_id,
        rule_code,
        min_by(record_table, detected_date) as record_table,
        min_by(record_id, detected_date) as record_id,
        min_by(producer, detected_date) as producer,
        min_by(structure_id, detected_date) as structure_id,
        min(detected_date) as detected_date,
        min_by(detail, detected_date) as detail
    from unioned
    group by invoice_id, rule_code
)

select * from final
