with

source as (
    select * from {{ source('platform', 'deposit_refusals') }}
),

renamed as (
    select
        ---------- ids
        refusal_id,
        supplier_structure_id,
        recipient_siret,
        ---------- attributes
        invoice_number,
        channel,
        syntax,
        rule_code,
        rule_codes,
        ---------- timestamps
        refused_at,
        {{ local_date('refused_at') }} as refused_date
    from source
)

select * from renamed
