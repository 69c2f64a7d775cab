{#-
  The smallest value whose cumulative count reaches `fraction` of its group, in a histogram
  aggregated with `cumulative_count` and `group_count` window columns: an exact percentile
  without the per-group quantile aggregate (which ran out of memory at national scale).
-#}
{% macro histogram_percentile(value, fraction_numerator, fraction_denominator) %}
    min({{ value }}) filter (
        where cumulative_count * {{ fraction_denominator }} >= group_count * {{ fraction_numerator }}
    )
{% endmacro %}
