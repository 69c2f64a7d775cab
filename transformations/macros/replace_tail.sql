{#-
  Incremental strategy `replace_tail`, for a table ordered by a period column (its
  `unique_key`, e.g. a payment month): the model returns every row of the periods from the
  first one that changed onwards, and they replace the table's rows from that period on.
  A later period whose rows all moved away is deleted too, where delete+insert (keyed on
  the periods returned) would keep it. A model that returns nothing changes nothing.

  The model must return the whole tail: rows of every period from its first one on.
-#}
{% macro get_incremental_replace_tail_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set period = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {#- the first period as a literal: the table's row groups before it are skipped by their
        min/max instead of every row being compared with a subquery's result -#}
    {%- set first = run_query('select min(' ~ period ~ ') from ' ~ source).columns[0].values()[0] -%}
    {%- if first is not none %}
    delete from {{ target }}
    where {{ period }} >= {{ sql_literal(first) }};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }};
    {%- else %}
    select 1;  -- nothing returned: nothing changes
    {%- endif %}
{% endmacro %}


{#- A value read back by `run_query` (a date, a number) as a SQL literal. -#}
{% macro sql_literal(value) -%}
    {%- if value is number -%}{{ value }}{%- else -%}'{{ value }}'{%- endif -%}
{%- endmacro %}


{#-
  The first month a run must recompute in a table derived from `relation`: the earliest
  month of `month_expression` among the rows of `relation` (those matching `where`) that
  changed on the days read: their `changed_column` is in the `landing_window`, which starts
  from this table's own latest `this_column` when no days are given. A literal, read
  before the model runs, so that its scans skip the row groups of earlier months; a null
  date when nothing changed.
-#}
{% macro first_changed_month(
    relation, month_expression, where='true', changed_column='last_event_date',
    this_column=none
) %}
    {%- if not execute -%}
        {{ return('cast(null as date)') }}
    {%- endif -%}
    {%- set query -%}
        select cast(date_trunc('month', min({{ month_expression }})) as date)
        from {{ relation }}
        where {{ landing_window(this_column or changed_column, changed_column) }}
            and ({{ where }})
    {%- endset -%}
    {%- set first = run_query(query).columns[0].values()[0] -%}
    {{ return('cast(null as date)' if first is none else "date '" ~ first ~ "'") }}
{% endmacro %}


{#-
  The rows of `int_payment_delays_histogram` a report derived from it must recount: on an
  incremental run, from the start of the `period` ('month' or 'year') of its first payment
  month that changed since this report's own `last_event_date`; everything otherwise.
-#}
{% macro payment_delays_histogram_tail(period) %}
    {%- set histogram = ref('int_payment_delays_histogram') %}
    select * from {{ histogram }}
    {%- if is_incremental() %}
    where payment_month_start_date >= cast(
        date_trunc('{{ period }}', {{ first_changed_month(histogram, 'payment_month_start_date') }})
        as date
    )
    {%- endif %}
{%- endmacro %}
