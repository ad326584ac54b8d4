"""Write–audit–publish on small candidates: layout, old-reader compatibility, atomicity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.publish import release as publish_module
from orchestration.publish.release import DB_NAME, PublishError, clean_leftovers, current_release, fingerprint, publish

PASSED = {"passed": True, "suites": {}}
# The DuckDB 1.x shell from PyPI (package duckdb-cli), as BI tools embedding DuckDB 1.x read.
OLD_CLI = Path(sys.executable).parent / "duckdb"


def make_candidate(path: Path, rows: int) -> Path:
    """Two marts of `rows` rows each (a table and a view), and a raw table that is not published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(f"""
            create schema raw; create schema marts;
            create table raw.kpi_observations as select range as observation_id from range({rows});
            create table marts.fct_kpi_observation as
                select range as observation_id, 'doc ' || range as doc_id from range({rows});
            create view marts.summary_kpi_achievement as
                select observation_id, 0.5 as share_kpis_met from marts.fct_kpi_observation;
            comment on table marts.fct_kpi_observation is 'KPI observations (KPI観測値)';
            comment on column marts.fct_kpi_observation.doc_id is 'Report the number was printed in';
            comment on view marts.summary_kpi_achievement is 'The two headline rates (達成率)';
            create table main.column_labels as select 'fct_kpi_observation' as table_name,
                'doc_id' as column_name, '文書ID' as label_ja;
        """)
    return path


@pytest.fixture
def dirs(tmp_path):
    return tmp_path / "published", tmp_path / "runs"


def test_publish_writes_one_release_behind_one_pointer(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 7)

    record = publish(candidate, published, "run-1", 3, PASSED, runs)

    release = published / "releases" / "run-1"
    assert current_release(published) == release.resolve()
    assert sorted(p.name for p in release.iterdir()) == ["csv", "parquet", "run_record.json", DB_NAME]
    # The documented paths are symlinks through the one pointer.
    for name in (DB_NAME, "parquet", "run_record.json"):
        assert (published / name).is_symlink() and (published / name).resolve() == (release / name).resolve()
    assert record.row_counts == {"fct_kpi_observation": 7, "summary_kpi_achievement": 7}
    with duckdb.connect(str(published / DB_NAME), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables order by 1, 2"
        ).fetchall()
        run = con.execute("select run_id, documents from main.sosei_run").fetchone()
    assert tables == [
        ("main", "column_labels", "BASE TABLE"),
        ("main", "sosei_run", "BASE TABLE"),
        ("marts", "fct_kpi_observation", "BASE TABLE"),
        ("marts", "summary_kpi_achievement", "BASE TABLE"),
    ]
    assert run == ("run-1", 3)
    for mart, count in record.row_counts.items():
        parquet = published / "parquet" / f"{mart}.parquet"
        assert duckdb.execute(f"select count(*) from '{parquet}'").fetchone()[0] == count
    current = json.loads((published / "run_record.json").read_text(encoding="utf-8"))
    assert current == json.loads((runs / "run-1.json").read_text(encoding="utf-8"))
    assert current["status"] == "published" and current["documents"] == 3
    assert current["files"] == {k: v for k, v in fingerprint(release).items() if k != "run_record.json"}
    assert "csv/summary_kpi_achievement.csv" in current["files"]


def test_the_published_file_keeps_the_table_and_column_comments(tmp_path, dirs):
    published, runs = dirs
    publish(make_candidate(tmp_path / "c.duckdb", 2), published, "run-1", 1, PASSED, runs)
    with duckdb.connect(str(published / DB_NAME), read_only=True) as con:
        tables = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
        column = con.execute(
            "select comment from duckdb_columns() where table_name = 'fct_kpi_observation' and column_name = 'doc_id'"
        ).fetchone()
    assert tables["fct_kpi_observation"] == "KPI observations (KPI観測値)"
    assert tables["summary_kpi_achievement"] == "The two headline rates (達成率)"  # a view, published as a table
    assert column == ("Report the number was printed in (文書ID)",)


