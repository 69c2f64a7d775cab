{#- Keep the latest landed version of each `key` (rows landed again on every change). -#}
{% macro latest_version(relation, key, version_column='updated_at') %}
    select * from {{ relation }}
    qualify row_number() over (partition by {{ key }} order by {{ version_column }} desc) = 1
{% endmacro %}
