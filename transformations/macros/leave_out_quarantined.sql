{#-
  Post-hook of a mart: delete the rows of the invoices set apart in fct_quarantined_records
  (for `rules`, or any rule), in a full build as in an incremental one, so that both leave
  the same rows out. A delete, not a filter in the model: an incremental model's
  delete+insert would otherwise keep the row an earlier run had written.
-#}
{%- macro leave_out_quarantined(key, rules=none) -%}
    {%- set quarantined -%}
    {{ key }} in (
        select invoice_id from {{ ref('fct_quarantined_records') }}
        {%- if rules %}
        where rule_code in ({% for r in rules %}'{{ r }}'{{ ", " if not loop.last }}{% endfor %})
        {%- endif %}
    )
    {%- endset -%}
    {{ delete_where(this, quarantined) }}
{%- endmacro -%}
