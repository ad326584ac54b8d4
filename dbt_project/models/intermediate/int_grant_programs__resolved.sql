{#- Every grant programme name as printed (on observations and projects) mapped to a canonical
    programme through its canonical name or a known alias, compared width-folded and without
    spaces. A name that maps nowhere keeps a null id and is flagged for review. -#}

with observation_names as (
    select grant_program_printed from {{ ref('stg_raw__kpi_observations') }}
),

project_names as (
    select grant_program_printed from {{ ref('stg_raw__projects') }}
),

programs as (
    select * from {{ ref('grant_programs') }}
),

aliases as (
    select * from {{ ref('grant_program_aliases') }}
),

printed_names as (
    select distinct grant_program_printed
    from (
        select * from observation_names
        union all
        select * from project_names
    )
    where grant_program_printed is not null
),

known_names as (
    select {{ name_key('name_ja') }} as name_key, grant_program_id, 'canonical_name' as matched_by
    from programs
    union all
    select {{ name_key('alias') }} as name_key, grant_program_id, 'alias' as matched_by
    from aliases
),

matched as (
    select
        printed_names.grant_program_printed,
        known_names.grant_program_id,
        known_names.matched_by
    from printed_names
    left join known_names
        on known_names.name_key = {{ name_key('printed_names.grant_program_printed') }}
),

final as (
    select
        grant_program_printed,
        grant_program_id,
        coalesce(matched_by, 'unresolved') as grant_program_resolution
    from matched
)

select * from final
