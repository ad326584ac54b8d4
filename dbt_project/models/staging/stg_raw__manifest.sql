with source as (
    select * from {{ source('raw', 'manifest') }}
),

renamed as (
    select
        cast(line as integer) as manifest_line,
        nullif(trim(cast(file as varchar)), '') as doc_id,
        nullif(trim(cast(issuer_name as varchar)), '') as issuer_name,
        nullif(trim(cast(issuer_code as varchar)), '') as issuer_code_printed,
        nullif(trim(cast(doc_kind as varchar)), '') as doc_kind_printed,
        nullif(trim(cast(fiscal_year as varchar)), '') as fiscal_year_printed,
        try_cast(trim(cast(fiscal_year as varchar)) as integer) as fiscal_year,
        nullif(trim(cast(title as varchar)), '') as title,
        nullif(trim(cast(publisher as varchar)), '') as publisher,
        nullif(trim(cast(retrieved_on as varchar)), '') as retrieved_on_printed,
        try_cast(trim(cast(retrieved_on as varchar)) as date) as retrieved_on,
        nullif(cast(extra as varchar), '') as extra_fields
    from source
)

select * from renamed
