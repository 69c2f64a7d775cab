{#-
  Keep the latest landed version of each `key` (rows landed again on every change).

  Nearly every key has one version: those go straight through (an anti-join against the
  few keys with several), and only the keys with several versions go through the window.
  A window over every row kept all columns in memory and ran out of it at national scale.
  `tie_breaker` decides between rows of the same version (higher wins).
-#}
{% macro latest_version(relation, key, version_column='updated_at', tie_breaker=none) %}
    select * from {{ relation }}
    where {{ key }} not in (
        select {{ key }} from {{ relation }} group by {{ key }} having count(*) > 1
    )
    union all by name
    select * from (
        select * from {{ relation }}
        where {{ key }} in (
            select {{ key }} from {{ relation }} group by {{ key }} having count(*) > 1
        )
        qualify row_number() over (
            partition by {{ key }}
            order by {{ version_column }} desc{% if tie_breaker %}, {{ tie_breaker }} desc{% endif %}
        ) = 1
    )
{% endmacro %}
