"""What the dashboard shows, as queries over one published release (no Streamlit in here).

A `Release` is one release directory, resolved from the `current` pointer once per page view
(`publish.release.current_release`): its DuckDB file (read-only) and run record only, so a page never
mixes two releases while a build publishes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from orchestration.dashboard import texts
from orchestration.publish.release import DB_NAME, LABELS_TABLE, RECORD_NAME

# The headline rates' slices: the axis (its key, kept in the URL), SQL expression of the key, its
# display label (? the words for a slice not resolved), its order (prefectures in 団体コード order).
AXES: dict[str, tuple[str, str, str]] = {
    "年度": ("s.fiscal_year", "coalesce(y.fiscal_year_label, s.fiscal_year::varchar, ?)", "s.fiscal_year"),
    "交付金": ("s.grant_program_id", "coalesce(p.name_ja, ?)", "s.grant_program_id"),
    "都道府県": ("i.prefecture", "coalesce(i.prefecture, ?)", "min(i.prefecture_code)"),
}


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def english_label(description: str | None) -> str | None:
    """A column's English label: its description up to a colon or semicolon ("Fiscal year, Western
    year"); None when that holds Japanese ("達成 or 未達成"), and the column's name serves."""
    if not description:
        return None
    english = re.split(r"[:;]", description)[0].strip(" ,")
    return None if not english or _JAPANESE.search(english) else english


@dataclass(frozen=True)
class Release:
    path: Path
    con: duckdb.DuckDBPyConnection
    record: Mapping[str, Any]

    @classmethod
    def at(cls, release: Path) -> Release:
        """One release directory, read-only."""
        con = duckdb.connect(str(release / DB_NAME), read_only=True)
        record = json.loads((release / RECORD_NAME).read_text(encoding="utf-8"))
        return cls(release, con, record)

    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def labels(self, table: str, lang: str = "ja") -> dict[str, str]:
        """Column → its label in `lang`, from the release's `column_labels` (the dbt ymls): the
        Japanese label (ja), the English description (en)."""
        rows = self.con.execute(
            f"select column_name, label_ja, description from main.{LABELS_TABLE} where table_name = ?", [table]
        ).fetchall()
        if lang == "ja":
            return {name: label for name, label, _ in rows}
        return {name: found for name, _, description in rows if (found := english_label(description))}

    def docs(self) -> dict[str, str]:
        """Column → its published description (the dbt docs' column comment), over every mart; a
        column several marts have takes the first mart's (by name) description."""
        rows = self.con.execute(
            "select column_name, comment from duckdb_columns() where schema_name = 'marts' and comment is not null "
            "order by table_name desc"
        ).fetchall()
        return dict(rows)


# The two headline rates and their counts, summed over the summary rows grouped (alias s).
RATES = """
    sum(s.n_projects_with_result)::integer as n_projects_with_result,
    sum(s.n_projects_with_kpi_met)::integer as n_projects_with_kpi_met,
    sum(s.n_projects_with_kpi_met) / nullif(sum(s.n_projects_with_result), 0) as share_projects_with_kpi_met,
    sum(s.n_kpis_with_result)::integer as n_kpis_with_result,
    sum(s.n_kpis_met)::integer as n_kpis_met,
    sum(s.n_kpis_met) / nullif(sum(s.n_kpis_with_result), 0) as share_kpis_met"""


def headline_rates(
    release: Release, axis: str, fiscal_year: int | None = None, unresolved: str = texts.MISSING
) -> pd.DataFrame:
    """The two headline rates per slice of `axis` (年度 / 交付金 / 都道府県), with their counts; a
    slice whose programme or government is not resolved is labelled `unresolved`.

    Counts are summed over the fiscal years included: a project judged in two years counts twice
    (延べ), as in summary_kpi_achievement's per-year grain.
    """
    key, label, order = AXES[axis]
    where = "where s.fiscal_year = ?" if fiscal_year is not None else ""
    return release.frame(
        f"""
        select {key} as key, {label} as label, {RATES}
        from marts.summary_kpi_achievement s
        left join marts.dim_issuer i using (issuer_code)
        left join marts.dim_grant_program p using (grant_program_id)
        left join marts.dim_fiscal_year y using (fiscal_year)
        {where}
        group by all
        having sum(s.n_kpis) > 0
        order by {order} nulls last, key nulls last""",
        [unresolved] + ([fiscal_year] if fiscal_year is not None else []),
    )


