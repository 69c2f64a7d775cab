with

source as (
    select * from {{ source('platform', 'solicitations') }}
),

renamed as (
    select
        ---------- ids
        solicitation_id,
        structure_id,
        invoice_id,
        ---------- attributes
        category,
        channel as solicitation_channel,
        ---------- timestamps
        created_at,
        {{ local_date('created_at') }} as created_date
    from source
)

select * from renamed
