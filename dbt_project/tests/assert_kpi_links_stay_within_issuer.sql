-- A KPI never links observations of different issuers or of different projects.
select kpi_id, count(distinct issuer_key) as n_issuers, count(distinct project_key) as n_projects
from {{ ref('int_kpis__identity') }}
group by kpi_id
having count(distinct issuer_key) > 1 or count(distinct project_key) > 1
