with source as (
    select * from {{ source('raw', 'documents') }}
),

renamed as (
    select
        cast(doc_id as varchar) as doc_id,
        cast(doc as varchar) as doc_name,
        cast(path as varchar) as path,
        cast(sha256 as varchar) as sha256,
        cast(size_bytes as bigint) as size_bytes,
        cast(format as varchar) as file_format,
        cast(pages as integer) as n_pages,
        nullif(trim(cast(title as varchar)), '') as inferred_title,
        nullif(trim(cast(doc_kind as varchar)), '') as inferred_doc_kind,
        cast(fiscal_year as integer) as inferred_fiscal_year,
        nullif(trim(cast(issuer_name as varchar)), '') as inferred_issuer_name,
        cast(layouts as varchar) as layouts,
        cast(read_status as varchar) as read_status,
        nullif(cast(error as varchar), '') as read_error,
        cast(n_observations as integer) as n_observations,
        cast(n_projects as integer) as n_projects,
        cast(n_review as integer) as n_review,
        cast(reader_version as varchar) as reader_version,
        cast(landed_at as timestamp) as landed_at
    from source
)

select * from renamed
