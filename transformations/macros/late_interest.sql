{#-
  Late-payment interest in euros (payment-delays.md §5): amount incl. VAT × annual rate ×
  days late / 365, computed exactly in integer cents and rounded half up to the cent;
  0 when nothing is late or the amount is not positive. `rate_pct` is the ECB rate + 8.
-#}
{% macro late_interest_eur(amount, rate_pct, days) %}
        cast(cast(
            case
                when {{ days }} > 0 and {{ amount }} > 0
                    then {{ int_div(
                        'cast(' ~ amount ~ ' * 100 as ' ~ type_huge_int() ~ ')'
                        ~ ' * cast(' ~ rate_pct ~ ' * 100 as ' ~ type_huge_int() ~ ')'
                        ~ ' * ' ~ days ~ ' + 1825000',
                        3650000,
                    ) }}
                else 0
            end as decimal(20, 0)
        ) * cast(0.01 as decimal(3, 2)) as decimal(18, 2))
{%- endmacro %}


{#- The first day of the half-year in which `day` falls: the ECB rate of that day applies. -#}
{% macro half_year_start(day) %}
    make_date(year({{ day }}), case when month({{ day }}) <= 6 then 1 else 7 end, 1)
{%- endmacro %}
