{#- summary_kpi_achievement for people: the two headline rates per issuer, programme and fiscal
    year with the issuer's name and prefecture, the programme's name and the 和暦 fiscal year. -#}

with summary as (
    select * from {{ ref('summary_kpi_achievement') }}
),

final as (
    select
        summary.summary_id,
        summary.fiscal_year,
        years.fiscal_year_ja,
        summary.issuer_code,
        issuers.issuer_name,
        issuers.prefecture,
        summary.grant_program_id,
        programs.name_ja as grant_program_name,
        summary.n_projects,
        summary.n_projects_with_result,
        summary.n_projects_with_kpi_met,
        summary.share_projects_with_kpi_met,
        summary.n_kpis,
        summary.n_kpis_with_result,
        summary.n_kpis_met,
        summary.share_kpis_met,
        summary.n_kpis_verified,
        summary.share_kpis_verified,
        summary.n_projects_with_cost,
        summary.total_cost_yen
    from summary
    left join {{ ref('dim_issuer') }} as issuers on issuers.issuer_code = summary.issuer_code
    left join {{ ref('dim_grant_program') }} as programs
        on programs.grant_program_id = summary.grant_program_id
    left join {{ ref('dim_fiscal_year') }} as years on years.fiscal_year = summary.fiscal_year
)

select * from final
