-- One row per structure, its latest landed version. A table: a dozen models and tests read
-- it, and as a view each of them deduplicated the versions of 1,400 Parquet folders again.
-- Incremental by landing day, like the invoices: the versions of the days read replace the
-- one kept unless it is newer.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='structure_id',
        on_schema_change='fail',
    )
}}

with

source as (
    select * from {{ source('platform', 'structures') }}
    where {{ landing_window('landed_date') }}
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
        {{ local_date('created_at') }} as created_date,
        updated_at,
        cast(date as date) as landed_date
    from latest
),

{% if is_incremental() %}
final as (
    {{ not_older_than_kept('renamed', 'structure_id') }}
)
{% else %}
final as (
    select * from renamed
)
{% endif %}

select * from final