def test_a_candidate_without_its_column_labels_is_not_published(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 2)
    with duckdb.connect(str(candidate)) as con:
        con.execute("drop table main.column_labels")
    with pytest.raises(PublishError, match=r"c\.duckdb: no main\.column_labels"):
        publish(candidate, published, "run-1", 1, PASSED, runs)
    assert current_release(published) is None


def test_the_spreadsheet_csv_has_a_bom_and_no_live_formulas(tmp_path, dirs):
    published, runs = dirs
    candidate = tmp_path / "c.duckdb"
    texts = ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-2+3", "-", "\tx", "-12.5", "山口県", None]
    with duckdb.connect(str(candidate)) as con:
        con.execute("create schema marts")
        con.execute("create table column_labels (table_name varchar, column_name varchar, label_ja varchar)")
        con.execute("create table marts.summary_kpi_achievement (n integer, label varchar, share double)")
        con.executemany(
            "insert into marts.summary_kpi_achievement values (?, ?, -0.5)", [(i, t) for i, t in enumerate(texts)]
        )
    publish(candidate, published, "run-1", 1, PASSED, runs)

    path = published / "current" / "csv" / "summary_kpi_achievement.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == ["n", "label", "share"]
    assert frame.sort_values("n")["label"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'@SUM(A1)",
        "'-2+3",
        "'-",
        "'\tx",
        "-12.5",
        "山口県",
        "",
    ]
    assert frame["share"].tolist() == [-0.5] * len(texts)  # numbers stay numbers


def test_the_next_publish_cleans_what_a_killed_one_left(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 2)
    publish(candidate, published, "run-1", 1, PASSED, runs)
    # What a publish killed at each step leaves: a half-written release, an empty release folder,
    # a temporary pointer and a temporary file.
    (published / "releases" / ".run-x.tmp" / "parquet").mkdir(parents=True)
    (published / "releases" / "run-y").mkdir()
    (published / ".current.tmp").symlink_to("releases/run-y")
    (published / ".sosei.duckdb.run-z.tmp").write_bytes(b"partial")

    assert sorted(p.name for p in clean_leftovers(published)) == [
        ".current.tmp",
        ".run-x.tmp",
        ".sosei.duckdb.run-z.tmp",
        "run-y",
    ]
    assert sorted(p.name for p in published.iterdir()) == ["current", "parquet", "releases", "run_record.json", DB_NAME]
    assert [p.name for p in (published / "releases").iterdir()] == ["run-1"]
    publish(candidate, published, "run-2", 1, PASSED, runs)
    assert current_release(published).name == "run-2"


def test_a_warehouse_published_in_the_older_layout_moves_to_the_pointer(tmp_path, dirs):
    published, runs = dirs
    old = published / "releases" / "old" / "parquet"
    old.mkdir(parents=True)
    (published / "releases" / "old" / "run_record.json").write_text("{}", encoding="utf-8")
    (published / DB_NAME).write_bytes(b"an older release's file")
    (published / "parquet").symlink_to("releases/old/parquet")
    (published / "run_record.json").write_text("{}", encoding="utf-8")

    publish(make_candidate(tmp_path / "c.duckdb", 4), published, "run-1", 1, PASSED, runs)

    with duckdb.connect(str(published / DB_NAME), read_only=True) as con:
        assert con.execute("select run_id from main.sosei_run").fetchone() == ("run-1",)
    assert json.loads((published / "run_record.json").read_text(encoding="utf-8"))["run_id"] == "run-1"
    assert (published / "parquet").resolve() == (published / "releases" / "run-1" / "parquet").resolve()


