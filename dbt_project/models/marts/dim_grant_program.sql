with programs as (
    select * from {{ ref('grant_programs') }}
),

aliases as (
    select * from {{ ref('grant_program_aliases') }}
),

alias_lists as (
    select grant_program_id, string_agg(alias, ' / ' order by alias) as aliases
    from aliases
    group by grant_program_id
),

final as (
    select
        programs.grant_program_id,
        programs.name_ja,
        programs.family,
        nullif(programs.type_ja, '') as type_ja,
        programs.first_fiscal_year,
        programs.last_fiscal_year,
        nullif(programs.successor_id, '') as successor_id,
        alias_lists.aliases
    from programs
    left join alias_lists using (grant_program_id)
)

select * from final
