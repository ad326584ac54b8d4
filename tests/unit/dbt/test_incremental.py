"""Models rebuilt per document give exactly what a full build gives.

A warehouse is built (with one report whose government is unknown), then its raw schema changes
as a build's landing changes it: a document changes (a value and a KPI name, so links to the
other report of its issuer move), one is added to an issuer that has reports already, one is
added whose government is unknown too (the marts' partition of a null issuer_code), one is
removed, and one is re-landed by another extraction version with one number fewer; and
raw/corrections.csv changes (a line added, one edited, one removed, one whose document changed
goes stale, one that renames a KPI and so moves its links). The
incremental build of that raw is compared, row for row, with a full refresh of the same raw, for
every intermediate model and mart.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from typing import NamedTuple

import duckdb
import pytest
from dbt_harness import query, run_dbt
from raw_fixture import GOLD_CSV, load_raw

from orchestration.publish.dbt_nodes import code_only_nodes, keep_args, kept_nodes

CHANGED, SAME_ISSUER, REMOVED, RELANDED = (
    "000_00acd0e69fcd4ebe.txt",
    "001_f7ec1f6663b0fe0d.txt",
    "002_3c71721faf290fed.txt",
    "004_9c18c498f3630c95.txt",
)
ADDED = "extra/added.txt"
UNKNOWN_ISSUER, UNKNOWN_ISSUER_ADDED = "extra/unknown.txt", "extra/unknown_added.txt"
LATER = datetime(2030, 1, 1)


class Built(NamedTuple):
    manifest: dict
    kept: set[str]  # the nodes the incremental builds were asked to leave as they were
    ran: set[str]  # the nodes the build after the changes ran


def _copy_document(con, source: str, doc_id: str, **replace) -> None:
    """A new report with `source`'s observations, and its documents row with columns replaced."""
    con.execute(
        "insert into raw.kpi_observations select * replace (replace(observation_id, ?, ?) as observation_id,"
        " ? as doc_id, ? as doc) from raw.kpi_observations where doc_id = ?",
        [source, doc_id, doc_id, doc_id, source],
    )
    replaced = "".join(f", ? as {column}" for column in replace)
    con.execute(
        f"insert into raw.documents select * replace (? as doc_id, ? as doc{replaced}) from raw.documents"
        " where doc_id = ?",
        [doc_id, doc_id, *replace.values(), source],
    )


def _correct(con, line: int, observation_id: str, action: str, value: str = "") -> None:
    """A line of raw/corrections.csv naming `observation_id` by its document's content and keys."""
    con.execute(
        "insert into raw.corrections (correction_line, sha256, file, page, line, cell, project_name, kpi_name,"
        " measure, fiscal_year, action, value, author, corrected_on, reason)"
        " select ?, d.sha256, o.doc_id, o.page, o.line, o.cell, o.project_name, o.kpi_name, o.measure,"
        " o.fiscal_year, ?, ?, 'tester', '2026-12-01', 'test' from raw.kpi_observations o"
        " join raw.documents d using (doc_id) where o.observation_id = ?",
        [line, action, value, observation_id],
    )


def _correct_before(db) -> None:
    with duckdb.connect(str(db)) as con:
        _correct(con, 2, f"{CHANGED}#3", "set_value", "1")  # stale once CHANGED changes
        _correct(con, 3, f"{SAME_ISSUER}#1", "set_value", "2")  # edited
        _correct(con, 4, f"{SAME_ISSUER}#3", "reject")  # removed


def _correct_after(con) -> None:
    con.execute("update raw.corrections set value = '3' where correction_line = 3")
    con.execute("delete from raw.corrections where correction_line = 4")
    _correct(con, 5, f"{RELANDED}#2", "set_kpi_name", "別の指標")
    _correct(con, 6, f"{SAME_ISSUER}#2", "reject")
    con.execute(
        "insert into raw.corrections (correction_line, sha256, project_name, kpi_name, measure, fiscal_year, action,"
        " value, unit, author, corrected_on, reason) select 7, sha256, '追加事業', '追加指標', 'actual', '2020', 'add',"
        " '5', '件', 'tester', '2026-12-01', 'test' from raw.documents where doc_id = ?",
        [RELANDED],
    )


