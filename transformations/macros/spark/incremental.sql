{#-
  The project's incremental strategies on Spark without a table format that deletes
  (no Delta or Iceberg jar here, so no `merge`): dbt-spark knows `append` and
  `insert_overwrite`; these macros add `delete+insert` and `replace_tail` with the same
  results as on DuckDB, so that every model keeps one definition.

  - `delete+insert` keyed on the table's partition column (a landing day): an
    `insert_overwrite` of the partitions the run returns (dynamic partition overwrite).
  - any other `delete+insert`, `replace_tail`, and a `delete from` of a hook
    (`delete_where`): the table is written again without the rows to delete (a plain
    Parquet table cannot delete in place), the run's rows appended, then swapped in by a
    rename. A full rewrite per run: on a cluster, per day, it costs what the table weighs
    (docs/scale-out.md).
-#}

{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy in ['delete+insert', 'replace_tail'] -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {%- if raw_strategy not in ['append', 'insert_overwrite'] -%}
        {%- do exceptions.raise_compiler_error(
            'Invalid incremental strategy on Spark: ' ~ raw_strategy
            ~ " (this project: 'append', 'insert_overwrite', 'delete+insert', 'replace_tail')"
        ) -%}
    {%- endif -%}
    {{ return(raw_strategy) }}
{% endmacro %}


{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy == 'delete+insert' and unique_key and unique_key == config.get('partition_by') -%}
        {{ return(get_insert_overwrite_sql(source, target, existing)) }}
    {%- elif strategy == 'delete+insert' -%}
        {%- set keys = [unique_key] if unique_key is string else unique_key -%}
        {{ return(spark_replace_rows(target, source, keep_where=none, anti_join_keys=keys)) }}
    {%- elif strategy == 'replace_tail' -%}
        {%- set first = run_query('select min(' ~ unique_key ~ ') from ' ~ source).columns[0].values()[0] -%}
        {%- if first is none -%}
            {{ return('select 1') }}
        {%- endif -%}
        {{ return(spark_replace_rows(
            target, source,
            keep_where=unique_key ~ ' < ' ~ sql_literal(first) ~ (' or ' ~ unique_key ~ ' is null'),
        )) }}
    {%- endif -%}
    {%- if strategy == 'insert_overwrite' -%}
        {{ return(get_insert_overwrite_sql(source, target, existing)) }}
    {%- endif -%}
    {{ return(get_insert_into_sql(source, target)) }}
{% endmacro %}


{#-
  Write `target` again: its rows that `keep_where` keeps (all when none) and that no row of
  `source` matches on `anti_join_keys`, then the rows of `source` (none when none). Each
  statement runs as it is rendered (a Spark cursor runs one at a time); the statement
  returned, the last, drops the staged copy of `source`.
-#}
{% macro spark_replace_rows(target, source=none, keep_where=none, anti_join_keys=none) %}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | list -%}
    {%- set column_list = columns | join(', ') -%}
    {%- set new = target.incorporate(path={'identifier': target.identifier ~ '__dbt_new'}) -%}
    {%- set staged = target.incorporate(path={'identifier': target.identifier ~ '__dbt_staged'}) -%}
    {%- do run_query('drop table if exists ' ~ new) -%}
    {%- do run_query('drop table if exists ' ~ staged) -%}
    {%- if source is not none -%}
        {#- the run's rows, computed before the table they may read changes -#}
        {%- do run_query('create table ' ~ staged ~ ' using parquet as select ' ~ column_list ~ ' from ' ~ source) -%}
    {%- endif -%}
    {%- set query -%}
        create table {{ new }} using parquet {{ partition_cols(label='partitioned by') }} as
        select {{ column_list }} from {{ target }} as kept
        {%- if anti_join_keys %}
        left anti join {{ staged }} as replaced
            on {% for key in anti_join_keys %}kept.{{ key }} = replaced.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
        {%- endif %}
        {%- if keep_where %}
        where {{ keep_where }}
        {%- endif %}
        {%- if source is not none %}
        union all
        select {{ column_list }} from {{ staged }}
        {%- endif %}
    {%- endset -%}
    {%- do run_query(query) -%}
    {%- do run_query('drop table ' ~ target) -%}
    {%- do run_query('alter table ' ~ new ~ ' rename to ' ~ target) -%}
    {{ return('drop table if exists ' ~ staged) }}
{% endmacro %}


{#-
  `delete from relation where predicate`, as a hook writes it: in place on DuckDB, by
  writing the table again on Spark.
-#}
{% macro delete_where(relation, predicate) %}
    {{ return(adapter.dispatch('delete_where')(relation, predicate)) }}
{% endmacro %}

{% macro default__delete_where(relation, predicate) %}
    delete from {{ relation }} where {{ predicate }}
{% endmacro %}

{% macro spark__delete_where(relation, predicate) %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(spark_replace_rows(relation, keep_where='not coalesce(' ~ predicate ~ ', false)')) }}
{% endmacro %}


{#-
  The contracts' column types are DuckDB's names (varchar, timestamp with time zone…): on
  Spark the column names and their order are still enforced (dbt selects them by name), the
  types are not compared; the two-engine test compares the values instead.
-#}
{% macro spark__get_assert_columns_equivalent(sql) %}
    {{ return('') }}
{% endmacro %}
