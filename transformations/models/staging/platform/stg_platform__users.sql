with

source as (
    select * from {{ source('platform', 'users') }}
),

renamed as (
    select
        ---------- ids
        user_id,
        structure_id,
        ---------- attributes
        role as user_role,
        ---------- timestamps
        created_at,
        {{ local_date('created_at') }} as created_date
    from source
)

select * from renamed
