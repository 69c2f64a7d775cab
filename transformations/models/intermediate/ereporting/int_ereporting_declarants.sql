-- One row per e-reporting declarant: a structure with a VAT regime (it sets its periods).
-- A table: several marts and tests read it (as a view, each read the Parquet files or
-- the structures again).
{{ config(materialized='table') }}

select
    structure_id,
    siren,
    structure_name as declarant_name,
    vat_regime,
    vat_on_debits,
    vat_id,
    country_code
from {{ ref('stg_platform__structures') }}
where vat_regime is not null
