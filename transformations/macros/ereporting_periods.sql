{#-
  E-reporting transmission periods and filing deadlines (e-reporting.md §6, DGFiP table 13).

  `day`: the trigger date (operation date for transaction data, date of receipt for payment
  data); `regime`: the declarant's VAT regime; `kind`: a SQL expression, 'transactions' or 'payments'.
-#}

{%- macro ereporting_period_start(day, regime, kind) -%}
    case
        when {{ regime }} = 'reel_normal_mensuel' and {{ kind }} = 'transactions' then
            cast(date_trunc('month', {{ day }}) as date)
            + cast(case when day({{ day }}) <= 10 then 0 when day({{ day }}) <= 20 then 10 else 20 end
                   as integer)
        when {{ regime }} = 'franchise' then
            -- calendar two-month periods: January, March, May, July, September, November
            make_date(year({{ day }}), {{ int_div('month(' ~ day ~ ') - 1', 2) }} * 2 + 1, 1)
        else cast(date_trunc('month', {{ day }}) as date)
    end
{%- endmacro -%}


{%- macro ereporting_period_end(day, regime, kind) -%}
    case
        when {{ regime }} = 'reel_normal_mensuel' and {{ kind }} = 'transactions'
            and day({{ day }}) <= 20 then
            cast(date_trunc('month', {{ day }}) as date) + cast(case when day({{ day }}) <= 10 then 9 else 19 end as integer)
        when {{ regime }} = 'franchise' then
            last_day(make_date(year({{ day }}), {{ int_div('month(' ~ day ~ ') - 1', 2) }} * 2 + 2, 1))
        else last_day({{ day }})
    end
{%- endmacro -%}


{#- The day the declarant's data must reach its platform, from the period's last day. -#}
{%- macro ereporting_platform_deadline(period_end, regime, kind) -%}
    case
        when {{ regime }} = 'reel_normal_mensuel' and {{ kind }} = 'transactions'
            and day({{ period_end }}) = 10 then {{ period_end }} + 10
        when {{ regime }} = 'reel_normal_mensuel' and {{ kind }} = 'transactions'
            and day({{ period_end }}) = 20 then last_day({{ period_end }})
        when {{ regime }} in ('reel_normal_mensuel', 'reel_normal_trimestriel') then
            -- the 10th of the next month
            {{ period_end }} + 10
        else
            -- réel simplifié and franchise: the last day of the next month
            last_day({{ period_end }} + 1)
    end
{%- endmacro -%}
