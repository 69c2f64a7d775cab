-- One row per calendar day from the hub's launch (2012) to the end of next year: calendar
-- attributes, décade (e-reporting periods) and French public holidays (Easter computed).
with

days as (
    select date_day
    from {{ days_between_dates(
        "date '2012-01-01'",
        "cast(date_trunc('year', current_date) + interval 2 year - interval 1 day as date)",
    ) }}
),

years as (
    -- Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)
    select
        y,
        y % 19 as a, {{ int_div('y', '100') }} as b, y % 100 as c
    from (select distinct year(date_day) as y from days)
),

easter as (
    select
        y,
        make_date(
            y,
            {{ int_div('(h + l - 7 * m + 114)', '31') }},
            ((h + l - 7 * m + 114) % 31) + 1
        ) as easter_sunday
    from (
        select *, {{ int_div('(a + 11 * h + 22 * l)', '451') }} as m
        from (
            select *, (32 + 2 * e + 2 * i - h - k) % 7 as l
            from (
                select *, (19 * a + b - d - g + 15) % 30 as h, {{ int_div('c', '4') }} as i, c % 4 as k
                from (
                    select *, {{ int_div('b', '4') }} as d, b % 4 as e, {{ int_div('(b - f + 1)', '3') }} as g
                    from (select *, {{ int_div('(b + 8)', '25') }} as f from years)
                )
            )
        )
    )
),

holidays as (
    select make_date(y, m, d) as holiday_date
    from (select distinct year(date_day) as y from days),
        (values (1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)) as f(m, d)
    union all
    select easter_sunday + 1 from easter  -- lundi de Pâques
    union all
    select easter_sunday + 39 from easter  -- Ascension
    union all
    select easter_sunday + 50 from easter  -- lundi de Pentecôte
),

final as (
    select
        d.date_day,
        cast(year(d.date_day) as integer) as year,
        cast(quarter(d.date_day) as integer) as quarter,
        cast(month(d.date_day) as integer) as month,
        cast(date_trunc('month', d.date_day) as date) as month_start_date,
        cast(day(d.date_day) as integer) as day_of_month,
        cast({{ iso_day_of_week('d.date_day') }} as integer) as iso_day_of_week,
        cast(weekofyear(d.date_day) as integer) as iso_week,
        cast(least(3, {{ int_div('day(d.date_day) - 1', 10) }} + 1) as integer) as decade_of_month,
        {{ iso_day_of_week('d.date_day') }} >= 6 as is_weekend,
        h.holiday_date is not null as is_public_holiday,
        {{ iso_day_of_week('d.date_day') }} < 6 and h.holiday_date is null as is_working_day
    from days as d
    left join (select distinct holiday_date from holidays) as h on d.date_day = h.holiday_date
)

select * from final
