{#-
  The lifecycle state of an invoice: what its status events add up to, one row per invoice
  in `int_invoice_lifecycle_states`. The producer numbers each invoice's events 1, 2, … in
  the order it recorded them (landing contract `InvoiceStatusEvent`), so a state knows
  which events it holds: `event_count` of them, up to `last_event_sequence`. A run folds
  the events numbered after a complete state's last one into it, without reading the
  invoice's history; the same days read again bring nothing new. An invoice whose events
  do not follow its state without a gap (days loaded out of their order) is folded again
  from all its events.
-#}

{#-
  The first landing day a run of the states reads: `landing_from`, or else the last day
  the states hold (it may have grown); never after the day following the states' last one,
  so that days a failed build staged but never folded are read with the next run, whatever
  days it names. Reading a day again is harmless: its events are held already.
-#}
{%- macro lifecycle_from_day() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(var('landing_from', '1900-01-01')) }}
    {%- endif -%}
    {%- set last = run_query('select max(last_event_date) from ' ~ this).columns[0].values()[0] -%}
    {%- if last is none -%}
        {{ return(var('landing_from', '1900-01-01')) }}
    {%- endif -%}
    {%- set day = var('landing_from', last) | string -%}
    {%- set after_last = (last + modules.datetime.timedelta(days=1)) | string -%}
    {{ return(day if day < after_last else after_last) }}
{%- endmacro -%}


{#- the milestones of a deposit round, among the state's columns -#}
{%- macro lifecycle_milestone_columns() -%}
    {{ return(['receipt_at', 'suspended_at', 'suspension_count', 'completed_at', 'mandated_at',
               'accountant_received_at', 'payment_date', 'rejected_at']) }}
{%- endmacro -%}


{#-
  Per invoice, the state its status events in `rows` (the columns of the staged events; all
  of an invoice's events, or the new ones) add up to. The current round's milestones are
  those of the rows of its last deposit round; an out-of-order event (an accounting status
  reported late) dates its milestone but does not change the status.
-#}
{%- macro lifecycle_fold(rows) -%}
    select
        {{ star_except(['milestones', 'last_in_order_sequence']) }},
        {%- for name in lifecycle_milestone_columns() %}
        milestones.{{ name }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
    select
        invoice_id,
        cast(max(last_event_sequence) as integer) as last_event_sequence,
        cast(sum(event_count) as integer) as event_count,
        max_by(last_status_code, last_in_order_sequence) as last_status_code,
        max(last_in_order_sequence) as last_in_order_sequence,
        max(last_occurred_at) as last_occurred_at,
        max(last_event_date) as last_event_date,
        cast(max(deposit_round) as integer) as deposit_round_count,
        max_by(milestones, deposit_round) as milestones,
        cast(sum(rejection_count) as integer) as rejection_count,
        cast(sum(recycling_count) as integer) as recycling_count,
        min(first_rejected_date) as first_rejected_date
    from (
        select
            invoice_id,
            deposit_round,
            max(event_sequence) as last_event_sequence,
            count(*) as event_count,
            max(event_sequence) filter (where not is_out_of_order) as last_in_order_sequence,
            max_by(status_code, event_sequence) filter (where not is_out_of_order)
                as last_status_code,
            max(occurred_at) as last_occurred_at,
            max(recorded_date) as last_event_date,
            {{ struct_literal([
                ('receipt_at', "min(occurred_at) filter (where status_code = 'MISE_A_DISPOSITION')"),
                ('suspended_at', "min(occurred_at) filter (where status_code = 'SUSPENDUE')"),
                ('suspension_count', "cast(count(*) filter (where status_code = 'SUSPENDUE') as integer)"),
                ('completed_at', "min(occurred_at) filter (where status_code = 'COMPLETEE')"),
                ('mandated_at', "min(occurred_at) filter (where status_code = 'MANDATEE')"),
                ('accountant_received_at',
                    "min(occurred_at) filter (where status_code = 'MISE_A_DISPOSITION_COMPTABLE')"),
                ('payment_date', "min(payment_date) filter (where status_code = 'MISE_EN_PAIEMENT')"),
                ('rejected_at', "min(occurred_at) filter (where status_code = 'REJETEE')"),
            ]) }} as milestones,
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
  The columns of state `s` (null for an invoice's first events) with the state `d` of the
  events that follow it folded in: the round goes on (its milestones before come first)
  unless `d` started a new one.
-#}
{%- macro lifecycle_merge(s, d) -%}
        {{ d }}.invoice_id,
        {{ d }}.last_event_sequence,
        coalesce({{ s }}.event_count, 0) + {{ d }}.event_count as event_count,
        coalesce({{ d }}.last_status_code, {{ s }}.last_status_code) as last_status_code,
        greatest({{ s }}.last_occurred_at, {{ d }}.last_occurred_at) as last_occurred_at,
        greatest({{ s }}.last_event_date, {{ d }}.last_event_date) as last_event_date,
        {{ d }}.deposit_round_count,
        coalesce({{ s }}.rejection_count, 0) + {{ d }}.rejection_count as rejection_count,
        coalesce({{ s }}.recycling_count, 0) + {{ d }}.recycling_count as recycling_count,
        least({{ s }}.first_rejected_date, {{ d }}.first_rejected_date) as first_rejected_date,
        {#- the milestones last, as in the fold: the two are stacked by position -#}
        {%- for name in lifecycle_milestone_columns() %}
        {%- if name == 'suspension_count' %}
        {{ d }}.suspension_count + case
            when {{ s }}.deposit_round_count = {{ d }}.deposit_round_count
                then {{ s }}.suspension_count
            else 0
        end as suspension_count,
        {%- else %}
        case
            when {{ s }}.deposit_round_count = {{ d }}.deposit_round_count
                then least({{ s }}.{{ name }}, {{ d }}.{{ name }})
            else {{ d }}.{{ name }}
        end as {{ name }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
{%- endmacro -%}
