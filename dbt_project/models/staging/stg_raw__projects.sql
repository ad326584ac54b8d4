with source as (
    select * from {{ source('raw', 'projects') }}
),

renamed as (
    select
        cast(project_id as varchar) as project_row_id,
        cast(doc_id as varchar) as doc_id,
        cast(seq as integer) as seq,
        nullif(trim(cast(grant_program as varchar)), '') as grant_program_printed,
        cast(project_name as varchar) as project_name_printed,
        cast(fiscal_year as integer) as fiscal_year,
        cast(cost_value as double) as cost_value,
        nullif(trim(cast(cost_unit as varchar)), '') as cost_unit,
        nullif(trim(cast(effect_rating as varchar)), '') as effect_rating,
        nullif(trim(cast(future_plan as varchar)), '') as future_plan,
        cast(page as integer) as page,
        cast(line as integer) as line,
        nullif(cast(cell as varchar), '') as cell,
        cast(reader as varchar) as reader
    from source
)

select * from renamed
