{{ config(**rebuilt_per_document('issuer_code')) }}

{#- One row per project of an issuer, linked across reports by its name without the
    department bracket (see int_kpis__identity). Name, department and programme are those of
    the latest report that prints the project. Rebuilt per issuer (macros/incremental.sql). -#}

with kpi_printings as (
    select * from {{ ref('int_kpis__identity') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

observations as (
    select * from {{ ref('int_kpi_observations__checked') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

project_rows as (
    select * from {{ ref('stg_raw__projects') }}
    where {{ rebuilt_rows_only('doc_id', 'issuer_code') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

grant_programs as (
    select * from {{ ref('int_grant_programs__resolved') }}
),

project_years as (
    select * from {{ ref('fct_project_cost') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

printings as (
    select
        kpi_printings.project_id,
        kpi_printings.issuer_code,
        kpi_printings.doc_id,
        kpi_printings.project_name,
        kpi_printings.department,
        observations.grant_program_id
    from kpi_printings
    inner join observations using (observation_id)
    union all
    select
        md5(documents.issuer_key || '|' || {{ project_key('project_rows.project_name_printed') }}),
        documents.issuer_code,
        project_rows.doc_id,
        {{ strip_department('project_rows.project_name_printed') }},
        {{ extract_department('project_rows.project_name_printed') }},
        grant_programs.grant_program_id
    from project_rows
    inner join documents using (doc_id)
    left join grant_programs using (grant_program_printed)
),

printings_with_year as (
    select printings.*, documents.fiscal_year as report_fiscal_year
    from printings
    inner join documents using (doc_id)
),

latest_printing as (
    select *
    from printings_with_year
    qualify row_number() over (
        partition by project_id
        order by report_fiscal_year desc nulls last, doc_id desc, department nulls last
    ) = 1
),

reported_years as (
    select
        project_id,
        min(report_fiscal_year) as first_fiscal_year,
        max(report_fiscal_year) as last_fiscal_year,
        count(distinct report_fiscal_year) as n_fiscal_years_reported,
        string_agg(distinct cast(report_fiscal_year as varchar), ',' order by cast(report_fiscal_year as varchar))
            as fiscal_years_reported,
        count(distinct doc_id) as n_documents,
        max(department) as any_department
    from printings_with_year
    group by project_id
),

latest_assessment as (
    select project_id, effect_rating, future_plan, fiscal_year
    from project_years
    where effect_rating is not null or future_plan is not null
    qualify row_number() over (partition by project_id order by fiscal_year desc) = 1
),

final as (
    select
        latest_printing.project_id,
        latest_printing.issuer_code,
        latest_printing.grant_program_id,
        latest_printing.project_name,
        coalesce(latest_printing.department, reported_years.any_department) as department,
        reported_years.first_fiscal_year,
        reported_years.last_fiscal_year,
        reported_years.n_fiscal_years_reported,
        reported_years.fiscal_years_reported,
        reported_years.n_documents,
        latest_assessment.effect_rating as latest_effect_rating,
        latest_assessment.future_plan as latest_future_plan,
        latest_assessment.fiscal_year as latest_assessment_fiscal_year
    from latest_printing
    inner join reported_years using (project_id)
    left join latest_assessment using (project_id)
)

select * from final
