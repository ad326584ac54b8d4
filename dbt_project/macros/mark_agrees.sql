{#- Whether an achievement mark agrees with a KPI's result: its meaning (met / not_met) is
    `met_sql`, and `rate_sql` (the achievement rate, %) lies in the band its legend gives it,
    within the columns `slack` (int_kpi_observations__verified). -#}
{% macro mark_agrees(met_sql, rate_sql) -%}
    ((meaning is null or (meaning = 'met') = {{ met_sql }})
        and (rate_min is null or {{ rate_sql }} >= rate_min - slack)
        and (rate_max is null or {{ rate_sql }} < rate_max + slack))
{%- endmacro %}