def latest_fiscal_year(release: Release) -> str | None:
    """The latest fiscal year with a judged KPI result, labelled (2023年度（令和5年度）)."""
    (label,) = release.con.execute("""
        select any_value(coalesce(y.fiscal_year_label, r.fiscal_year::varchar) order by r.fiscal_year desc)
        from marts.fct_kpi_result r left join marts.dim_fiscal_year y using (fiscal_year)
        where r.target_met is not null""").fetchone()
    return label


def fiscal_years(release: Release) -> pd.DataFrame:
    return release.frame("""
        select distinct s.fiscal_year, coalesce(y.fiscal_year_label, s.fiscal_year::varchar) as label
        from marts.summary_kpi_achievement s left join marts.dim_fiscal_year y using (fiscal_year)
        where s.fiscal_year is not null order by s.fiscal_year""")


def results_behind(release: Release, axis: str, key: Any, fiscal_year: int | None = None) -> pd.DataFrame:
    """The KPI results one headline-rate slice counts (those with a judgeable result)."""
    column = {"年度": "d.fiscal_year", "交付金": "d.grant_program_id", "都道府県": "d.prefecture"}[axis]
    year = "and d.fiscal_year = ?" if fiscal_year is not None else ""
    return release.frame(
        f"""
        select d.fiscal_year_ja, d.issuer_name, d.project_name, d.kpi_name, d.target_printed,
               d.target_unit_printed, d.actual_printed, d.actual_unit_printed, d.target_met_ja,
               d.actual_observation_id
        from marts.kpi_result_detail d
        where {column} is not distinct from ? and d.target_met is not null {year}
        order by d.fiscal_year, d.issuer_name, d.project_name, d.kpi_name""",
        [key] + ([fiscal_year] if fiscal_year is not None else []),
    )


def prefectures(release: Release) -> list[str]:
    """The prefectures of governments with a KPI result, in 団体コード order (北海道 → 沖縄)."""
    rows = release.con.execute("""
        select i.prefecture from marts.fct_kpi_result r join marts.dim_issuer i using (issuer_code)
        where i.prefecture is not null group by all order by min(i.prefecture_code)""").fetchall()
    return [prefecture for (prefecture,) in rows]


def prefecture_map(release: Release, fiscal_year: int | None = None) -> pd.DataFrame:
    """Every prefecture with its tile (orchestration/dashboard/prefecture_grid.toml, keyed by its
    団体コード) and its headline rates and counts; rates are missing where nothing was judged."""
    tiles = pd.DataFrame(
        [{"issuer_code": code, **tile} for code, tile in texts.data_file("prefecture_grid")["tiles"].items()],
        columns=["issuer_code", "column", "row"],
    )
    names = release.frame(
        "select issuer_code, issuer_name as prefecture, prefecture_code from marts.dim_issuer "
        "where issuer_kind = 'prefecture'"
    )
    placed = tiles.merge(names, on="issuer_code", how="outer", indicator=True)
    if not (placed["_merge"] == "both").all():
        odd = placed.loc[placed["_merge"] != "both", "issuer_code"].tolist()
        raise ValueError(f"prefecture_grid.toml and dim_issuer's prefectures differ: {odd}")
    rates = headline_rates(release, "都道府県", fiscal_year).drop(columns=["label"])
    return (
        placed.drop(columns=["_merge"])
        .merge(rates.rename(columns={"key": "prefecture"}), on="prefecture", how="left")
        .sort_values("prefecture_code", ignore_index=True)
    )


