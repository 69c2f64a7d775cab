{#-
  Incremental loading by landing day (the `date=` folder of the landing zone).

  `landing_from` / `landing_to` (dbt vars, ISO dates) name the days to (re)load, as the
  Dagster daily partitions and `vigie pipeline backfill` pass them. Without them, an
  incremental run reloads from the last day already loaded (that day may have grown since)
  onwards. A full refresh, or a first build, reads every day.
-#}

{%- macro landing_from_date(loaded_date_column, loaded_in=none) -%}
    {%- if var('landing_from', none) -%}
        {{ return(var('landing_from')) }}
    {%- endif -%}
    {%- if execute -%}
        {#- `loaded_in`: the table whose last loaded day counts, when it is not this one -#}
        {%- set relation = this if loaded_in is none else loaded_in -%}
        {%- if relation is none -%}
            {{ return('1900-01-01') }}
        {%- endif -%}
        {%- set result = run_query('select max(' ~ loaded_date_column ~ ') from ' ~ relation) -%}
        {%- set last = result.columns[0].values()[0] -%}
        {{ return(last | string if last is not none else '1900-01-01') }}
    {%- endif -%}
    {{ return('1900-01-01') }}
{%- endmacro -%}


{#-
  The landing-day predicate of an incremental model: from `landing_from` (or the last day
  loaded) on an incremental run, from the beginning on a full one; up to `landing_to` when
  given, on either.
-#}
{%- macro landing_window(loaded_date_column, column='date') -%}
    {%- if is_incremental() -%}
        {{ days_between(column, landing_from_date(loaded_date_column), var('landing_to', none)) }}
    {%- else -%}
        true
        {%- if var('landing_to', none) %} and {{ column }} <= date '{{ var('landing_to') }}'{% endif -%}
    {%- endif -%}
{%- endmacro -%}


{#-
  `column` within the days from `from_day` to `to_day` (none: no last day). A single day is
  written as an equality, which DuckDB estimates from the column's distinct days (135 k of
  the 55 M lifecycle states), where it guesses that a range keeps a fifth of the rows (11 M):
  with the range, `fct_payment_delays` built its hash join on the 50 M invoices instead of
  the 460 k invoices of a national day (10.1 s; 2.0 s with the equality).
-#}
{%- macro days_between(column, from_day, to_day=none) -%}
    {%- if to_day and (from_day | string) == (to_day | string) -%}
        {{ column }} = date '{{ from_day }}'
    {%- else -%}
        {{ column }} >= date '{{ from_day }}'
        {%- if to_day %} and {{ column }} <= date '{{ to_day }}'{% endif -%}
    {%- endif -%}
{%- endmacro -%}
