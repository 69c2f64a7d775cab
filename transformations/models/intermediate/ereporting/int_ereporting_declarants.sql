-- One row per e-reporting declarant: a structure with a VAT regime (it sets its periods).
-- A view: its readers join it to the few rows a day's build changes, and the structures
-- are a table (a table copied the 1.2 M declarants each day, 0.4–5 s of a national day;
-- it was one when the structures were still read from the Parquet files).
{{ config(materialized='view') }}

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
