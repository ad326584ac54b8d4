{#- The Cabinet Office's two headline rates, by issuer, grant programme and fiscal year:
    the share of projects that met at least one KPI target, and the share of KPIs that met
    their target. Denominators are the projects and KPIs with a judgeable result (an actual
    and a target); counts of all projects and KPIs are beside them, and spend where printed. -#}

with results as (
    select * from {{ ref('fct_kpi_result') }}
),

project_years as (
    select * from {{ ref('fct_project_cost') }}
),

kpi_counts as (
    select
        issuer_code,
        grant_program_id,
        fiscal_year,
        count(distinct kpi_id) as n_kpis,
        count(distinct kpi_id) filter (where target_met is not null) as n_kpis_with_result,
        count(distinct kpi_id) filter (where target_met) as n_kpis_met,
        count(distinct kpi_id) filter (where target_met is not null and is_verified) as n_kpis_verified
    from results
    group by all
),

project_outcomes as (
    select
        issuer_code,
        grant_program_id,
        fiscal_year,
        project_id,
        bool_or(target_met is not null) as has_result,
        coalesce(bool_or(target_met), false) as any_kpi_met
    from results
    group by all
),

project_counts as (
    select
        issuer_code,
        grant_program_id,
        fiscal_year,
        count(*) as n_projects,
        count(*) filter (where has_result) as n_projects_with_result,
        count(*) filter (where any_kpi_met) as n_projects_with_kpi_met
    from project_outcomes
    group by all
),

spend as (
    select
        issuer_code,
        grant_program_id,
        fiscal_year,
        count(cost_yen) as n_projects_with_cost,
        sum(cost_yen) as total_cost_yen
    from project_years
    group by all
),

slices as (
    select issuer_code, grant_program_id, fiscal_year from kpi_counts
    union
    select issuer_code, grant_program_id, fiscal_year from spend
),

final as (
    select
        md5(concat_ws('|', coalesce(slices.issuer_code, '?'), coalesce(slices.grant_program_id, '?'),
            slices.fiscal_year)) as summary_id,
        slices.issuer_code,
        slices.grant_program_id,
        slices.fiscal_year,
        coalesce(project_counts.n_projects, 0) as n_projects,
        coalesce(project_counts.n_projects_with_result, 0) as n_projects_with_result,
        coalesce(project_counts.n_projects_with_kpi_met, 0) as n_projects_with_kpi_met,
        project_counts.n_projects_with_kpi_met / nullif(project_counts.n_projects_with_result, 0)
            as share_projects_with_kpi_met,
        coalesce(kpi_counts.n_kpis, 0) as n_kpis,
        coalesce(kpi_counts.n_kpis_with_result, 0) as n_kpis_with_result,
        coalesce(kpi_counts.n_kpis_met, 0) as n_kpis_met,
        kpi_counts.n_kpis_met / nullif(kpi_counts.n_kpis_with_result, 0) as share_kpis_met,
        coalesce(kpi_counts.n_kpis_verified, 0) as n_kpis_verified,
        kpi_counts.n_kpis_verified / nullif(kpi_counts.n_kpis_with_result, 0) as share_kpis_verified,
        coalesce(spend.n_projects_with_cost, 0) as n_projects_with_cost,
        spend.total_cost_yen
    from slices
    left join kpi_counts
        on kpi_counts.issuer_code is not distinct from slices.issuer_code
        and kpi_counts.grant_program_id is not distinct from slices.grant_program_id
        and kpi_counts.fiscal_year = slices.fiscal_year
    left join project_counts
        on project_counts.issuer_code is not distinct from slices.issuer_code
        and project_counts.grant_program_id is not distinct from slices.grant_program_id
        and project_counts.fiscal_year = slices.fiscal_year
    left join spend
        on spend.issuer_code is not distinct from slices.issuer_code
        and spend.grant_program_id is not distinct from slices.grant_program_id
        and spend.fiscal_year = slices.fiscal_year
)

select * from final
