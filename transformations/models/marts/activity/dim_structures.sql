with

structures as (
    select * from {{ ref('stg_platform__structures') }}
),

final as (
    select
        structure_id,
        siret,
        siren,
        structure_name,
        is_public,
        public_category,
        supplier_size,
        cast(legal_payment_delay_days as integer) as legal_payment_delay_days,
        reports_payment_status,
        is_active,
        created_date
    from structures
)

select * from final
