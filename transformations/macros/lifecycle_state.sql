{#-
  The lifecycle state of an invoice: what its status events add up to, kept one row per
  invoice in `int_invoice_lifecycle_states` so that a day's events are numbered and folded
  in without re-reading the invoice's history (1.3 M events of the 468 k invoices a
  national day touches lie spread over 190 M rows).

  An incremental run over the days from D (`lifecycle_from_day`) starts each invoice that
  has events on those days from its state before D (its "base"):
  - its current state, when its last event is before D (a new day: the usual case);
  - the base kept by the run that last changed it, when that run also started at D (the
    same days run again: a retried or repeated partition);
  - otherwise (a backfill of past days, days run again from another first day) the state
    folded anew from its sequenced events before D;
  - none for an invoice without a state (its first events).
  Every event of such an invoice from D on is then sequenced again from that base.
-#}

{#- the columns of a state (and, prefixed `base_`, of the state it was folded from) -#}
{%- macro lifecycle_state_columns() -%}
    {{ return([
        ('last_event_sequence', 'integer'),
        ('last_status_code', 'varchar'),
        ('last_occurred_at', 'timestamp with time zone'),
        ('last_event_date', 'date'),
        ('deposit_round_count', 'integer'),
        ('receipt_at', 'timestamp with time zone'),
        ('suspended_at', 'timestamp with time zone'),
        ('suspension_count', 'integer'),
        ('completed_at', 'timestamp with time zone'),
        ('mandated_at', 'timestamp with time zone'),
        ('accountant_received_at', 'timestamp with time zone'),
        ('payment_date', 'date'),
        ('rejected_at', 'timestamp with time zone'),
        ('rejection_count', 'integer'),
        ('recycling_count', 'integer'),
        ('first_rejected_date', 'date'),
    ]) }}
{%- endmacro -%}


{#- the milestones of a deposit round, among the state's columns -#}
{%- macro lifecycle_milestone_columns() -%}
    {{ return(['receipt_at', 'suspended_at', 'suspension_count', 'completed_at', 'mandated_at',
               'accountant_received_at', 'payment_date', 'rejected_at']) }}
{%- endmacro -%}


{#- the states table as it is, or none before its first build -#}
{%- macro lifecycle_states_table() -%}
    {{ return(adapter.get_relation(
        database=this.database, schema=this.schema, identifier='int_invoice_lifecycle_states')) }}
{%- endmacro -%}


{#- `column` within the days an incremental run of the lifecycle models reads -#}
{%- macro lifecycle_window(column, from_day) -%}
    {{ days_between(column, from_day, var('landing_to', none)) }}
{%- endmacro -%}


{#- the columns `names` (all by default) of a state in relation `alias` (with `prefix`) as
    one struct, null when the row is missing -#}
{%- macro lifecycle_state_struct(alias, prefix='', names=none) -%}
    case when {{ alias }}.invoice_id is not null then {
        {%- for name, type in lifecycle_state_columns() if names is none or name in names %}
        '{{ name }}': cast({{ alias }}.{{ prefix }}{{ name }} as {{ type }}){{ ',' if not loop.last }}
        {%- endfor %}
    } end
{%- endmacro -%}


{#- the states table (read before this run changes it), or none before its first build or
    when it predates the `base_` columns (its invoices are then folded again from history) -#}
{%- macro lifecycle_states_relation() -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set states = lifecycle_states_table() -%}
    {%- if states is none -%}{{ return(none) }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(states) | map(attribute='name') | list -%}
    {{ return(states if 'base_last_event_sequence' in columns else none) }}
{%- endmacro -%}


{#-
  The first day an incremental run of the lifecycle models sequences again: `landing_from`,
  or else the last day the states hold (that day may have grown); never after the day
  following the states' last one (the sequenced events of a run whose states failed to
  build are then numbered again). The sequenced events and the states ask the same.
-#}
{%- macro lifecycle_from_day() -%}
    {%- set states = lifecycle_states_table() -%}
    {%- if states is none -%}
        {{ return(var('landing_from', '1900-01-01')) }}
    {%- endif -%}
    {%- set last = run_query('select max(last_event_date) from ' ~ states).columns[0].values()[0] -%}
    {%- if last is none -%}
        {{ return(var('landing_from', '1900-01-01')) }}
    {%- endif -%}
    {%- set day = var('landing_from', last) | string -%}
    {%- set after_last = (last + modules.datetime.timedelta(days=1)) | string -%}
    {{ return(day if day < after_last else after_last) }}
{%- endmacro -%}


{#-
  Per invoice, the state its sequenced events in `rows` add up to (the columns of
  `int_status_events_sequenced`; all of an invoice's events, or those from some day on,
  which carry their running sequence number and deposit round). The current round's
  milestones are those of the rows of its last round.
-#}
{%- macro lifecycle_fold(rows) -%}
    select
        * exclude (milestones),
        {%- for name in lifecycle_milestone_columns() %}
        milestones.{{ name }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
    select
        invoice_id,
        cast(max(last_event_sequence) as integer) as last_event_sequence,
        arg_max(last_status_code, last_event_sequence) as last_status_code,
        max(last_occurred_at) as last_occurred_at,
        max(last_event_date) as last_event_date,
        cast(max(deposit_round) as integer) as deposit_round_count,
        arg_max(milestones, deposit_round) as milestones,
        cast(sum(rejection_count) as integer) as rejection_count,
        cast(sum(recycling_count) as integer) as recycling_count,
        min(first_rejected_date) as first_rejected_date
    from (
        select
            invoice_id,
            deposit_round,
            max(event_sequence) as last_event_sequence,
            arg_max(status_code, event_sequence) as last_status_code,
            max(occurred_at) as last_occurred_at,
            max(occurred_date) as last_event_date,
            {
                'receipt_at': min(occurred_at) filter (where status_code = 'MISE_A_DISPOSITION'),
                'suspended_at': min(occurred_at) filter (where status_code = 'SUSPENDUE'),
                'suspension_count': cast(count(*) filter (where status_code = 'SUSPENDUE') as integer),
                'completed_at': min(occurred_at) filter (where status_code = 'COMPLETEE'),
                'mandated_at': min(occurred_at) filter (where status_code = 'MANDATEE'),
                'accountant_received_at':
                    min(occurred_at) filter (where status_code = 'MISE_A_DISPOSITION_COMPTABLE'),
                'payment_date': min(payment_date) filter (where status_code = 'MISE_EN_PAIEMENT'),
                'rejected_at': min(occurred_at) filter (where status_code = 'REJETEE')
            } as milestones,
            count(*) filter (where status_code = 'REJETEE') as rejection_count,
            count(*) filter (where status_code = 'A_RECYCLER') as recycling_count,
            min(occurred_date) filter (where status_code = 'REJETEE') as first_rejected_date
        from {{ rows }}
        group by invoice_id, deposit_round
    )
    group by invoice_id
    )
{%- endmacro -%}


{#-
  CTEs `lifecycle_paths` and `lifecycle_bases` (invoice_id, base: the state before
  `from_day` as a struct of the state columns `names`, all by default; null for none) of
  the invoices in CTE `touched`, as the header explains; `sequenced` is the table of
  sequenced events as it was before this run changed it from `from_day` on (its rows
  before that day are final). Only the columns named are read from the 55 M states.
-#}
{%- macro lifecycle_bases(touched, sequenced, from_day, names=none) -%}
    {%- set states = lifecycle_states_relation() -%}
lifecycle_paths as (
    select
        t.invoice_id,
        {%- if states is none %}
        'again from history' as path,
        null as base
        {%- else %}
        case
            when s.invoice_id is null then 'first events'
            when s.last_event_date < date '{{ from_day }}' then 'new day'
            when s.base_before_date = date '{{ from_day }}' then 'same days again'
            else 'again from history'
        end as path,
        case
            when s.last_event_date < date '{{ from_day }}'
                then {{ lifecycle_state_struct('s', '', names) }}
            when s.base_before_date = date '{{ from_day }}'
                then {{ lifecycle_state_struct('s', 'base_', names) }}
        end as base
        {%- endif %}
    from {{ touched }} as t
    {%- if states is not none %}
    left join {{ states }} as s on t.invoice_id = s.invoice_id
    {%- endif %}
),

lifecycle_history as (
    -- the rare invoices without a usable base: their events before the first day (final)
    select * from {{ sequenced }}
    where
        occurred_date < date '{{ from_day }}'
        and invoice_id in (
            select invoice_id from lifecycle_paths where path = 'again from history'
        )
),

lifecycle_history_states as (
    {{ lifecycle_fold('lifecycle_history') }}
),

lifecycle_bases as (
    select
        p.invoice_id,
        coalesce(p.base, {{ lifecycle_state_struct('h', '', names) }}) as base
    from lifecycle_paths as p
    left join lifecycle_history_states as h on p.invoice_id = h.invoice_id
)
{%- endmacro -%}


{#-
  The bases `int_lifecycle_bases` looked up for this dbt invocation from `from_day`, or none
  (a run that did not build it first, such as a selection of some models, or a day with
  no events): the caller then looks them up itself with `lifecycle_bases`.
-#}
{%- macro lifecycle_shared_bases(from_day) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set shared = ref('int_lifecycle_bases') -%}
    {%- set query -%}
        select count(*) filter (
            where invocation_id = '{{ invocation_id }}' and from_day = date '{{ from_day }}'
        ) = count(*) and count(*) > 0
        from {{ shared }}
    {%- endset -%}
    {{ return(shared if run_query(query).columns[0].values()[0] else none) }}
{%- endmacro -%}


{#- A CTE `lifecycle_bases` of the invoices in `touched`: this invocation's shared look-up
    when there is one, or `lifecycle_bases` (with `sequenced` and `names`) otherwise. -#}
{%- macro lifecycle_bases_once(touched, sequenced, from_day, names=none) -%}
    {%- set shared = lifecycle_shared_bases(from_day) -%}
    {%- if shared is not none %}
lifecycle_bases as (
    -- looked up once for the sequenced events and the states (int_lifecycle_bases)
    select invoice_id, base from {{ shared }}
)
    {%- else %}
{{ lifecycle_bases(touched, sequenced, from_day, names) }}
    {%- endif %}
{%- endmacro -%}


{#- The invoices with events on the days an incremental run of the lifecycle models reads. -#}
{%- macro lifecycle_touched(from_day) -%}
    select distinct invoice_id
    from {{ ref('stg_platform__invoice_status_events') }}
    where {{ lifecycle_window('occurred_date', from_day) }}
{%- endmacro -%}
