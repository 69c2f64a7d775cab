-- One row per invoice with status events on the days read: its state before those days
-- (its "base", null for its first events; macros/lifecycle_state.sql). The sequenced events
-- number the days' events on from it and the lifecycle states fold them into it; each
-- looked it up in the 55 M states on its own before (two scans of them on a national day).
--
-- Rebuilt at every run, before both, from the states as the run found them; empty on a
-- first or full build (neither reads it then). Each reader checks it was built by its own
-- dbt invocation and from the same first day, and looks the bases up itself otherwise.
-- depends_on: {{ ref('stg_platform__invoice_status_events') }}
{%- set states = lifecycle_states_table() %}
{%- set sequenced = adapter.get_relation(
    database=this.database, schema=this.schema, identifier='int_status_events_sequenced') %}
{%- set looking_up = states is not none and sequenced is not none and not flags.FULL_REFRESH %}
{%- if looking_up %}
    {%- set from_day = lifecycle_from_day() %}
{%- endif %}

with

{% if looking_up -%}
touched as (
    {{ lifecycle_touched(from_day) }}
),

{{ lifecycle_bases('touched', sequenced, from_day) }}

select
    invoice_id,
    base,
    date '{{ from_day }}' as from_day,
    '{{ invocation_id }}' as invocation_id
from lifecycle_bases
{%- else -%}
nothing as (
    select cast(null as varchar) as invoice_id
)

select
    invoice_id,
    {
        {%- for name, type in lifecycle_state_columns() %}
        '{{ name }}': cast(null as {{ type }}){{ ',' if not loop.last }}
        {%- endfor %}
    } as base,
    cast(null as date) as from_day,
    cast(null as varchar) as invocation_id
from nothing
where false
{%- endif %}
