"""The warehouse built from the sample corpus's gold observations answers the issue's questions."""

from __future__ import annotations

from dbt_harness import query


def test_issuers_resolve_to_their_codes_through_the_manifest(warehouse):
    rows = query(
        warehouse,
        """
        select i.issuer_name, d.issuer_code, d.issuer_resolution
        from intermediate.int_documents__issuer_resolved d
        join marts.dim_issuer i using (issuer_code)""",
    )
    resolved = {name: code for name, code, _ in rows}
    assert resolved == {"盛岡市": "032018", "苫小牧市": "012131", "岩手県": "030007", "山口県": "350001"}
    assert {how for *_, how in rows} == {"manifest"}


def test_every_landed_observation_is_published_or_quarantined(warehouse):
    ((landed,),) = query(warehouse, "select count(*) from raw.kpi_observations")
    ((published,),) = query(warehouse, "select count(*) from marts.fct_kpi_observation")
    ((quarantined,),) = query(warehouse, "select count(*) from marts.quarantine_kpi_observation")
    assert landed == published + quarantined
    assert landed > 0


def test_morioka_sports_kpis_link_across_both_reports(warehouse):
    rows = query(
        warehouse,
        """
        select s.kpi_name, s.fiscal_year, s.actual, s.doc_ids, k.link_rule, k.link_confidence
        from marts.kpi_series s
        join marts.dim_kpi k using (kpi_id)
        where s.issuer_code = '032018' and s.project_name like 'スポーツ・ツーリズムの推進%'
        order by s.kpi_name, s.fiscal_year""",
    )
    by_kpi: dict[str, list[int]] = {}
    for kpi, year, actual, _docs, rule, confidence in rows:
        by_kpi.setdefault(kpi, []).append(year)
        assert actual is not None
        assert (rule, confidence) == ("name_without_department", 0.9)
    assert by_kpi == {"Jリーグ観客数": [2020, 2023], "グラウンド利用者数": [2020, 2023]}
    assert {docs for _, _, _, docs, _, _ in rows} == {"000_00acd0e69fcd4ebe.txt", "001_f7ec1f6663b0fe0d.txt"}


def test_department_is_parsed_from_the_project_name(warehouse):
    rows = query(
        warehouse,
        """
        select project_name, department, fiscal_years_reported from marts.dim_project
        where issuer_code = '032018' and project_name like 'スポーツ・ツーリズムの推進%'""",
    )
    assert rows == [("スポーツ・ツーリズムの推進(施設整備)", "スポーツ推進課", "2020,2023")]


def test_yamaguchi_fy2021_rates_match_an_independent_count(warehouse):
    """Recompute the two headline rates in Python from the observations, not from the marts."""
    observations = query(
        warehouse,
        """
        select o.kpi_id, o.project_id, o.measure, coalesce(o.value_base, o.value), k.direction
        from marts.fct_kpi_observation o join marts.dim_kpi k using (kpi_id)
        where o.issuer_code = '350001' and o.fiscal_year = 2021 and o.measure in ('target', 'actual')""",
    )
    numbers: dict[str, dict] = {}
    for kpi, project, measure, amount, direction in observations:
        numbers.setdefault(kpi, {"project": project, "direction": direction})[measure] = amount
    met = {}
    for kpi, n in numbers.items():
        if n.get("target") is not None and n.get("actual") is not None:
            higher = n["direction"] == "higher_is_better"
            met[kpi] = n["actual"] >= n["target"] if higher else n["actual"] <= n["target"]
    projects: dict[str, bool] = {}
    for kpi, ok in met.items():
        projects[numbers[kpi]["project"]] = projects.get(numbers[kpi]["project"], False) or ok

    ((n_kpis_met, n_kpis_with_result, n_projects_met, n_projects_with_result),) = query(
        warehouse,
        """
        select sum(n_kpis_met), sum(n_kpis_with_result), sum(n_projects_with_kpi_met),
               sum(n_projects_with_result)
        from marts.summary_kpi_achievement where issuer_code = '350001' and fiscal_year = 2021""",
    )
    assert n_kpis_with_result == len(met) > 0
    assert n_kpis_met == sum(met.values())
    assert n_projects_with_result == len(projects)
    assert n_projects_met == sum(projects.values())


def test_plan_increments_build_a_planned_target_and_are_never_judged(warehouse):
    rows = query(
        warehouse,
        """
        select r.fiscal_year, r.baseline, r.target_increment, r.planned_target, r.target_met
        from marts.fct_kpi_result r join marts.dim_kpi k using (kpi_id)
        where k.issuer_code = '012131' and k.kpi_name = 'イノベーションマッチングイベント参加社数'
        order by r.fiscal_year""",
    )
    assert rows == [(2017, 34.0, 16.0, 50.0, None), (2018, 34.0, 10.0, 60.0, None), (2019, 34.0, 20.0, 80.0, None)]


def test_values_are_converted_to_base_units(warehouse):
    rows = query(
        warehouse,
        """
        select distinct unit, base_unit, scale_factor from marts.fct_kpi_observation
        where unit in ('千円', '億円', '千人', '%')""",
    )
    assert sorted(rows) == [("%", "%", 1.0), ("億円", "円", 1e8), ("千人", "人", 1000.0), ("千円", "円", 1000.0)]
