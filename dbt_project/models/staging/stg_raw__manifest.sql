with source as (
    select * from {{ source('raw', 'manifest') }}
),

-- A file named by an absolute path (/home/…, C:\…, \\server\…) or by one with a `..` step is not a
-- document under raw/: the line is reviewed, and the host's folders it names go no further.
files as (
    select
        *,
        nullif(trim(cast(file as varchar)), '') as file_printed,
        regexp_matches(trim(cast(file as varchar)), '^([/\\]|[A-Za-z]:[/\\])|(^|[/\\])\.\.([/\\]|$)') as is_outside_raw
    from source
),

renamed as (
    select
        cast(line as integer) as manifest_line,
        case when not is_outside_raw then file_printed end as doc_id,
        case when is_outside_raw then '…/' || regexp_extract(file_printed, '[^/\\]*$') end as file_outside_raw,
        nullif(trim(cast(issuer_name as varchar)), '') as issuer_name,
        nullif(trim(cast(issuer_code as varchar)), '') as issuer_code_printed,
        nullif(trim(cast(doc_kind as varchar)), '') as doc_kind_printed,
        nullif(trim(cast(fiscal_year as varchar)), '') as fiscal_year_printed,
        try_cast(trim(cast(fiscal_year as varchar)) as integer) as fiscal_year,
        nullif(trim(cast(title as varchar)), '') as title,
        nullif(trim(cast(publisher as varchar)), '') as publisher,
        nullif(trim(cast(retrieved_on as varchar)), '') as retrieved_on_printed,
        try_cast(trim(cast(retrieved_on as varchar)) as date) as retrieved_on,
        nullif(trim(cast(source_url as varchar)), '') as source_url,
        nullif(cast(extra as varchar), '') as extra_fields
    from files
)

select * from renamed
