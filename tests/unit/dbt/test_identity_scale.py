"""KPI identity stays linear in the projects of one report: no step pairs them all.

A national compilation lists tens of thousands of projects in one report; pairing every two of
them (to find renamed projects) took 20.7 GB at 24,000. The compiled model is run with DuckDB's
profiler on one report of many projects, and no operator may produce more rows than a small
multiple of the observations (before the rewrite: 1,000 projects gave a million pairs).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import duckdb
from dbt_harness import run_dbt
from raw_fixture import load_one_large_document

N_PROJECTS = 1000
ROWS_PER_OBSERVATION = 4  # joins and distincts over the observations, never their square


def _operators(nodes: list[dict]) -> Iterator[tuple[int, str]]:
    """(rows produced, operator type) of every operator in a DuckDB JSON profile's plan."""
    for node in nodes:
        yield int(node["intermediate_rows"]), node["type"]
        yield from _operators(node.get("children", []))


def test_identity_rows_grow_with_observations_not_their_square(tmp_path):
    db = tmp_path / "large.duckdb"
    n_observations = load_one_large_document(db, N_PROJECTS)
    built = run_dbt(db, tmp_path, "build", "--select", "+int_kpis__identity", "--exclude-resource-type", "test")
    assert built.returncode == 0, built.stdout[-3000:]
    (compiled,) = (tmp_path / "target" / "compiled").rglob("int_kpis__identity.sql")
    profile = tmp_path / "profile.json"

    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("pragma enable_profiling = 'json'")
        con.execute(f"pragma profiling_output = '{profile}'")
        con.execute(f"select count(*) from ({compiled.read_text(encoding='utf-8')})").fetchall()
        con.execute("pragma disable_profiling")

    rows, operator = max(_operators(json.loads(profile.read_text(encoding="utf-8"))["operator"]))
    assert rows <= ROWS_PER_OBSERVATION * n_observations, f"{operator} produced {rows} rows"
