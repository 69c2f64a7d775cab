-- One row per e-reporting declarant: a structure with a VAT regime (it sets its periods).
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
