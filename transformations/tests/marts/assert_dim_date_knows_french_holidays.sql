-- Easter Monday, Ascension and Whit Monday 2024 (1 April, 9 May, 20 May), Easter Monday 2025
-- (21 April) and 14 July are holidays; 2 April 2024 is a working Tuesday; 2024 has 11
-- public holidays (none falls twice).
with expected as (
    select * from (values
        (date '2024-04-01', true), (date '2024-05-09', true), (date '2024-05-20', true),
        (date '2025-04-21', true), (date '2024-07-14', true), (date '2024-04-02', false)
    ) as t(date_day, is_public_holiday)
)

select e.date_day, e.is_public_holiday as expected, d.is_public_holiday as found
from expected as e
left join {{ ref('dim_date') }} as d on e.date_day = d.date_day
where d.is_public_holiday is distinct from e.is_public_holiday
union all
select null, null, null
from {{ ref('dim_date') }}
where year = 2024
having count(*) filter (where is_public_holiday) != 11
