"""Self-describing marts: comments from the dbt docs, 和暦 fiscal years, printed values beside base ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dbt_harness import query

from orchestration.extract.normalize import ERA_LETTERS, ERAS, parse_fiscal_year
from orchestration.publish.release import DB_NAME, publish

OLD_CLI = Path(sys.executable).parent / "duckdb"  # the DuckDB 1.5 shell (duckdb-cli)


def _mart_docs(warehouse: Path) -> dict[str, dict]:
    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    return {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")
    }


def test_every_mart_and_column_carries_its_dbt_description_as_a_comment(warehouse):
    docs = _mart_docs(warehouse)
    tables = dict(query(warehouse, "select table_name, comment from duckdb_tables() where schema_name = 'marts'"))
    columns = {
        (t, c): comment
        for t, c, comment in query(
            warehouse, "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
        )
    }
    assert set(tables) == set(docs)
    for name, node in docs.items():
        assert tables[name] == node["description"], name
        for column, spec in node["columns"].items():
            assert columns[(name, column)] == spec["description"], f"{name}.{column}"


def test_each_published_column_comment_is_its_description_with_its_japanese_label(warehouse, tmp_path):
    publish(warehouse, tmp_path / "published", "run-1", 1, {"passed": True}, tmp_path / "runs")
    sql = "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
    published = {(t, c): comment for t, c, comment in query(tmp_path / "published" / DB_NAME, sql)}
    expected = {
        (name, column): f"{spec['description']} ({spec['meta']['label_ja']})"
        for name, node in _mart_docs(warehouse).items()
        for column, spec in node["columns"].items()
    }
    assert published == expected
    assert published[("dim_issuer", "issuer_code")].endswith("leading zeros kept (全国地方公共団体コード)")


@pytest.mark.skipif(not OLD_CLI.is_file(), reason="duckdb-cli (DuckDB 1.5 shell) not installed in the venv")
def test_the_duckdb_15_shell_shows_every_published_column_comment(warehouse, tmp_path):
    publish(warehouse, tmp_path / "published", "run-1", 1, {"passed": True}, tmp_path / "runs")
    out = subprocess.run(
        [
            str(OLD_CLI),
            "-readonly",
            str(tmp_path / "published" / DB_NAME),
            "-json",
            "-c",
            "select count(*) as n, count(comment) as described from duckdb_columns() where schema_name = 'marts'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    (counts,) = json.loads(out.stdout)
    documented = sum(len(node["columns"]) for node in _mart_docs(warehouse).values())
    assert counts == {"n": documented, "described": documented}


def test_wareki_labels_read_back_as_their_fiscal_year_with_the_extractions_parser(warehouse):
    rows = query(warehouse, "select fiscal_year, fiscal_year_ja, fiscal_year_short from marts.dim_fiscal_year")
    assert len(rows) > 10
    for year, label, short in rows:
        assert parse_fiscal_year(label) == year == parse_fiscal_year(short), (year, label, short)
    labels = dict(query(warehouse, "select fiscal_year, fiscal_year_ja from marts.dim_fiscal_year"))
    assert (labels[2018], labels[2019], labels[2023]) == ("平成30年度", "令和元年度", "令和5年度")


def test_the_era_mart_is_the_era_table_the_extraction_parses_with(warehouse):
    rows = query(warehouse, "select era_letter, era_name, first_year from marts.dim_japanese_era order by first_year")
    assert {letter: name for letter, name, _ in rows} == ERA_LETTERS
    assert {name: year for _, name, year in rows} == ERAS


def test_kpi_result_detail_gives_the_printed_value_beside_the_base_value(warehouse):
    (n_results,) = query(warehouse, "select count(*) from marts.fct_kpi_result")[0]
    rows = query(
        warehouse,
        """
        select d.actual, d.actual_printed, d.actual_unit_printed, d.base_unit, u.scale_factor, d.fiscal_year_ja
        from marts.kpi_result_detail d
        left join reference.unit_scales u on u.unit = d.actual_unit_printed
        where d.actual is not null""",
    )
    assert query(warehouse, "select count(*) from marts.kpi_result_detail")[0][0] == n_results
    scaled = [r for r in rows if r[2] != r[3]]
    assert scaled, "the sample corpus prints some values in a scaled unit (千円, 千人)"
    for actual, printed, _unit, _base, factor, label in rows:
        assert actual == pytest.approx(printed * (factor or 1)) and label