@pytest.mark.skipif(not OLD_CLI.is_file(), reason="duckdb-cli (DuckDB 1.x shell) not installed in the venv")
def test_the_published_file_opens_in_the_duckdb_1x_shell_and_the_candidate_does_not(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 5)
    publish(candidate, published, "run-1", 1, PASSED, runs)
    version = subprocess.run([str(OLD_CLI), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v1.")

    def query(db: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                str(OLD_CLI),
                "-readonly",
                str(db),
                "-json",
                "-c",
                "select count(*) as n from marts.summary_kpi_achievement",
            ],
            capture_output=True,
            text=True,
            check=False,
        )

    assert json.loads(query(published / DB_NAME).stdout) == [{"n": 5}]
    comments = subprocess.run(
        [
            str(OLD_CLI),
            "-readonly",
            str(published / DB_NAME),
            "-json",
            "-c",
            "select column_name, comment from duckdb_columns() where table_name = 'fct_kpi_observation' "
            "and comment is not null",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(comments.stdout) == [
        {"column_name": "doc_id", "comment": "Report the number was printed in (文書ID)"}
    ]
    refused = query(candidate)
    assert refused.returncode != 0 and "version" in refused.stdout + refused.stderr


def test_only_the_last_releases_are_kept(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 2)
    for i in range(5):
        publish(candidate, published, f"run-{i}", 1, PASSED, runs, keep=3)
        time.sleep(0.01)  # distinct release mtimes

    assert sorted(p.name for p in (published / "releases").iterdir()) == ["run-2", "run-3", "run-4"]
    assert sorted(p.name for p in runs.iterdir()) == [f"run-{i}.json" for i in range(5)]


def test_releases_are_pruned_by_when_they_were_published_not_by_mtime(tmp_path, dirs, monkeypatch):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 2)
    for i in range(5):
        monkeypatch.setattr(publish_module, "_now", lambda i=i: f"2026-01-0{i + 1}T00:00:00+00:00")
        publish(candidate, published, f"run-{i}", 1, PASSED, runs, keep=3)
        if i == 2:  # the oldest release kept is touched (a copy, a restore): it is still the oldest
            os.utime(published / "releases" / "run-1", (time.time() + 3600, time.time() + 3600))
    assert sorted(p.name for p in (published / "releases").iterdir()) == ["run-2", "run-3", "run-4"]


@pytest.mark.parametrize(
    ("run_id", "gate", "error"),
    [
        ("run-2", {"passed": False}, "gate did not pass"),
        ("run-1", PASSED, "already published"),
        ("../escape", PASSED, "run id"),
    ],
)
def test_refused_publishes_leave_the_published_files_as_they_were(tmp_path, dirs, run_id, gate, error):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 4)
    publish(candidate, published, "run-1", 1, PASSED, runs)
    before = fingerprint(published)

    with pytest.raises((PublishError, ValueError), match=error):
        publish(candidate, published, run_id, 1, gate, runs)

    assert fingerprint(published) == before


def test_a_publish_that_fails_midway_leaves_no_trace(tmp_path, dirs):
    published, runs = dirs
    publish(make_candidate(tmp_path / "c.duckdb", 4), published, "run-1", 1, PASSED, runs)
    before = sorted(p.name for p in published.iterdir()), fingerprint(published)
    no_marts = tmp_path / "empty.duckdb"
    duckdb.connect(str(no_marts)).close()

    with pytest.raises(PublishError, match=r"empty\.duckdb: no tables in schema marts"):
        publish(no_marts, published, "run-2", 1, PASSED, runs)

    assert (sorted(p.name for p in published.iterdir()), fingerprint(published)) == before
    assert not (published / "releases" / "run-2").exists()
    assert not (runs / "run-2.json").exists()


READER = textwrap.dedent("""
    import json, os, sys, duckdb
    published, stop, out = sys.argv[1:]
    with open(out, "a") as log:
        while not os.path.exists(stop):
            seen = {}
            try:
                release = os.path.realpath(os.path.join(published, "current"))  # the pointer, once
                with duckdb.connect(os.path.join(release, "sosei.duckdb"), read_only=True) as con:
                    seen["db"] = con.execute(
                        "select (select count(*) from marts.fct_kpi_observation),"
                        " (select count(*) from marts.summary_kpi_achievement),"
                        " (select run_id from main.sosei_run)").fetchone()
                seen["parquet"] = [duckdb.execute(f"select count(*) from '{release}/parquet/{m}.parquet'")
                                   .fetchone()[0] for m in ("fct_kpi_observation", "summary_kpi_achievement")]
                with open(os.path.join(release, "run_record.json")) as f:
                    seen["record"] = json.load(f)["run_id"]
            except Exception as exc:
                seen["error"] = repr(exc)
            log.write(json.dumps(seen) + "\\n")
            log.flush()
""")


def test_a_concurrent_reader_sees_the_old_or_the_new_warehouse_never_a_mix(tmp_path, dirs):
    published, runs = dirs
    rounds = 8
    candidates = [make_candidate(tmp_path / f"c{i}.duckdb", 10 * (i + 1)) for i in range(rounds)]
    publish(candidates[0], published, "run-1", 1, PASSED, runs)
    stop, out = tmp_path / "stop", tmp_path / "reads.jsonl"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop), str(out)])
    try:
        while not out.exists() or not out.read_text():
            time.sleep(0.05)
        for i in range(1, rounds):
            publish(candidates[i], published, f"run-{i + 1}", 1, PASSED, runs, keep=rounds)
        time.sleep(0.3)
    finally:
        stop.touch()
        reader.wait(timeout=30)

    reads = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r for r in reads if "error" in r] == []
    for r in reads:
        facts, summary, run_id = r["db"]
        assert facts == summary and run_id == f"run-{facts // 10}", r
        assert r["parquet"] == [facts, facts] and r["record"] == run_id, r
    versions = {r["db"][2] for r in reads}
    print(f"{len(reads)} reads saw {len(versions)} of {rounds} releases")
    assert len(versions) >= 2


