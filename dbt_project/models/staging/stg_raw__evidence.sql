with source as (
    select * from {{ source('raw', 'evidence') }}
),

renamed as (
    select
        cast(evidence_id as varchar) as evidence_id,
        cast(doc_id as varchar) as doc_id,
        cast(seq as integer) as seq,
        cast(kind as varchar) as kind,
        cast(grant_program as varchar) as grant_program,
        cast(project_name as varchar) as project_name,
        cast(kpi_name as varchar) as kpi_name,
        nullif(cast(measure as varchar), '') as measure,
        cast(fiscal_year as integer) as fiscal_year,
        cast(value as double) as value,
        cast(value_text as varchar) as value_text,
        nullif(cast(unit as varchar), '') as unit,
        nullif(cast(meaning as varchar), '') as meaning,
        cast(rate_min as double) as rate_min,
        cast(rate_max as double) as rate_max,
        nullif(cast(legend as varchar), '') as legend,
        cast(page as integer) as page,
        cast(line as integer) as line,
        nullif(cast(cell as varchar), '') as cell,
        cast(fragment as varchar) as fragment,
        cast(reader as varchar) as reader
    from source
)

select * from renamed