def _land_unknown_issuer(db) -> None:
    """A report that neither the manifest nor its content ties to a government."""
    with duckdb.connect(str(db)) as con:
        _copy_document(con, SAME_ISSUER, UNKNOWN_ISSUER, issuer_name="どこにもない村")


def _land_changes(db) -> None:
    with duckdb.connect(str(db)) as con:
        _correct_after(con)
        con.execute("update raw.kpi_observations set value = value + 1 where observation_id = ?", [f"{CHANGED}#1"])
        con.execute(
            "update raw.kpi_observations set kpi_name = kpi_name || '（改）' where observation_id = ?", [f"{CHANGED}#2"]
        )
        con.execute("update raw.documents set sha256 = 'changed', landed_at = ? where doc_id = ?", [LATER, CHANGED])
        # a new report of an issuer that has reports already (the manifest says whose it is)
        _copy_document(con, SAME_ISSUER, ADDED, landed_at=LATER)
        _copy_document(con, UNKNOWN_ISSUER, UNKNOWN_ISSUER_ADDED, landed_at=LATER)
        con.execute(
            "insert into raw.manifest select * replace ((select max(line) + 1 from raw.manifest) as line,"
            " ? as file, '2024' as fiscal_year) from raw.manifest where file = ?",
            [ADDED, SAME_ISSUER],
        )
        for table in ("documents", "kpi_observations", "projects"):
            con.execute(f"delete from raw.{table} where doc_id = ?", [REMOVED])
        # re-landed by another extraction version, which reads one number fewer
        con.execute(
            "update raw.documents set reader_version = 'next', landed_at = ? where doc_id = ?", [LATER, RELANDED]
        )
        con.execute("delete from raw.kpi_observations where observation_id = ?", [f"{RELANDED}#3"])


def _relations(db) -> list[str]:
    rows = query(
        db,
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_schema in ('intermediate', 'marts') order by 1",
    )
    return [r[0] for r in rows]


def _differences(incremental, full, relation: str) -> int:
    with duckdb.connect() as con:
        con.execute("attach ? as a (read_only)", [str(incremental)])
        con.execute("attach ? as b (read_only)", [str(full)])
        return con.execute(
            f"select (select count(*) from (select * from a.{relation} except all select * from b.{relation}))"
            f" + (select count(*) from (select * from b.{relation} except all select * from a.{relation}))"
        ).fetchone()[0]


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory):
    if not GOLD_CSV.is_file():
        pytest.skip(f"{GOLD_CSV} not found: the shared gold observations are needed")
    work = tmp_path_factory.mktemp("dbt_incremental")
    db = work / "incremental.duckdb"
    load_raw(db)
    _land_unknown_issuer(db)
    _correct_before(db)
    result = run_dbt(db, work, "build")  # a full build
    assert result.returncode == 0, result.stdout[-4000:]
    # Builds by the same code leave what depends on the code alone, as the dbt asset does.
    manifest = json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))
    kept = code_only_nodes(manifest)
    result = run_dbt(db, work, "build", *keep_args(kept))  # one with nothing to do
    assert result.returncode == 0, result.stdout[-4000:]
    _land_changes(db)
    result = run_dbt(db, work, "build", *keep_args(kept))
    assert result.returncode == 0, result.stdout[-4000:]
    ran = {r["unique_id"] for r in json.loads((work / "target" / "run_results.json").read_text())["results"]}
    full = work / "full.duckdb"
    shutil.copy(db, full)
    result = run_dbt(full, work, "build", "--full-refresh")
    assert result.returncode == 0, result.stdout[-4000:]
    return db, full, Built(manifest, {node["unique_id"] for node in kept}, ran)


