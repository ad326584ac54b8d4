"""What the gate validates: one entry per expectation suite, the relation it is about and the
SQL that turns the candidate warehouse into the frame the suite's expectations see.

This module imports neither Great Expectations nor DuckDB, so Dagster definitions can list the
suites (one blocking asset check each) without paying GX's import time.

Derived columns exist because GX validates one frame at a time: a rule that needs a join or a
comparison (a unit against its printed fragment, a count in one table against another) is
computed here in SQL and then judged by a plain GX expectation, so the verdict and the failing
rows still show in Data Docs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    relation: str  # the table the suite is about: its check belongs to this asset
    sql: str  # builds the validated frame
    description: str
    id_column: str | None = "observation_id"  # names failing rows in results and Data Docs
    also_reads: tuple[str, ...] = ()  # other relations the SQL reads (extra deps of its check)

    @property
    def model(self) -> str:
        """The dbt model (or landed raw table) the suite checks: the relation without schema."""
        return self.relation.split(".", 1)[1]


# Fiscal years split by measure, because their limits differ: an actual cannot be in the future,
# a target may be years ahead, a baseline may predate the grants. (Unqualified columns: the
# tables joined below have no `measure` or `fiscal_year`.)
_YEARS_BY_MEASURE = """
    case when measure = 'actual' then fiscal_year end as actual_fiscal_year,
    case when measure in ('target', 'target_increment') then fiscal_year end as target_fiscal_year,
    case when measure = 'baseline' then fiscal_year end as baseline_fiscal_year"""

# Scaled units (千円, 万人, kg …) come from the dbt seed. A landed unit whose base unit is printed
# in the fragment while the unit itself is not (fragment `目標 5,000 円`, unit 千円) was read at
# the wrong scale: its value would be published a thousand times too large. A duplicated table
# shows as the same observation landed twice from one document under new ids.
_RAW_OBSERVATIONS = f"""
select
    o.observation_id, o.doc_id, o.grant_program, o.project_name, o.kpi_name, o.measure,
    o.fiscal_year, o.value, nullif(trim(o.unit), '') as unit, nullif(trim(o.status), '') as status,
    {_YEARS_BY_MEASURE},
    o.value is not null or nullif(trim(o.status), '') is not null as has_value_or_status,
    coalesce(s.scale_factor <> 1 and strpos(o.fragment, s.base_unit) > 0
             and strpos(o.fragment, o.unit) = 0, false) as unit_scale_contradicts_fragment,
    o.fragment
from raw.kpi_observations as o
left join reference.unit_scales as s on s.unit = nullif(trim(o.unit), '')
"""

_STAGING_OBSERVATIONS = """
select observation_id, doc_id, measure, fiscal_year, value, unit, status,
       value is not null or status is not null as has_value_or_status
from staging.stg_raw__kpi_observations
"""

# value_base must be value × scale_factor wherever the unit is known.
_PUBLISHED_OBSERVATIONS = f"""
select
    o.observation_id, o.doc_id, o.kpi_id, o.issuer_code, o.measure, o.fiscal_year, o.value,
    o.unit, o.unit_status, o.status, o.scale_factor, o.value_base,
    {_YEARS_BY_MEASURE},
    o.value is not null or o.status is not null as has_value_or_status,
    o.unit_status <> 'known' or o.value is null
        or abs(o.value_base - o.value * o.scale_factor) <= 1e-9 * greatest(1, abs(o.value_base))
        as value_base_consistent,
    case when o.measure <> 'baseline' then o.fiscal_year < p.first_fiscal_year end
        as before_program_began
from marts.fct_kpi_observation as o
left join marts.dim_grant_program as p using (grant_program_id)
"""

# One row: how the landed observations were accounted for.
_RECONCILIATION = """
with landed as (select observation_id from raw.kpi_observations),
published as (select observation_id from marts.fct_kpi_observation),
quarantined as (select observation_id from marts.quarantine_kpi_observation),
counts as (
    select
        (select count(*) from landed) as landed,
        (select count(*) from published) as published,
        (select count(*) from quarantined) as quarantined,
        (select count(*) from published join quarantined using (observation_id)) as in_both,
        (select count(*) from (select * from published union all select * from quarantined)
         where observation_id not in (select observation_id from landed)) as not_landed
)
select *, published + quarantined as accounted,
       coalesce(quarantined / nullif(landed, 0), 0.0) as quarantine_share
