{#- Written by `python -m orchestration.quality.rules --write` from
    orchestration/quality/rules.toml: edit that file, not this one. -#}
{% macro quality_param(name) -%}
    {%- set params = {
        'first_fiscal_year': 2014,
        'target_horizon_years': 15,
        'max_quarantine_share': 0.1,
        'known_unit_share': 0.9,
        'document_known_unit_share': 0.5,
        'document_known_unit_share_min_units': 10,
        'document_unquarantined_share': 0.5,
        'document_unquarantined_share_min_observations': 10,
        'doc_kinds': ['results', 'plan', 'narrative'],
        'cross_report_tolerance': 0.005,
        'achievement_rate_last_digit_slack': 1.0,
        'repeat_tolerance': 0.0,
        'verifying_evidence': ['achievement_rate', 'repeat'],
    } -%}
    {{- return(params[name]) -}}
{%- endmacro %}

{#- Why a row is quarantined, one expression per rule of relation `quarantine` (null where
    the row keeps the rule), for concat_ws: the columns are the model's. -#}
{% macro quality_quarantine_reasons() -%}
    case when (measure) is not null and not list_contains(['baseline', 'target', 'actual', 'target_increment'], (measure)) then 'measure ' || coalesce(cast(measure as varchar), 'null') || ' is not ' || 'baseline/target/actual/target_increment' end,
    case when (case when measure = 'actual' then fiscal_year end) < {{ quality_param('first_fiscal_year') }} then 'fiscal_year ' || coalesce(cast(fiscal_year as varchar), 'null') || ' is before FY' || cast({{ quality_param('first_fiscal_year') }} as varchar) when (case when measure = 'actual' then fiscal_year end) > {{ current_fiscal_year() }} then 'fiscal_year ' || coalesce(cast(fiscal_year as varchar), 'null') || ' of an actual is in the future' end,
    case when (case when measure in ('target', 'target_increment') then fiscal_year end) < {{ quality_param('first_fiscal_year') }} then 'fiscal_year ' || coalesce(cast(fiscal_year as varchar), 'null') || ' is before FY' || cast({{ quality_param('first_fiscal_year') }} as varchar) when (case when measure in ('target', 'target_increment') then fiscal_year end) > ({{ current_fiscal_year() }} + {{ quality_param('target_horizon_years') }}) then 'fiscal_year ' || coalesce(cast(fiscal_year as varchar), 'null') || ' is beyond the target horizon' end,
    case when (case when measure = 'baseline' then fiscal_year end) > {{ current_fiscal_year() }} then 'fiscal_year ' || coalesce(cast(fiscal_year as varchar), 'null') || ' of a baseline is in the future' end,
    case when (value is not null or status is not null) is not null and not list_contains([true], (value is not null or status is not null)) then 'neither a value nor a status' end,
    case when (fiscal_year is not null or measure = 'baseline') is not null and not list_contains([true], (fiscal_year is not null or measure = 'baseline')) then 'fiscal_year missing for a ' || coalesce(cast(measure as varchar), 'null') end,
    case when (case when is_rate and measure <> 'target_increment' then value end) < -100 then 'percentage ' || coalesce(cast(value as varchar), 'null') || ' outside ' || cast(-100 as varchar) || '..' || cast(100 as varchar) when (case when is_rate and measure <> 'target_increment' then value end) > 100 then 'percentage ' || coalesce(cast(value as varchar), 'null') || ' outside ' || cast(-100 as varchar) || '..' || cast(100 as varchar) end
{%- endmacro %}
