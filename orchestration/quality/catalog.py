"""What the gate validates: one entry per expectation suite, the relation it is about and the
SQL that turns the candidate warehouse into the frame the suite's expectations see.

This module imports neither Great Expectations nor DuckDB, so Dagster definitions can list the
suites (one blocking asset check each) without paying GX's import time.

Derived columns exist because GX validates one frame at a time: a rule that needs a join or a
comparison (a unit against its printed fragment, a count in one table against another, an id
that must name a row of another relation) is computed here in SQL and then judged by a plain GX
expectation, so the verdict and the failing rows still show in Data Docs. The frame keeps only
the columns the suite's rules read, plus the failing rows' names (id, document, page, line,
cell), so the gate reads no more of the warehouse than it checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from orchestration.quality import rules

_LOCATORS = ("doc_id", "page", "line", "cell")  # where in which document a row was printed


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    relation: str  # the table the suite is about: its check belongs to this asset
    base: str  # the rows and derived columns the suite's rules see (SQL; `sql` keeps what they use)
    description: str
    id_column: str | None = "observation_id"  # names failing rows in results and Data Docs
    derived_reads: tuple[str, ...] = ()  # other relations `base` reads
    locators: tuple[str, ...] = _LOCATORS  # the document (and page, line, cell) of a failing row

    @property
    def model(self) -> str:
        """The dbt model (or landed raw table) the suite checks: the relation without schema."""
        return self.relation.split(".", 1)[1]

    @property
    def row_names(self) -> list[str]:
        """The columns that name a failing row: its id and where it was printed."""
        return list(dict.fromkeys(c for c in (self.id_column, *self.locators) if c))

    @property
    def also_reads(self) -> tuple[str, ...]:
        """Other relations the frame reads (extra deps of its check): `base`'s and those referred to."""
        targets = [rule.target[0] for rule, _ in rules.for_relation(self.name) if rule.rule == "references"]
        return tuple(dict.fromkeys(r for r in (*self.derived_reads, *targets) if r != self.relation))

    @property
    def sql(self) -> str:
        return frame_sql(self.name)

    @property
    def checked_columns(self) -> list[str]:
        """The frame's columns the suite's expectations read (the rest only name failing rows)."""
        return checked_columns(self.name)


def reference_column(rule: rules.Rule, column: str) -> str:
    """The frame column that is true where `column` is null or names a row of the rule's target."""
    return f"{column}_in_{rule.target[0].rpartition('.')[2]}"


def _reference(rule: rules.Rule, column: str) -> str:
    relation, target = rule.target
    exempt = f"coalesce({rule.unless}, false) or " if rule.unless else ""
    return (
        f'({exempt}frame."{column}" is null or exists (select 1 from {relation} as referred'
        f' where referred."{target}" = frame."{column}")) as "{reference_column(rule, column)}"'
    )


def _read_columns(name: str) -> list[str]:
    """The columns of the relation (or derived from it) that the suite's rules read, save references."""
    return list(
        dict.fromkeys(c for rule, _ in rules.for_relation(name) if rule.rule != "references" for c in rule.columns)
    )


def _references(name: str) -> dict[str, str]:
    """Each reference verdict column of the suite → its SQL."""
    checked = rules.for_relation(name)
    return {reference_column(r, c): _reference(r, c) for r, _ in checked if r.rule == "references" for c in r.columns}


@cache
def checked_columns(name: str) -> list[str]:
    """The frame's columns that the suite's expectations read."""
    return list(dict.fromkeys([*_read_columns(name), *_references(name)]))


@cache
def frame_sql(name: str) -> str:
    """The frame a suite validates: only the columns its rules read, its rows' names, and a
    verdict column per reference (DuckDB reads no other column of the relation)."""
    spec = SUITES[name]
    columns = [*spec.row_names, *_read_columns(name)]
    selected = [*(f'frame."{c}"' for c in dict.fromkeys(columns)), *_references(name).values()]
    derived = rules.derived_sql(columns)
    base = f"select *, {', '.join(derived)} from ({spec.base}) as base" if derived else spec.base
    return f"select {', '.join(selected)}\nfrom ({base}) as frame"