def prefecture_issuers(release: Release, prefecture: str, fiscal_year: int | None = None) -> pd.DataFrame:
    """The governments of `prefecture` with a judged KPI result, each with its headline rates."""
    year = "and s.fiscal_year = ?" if fiscal_year is not None else ""
    return release.frame(
        f"""
        select i.issuer_code, i.issuer_name, i.prefecture, {RATES}
        from marts.summary_kpi_achievement s join marts.dim_issuer i using (issuer_code)
        where i.prefecture = ? {year}
        group by all having sum(s.n_kpis) > 0
        order by i.issuer_code""",
        [prefecture] + ([fiscal_year] if fiscal_year is not None else []),
    )


def search(release: Release, text: str) -> pd.DataFrame:
    """KPIs whose name or project name contains `text` (as printed, after normalisation), with
    their issuer, the fiscal years they have results for and their latest result's provenance."""
    return release.frame(
        """
        select d.issuer_code, any_value(d.issuer_name) as issuer_name, any_value(d.prefecture) as prefecture,
               d.project_name, d.kpi_name, min(d.fiscal_year) as first_fiscal_year,
               max(d.fiscal_year) as last_fiscal_year, count(d.target_met) as n_judged,
               count(*) filter (where d.target_met) as n_met,
               arg_max(d.actual_observation_id, d.fiscal_year) filter (where d.actual_observation_id is not null)
                   as actual_observation_id
        from marts.kpi_result_detail d
        where contains(d.kpi_name, ?) or contains(d.project_name, ?)
        group by d.issuer_code, d.kpi_id, d.project_name, d.kpi_name
        order by min(d.issuer_code), d.project_name, d.kpi_name""",
        [text, text],
    )


def issuers(release: Release) -> pd.DataFrame:
    """Governments with a KPI result; first those judged over the most fiscal years (the picker's order)."""
    return release.frame("""
        select i.issuer_code, i.issuer_name, i.prefecture, count(distinct r.kpi_id) as n_kpis
        from marts.fct_kpi_result r join marts.dim_issuer i using (issuer_code)
        group by all
        order by count(distinct r.fiscal_year) filter (where r.target_met is not null) desc,
                 count(r.target_met) desc, i.issuer_code""")


def issuer_projects(release: Release, issuer_code: str) -> pd.DataFrame:
    return release.frame(
        """
        select p.project_id, p.project_name, g.name_ja as grant_program_name, p.first_fiscal_year,
               p.last_fiscal_year,
               (select count(*) from marts.dim_kpi k where k.project_id = p.project_id) as n_kpis,
               (select sum(c.cost_yen) from marts.fct_project_cost c where c.project_id = p.project_id)
                   as total_cost_yen
        from marts.dim_project p left join marts.dim_grant_program g using (grant_program_id)
        where p.issuer_code = ? order by p.project_name""",
        [issuer_code],
    )


def issuer_results(release: Release, issuer_code: str) -> pd.DataFrame:
    """Every KPI result of the issuer, one row per KPI and fiscal year, printed values beside base ones.

    KPIs with the most judged years come first (the page shows the first one's chart by default).
    """
    return release.frame(
        """
        select * exclude (n_judged, n_actuals, n_years) from (
            select kpi_id, project_name, kpi_name, fiscal_year, fiscal_year_ja, target_met_ja, baseline, target,
                   actual, base_unit, target_printed, target_unit_printed, actual_printed, actual_unit_printed,
                   actual_status, progress_ratio, actual_observation_id, target_observation_id,
                   count(target_met) over w as n_judged, count(actual) over w as n_actuals,
                   count(*) over w as n_years
            from marts.kpi_result_detail where issuer_code = ?
            window w as (partition by kpi_id)
        )
        order by n_judged desc, n_actuals desc, n_years desc, project_name, kpi_name, fiscal_year""",
        [issuer_code],
    )


