{{ config(**rebuilt_per_document('issuer_code')) }}

{#- One row per KPI (issuer, project, indicator), linked across reports and years.

    Direction: lower is better when the indicator counts something bad (情報漏洩件数, 事故,
    待機児童 …) and a target is 0 or below the baseline; otherwise higher is better.
    A target below the baseline alone does not decide it: reports that print targets as
    increments (KPI増加分) show the same shape for a rising KPI, so such KPIs keep
    higher_is_better with rule `target_below_baseline_unconfirmed` and go to review.
    `direction_rule` says which rule decided. Rebuilt per issuer (macros/incremental.sql). -#}

with identity as (
    select * from {{ ref('int_kpis__identity') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

observations as (
    select * from {{ ref('fct_kpi_observation') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

printings as (
    select identity.*, documents.fiscal_year as report_fiscal_year
    from identity
    inner join documents using (doc_id)
),

latest_printing as (
    select *
    from printings
    qualify row_number() over (
        partition by kpi_id order by report_fiscal_year desc nulls last, doc_id desc, observation_id
    ) = 1
),

links as (
    select
        kpi_id,
        min(link_confidence) as link_confidence,
        arg_min(link_rule, link_confidence) as link_rule,
        bool_or(is_link_uncertain) as is_link_uncertain,
        count(distinct doc_id) as n_documents
    from identity
    group by kpi_id
),

units as (
    select
        kpi_id,
        arg_max(unit, report_fiscal_year) as unit,
        arg_max(base_unit, report_fiscal_year) as base_unit,
        min(fiscal_year) filter (where measure <> 'baseline') as first_fiscal_year,
        max(fiscal_year) filter (where measure <> 'baseline') as last_fiscal_year
    from observations
    group by kpi_id
),

levels as (
    select
        kpi_id,
        arg_min(coalesce(value_base, value), report_fiscal_year) filter (where measure = 'baseline') as baseline,
        max(coalesce(value_base, value)) filter (where measure = 'target') as max_target,
        min(coalesce(value_base, value)) filter (where measure = 'target') as min_target
    from observations
    group by kpi_id
),

directed as (
    select
        latest_printing.kpi_id,
        latest_printing.project_id,
        latest_printing.issuer_code,
        latest_printing.project_name,
        latest_printing.kpi_name_printed as kpi_name,
        case
            when regexp_matches(latest_printing.kpi_name_printed,
                    '漏洩|漏えい|事故|待機児童|離職|犯罪|被害|死亡|死者|不登校|失業|滞納|苦情|違反|廃棄')
                and (levels.min_target = 0 or levels.max_target < levels.baseline)
                then 'adverse_name_target_reduced'
            when levels.max_target < levels.baseline then 'target_below_baseline_unconfirmed'
            else 'default'
        end as direction_rule
    from latest_printing
    left join levels using (kpi_id)
),

final as (
    select
        directed.kpi_id,
        directed.project_id,
        directed.issuer_code,
        directed.project_name,
        directed.kpi_name,
        units.unit,
        units.base_unit,
        case when directed.direction_rule = 'adverse_name_target_reduced' then 'lower_is_better'
            else 'higher_is_better' end as direction,
        directed.direction_rule,
        links.link_rule,
        links.link_confidence,
        links.is_link_uncertain,
        links.n_documents,
        units.first_fiscal_year,
        units.last_fiscal_year
    from directed
    inner join links using (kpi_id)
    left join units using (kpi_id)
)

select * from final
