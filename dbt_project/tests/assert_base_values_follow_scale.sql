-- A published value in base units is the printed value times the unit's factor.
select observation_id, value, scale_factor, value_base
from {{ ref('fct_kpi_observation') }}
where value is not null
  and scale_factor is not null
  and (value_base is null or abs(value_base - value * scale_factor) > 1e-6 * greatest(1, abs(value_base)))
