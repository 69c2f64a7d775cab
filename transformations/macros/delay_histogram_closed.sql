{#-
  `int_payment_delays_histogram_closed` holds the histogram of the latest payment year added
  up over its closed months: those before the histogram's latest month, which it names in
  `before_month_start_date`. The yearly reports add the months from that one on to it
  instead of adding up every month of the year again each day.

  It is stale, and replaced whole, when the histogram's latest month is no longer the one it
  stops before (a new month: once a month), or when a month it holds changed on the days
  read (a backfill): the first payment month that changed, as the reports find it, is
  before the month it stops before.
-#}
{% macro payment_delays_closed_months_stale() %}
    {%- if not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set histogram = ref('int_payment_delays_histogram') -%}
    {%- set changed = first_changed_month(
        histogram, 'payment_month_start_date', this_column='as_of_event_date') -%}
    {%- set query -%}
        with kept as (select max(before_month_start_date) as before_month from {{ this }})
        select
            kept.before_month is distinct from (
                select max(payment_month_start_date) from {{ histogram }}
            )
            or coalesce({{ changed }} < kept.before_month, false)
        from kept
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}


{#-
  The histogram's rows of the payment years a yearly report must add up, one row per year ×
  recipient × public category × observed delay and closed-months base or month: on an
  incremental run the years from that of the first payment month that changed, everything
  otherwise. The closed months of the latest year come added up from
  `int_payment_delays_histogram_closed` (7.3 M rows for a national year, where its months
  are 27.5 M), the other months from the histogram; each part's months as literals, so that
  the histogram's row groups outside them are skipped.
-#}
{% macro payment_delays_year_rows() %}
    {%- set histogram = ref('int_payment_delays_histogram') -%}
    {%- set closed = ref('int_payment_delays_histogram_closed') -%}
    {%- set first_month = none -%}
    {%- set before_month = none -%}
    {%- if execute -%}
        {%- if is_incremental() -%}
            {%- set first_month = run_query(
                "select cast(date_trunc('year', "
                ~ first_changed_month(histogram, 'payment_month_start_date') ~ ") as date)"
            ).columns[0].values()[0] -%}
        {%- endif -%}
        {#- (a unit test gives the closed months as rows, not as a table to ask) #}
        {%- if closed.schema is not none -%}
        {%- set before_month = run_query(
            'select max(before_month_start_date) from ' ~ closed
        ).columns[0].values()[0] -%}
        {%- endif -%}
    {%- endif -%}
    {%- if is_incremental() and first_month is none %}
    -- nothing changed
    select
        {{ payment_delays_year_columns('year(payment_month_start_date)') }}
    from {{ histogram }}
    where false
    {%- else %}
    {%- set from_month = "date '" ~ first_month ~ "'" if first_month is not none else none %}
    {%- if before_month is not none %}
    {%- set year_start = "cast(date_trunc('year', date '" ~ before_month ~ "') as date)" %}
    {%- set before = "date '" ~ before_month ~ "'" %}
    select {{ payment_delays_year_columns('year') }}
    from {{ closed }}
    {%- if from_month %}
    where year >= year({{ from_month }})
    {%- endif %}
    union all
    select {{ payment_delays_year_columns('year(payment_month_start_date)') }}
    from {{ histogram }}
    where payment_month_start_date < {{ year_start }}
    {%- if from_month %}
        and payment_month_start_date >= {{ from_month }}
    {%- endif %}
    union all
    select {{ payment_delays_year_columns('year(payment_month_start_date)') }}
    from {{ histogram }}
    where payment_month_start_date >= {{ before }}
    {%- if from_month %}
        and payment_month_start_date >= {{ from_month }}
    {%- endif %}
    {%- else %}
    select {{ payment_delays_year_columns('year(payment_month_start_date)') }}
    from {{ histogram }}
    {%- if from_month %}
    where payment_month_start_date >= {{ from_month }}
    {%- endif %}
    {%- endif %}
    {%- endif %}
{%- endmacro %}


{%- macro payment_delays_year_columns(year) -%}
        cast({{ year }} as integer) as year,
        recipient_structure_id,
        public_category,
        observed_delay_days,
        paid_invoice_count,
        late_invoice_count,
        late_interest_eur,
        recovery_indemnity_eur,
        paid_amount_eur,
        due_dated_amount_eur,
        amount_days_after_due,
        last_event_date
{%- endmacro -%}
