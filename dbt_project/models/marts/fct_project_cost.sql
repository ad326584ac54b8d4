{{ config(**rebuilt_per_document('issuer_code')) }}

{#- One row per project and fiscal year as a report lists it: cost 実績額 where printed (in yen
    beside the printed value and unit), effect rating 事業効果 and plan 今後の方針. Where two
    reports cover the same project and year, the later report wins. A project row whose fiscal
    year neither it nor its document gives cannot be placed in a year and is left out. Rebuilt per issuer (macros/incremental.sql). -#}

with projects as (
    select * from {{ ref('stg_raw__projects') }}
    where {{ rebuilt_rows_only('doc_id', 'issuer_code') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

grant_programs as (
    select * from {{ ref('int_grant_programs__resolved') }}
),

unit_scales as (
    select * from {{ ref('unit_scales') }}
),

keyed as (
    select
        md5(documents.issuer_key || '|' || {{ project_key('projects.project_name_printed') }}) as project_id,
        coalesce(projects.fiscal_year, documents.fiscal_year) as fiscal_year,
        documents.issuer_code,
        grant_programs.grant_program_id,
        projects.project_row_id,
        projects.doc_id,
        documents.fiscal_year as report_fiscal_year,
        projects.cost_value,
        projects.cost_unit,
        case when unit_scales.base_unit = '円' then projects.cost_value * unit_scales.scale_factor end as cost_yen,
        projects.effect_rating,
        projects.future_plan,
        projects.page,
        projects.line,
        projects.cell
    from projects
    inner join documents using (doc_id)
    left join grant_programs using (grant_program_printed)
    left join unit_scales on unit_scales.unit = projects.cost_unit
),

latest_report as (
    select *
    from keyed
    where fiscal_year is not null
    qualify row_number() over (
        partition by project_id, fiscal_year
        order by report_fiscal_year desc nulls last, doc_id desc, project_row_id
    ) = 1
),

final as (
    select * exclude (report_fiscal_year) from latest_report
)

select * from final
