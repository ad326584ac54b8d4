-- Every landed observation is published or quarantined, exactly once, and nothing else is.
-- Returns the observation ids that break this.
with landed as (
    select observation_id from {{ ref('stg_raw__kpi_observations') }}
),

accounted as (
    select observation_id, 'published' as outcome from {{ ref('fct_kpi_observation') }}
    union all
    select observation_id, 'quarantined' from {{ ref('quarantine_kpi_observation') }}
),

outcomes as (
    select
        coalesce(landed.observation_id, accounted.observation_id) as observation_id,
        landed.observation_id is not null as is_landed,
        count(accounted.observation_id) as n_outcomes
    from landed
    full outer join accounted using (observation_id)
    group by all
)

select *
from outcomes
where not is_landed or n_outcomes <> 1
