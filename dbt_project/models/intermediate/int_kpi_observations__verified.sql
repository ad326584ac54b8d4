{#- Each publishable observation checked against what its own report prints beside it
    (raw.evidence, extract/evidence.py), one row per observation and piece of evidence:
    - `achievement_rate`: a printed 達成率 bears on the actual and the target of its KPI and year;
      it agrees when actual ÷ target, target ÷ actual (a KPI to lower) or the progress from the
      baseline, (actual − baseline) ÷ (target − baseline), gives it within the registry's
      achievement_rate_last_digit_slack units of its last printed digit (the baseline is checked
      only when the progress is what agrees);
    - `mark`: an achievement mark bears on the actual and the target; it agrees when target met
      (actual ≥ target, or ≤ for a KPI whose target is below its baseline) is what its meaning says
      (met / not_met, from the page's legend or the vocabulary) and the achievement rate lies in
      the band its legend gives (A：100%以上);
    - `repeat`: a second printing of the number elsewhere in the report agrees within the
      registry's repeat_tolerance.
    Evidence is matched by what extraction read (project, KPI, fiscal year) in the same document,
    values compared in base units. `pins`: the evidence pins the number (verifying_evidence: a rate,
    a second printing), where a mark only bounds it. fct_kpi_observation adds the issuer's
    other reports and decides `verification`. -#}

with observations as (
    select
        observation_id,
        doc_id,
        extracted_project_name as project_name,
        extracted_kpi_name as kpi_name,
        measure,
        fiscal_year,
        extracted_fiscal_year,
        value,
        coalesce(value_text, cast(value as varchar)) as value_text,
        coalesce(value_base, value) as amount,
        coalesce(base_unit, unit, '') as amount_unit,
        coalesce(unit, '') as unit,
        page,
        line,
        cell
    from {{ ref('int_kpi_observations__checked') }}
    where quarantine_reason is null and value is not null and origin = 'extracted'
),

evidence as (
    select
        *,
        concat_ws(' ', 'p.' || page, 'line ' || line, cell) as place,
        -- one unit of the last digit the rate prints (113.5% → 0.1)
        power(10, -length(coalesce(regexp_extract(value_text, '\.(\d+)', 1), ''))) as last_digit
    from {{ ref('stg_raw__evidence') }}
),

-- the actual and target (and baseline) of the KPI and year a rate or mark judges, in one unit
judged as (
    select
        evidence.*,
        actual.observation_id as actual_id,
        target.observation_id as target_id,
        baseline.observation_id as baseline_id,
        actual.amount as actual,
        target.amount as target,
        baseline.amount as baseline,
        actual.value_text as actual_text,
        target.value_text as target_text,
        -- a target below the baseline may be a KPI to lower (or a year expected to fall back)
        coalesce(target.amount < baseline.amount, false) as may_lower
    from evidence
    inner join observations as actual
        on actual.doc_id = evidence.doc_id and actual.project_name = evidence.project_name
        and actual.kpi_name = evidence.kpi_name and actual.measure = 'actual'
        and evidence.fiscal_year in (actual.fiscal_year, actual.extracted_fiscal_year)
    inner join observations as target
        on target.doc_id = evidence.doc_id and target.project_name = evidence.project_name
        and target.kpi_name = evidence.kpi_name and target.measure = 'target'
        and evidence.fiscal_year in (target.fiscal_year, target.extracted_fiscal_year)
        and target.amount_unit = actual.amount_unit
    left join observations as baseline
        on baseline.doc_id = evidence.doc_id and baseline.project_name = evidence.project_name
        and baseline.kpi_name = evidence.kpi_name and baseline.measure = 'baseline'
        and baseline.amount_unit = actual.amount_unit
    where evidence.kind in ('achievement_rate', 'mark')
    qualify row_number() over (
        partition by evidence.evidence_id, actual.observation_id, target.observation_id order by baseline.line
    ) = 1
),

rated as (
    select
        *,
        100 * actual / nullif(target, 0) as forward_rate,
        100 * target / nullif(actual, 0) as inverse_rate,
        100 * (actual - baseline) / nullif(target - baseline, 0) as progress_rate,
        100 * actual / nullif(target, 0) as achievement,
        actual >= target as target_met,
        100 * target / nullif(actual, 0) as lowering_achievement,
        actual <= target as lowering_target_met,
        {{ quality_param('achievement_rate_last_digit_slack') }} * last_digit + 1e-9 as slack
    from judged
),

rate_checks as (
    select
        *,
        abs(forward_rate - value) <= slack or abs(inverse_rate - value) <= slack as agrees_without_baseline,
        abs(progress_rate - value) <= slack as agrees_with_progress,
        'printed 達成率 ' || value_text || ' (' || place || ') against actual ' || actual_text || ' ÷ target '
            || target_text || ' = ' || cast(round(forward_rate, 1) as varchar) || '%' as reading
    from rated
    where kind = 'achievement_rate'
),

mark_checks as (
    select
        *,
        -- read as a KPI to raise, or to lower where its target is below its baseline
        {{ mark_agrees('target_met', 'achievement') }}
            or (may_lower and {{ mark_agrees('lowering_target_met', 'lowering_achievement') }}) as agrees,
        'printed mark ' || value_text || coalesce(' = ' || meaning, '')
            || coalesce(' ' || cast(rate_min as varchar) || '%以上', '')
            || coalesce(' ' || cast(rate_max as varchar) || '%未満', '') || ' (' || place || ') against actual '
            || actual_text || case when target_met then ' meeting' else ' missing' end || ' target ' || target_text
            || ' (' || cast(round(achievement, 1) as varchar) || '%)' as reading
    from rated
    where kind = 'mark' and (meaning is not null or rate_min is not null or rate_max is not null)
),

repeat_checks as (
    select
        observations.observation_id,
        evidence.evidence_id,
        evidence.kind,
        abs(evidence.value - observations.value)
            <= {{ quality_param('repeat_tolerance') }} * greatest(abs(evidence.value), abs(observations.value))
            as agrees,
        'printed again as ' || evidence.value_text || ' (' || evidence.place || ')' as reading
    from evidence
    inner join observations
        on observations.doc_id = evidence.doc_id and observations.project_name = evidence.project_name
        and observations.kpi_name = evidence.kpi_name and observations.measure = evidence.measure
        and evidence.fiscal_year is not distinct from observations.extracted_fiscal_year
        and coalesce(evidence.unit, '') = observations.unit
        -- its own printing is no evidence on it
        and not (evidence.page is not distinct from observations.page
            and evidence.line is not distinct from observations.line
            and evidence.cell is not distinct from observations.cell)
    where evidence.kind = 'repeat'
),

checks as (
    select actual_id as observation_id, evidence_id, kind, agrees_without_baseline or agrees_with_progress as agrees,
        reading from rate_checks
    union all
    select target_id, evidence_id, kind, agrees_without_baseline or agrees_with_progress, reading from rate_checks
    union all
    select baseline_id, evidence_id, kind, agrees_with_progress, reading from rate_checks
    where baseline_id is not null and agrees_with_progress and not agrees_without_baseline
    union all
    select actual_id, evidence_id, kind, agrees, reading from mark_checks
    union all
    select target_id, evidence_id, kind, agrees, reading from mark_checks
    union all
    select observation_id, evidence_id, kind, agrees, reading from repeat_checks
),

final as (
    select
        observation_id,
        evidence_id,
        kind as evidence_kind,
        coalesce(agrees, false) as agrees,
        list_contains({{ quality_param('verifying_evidence') }}, kind) as pins,
        reading
    from checks
)

select * from final
