{{ config(**rebuilt_per_document('issuer_code')) }}

{#- A KPI's numbers year by year for year-to-year analysis: one row per KPI and fiscal year,
    with the previous reported year's actual, the change, and the documents the year's numbers
    came from. Rebuilt per issuer (macros/incremental.sql). -#}

with results as (
    select * from {{ ref('fct_kpi_result') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

kpis as (
    select * from {{ ref('dim_kpi') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

observations as (
    select * from {{ ref('fct_kpi_observation') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

year_documents as (
    select
        kpi_id,
        fiscal_year,
        string_agg(distinct doc_id, ',' order by doc_id) as doc_ids,
        count(distinct doc_id) as n_documents
    from observations
    where measure <> 'baseline'
    group by kpi_id, fiscal_year
),

series as (
    select
        results.kpi_result_id,
        results.kpi_id,
        results.fiscal_year,
        results.issuer_code,
        results.project_id,
        kpis.project_name,
        kpis.kpi_name,
        results.grant_program_id,
        results.unit,
        results.direction,
        results.baseline,
        results.target,
        results.planned_target,
        results.actual,
        results.actual_status,
        results.target_met,
        lag(results.actual) over (
            partition by results.kpi_id, results.actual is not null order by results.fiscal_year
        ) as previous_actual,
        lag(results.fiscal_year) over (
            partition by results.kpi_id, results.actual is not null order by results.fiscal_year
        ) as previous_actual_fiscal_year,
        count(*) over (partition by results.kpi_id) as n_years_in_series,
        year_documents.doc_ids,
        year_documents.n_documents
    from results
    inner join kpis using (kpi_id)
    left join year_documents using (kpi_id, fiscal_year)
),

final as (
    select
        * exclude (previous_actual, previous_actual_fiscal_year),
        case when actual is not null then previous_actual end as previous_actual,
        case when actual is not null then previous_actual_fiscal_year end as previous_actual_fiscal_year,
        case when actual is not null then actual - previous_actual end as change_from_previous
    from series
)

select * from final