from counts
"""


def _table(relation: str, *columns: str) -> str:
    return f"select {', '.join(columns)} from {relation}"


SUITES: dict[str, SuiteSpec] = {
    s.name: s
    for s in [
        SuiteSpec(
            "raw_kpi_observations",
            "raw.kpi_observations",
            _RAW_OBSERVATIONS,
            "Landed extracts: ids unique, no table landed twice, measures known, units read at the printed scale.",
            also_reads=("reference.unit_scales",),
        ),
        SuiteSpec(
            "stg_raw__kpi_observations",
            "staging.stg_raw__kpi_observations",
            _STAGING_OBSERVATIONS,
            "Staging keeps every landed observation, typed.",
        ),
        SuiteSpec(
            "fct_kpi_observation",
            "marts.fct_kpi_observation",
            _PUBLISHED_OBSERVATIONS,
            "Published observations: grain, fiscal years, units, base-unit values.",
            also_reads=("marts.dim_grant_program",),
        ),
        SuiteSpec(
            "quarantine_kpi_observation",
            "marts.quarantine_kpi_observation",
            _table("marts.quarantine_kpi_observation", "observation_id", "quarantine_reason"),
            "Every quarantined observation says why.",
        ),
        SuiteSpec(
            "reconciliation",
            "marts.quarantine_kpi_observation",
            _RECONCILIATION,
            "Every landed observation is published or quarantined, once; quarantine stays small.",
            id_column=None,
            also_reads=("raw.kpi_observations", "marts.fct_kpi_observation"),
        ),
        SuiteSpec(
            "fct_kpi_result",
            "marts.fct_kpi_result",
            _table("marts.fct_kpi_result", "kpi_result_id", "kpi_id", "fiscal_year", "target_met"),
            "One result per KPI and fiscal year.",
            id_column="kpi_result_id",
        ),
        SuiteSpec(
            "kpi_series",
            "marts.kpi_series",
            _table("marts.kpi_series", "kpi_result_id", "kpi_id", "fiscal_year"),
            "One point per KPI and fiscal year.",
            id_column="kpi_result_id",
        ),
        SuiteSpec(
            "summary_kpi_achievement",
            "marts.summary_kpi_achievement",
            _table(
                "marts.summary_kpi_achievement",
                "summary_id",
                "fiscal_year",
                "n_kpis",
                "n_kpis_with_result",
                "n_kpis_met",
                "share_kpis_met",
                "n_projects_with_result",
                "n_projects_with_kpi_met",
                "share_projects_with_kpi_met",
            ),
            "Headline rates are shares (0–1) of consistent counts.",
            id_column="summary_id",
        ),
        SuiteSpec(
            "dim_issuer",
            "marts.dim_issuer",
            _table("marts.dim_issuer", "issuer_code"),
            "One row per government code.",
            id_column=None,
        ),
        SuiteSpec(
            "dim_grant_program",
            "marts.dim_grant_program",
            _table("marts.dim_grant_program", "grant_program_id", "first_fiscal_year"),
            "One row per grant programme.",
            id_column=None,
        ),
        SuiteSpec(
            "dim_project",
            "marts.dim_project",
            _table("marts.dim_project", "project_id"),
            "One row per project.",
            id_column=None,
        ),
        SuiteSpec(
            "dim_kpi",
            "marts.dim_kpi",
            _table("marts.dim_kpi", "kpi_id", "direction"),
            "One row per KPI, with its direction.",
            id_column="kpi_id",
        ),
        SuiteSpec(
            "review_queue",
            "marts.review_queue",
            _table("marts.review_queue", "review_id"),
            "One row per item to review.",
            id_column=None,
        ),
    ]
}
