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
  again in the same transaction. A table from before its bookkeeping columns (the
  declarant's, `last_landed_date`, and any other in `columns` the model needs filled) is
  rebuilt whole instead (`ereporting_rebuilt`), its old rows deleted by the post-hook
  (`ereporting_delete_upgraded`): the columns are added after the pre-hook, and DuckDB
  refuses to commit a table altered after rows were deleted from it in the same transaction.
-#}
{% macro ereporting_delete_changed(records, declarant, day, columns=[]) %}
    {%- if is_incremental() and not ereporting_rebuilt([declarant, 'last_landed_date'] + columns) -%}
        delete from {{ this }}
        where {{ ereporting_changed(records, declarant, day) }}
    {%- endif -%}
{% endmacro %}


{#- True on an incremental run over a table that lacks one of `columns` (an upgrade): the
    model returns every row. -#}
{% macro ereporting_rebuilt(columns) %}
    {{- return(is_incremental() and columns_missing(columns)) -}}
{% endmacro %}


{#- The post-hook: the rows of a table from before `columns`, whose new rows all have them. -#}
{% macro ereporting_delete_upgraded(columns=['last_landed_date']) %}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ columns | map('string') | join(' is null or ') }} is null
    {%- endif -%}
{% endmacro %}


{#-
  fct_ereporting_invoice_vat_lines' pre-hook: delete the lines of the reported invoices
  landed on the days read (they are read again: a recycled invoice lands again without its
  lines) and of the invoices no longer reported.
-#}
{% macro vat_lines_delete_changed() %}
    {%- if is_incremental() and not columns_missing(['last_landed_date']) -%}
        {%- set invoices = ref('fct_ereporting_invoices') -%}
        delete from {{ this }}
        where invoice_id in (
            select invoice_id from {{ invoices }}
            where {{ landing_window('last_landed_date', 'last_landed_date') }}
        )
        or invoice_id not in (select invoice_id from {{ invoices }})
    {%- endif -%}
{% endmacro %}


{#-
  The first landing day fct_ereporting_invoice_vat_lines must read: the earliest deposit day
  of the reported invoices whose lines a run appends (landed on the days read, or without
  lines), read before the pre-hook; every day if one has no deposit day (a mart from before
  that column), none (a day after any) if there are no such invoices.
-#}
{% macro vat_lines_first_day() %}
    {%- if not execute -%}
        {{ return('1900-01-01') }}
    {%- endif -%}
    {%- set query -%}
        select min(deposited_date), count(*) - count(deposited_date), count(*)
        from {{ ref('fct_ereporting_invoices') }}
        where {{ landing_window('last_landed_date', 'last_landed_date') }}
            or invoice_id not in (select invoice_id from {{ this }})
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- if row[1] > 0 -%}
        {{ return('1900-01-01') }}
    {%- elif row[2] == 0 -%}
        {{ return('9999-12-31') }}
    {%- endif -%}
    {{ return(row[0] | string) }}
{% endmacro %}