# The columns rules.toml derives from an observation's own (fiscal years by measure, a value or
# a status) are added to these frames by `frame_sql`, from the registry's [derived] SQL.

# Scaled units (千円, 万人, kg …) come from the dbt seed. A landed unit whose base unit is printed
# in the fragment while the unit itself is not (fragment `目標 5,000 円`, unit 千円) was read at
# the wrong scale: its value would be published a thousand times too large. A duplicated table
# shows as the same observation landed twice from one document under new ids.
_RAW_OBSERVATIONS = """
select
    o.* replace (nullif(trim(o.unit), '') as unit, nullif(trim(o.status), '') as status),
    coalesce(s.scale_factor <> 1 and strpos(o.fragment, s.base_unit) > 0
             and strpos(o.fragment, o.unit) = 0, false) as unit_scale_contradicts_fragment
from raw.kpi_observations as o
left join reference.unit_scales as s on s.unit = nullif(trim(o.unit), '')
"""

_STAGING_OBSERVATIONS = "select * from staging.stg_raw__kpi_observations"

# value_base must be value × scale_factor wherever the unit is known.
_PUBLISHED_OBSERVATIONS = """
select
    o.*,
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
with landed as (
    select observation_id from raw.kpi_observations
    union all  -- the observations raw/corrections.csv adds, which no document landed
    select observation_id from intermediate.int_kpi_observations__corrected where origin = 'added'
),
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


def _mart(name: str, description: str, id_column: str | None, locators: tuple[str, ...] = ()) -> SuiteSpec:
    """A suite on a mart as dbt built it (its rules read its own columns only)."""
    return SuiteSpec(name, f"marts.{name}", f"select * from marts.{name}", description, id_column, locators=locators)


SUITES: dict[str, SuiteSpec] = {
    s.name: s
    for s in [
        SuiteSpec(
            "raw_kpi_observations",
            "raw.kpi_observations",
            _RAW_OBSERVATIONS,
            "Landed extracts: ids unique, no table landed twice, measures known, units read at the printed scale.",
            derived_reads=("reference.unit_scales",),
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
            "Published observations: grain, fiscal years, units, base-unit values, the rows they refer to.",
            derived_reads=("marts.dim_grant_program",),
        ),
        _mart("quarantine_kpi_observation", "Every quarantined observation says why.", "observation_id", _LOCATORS),
        SuiteSpec(
            "reconciliation",
            "marts.quarantine_kpi_observation",
            _RECONCILIATION,
            "Every landed (or added) observation is published or quarantined, once; quarantine stays small.",
            id_column=None,
            derived_reads=(
                "raw.kpi_observations",
                "intermediate.int_kpi_observations__corrected",
                "marts.fct_kpi_observation",
            ),
            locators=(),
        ),
        _mart("fct_kpi_result", "One result per KPI and fiscal year.", "kpi_result_id", ("actual_doc_id",)),
        _mart("kpi_series", "One point per KPI and fiscal year.", "kpi_result_id"),
        _mart(
            "kpi_result_detail",
            "The results as BI tools read them, one per KPI and fiscal year.",
            "kpi_result_id",
            ("actual_doc_id", "actual_page", "actual_line", "actual_cell"),
        ),
        _mart("summary_kpi_achievement", "Headline rates are shares (0–1) of consistent counts.", "summary_id"),
        _mart("summary_kpi_achievement_detail", "One summary row per issuer, programme and year.", "summary_id"),
        _mart("fct_project_cost", "One row per project and fiscal year.", "project_row_id", _LOCATORS),
        _mart("dim_document", "One row per document, resolved and read.", "doc_id"),
        _mart("dim_issuer", "One row per government code.", "issuer_code"),
        _mart("dim_grant_program", "One row per grant programme.", "grant_program_id"),
        _mart("dim_project", "One row per project.", "project_id"),
        _mart("dim_kpi", "One row per KPI, with its direction.", "kpi_id"),
        _mart("dim_fiscal_year", "One row per fiscal year, with its era.", "fiscal_year"),
        _mart("dim_japanese_era", "One row per era.", "era_name"),
        _mart("review_queue", "One row per item to review.", "review_id", _LOCATORS),
    ]
}
