"""Every mart column is documented in English with its Japanese label (`meta.label_ja`), and exists."""

from __future__ import annotations

import json
import re

from dbt_harness import query

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_mart_column_is_documented_with_a_japanese_label(warehouse):
    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    marts = {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")
    }
    assert len(marts) >= 11
    for name, node in marts.items():
        built = {
            c
            for (c,) in query(
                warehouse,
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
                [name],
            )
        }
        documented = set(node["columns"])
        assert built == documented, f"{name}: undocumented {built - documented}, stale {documented - built}"
        assert JAPANESE.search(node["description"]), f"{name} has no Japanese label"
        for column, spec in node["columns"].items():
            assert re.search(r"[A-Za-z]{3}", spec["description"]), f"{name}.{column}: no English description"
            assert JAPANESE.search(spec["meta"].get("label_ja", "")), f"{name}.{column}: no meta.label_ja"


def test_the_run_writes_each_mart_columns_label_from_its_yml(warehouse):
    rows = query(warehouse, "select table_name, column_name, label_ja, description from main.column_labels")
    labels = {(t, c): label for t, c, label, _ in rows}
    assert (
        "dim_issuer",
        "issuer_code",
        "全国地方公共団体コード",
        "Local government code, 6 digits, leading zeros kept",
    ) in rows
    assert labels[("dim_issuer", "issuer_code")] == "全国地方公共団体コード"
    assert labels[("fct_kpi_observation", "fiscal_year")] == "年度"
    built = query(
        warehouse, "select table_name, column_name from information_schema.columns where table_schema = 'marts'"
    )
    assert set(labels) == set(built)
