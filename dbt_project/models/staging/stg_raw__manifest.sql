with source as (
    select * from {{ source('raw', 'manifest') }}
),

renamed as (
    select
        cast(file as varchar) as doc_id,
        nullif(trim(cast(issuer_name as varchar)), '') as issuer_name,
        -- a code read from CSV may have lost its leading zero
        lpad(nullif(trim(cast(issuer_code as varchar)), ''), 6, '0') as issuer_code,
        nullif(trim(cast(doc_kind as varchar)), '') as doc_kind,
        cast(fiscal_year as integer) as fiscal_year,
        nullif(trim(cast(title as varchar)), '') as title,
        nullif(trim(cast(publisher as varchar)), '') as publisher,
        cast(retrieved_on as date) as retrieved_on
    from source
)

select * from renamed
