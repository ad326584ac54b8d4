{{ config(**rebuilt_per_document('issuer_code')) }}

{#- fct_kpi_result for people: one row per KPI and fiscal year with the names of the issuer,
    programme, project and KPI, the 和暦 fiscal year, each value in its base unit beside the value
    and unit the report printed, what extraction read where the data team corrected a value (with
    who and why), and where the actual was printed. Rebuilt per issuer
    (macros/incremental.sql). -#}

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

issuers as (
    select * from {{ ref('dim_issuer') }}
),

programs as (
    select * from {{ ref('dim_grant_program') }}
),

years as (
    select * from {{ ref('dim_fiscal_year') }}
),

final as (
    select
        results.kpi_result_id,
        results.kpi_id,
        results.fiscal_year,
        years.fiscal_year_ja,
        results.issuer_code,
        issuers.issuer_name,
        issuers.prefecture,
        results.grant_program_id,
        programs.name_ja as grant_program_name,
        results.project_id,
        kpis.project_name,
        kpis.kpi_name,
        results.direction,
        results.unit as base_unit,
        results.baseline,
        baseline_obs.value as baseline_printed,
        baseline_obs.unit as baseline_unit_printed,
        baseline_obs.extracted_value as baseline_extracted,
        baseline_obs.corrected_by as baseline_corrected_by,
        baseline_obs.correction_reason as baseline_correction_reason,
        baseline_obs.verification as baseline_verification,
        results.target,
        target_obs.value as target_printed,
        target_obs.unit as target_unit_printed,
        target_obs.extracted_value as target_extracted,
        target_obs.corrected_by as target_corrected_by,
        target_obs.correction_reason as target_correction_reason,
        target_obs.verification as target_verification,
        results.actual,
        actual_obs.value as actual_printed,
        actual_obs.unit as actual_unit_printed,
        actual_obs.extracted_value as actual_extracted,
        actual_obs.corrected_by as actual_corrected_by,
        actual_obs.correction_reason as actual_correction_reason,
        results.actual_status,
        results.target_met,
        case results.target_met when true then '達成' when false then '未達成' end as target_met_ja,
        results.progress_ratio,
        results.actual_doc_id,
        actual_obs.page as actual_page,
        actual_obs.line as actual_line,
        actual_obs.cell as actual_cell,
        actual_obs.fragment as actual_fragment,
        results.target_observation_id,
        results.actual_observation_id
    from results
    inner join kpis using (kpi_id)
    left join issuers on issuers.issuer_code = results.issuer_code
    left join programs on programs.grant_program_id = results.grant_program_id
    left join years on years.fiscal_year = results.fiscal_year
    left join observations as baseline_obs on baseline_obs.observation_id = results.baseline_observation_id
    left join observations as target_obs on target_obs.observation_id = results.target_observation_id
    left join observations as actual_obs on actual_obs.observation_id = results.actual_observation_id
)

select * from final
