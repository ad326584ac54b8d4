with source as (
    select * from {{ source('raw', 'corrections') }}
),

renamed as (
    select
        cast(correction_line as integer) as correction_line,
        lower(nullif(trim(cast(sha256 as varchar)), '')) as sha256,
        nullif(trim(cast(file as varchar)), '') as doc_id,
        nullif(trim(cast(page as varchar)), '') as page_printed,
        try_cast(trim(cast(page as varchar)) as integer) as page,
        nullif(trim(cast(line as varchar)), '') as line_printed,
        try_cast(trim(cast(line as varchar)) as integer) as line,
        nullif(trim(cast(cell as varchar)), '') as cell,
        nullif(trim(cast(project_name as varchar)), '') as project_name,
        nullif(trim(cast(kpi_name as varchar)), '') as kpi_name,
        lower(nullif(trim(cast(measure as varchar)), '')) as measure,
        nullif(trim(cast(fiscal_year as varchar)), '') as fiscal_year_printed,
        try_cast(trim(cast(fiscal_year as varchar)) as integer) as fiscal_year,
        lower(nullif(trim(cast(action as varchar)), '')) as action,
        nullif(trim(cast(value as varchar)), '') as value_printed,
        try_cast(trim(cast(value as varchar)) as double) as value_number,
        nullif(trim(cast(unit as varchar)), '') as unit,
        nullif(trim(cast(author as varchar)), '') as author,
        nullif(trim(cast(corrected_on as varchar)), '') as corrected_on_printed,
        try_cast(trim(cast(corrected_on as varchar)) as date) as corrected_on,
        nullif(trim(cast(reason as varchar)), '') as reason,
        nullif(cast(extra as varchar), '') as extra_fields
    from source
)

select * from renamed
