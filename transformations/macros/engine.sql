{#-
  What DuckDB and Spark write differently, behind `adapter.dispatch` (the `default__`
  version is DuckDB's, the project's first engine); dbt's cross-database macros
  (`dbt.datediff`…) cover the rest. The two-engine test (tests/spark) builds the same
  history on both and compares every mart and report.
-#}

{#- The Europe/Paris day of an instant (legal delays count in French days). -#}
{% macro local_date(instant) %}{{ return(adapter.dispatch('local_date')(instant)) }}{% endmacro %}
{% macro default__local_date(instant) %}cast(timezone('Europe/Paris', {{ instant }}) as date){% endmacro %}
{% macro spark__local_date(instant) %}cast(from_utc_timestamp({{ instant }}, 'Europe/Paris') as date){% endmacro %}

{#- The instant of a Europe/Paris wall-clock time (a timestamp without a zone). -#}
{% macro local_instant(wall_clock) %}{{ return(adapter.dispatch('local_instant')(wall_clock)) }}{% endmacro %}
{% macro default__local_instant(wall_clock) %}timezone('Europe/Paris', {{ wall_clock }}){% endmacro %}
{% macro spark__local_instant(wall_clock) %}to_utc_timestamp({{ wall_clock }}, 'Europe/Paris'){% endmacro %}

{#- Integer division, rounded towards minus infinity on non-negative operands. -#}
{% macro int_div(dividend, divisor) %}{{ return(adapter.dispatch('int_div')(dividend, divisor)) }}{% endmacro %}
{% macro default__int_div(dividend, divisor) %}(({{ dividend }}) // ({{ divisor }})){% endmacro %}
{% macro spark__int_div(dividend, divisor) %}(({{ dividend }}) div ({{ divisor }})){% endmacro %}

{#- ISO day of the week: 1 = Monday … 7 = Sunday. -#}
{% macro iso_day_of_week(day) %}{{ return(adapter.dispatch('iso_day_of_week')(day)) }}{% endmacro %}
{% macro default__iso_day_of_week(day) %}isodow({{ day }}){% endmacro %}
{% macro spark__iso_day_of_week(day) %}extract(dayofweek_iso from {{ day }}){% endmacro %}

{#- A CTE the engine should inline into each reader (DuckDB would otherwise materialize
    it once, holding every row of a national table in memory). -#}
{% macro not_materialized() %}{{ return(adapter.dispatch('not_materialized')()) }}{% endmacro %}
{% macro default__not_materialized() %}not materialized{% endmacro %}
{% macro spark__not_materialized() %}{% endmacro %}

{#- A CTE read several times, computed once (DuckDB; Spark plans it as it sees fit). -#}
{% macro materialized_cte() %}{{ return(adapter.dispatch('materialized_cte')()) }}{% endmacro %}
{% macro default__materialized_cte() %}materialized{% endmacro %}
{% macro spark__materialized_cte() %}{% endmacro %}

{#- Every day from `first` to `last` (dates), as a one-column relation `date_day`. -#}
{% macro days_between_dates(first, last) %}{{ return(adapter.dispatch('days_between_dates')(first, last)) }}{% endmacro %}
{% macro default__days_between_dates(first, last) %}
    (select cast(d as date) as date_day from generate_series({{ first }}, {{ last }}, interval 1 day) as t(d))
{% endmacro %}
{% macro spark__days_between_dates(first, last) %}
    (select explode(sequence(cast({{ first }} as date), cast({{ last }} as date), interval 1 day)) as date_day)
{% endmacro %}

{#- Types DuckDB names its own way. -#}
{% macro type_text() %}{{ return(adapter.dispatch('type_text')()) }}{% endmacro %}
{% macro default__type_text() %}varchar{% endmacro %}
{% macro spark__type_text() %}string{% endmacro %}

{% macro type_timestamp_tz() %}{{ return(adapter.dispatch('type_timestamp_tz')()) }}{% endmacro %}
{% macro default__type_timestamp_tz() %}timestamp with time zone{% endmacro %}
{#- a Spark timestamp is an instant (shown in the session's zone, UTC) -#}
{% macro spark__type_timestamp_tz() %}timestamp{% endmacro %}

{#- An integer wide enough for cents × rate × days (128 bits). -#}
{% macro type_huge_int() %}{{ return(adapter.dispatch('type_huge_int')()) }}{% endmacro %}
{% macro default__type_huge_int() %}hugeint{% endmacro %}
{% macro spark__type_huge_int() %}decimal(38, 0){% endmacro %}

{#- Every column but `names` (`select * exclude (…)` in DuckDB). -#}
{% macro star_except(names) %}{{ return(adapter.dispatch('star_except')(names)) }}{% endmacro %}
{% macro default__star_except(names) %}* exclude ({{ names | join(', ') }}){% endmacro %}
{% macro spark__star_except(names) %}* except ({{ names | join(', ') }}){% endmacro %}

{#- A struct of `fields`, a list of (name, SQL expression) pairs. -#}
{% macro struct_literal(fields) %}{{ return(adapter.dispatch('struct_literal')(fields)) }}{% endmacro %}
{% macro default__struct_literal(fields) -%}
    { {%- for name, expression in fields %}'{{ name }}': {{ expression }}{{ ', ' if not loop.last }}{% endfor -%} }
{%- endmacro %}
{% macro spark__struct_literal(fields) -%}
    named_struct({%- for name, expression in fields %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{#-
  `left join rates as alias`: the row of `rates` (effective_date, …) in force on `day`, the
  latest whose effective_date is not after it. DuckDB's ASOF join; elsewhere a join on the
  rates' validity ranges (a few dozen rates).
-#}
{% macro join_rate_in_force(rates, alias, day) %}{{ return(adapter.dispatch('join_rate_in_force')(rates, alias, day)) }}{% endmacro %}
{% macro default__join_rate_in_force(rates, alias, day) -%}
    asof left join {{ rates }} as {{ alias }} on {{ day }} >= {{ alias }}.effective_date
{%- endmacro %}
{% macro spark__join_rate_in_force(rates, alias, day) -%}
    left join (
        select *, lead(effective_date) over (order by effective_date) as next_effective_date
        from {{ rates }}
    ) as {{ alias }}
        on {{ day }} >= {{ alias }}.effective_date
        and ({{ alias }}.next_effective_date is null or {{ day }} < {{ alias }}.next_effective_date)
{%- endmacro %}