def test_the_changes_reach_the_marts(incremental_and_full):
    db, _, _ = incremental_and_full
    docs = {r[0] for r in query(db, "select distinct doc_id from marts.fct_kpi_observation")}
    assert ADDED in docs and REMOVED not in docs
    unresolved = query(db, "select count(distinct doc_id) from marts.fct_kpi_observation where issuer_code is null")
    assert unresolved == [(2,)]
    assert query(db, "select count(*) from marts.dim_kpi where issuer_code is null") != [(0,)]
    assert query(db, "select count(*) from marts.fct_kpi_observation where observation_id = ?", [f"{RELANDED}#3"]) == [
        (0,)
    ]
    corrected = dict(query(db, "select observation_id, value from marts.fct_kpi_observation"))
    assert corrected[f"{SAME_ISSUER}#1"] == corrected[f"{ADDED}#1"] == 3.0  # the edited line; a copy alike
    assert corrected[f"{RELANDED}#c7"] == 5.0
    assert f"{SAME_ISSUER}#3" in corrected and f"{SAME_ISSUER}#2" not in corrected  # reject removed, one added
    stale = query(db, "select reason from marts.review_queue where review_source = 'stale_correction'")
    assert [reason[:42] for (reason,) in stale] == ["corrections.csv line 2: stale correction: "]


def test_every_model_is_what_a_full_build_gives(incremental_and_full):
    db, full, _ = incremental_and_full
    relations = _relations(db)
    assert {"marts.fct_kpi_observation", "marts.dim_kpi", "marts.kpi_series"} <= set(relations)
    assert relations == _relations(full)
    differing = {relation: n for relation in relations if (n := _differences(db, full, relation))}
    assert differing == {}


def test_a_build_by_the_same_code_leaves_what_depends_on_the_code_alone(incremental_and_full):
    _, _, built = incremental_and_full
    # seeds, views and models that read no source; not a model that reads one
    assert {"seed.sosei.grant_programs", "model.sosei.stg_raw__documents", "model.sosei.dim_japanese_era"} <= built.kept
    assert not {"model.sosei.int_documents__issuer_resolved", "model.sosei.dim_issuer"} & built.kept
    assert not built.kept & built.ran
    tests = {u for u, node in built.manifest["nodes"].items() if node["resource_type"] == "test"}
    assert tests <= built.ran  # every data test still runs, the seeds' too


def test_a_candidate_without_one_of_those_relations_gets_them_all_built(incremental_and_full, tmp_path):
    _, _, built = incremental_and_full
    nodes = code_only_nodes(built.manifest)
    db = tmp_path / "candidate.duckdb"
    assert kept_nodes(built.manifest, db) == []  # no candidate yet
    with duckdb.connect(str(db)) as con:
        for node in nodes:
            con.execute(f'create schema if not exists "{node["schema"]}"')
            con.execute(f'create table "{node["schema"]}"."{node["alias"]}" (x integer)')
    assert kept_nodes(built.manifest, db) == nodes
    with duckdb.connect(str(db)) as con:
        con.execute(f'drop table "{nodes[-1]["schema"]}"."{nodes[-1]["alias"]}"')
    assert kept_nodes(built.manifest, db) == []


def test_any_change_to_the_code_or_the_fiscal_year_asks_for_a_full_refresh():
    from orchestration.publish.rebuild_version import code_fingerprint

    def manifest(checksum="a", materialized="table", macro="select 1"):
        return {
            "nodes": {
                "model.sosei.m": {
                    "resource_type": "model",
                    "checksum": {"checksum": checksum},
                    "config": {"materialized": materialized},
                },
                "test.sosei.t": {"resource_type": "test", "checksum": {"checksum": "t"}, "config": {}},
            },
            "macros": {"macro.sosei.k": {"macro_sql": macro}},
        }

    april, march = datetime(2026, 4, 1).date(), datetime(2026, 3, 31).date()
    built = code_fingerprint(manifest(), april)
    assert code_fingerprint(manifest(), april) == built
    assert code_fingerprint(manifest(), datetime(2026, 12, 31).date()) == built
    changed = [manifest(checksum="b"), manifest(materialized="incremental"), manifest(macro="select 2")]
    assert all(code_fingerprint(m, april) != built for m in changed)
    assert code_fingerprint(manifest(), march) != built
    # a new calendar year within the same fiscal year: dim_fiscal_year's last year moves
    assert code_fingerprint(manifest(), datetime(2027, 1, 1).date()) != code_fingerprint(
        manifest(), datetime(2026, 12, 31).date()
    )
