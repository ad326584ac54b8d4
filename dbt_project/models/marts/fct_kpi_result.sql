{{ config(**rebuilt_per_document('issuer_code')) }}

{#- One row per KPI and fiscal year that has a target, an actual or a planned increment.

    Values are compared in base units (千円 and 円 alike), and only where both sides have the
    same base unit. Where reports disagree about a year, the later report wins (a revised
    actual); the baseline is the KPI's first report's (the year-less starting point).
    target_met respects the KPI's direction and is null without both an actual and a target.
    An observation its evidence contradicts (fct_kpi_observation.verification) is held out: it
    is in review, not in the rates. `is_verified`: the actual and the target judged are both
    verified by what their report prints (a 達成率, a second printing).
    A plan's increments are not targets: they add up to `planned_target` = baseline + the
    increments up to that year, which is not used for target_met. Rebuilt per issuer (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('fct_kpi_observation') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

kpis as (
    select * from {{ ref('dim_kpi') }}
    where {{ in_rebuilt_partitions('issuer_code') }}
),

comparable as (
    select
        *,
        coalesce(value_base, value) as amount,
        coalesce(base_unit, unit, '') as amount_unit
    from observations
    where verification <> 'contradicted'
),

latest_per_year as (
    select *
    from comparable
    where measure <> 'baseline'
    qualify row_number() over (
        partition by kpi_id, fiscal_year, measure
        order by report_fiscal_year desc nulls last, doc_id desc, seq
    ) = 1
),

baselines as (
    select *
    from comparable
    where measure = 'baseline'
    qualify row_number() over (
        partition by kpi_id order by report_fiscal_year nulls last, doc_id, seq
    ) = 1
),

by_year as (
    select
        kpi_id,
        fiscal_year,
        max(amount) filter (where measure = 'target') as target,
        max(amount_unit) filter (where measure = 'target') as target_unit,
        max(observation_id) filter (where measure = 'target') as target_observation_id,
        max(amount) filter (where measure = 'actual') as actual,
        max(amount_unit) filter (where measure = 'actual') as actual_unit,
        max(status) filter (where measure = 'actual') as actual_status,
        max(observation_id) filter (where measure = 'actual') as actual_observation_id,
        max(doc_id) filter (where measure = 'actual') as actual_doc_id,
        coalesce(bool_and(verification = 'verified') filter (where measure in ('actual', 'target')), false)
            and count(*) filter (where measure = 'actual') > 0 and count(*) filter (where measure = 'target') > 0
            as is_verified,
        max(amount) filter (where measure = 'target_increment') as target_increment,
        max(amount_unit) filter (where measure = 'target_increment') as increment_unit,
        -- the programme the year's numbers were reported under (an actual's first)
        coalesce(
            max(grant_program_id) filter (where measure = 'actual'),
            max(grant_program_id) filter (where measure = 'target'),
            max(grant_program_id)
        ) as grant_program_id
    from latest_per_year
    group by kpi_id, fiscal_year
),

with_baseline as (
    select
        by_year.*,
        baselines.amount as baseline,
        baselines.amount_unit as baseline_unit,
        baselines.observation_id as baseline_observation_id,
        sum(by_year.target_increment) over (
            partition by by_year.kpi_id order by by_year.fiscal_year
            rows between unbounded preceding and current row
        ) as cumulative_increment,
        count(by_year.target_increment) over (partition by by_year.kpi_id) as n_increments
    from by_year
    left join baselines using (kpi_id)
),

judged as (
    select
        with_baseline.*,
        kpis.issuer_code,
        kpis.project_id,
        kpis.direction,
        coalesce(actual_unit, target_unit, increment_unit, baseline_unit) as unit,
        case
            when n_increments > 0 and baseline is not null and increment_unit = baseline_unit
                then baseline + cumulative_increment
        end as planned_target,
        case
            when actual is null or target is null or actual_unit <> target_unit then null
            when kpis.direction = 'lower_is_better' then actual <= target
            else actual >= target
        end as target_met,
        case
            when actual is not null and target is not null and baseline is not null
                and actual_unit = target_unit and baseline_unit = target_unit and target <> baseline
                then (actual - baseline) / (target - baseline)
        end as progress_ratio
    from with_baseline
    inner join kpis using (kpi_id)
),

final as (
    select
        md5(kpi_id || '|' || fiscal_year) as kpi_result_id,
        kpi_id,
        fiscal_year,
        issuer_code,
        project_id,
        grant_program_id,
        direction,
        unit,
        baseline,
        target,
        actual,
        actual_status,
        target_increment,
        planned_target,
        target_met,
        is_verified,
        progress_ratio,
        baseline_observation_id,
        target_observation_id,
        actual_observation_id,
        actual_doc_id
    from judged
)

select * from final
