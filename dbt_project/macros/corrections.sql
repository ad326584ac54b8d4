{#- The actions a line of raw/corrections.csv may take (README, "Corrections"): the set_ actions
    replace one field of an observation with `value`, reject holds it out of publication, add
    publishes an observation extraction missed, resolve closes the review_queue rows of the
    review source `value` at the line's place in its document, confirm says a person checked the
    number against the report (fct_kpi_observation.verification verified, naming them). -#}
{% macro correction_set_actions() -%}
    {{- return({
        'set_value': 'value',
        'set_unit': 'unit',
        'set_year': 'fiscal_year',
        'set_measure': 'measure',
        'set_kpi_name': 'kpi_name',
        'set_project': 'project_name',
    }) -}}
{%- endmacro %}

{% macro correction_actions() -%}
    {{- return(correction_set_actions().keys() | list + ['reject', 'confirm', 'add', 'resolve']) -}}
{%- endmacro %}
