{#-
  The landing zone as the sources' relations. On DuckDB each source reads its Parquet
  folder directly (`external_location` in _platform__sources.yml). On Spark a source is a
  view in the `raw` database over the same folder: Spark discovers the `date=` partitions
  (as dates) at every query, so a day landed since is read without a metastore repair.
  Run by `on-run-start`.
-#}
{% macro create_landing_views() %}
    {{ return(adapter.dispatch('create_landing_views')()) }}
{% endmacro %}

{% macro default__create_landing_views() %}
    {{ return('') }}
{% endmacro %}

{% macro spark__create_landing_views() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set landing = env_var('VIGIE_LANDING_DIR') -%}
    {#- one statement per call: a Spark cursor runs one -#}
    {%- for source in graph.sources.values() if source.source_name == 'platform' -%}
        {%- if loop.first -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
        {%- endif -%}
        {%- do run_query(
            'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
            ~ ' as select * from parquet.`' ~ landing ~ '/' ~ source.name ~ '`'
        ) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
