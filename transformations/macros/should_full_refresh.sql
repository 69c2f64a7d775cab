{#-
  dbt's own `should_full_refresh`, which `is_incremental()` and the incremental
  materialization ask, plus the models named in the var `rebuild_models`: `vigie pipeline
  run` and the Dagster build name there the models whose code (or whose inputs' contract)
  changed since the last build, and their dependents (`state:modified+` against the
  manifest of that build), so that they alone are rebuilt from the whole landing zone.
-#}
{% macro should_full_refresh() %}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is none -%}
        {%- set configured = flags.FULL_REFRESH -%}
    {%- endif -%}
    {{ return(configured or model.name in var('rebuild_models', [])) }}
{% endmacro %}