def series_for_chart(results: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """One KPI's results in long form for a chart: fiscal year × (基準値 / 目標値 / 実績値), named in `lang`."""
    long = results.melt(
        id_vars=["fiscal_year", "fiscal_year_ja"],
        value_vars=["baseline", "target", "actual"],
        var_name="measure",
        value_name="value",
    ).dropna(subset=["value"])
    long["measure"] = long["measure"].map(lambda name: texts.measure(name, lang))
    return long.sort_values(["measure", "fiscal_year"]).reset_index(drop=True)


def observation(release: Release, observation_id: str) -> pd.DataFrame:
    """One printed number with where it was printed: document, page / line / cell, fragment."""
    return release.frame(
        """
        select o.observation_id, d.doc_name, d.title, d.retrieved_on::varchar as retrieved_on, d.source_url,
               i.issuer_name, k.project_name, k.kpi_name, o.measure,
               y.fiscal_year_label, o.value_text, o.value, o.unit, o.value_base, o.base_unit, o.page,
               o.line, o.cell, o.fragment, o.reader, o.verification, o.verification_evidence, o.origin,
               o.extracted_value, o.extracted_unit, o.correction_actions, o.corrected_by, o.corrected_on,
               o.correction_reason
        from marts.fct_kpi_observation o
        join marts.dim_document d using (doc_id)
        join marts.dim_kpi k using (kpi_id)
        left join marts.dim_issuer i on i.issuer_code = o.issuer_code
        left join marts.dim_fiscal_year y on y.fiscal_year = o.fiscal_year
        where o.observation_id = ?""",
        [observation_id],
    )


# What a line of raw/corrections.csv names an observation by (README "Corrections"): the
# document's content hash, the place, and what extraction read there (a year-less observation
# takes its report's year). A published observation gives its extracted_* columns; a quarantined
# one its own (a quarantined number was not corrected, or a reject put it there).
CORRECTION_KEYS = """
    select o.observation_id, d.sha256, o.doc_id as file, o.page::varchar as page, o.line::varchar as line, o.cell,
           o.extracted_project_name as project_name, o.extracted_kpi_name as kpi_name, o.extracted_measure as measure,
           coalesce(o.extracted_fiscal_year, d.fiscal_year)::varchar as fiscal_year, o.origin
    from marts.fct_kpi_observation o join marts.dim_document d using (doc_id)
    union all
    select q.observation_id, d.sha256, q.doc_id, q.page::varchar, q.line::varchar, q.cell, q.project_name_printed,
           q.kpi_name_printed, q.measure, coalesce(q.fiscal_year, d.fiscal_year)::varchar, 'quarantined'
    from marts.quarantine_kpi_observation q join marts.dim_document d using (doc_id)"""
PLACE = ("page", "line", "cell", "kpi_name", "measure", "fiscal_year")


def correction_target(release: Release, observation_id: str) -> dict | None:
    """The corrections file's keys of one observation (sha256, file, place, project, KPI, measure,
    year, as text as a line writes them) and its origin; None when the release has no such one."""
    found = release.frame(f"select * from ({CORRECTION_KEYS}) where observation_id = ?", [observation_id])
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    return {name: "" if texts.missing(value) else str(value) for name, value in row.items()}


def correction_lines(lines: list[dict], target: dict) -> pd.DataFrame:
    """The lines of the corrections file (read_corrections) that name the target (document, place, KPI,
    measure and year) as a form writes them: what the data team did or asked for, applied or not yet built."""
    keep = [
        line
        for line in lines
        if line["sha256"]
        and line["sha256"].lower() == target["sha256"]
        and all((line[name] or "") == target[name] for name in PLACE)
    ]
    columns = ["correction_line", "action", "value", "unit", "author", "corrected_on", "reason"]
    return pd.DataFrame([{name: line[name] for name in columns} for line in keep], columns=columns)


def reviewable_observations(release: Release) -> pd.DataFrame:
    """Numbers the review page offers to correct: those another report contradicts (open review
    rows) and the quarantined ones, with what names them for a person."""
    return release.frame("""
        select o.observation_id, k.kpi_name, o.measure, o.fiscal_year, o.doc_id, r.review_source as why
        from marts.review_queue r
        join marts.fct_kpi_observation o on o.observation_id = r.source_key
        join marts.dim_kpi k using (kpi_id)
        where r.review_source = 'contradicted_observation' and r.resolved_by is null
        union all
        select observation_id, kpi_name_printed, measure, fiscal_year, doc_id, quarantine_reason
        from marts.quarantine_kpi_observation
        order by doc_id, observation_id""")


def review_queue(release: Release) -> pd.DataFrame:
    return release.frame("""
        select review_source, doc_id, page, line, cell, reason, fragment
        from marts.review_queue order by review_source, doc_id, page nulls first, line nulls first""")


def quarantine(release: Release) -> pd.DataFrame:
    return release.frame("""
        select quarantine_reason, doc_id, kpi_name_printed, measure, fiscal_year, value_text, unit, page,
               line, cell, fragment
        from marts.quarantine_kpi_observation order by quarantine_reason, doc_id""")


def filtered(frame: pd.DataFrame, column: str, chosen: list[str], text: str = "") -> pd.DataFrame:
    """Rows whose `column` is one of `chosen` (all when none is chosen) and that contain `text`."""
    keep = frame[column].isin(chosen) if chosen else pd.Series(True, index=frame.index)
    if text and not frame.empty:
        cells = frame.apply(lambda column: column.map(lambda v: "" if pd.isna(v) else str(v)))
        haystack = cells.agg(" ".join, axis=1)
        keep &= haystack.str.contains(text, regex=False)
    return frame[keep]


def gate_suites(gate: Mapping[str, Any], lang: str = "ja") -> pd.DataFrame:
    """A gate result (run record's `gate`) as one row per suite, described in `lang`."""
    rows = [
        {
            "suite": name,
            "description": texts.suite(name, lang),
            "passed": s.get("passed"),
            "rows": s.get("rows"),
            "problem": s.get("problem"),
            "n_errors": len(s.get("errors", [])),
            "n_warnings": len(s.get("warnings", [])),
        }
        for name, s in gate.get("suites", {}).items()
    ]
    return pd.DataFrame(rows, columns=["suite", "description", "passed", "rows", "problem", "n_errors", "n_warnings"])


def last_run(runs_dir: Path) -> Mapping[str, Any] | None:
    """The most recent run record (passed or failed) in `runs/`."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in Path(runs_dir).glob("*.json")]
    return max(records, key=lambda r: r.get("recorded_at", ""), default=None)


# Columns a mart page offers as facets, when the mart has them (Datasette-like browsing).
FACETS = ("prefecture", "issuer_name", "grant_program_name", "fiscal_year_ja", "measure", "target_met_ja")
MART_ROWS_SHOWN = 1000


def marts(release: Release) -> list[str]:
    rows = release.con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
    ).fetchall()
    return [name for (name,) in rows]


def facet_values(release: Release, mart: str, column: str) -> list[str]:
    rows = release.con.execute(
        f'select distinct "{column}"::varchar from marts."{mart}" where "{column}" is not null order by 1 limit 500'
    ).fetchall()
    return [value for (value,) in rows]


def mart_rows(release: Release, mart: str, chosen: Mapping[str, list[str]]) -> tuple[int, pd.DataFrame]:
    """How many rows of `mart` have, in each faceted column, one of the chosen values; the first
    MART_ROWS_SHOWN of them. `mart` must be one of `marts(release)` and the columns its FACETS."""
    if mart not in marts(release):
        raise ValueError(f"{mart}: not a published mart")
    clauses = [(f'list_contains(?, "{column}"::varchar)', values) for column, values in chosen.items() if values]
    where = " and ".join(c for c, _ in clauses) or "true"
    params = [values for _, values in clauses]
    (count,) = release.con.execute(f'select count(*) from marts."{mart}" where {where}', params).fetchone()
    return count, release.frame(f'select * from marts."{mart}" where {where} limit {MART_ROWS_SHOWN}', params)
