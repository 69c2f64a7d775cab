{#-
  Incremental e-reporting marts (flows 10.1, 10.3 and 10.4). A run rebuilds what the days
  read changed: the rows of a (declarant structure, day) pair of the records landed on those
  days, and every row of a declarant whose structure landed again (its name or VAT regime,
  hence its periods, may have changed; a structure no longer a declarant loses its rows).
  A record keeps its declarant and its day (a B2C summary is one declarant's day), so no
  other row can have changed. Flow 10.1 passes the invoice id as its "day": an invoice is
  one seller's (a new version replaces its row).

  `records`: the staging table the mart aggregates (with `landed_date`); `declarant`, `day`:
  its columns naming the declarant structure and the day, which the mart keeps under the
  same names, with the latest `landed_date` of its records as `last_landed_date` (where
  the window starts when no days are given). The predicate reads the same on the records
  and on the mart.
-#}
{% macro ereporting_changed(records, declarant, day) %}
    (
        ({{ declarant }}, {{ day }}) in (
            select {{ declarant }}, {{ day }} from {{ records }}
            where {{ landing_window('last_landed_date', 'landed_date') }}
        )
        or {{ declarant }} in (
            select structure_id from {{ ref('stg_platform__structures') }}
            where {{ landing_window('last_landed_date', 'landed_date') }}
        )
    )
{% endmacro %}


{#-
  The pre-hook of such a mart: delete the rows its run rebuilds; the model appends them
  again in the same transaction. A table from before `declarant_structure_id` is rebuilt
  whole instead, its old rows deleted by the post-hook (`ereporting_delete_upgraded`): the
  columns are added after the pre-hook, and DuckDB refuses to commit a table altered after
  rows were deleted from it in the same transaction.
-#}
{% macro ereporting_delete_changed(records, declarant, day) %}
    {%- if is_incremental() and not columns_missing([declarant, 'last_landed_date']) -%}
        delete from {{ this }}
        where {{ ereporting_changed(records, declarant, day) }}
    {%- endif -%}
{% endmacro %}


{% macro ereporting_delete_upgraded() %}
    {%- if is_incremental() -%}
        delete from {{ this }} where last_landed_date is null
    {%- endif -%}
{% endmacro %}
