-- Every status pair the lifecycle forbids is set apart: no illegal sequence reaches the
-- figures unaccounted for (fct_quarantined_records, rule LC-PATH). A warehouse invariant;
-- the bad sequence itself no longer fails the build.
-- (In Dagster, a check of the landed events it reads, not of the reference seed.)
{{ config(meta={'dagster': {'ref': {'name': 'stg_platform__invoice_status_events'}}}) }}
select
    e.invoice_id,
    e.event_sequence,
    e.previous_status_code,
    e.status_code
from {{ ref('stg_platform__invoice_status_events') }} as e
left join {{ ref('ref_status_transitions') }} as t
    on e.previous_status_code is not distinct from t.previous_status_code
    and e.status_code = t.status_code
left join {{ ref('fct_quarantined_records') }} as q
    on e.invoice_id = q.invoice_id and q.rule_code = 'LC-PATH'
where
    t.status_code is null
    and q.invoice_id is null
    -- on a run limited to some days, the events landed from those days on
    and e.recorded_date >= date '{{ var('landing_from', '1900-01-01') }}'