def test_publishing_beside_an_open_reader_does_not_wait_for_it(tmp_path, dirs):
    published, runs = dirs
    publish(make_candidate(tmp_path / "a.duckdb", 3), published, "run-1", 1, PASSED, runs)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import duckdb, time
        con = duckdb.connect({str(published / DB_NAME)!r}, read_only=True)
        print(con.execute("select run_id from main.sosei_run").fetchone()[0], flush=True)
        time.sleep(3)
        print(con.execute("select count(*) from marts.fct_kpi_observation").fetchone()[0], flush=True)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "run-1"
        publish(make_candidate(tmp_path / "b.duckdb", 9), published, "run-2", 1, PASSED, runs)
        # The holder still reads the release it opened; new readers get the new one.
        assert holder.stdout.readline().strip() == "3"
    finally:
        holder.wait(timeout=30)
    with duckdb.connect(str(published / DB_NAME), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_kpi_observation").fetchone()[0] == 9


def test_superset_path_sqlalchemy_duckdb_engine_reflects_the_marts_read_only(tmp_path, dirs):
    sa = pytest.importorskip("sqlalchemy")
    pytest.importorskip("duckdb_engine")
    published, runs = dirs
    publish(make_candidate(tmp_path / "c.duckdb", 6), published, "run-1", 1, PASSED, runs)
    engine = sa.create_engine(f"duckdb:///{published / DB_NAME}?access_mode=read_only")
    try:
        assert sa.inspect(engine).get_table_names(schema="marts") == ["fct_kpi_observation", "summary_kpi_achievement"]
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from marts.fct_kpi_observation")).scalar() == 6
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                con.execute(sa.text("delete from marts.fct_kpi_observation"))
    finally:
        engine.dispose()


PUBLISHER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from orchestration.publish.release import publish
    candidate, published, runs, run_id = sys.argv[1:]
    publish(Path(candidate), Path(published), run_id, 1, {"passed": True}, Path(runs))
""")


def _release_is_whole(published: Path) -> str:
    """The current release's name, after checking its DuckDB file, Parquet and record agree."""
    release = current_release(published)
    with duckdb.connect(str(release / DB_NAME), read_only=True) as con:
        run_id, facts = con.execute(
            "select run_id, (select count(*) from marts.fct_kpi_observation) from main.sosei_run"
        ).fetchone()
    parquet = release / "parquet" / "fct_kpi_observation.parquet"
    assert duckdb.execute(f"select count(*) from '{parquet}'").fetchone()[0] == facts
    assert json.loads((release / "run_record.json").read_text(encoding="utf-8"))["run_id"] == run_id == release.name
    with duckdb.connect(str(published / DB_NAME), read_only=True) as con:  # the documented path agrees
        assert con.execute("select run_id from main.sosei_run").fetchone()[0] == run_id
    return run_id


def _publisher(candidate: Path, published: Path, runs: Path, run_id: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PUBLISHER, str(candidate), str(published), str(runs), run_id])


