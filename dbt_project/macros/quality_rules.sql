{#- Written by `python -m orchestration.quality.rules --write` from
    orchestration/quality/rules.toml: edit that file, not this one. -#}
{% macro quality_param(name) -%}
    {%- set params = {
        'first_fiscal_year': 2014,
        'target_horizon_years': 15,
        'max_quarantine_share': 0.1,
        'known_unit_share': 0.9,
        'doc_kinds': ['results', 'plan', 'narrative'],
    } -%}
    {{- return(params[name]) -}}
{%- endmacro %}
