-- target_met is judged only with both an actual and a target, and agrees with the direction.
select kpi_result_id, direction, target, actual, target_met
from {{ ref('fct_kpi_result') }}
where (target_met is not null and (actual is null or target is null))
   or (direction = 'higher_is_better' and target_met is distinct from (actual >= target)
       and actual is not null and target is not null and target_met is not null)
   or (direction = 'lower_is_better' and target_met is distinct from (actual <= target)
       and actual is not null and target is not null and target_met is not null)