def test_a_publish_killed_at_any_moment_leaves_one_whole_release_and_the_next_cleans_up(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "big.duckdb", 50_000)
    started = time.perf_counter()
    assert _publisher(candidate, published, runs, "run-0").wait() == 0
    whole_publish = time.perf_counter() - started  # interpreter start-up included
    kills = 8
    seen = []
    for i in range(1, kills + 1):
        before = _release_is_whole(published)
        process = _publisher(candidate, published, runs, f"run-{i}")
        time.sleep(whole_publish * i / kills)  # spread over the whole publish, swap included
        process.kill()  # SIGKILL: no clean-up runs
        process.wait()
        after = _release_is_whole(published)
        assert after in (before, f"run-{i}")
        seen.append(after == before)
    print(
        f"publish {whole_publish:.2f} s; {seen.count(True)} of {kills} kills left the old release, "
        f"{seen.count(False)} the new one"
    )
    publish(candidate, published, "run-final", 1, PASSED, runs)
    leftovers = [
        p
        for p in (published / "releases").iterdir()
        if p.name.endswith(".tmp") or not (p / "run_record.json").is_file()
    ]
    assert leftovers == [] and not list(published.glob(".*.tmp"))
    assert _release_is_whole(published) == "run-final"


def test_a_deleted_current_is_written_again_by_the_next_publish(tmp_path, dirs):
    """`current` removed by hand (the releases stay): nothing is published until the next publish,
    which points it to its own release and keeps and prunes the others as before."""
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 2)
    for i in range(3):
        publish(candidate, published, f"run-{i}", 1, PASSED, runs, keep=3)
    (published / "current").unlink()
    assert current_release(published) is None

    publish(candidate, published, "run-3", 1, PASSED, runs, keep=3)

    assert current_release(published) == (published / "releases" / "run-3").resolve()
    assert sorted(p.name for p in (published / "releases").iterdir()) == ["run-1", "run-2", "run-3"]
    with duckdb.connect(str(published / DB_NAME), read_only=True) as con:
        assert con.execute("select run_id from main.sosei_run").fetchone() == ("run-3",)


def test_a_mart_unchanged_since_the_last_release_links_its_files_and_a_changed_one_is_written(tmp_path, dirs):
    published, runs = dirs
    candidate = make_candidate(tmp_path / "c.duckdb", 5)
    first = publish(candidate, published, "run-1", 1, PASSED, runs, code_version="v1")
    with duckdb.connect(str(candidate)) as con:  # a correction: one value of the fact table changes
        con.execute("update marts.fct_kpi_observation set doc_id = 'corrected' where observation_id = 3")
    second = publish(candidate, published, "run-2", 1, PASSED, runs, code_version="v1")

    def inode(run: str, name: str) -> int:
        return (published / "releases" / run / name).stat().st_ino

    # the view reads the fact table's ids only: its rows, so its files, are the same
    assert second.mart_fingerprints["summary_kpi_achievement"] == first.mart_fingerprints["summary_kpi_achievement"]
    for name in ("parquet/summary_kpi_achievement.parquet", "csv/summary_kpi_achievement.csv"):
        assert inode("run-2", name) == inode("run-1", name)
    assert second.mart_fingerprints["fct_kpi_observation"] != first.mart_fingerprints["fct_kpi_observation"]
    fact = "parquet/fct_kpi_observation.parquet"
    assert inode("run-2", fact) != inode("run-1", fact)
    corrected = duckdb.execute(f"select doc_id from '{published / fact}' where observation_id = 3").fetchone()
    assert corrected == ("corrected",)
    assert second.files[fact] != first.files[fact]

    third = publish(candidate, published, "run-3", 1, PASSED, runs, code_version="v2")  # the writer's code changed
    assert third.mart_fingerprints["summary_kpi_achievement"] != second.mart_fingerprints["summary_kpi_achievement"]
    name = "parquet/summary_kpi_achievement.parquet"
    assert inode("run-3", name) != inode("run-2", name)
    assert third.files[name] == second.files[name]  # written again, to the same bytes
