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


{#- The pre-hook of such a mart: delete the rows its run rebuilds; the model appends them
    again in the same transaction. -#}
{% macro ereporting_delete_changed(records, declarant, day) %}
    {%- if is_incremental() -%}
        {{ delete_where(this, ereporting_changed(records, declarant, day)) }}
    {%- endif -%}
{% endmacro %}


{#-
  fct_ereporting_invoice_vat_lines' pre-hook: delete the lines of the reported invoices
  landed on the days read (they are read again: a recycled invoice lands again without its
  lines) and of the invoices no longer reported.
-#}
{% macro vat_lines_delete_changed() %}
    {%- if is_incremental() -%}
        {%- set invoices = ref('fct_ereporting_invoices') -%}
        {%- set changed -%}
            invoice_id in (
                select invoice_id from {{ invoices }}
                where {{ landing_window('last_landed_date', 'last_landed_date') }}
            )
            or invoice_id not in (select invoice_id from {{ invoices }})
        {%- endset -%}
        {{ delete_where(this, changed) }}
    {%- endif -%}
{% endmacro %}


{#-
  The first landing day fct_ereporting_invoice_vat_lines must read: the earliest deposit day
  of the reported invoices whose lines a run appends (landed on the days read, or without
  lines), read before the pre-hook; none (a day after any) if there are no such invoices.
-#}
{% macro vat_lines_first_day() %}
    {%- if not execute -%}
        {{ return('1900-01-01') }}
    {%- endif -%}
    {%- set query -%}
        select min(deposited_date)
        from {{ ref('fct_ereporting_invoices') }}
        where {{ landing_window('last_landed_date', 'last_landed_date') }}
            or invoice_id not in (select invoice_id from {{ this }})
    {%- endset -%}
    {%- set first = run_query(query).columns[0].values()[0] -%}
    {{ return('9999-12-31' if first is none else first | string) }}
{% endmacro %}
