-- Every consecutive pair of statuses of an invoice is allowed by the lifecycle.
-- (In Dagster, a check of the sequenced events it reads, not of the reference seed.)
{{ config(meta={'dagster': {'ref': {'name': 'int_status_events_sequenced'}}}) }}
select
    e.invoice_id,
    e.event_sequence,
    e.previous_status_code,
    e.status_code
from {{ ref('int_status_events_sequenced') }} as e
left join {{ ref('ref_status_transitions') }} as t
    on e.previous_status_code is not distinct from t.previous_status_code
    and e.status_code = t.status_code
where
    t.status_code is null
    -- on a run limited to some days, the events sequenced from those days on
    and e.occurred_date >= date '{{ var('landing_from', '1900-01-01') }}'
