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
    union all
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


{#-
  The rows of `relation` (versions just read) not older than the version this incremental
  model keeps of their `key`: they replace it (on equal versions the row just read wins, so
  a landing day loaded again after a correction replaces what it held); a key whose kept
  version is newer is left as it is. The kept versions are read on two columns, for the
  keys read only, not as whole rows of the table.
-#}
{% macro not_older_than_kept(relation, key, version_column='updated_at') %}
    select * from {{ relation }} as r
    where not exists (
        select 1
        from (
            select {{ key }}, {{ version_column }} from {{ this }}
            where {{ key }} in (select {{ key }} from {{ relation }})
        ) as k
        where k.{{ key }} = r.{{ key }} and k.{{ version_column }} > r.{{ version_column }}
    )
{% endmacro %}
