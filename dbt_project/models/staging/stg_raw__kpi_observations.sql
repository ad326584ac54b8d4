with source as (
    select * from {{ source('raw', 'kpi_observations') }}
),

renamed as (
    select
        cast(observation_id as varchar) as observation_id,
        cast(doc_id as varchar) as doc_id,
        cast(seq as integer) as seq,
        nullif(trim(cast(grant_program as varchar)), '') as grant_program_printed,
        cast(project_name as varchar) as project_name_printed,
        cast(kpi_name as varchar) as kpi_name_printed,
        cast(kpi_seq as integer) as kpi_seq,
        cast(measure as varchar) as measure,
        cast(fiscal_year as integer) as fiscal_year,
        cast(value as double) as value,
        cast(value_text as varchar) as value_text,
        nullif(trim(cast(unit as varchar)), '') as unit,
        nullif(trim(cast(status as varchar)), '') as status,
        cast(page as integer) as page,
        cast(line as integer) as line,
        nullif(cast(cell as varchar), '') as cell,
        cast(fragment as varchar) as fragment,
        cast(reader as varchar) as reader,
        cast(reader_version as varchar) as reader_version,
        cast(ocr_confidence as double) as ocr_confidence,
        cast(confidence as double) as confidence
    from source
)

select * from renamed
