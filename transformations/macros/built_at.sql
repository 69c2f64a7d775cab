{#-
  When the dbt invocation that wrote a row started (`run_started_at`, UTC): every row a
  build inserts carries it. The serving publication copies, of the large tables, only the
  rows built after those it holds, by the model's key (orchestration/publish.py): the keys a
  build replaced are those of its rows, recorded by dbt as it writes them.
-#}
{% macro built_at() -%}
    cast('{{ run_started_at.isoformat() }}' as {{ type_timestamp_tz() }})
{%- endmacro %}
