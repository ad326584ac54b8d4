-- The summary's two headline rates, recomputed from fct_kpi_result by their definitions:
-- share of KPIs met among KPIs with a judgeable result, and share of projects with at least
-- one KPI met among projects with at least one judgeable KPI. Returns slices that disagree.
with results as (
    select * from {{ ref('fct_kpi_result') }}
    where target_met is not null
),

kpi_rate as (
    select
        issuer_code, grant_program_id, fiscal_year,
        avg(case when target_met then 1.0 else 0.0 end) as share_kpis_met
    from results
    group by all
),

project_rate as (
    select issuer_code, grant_program_id, fiscal_year, avg(met) as share_projects_with_kpi_met
    from (
        select issuer_code, grant_program_id, fiscal_year, project_id,
            max(case when target_met then 1.0 else 0.0 end) as met
        from results
        group by all
    )
    group by all
),

-- an issuer or programme that did not resolve is a NULL key: its slice is compared like any other
expected as (
    select kpi_rate.*, project_rate.share_projects_with_kpi_met
    from kpi_rate
    inner join project_rate
        on project_rate.issuer_code is not distinct from kpi_rate.issuer_code
        and project_rate.grant_program_id is not distinct from kpi_rate.grant_program_id
        and project_rate.fiscal_year = kpi_rate.fiscal_year
),

summary as (
    select * from {{ ref('summary_kpi_achievement') }}
)

select
    coalesce(summary.issuer_code, expected.issuer_code) as issuer_code,
    coalesce(summary.grant_program_id, expected.grant_program_id) as grant_program_id,
    coalesce(summary.fiscal_year, expected.fiscal_year) as fiscal_year,
    summary.share_kpis_met,
    expected.share_kpis_met as expected_share_kpis_met,
    summary.share_projects_with_kpi_met,
    expected.share_projects_with_kpi_met as expected_share_projects_with_kpi_met
from summary
full outer join expected
    on summary.issuer_code is not distinct from expected.issuer_code
    and summary.grant_program_id is not distinct from expected.grant_program_id
    and summary.fiscal_year = expected.fiscal_year
where (summary.share_kpis_met is not null or expected.share_kpis_met is not null)
  and (
      summary.summary_id is null
      or expected.fiscal_year is null
      or abs(summary.share_kpis_met - expected.share_kpis_met) > 1e-9
      or abs(summary.share_projects_with_kpi_met - expected.share_projects_with_kpi_met) > 1e-9
  )
