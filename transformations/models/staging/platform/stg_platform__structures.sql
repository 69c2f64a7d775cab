-- One row per structure, its latest landed version. A table: a dozen models and tests read it,
-- and as a view each of them deduplicated the 1.3 M versions of 1,400 Parquet folders again.
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('platform', 'structures') }}
),

latest as (
    -- structures are landed once per version: keep the latest
    {{ latest_version('source', 'structure_id') }}
),

renamed as (
    select
        ---------- ids
        structure_id,
        siret,
        siren,
        vat_id,
        ---------- attributes
        name as structure_name,
        country_code,
        is_public,
        public_category,
        legal_payment_delay_days,
        supplier_size,
        requires_engagement_number,
        requires_service_code,
        reports_payment_status,
        is_active,
        vat_regime,
        coalesce(vat_on_debits, false) as vat_on_debits,
        ---------- timestamps
        created_at,
        cast(timezone('Europe/Paris', created_at) as date) as created_date,
        updated_at
    from latest
)

select * from renamed
