-- One row per structure, its latest version.
--
-- Incremental by landing day, like stg_platform__structures: the structures landed on the
-- days read replace theirs (a national day lands a few thousand of the 1.3 M, which the
-- table copied whole each day, and the publication after it).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='structure_id',
        on_schema_change='fail',
    )
}}

with

structures as (
    select * from {{ ref('stg_platform__structures') }}
    where {{ landing_window('landed_date', 'landed_date') }}
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
        created_date,
        landed_date,
        {{ built_at() }} as built_at
    from structures
)

select * from final
