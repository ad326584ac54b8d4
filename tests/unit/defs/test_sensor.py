"""The raw/ sensor, evaluated with Dagster's own sensor context against a test instance."""

import json

import dagster as dg
from dagster._core.definitions.dynamic_partitions_request import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)

from orchestration.defs.partitions import DOCUMENTS, partition_range_tags
from orchestration.defs.sensors import REMOVED_TAG, raw_files_sensor
from orchestration.land import extraction_version
from orchestration.land.registry import scan_raw
from orchestration.land.store import land_entry


def _tick(instance: dg.DagsterInstance, sosei, cursor: str | None) -> dg.SensorResult:
    """Evaluate one tick and apply its partition requests, as the daemon does."""
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"sosei": sosei})
    result = raw_files_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        elif isinstance(request, DeleteDynamicPartitionsRequest):
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def _land_all(settings) -> None:
    """What the requested run would do: land every document of raw/ (in this process)."""
    for entry in scan_raw(settings.raw_dir).values():
        land_entry(entry, settings)


def _write(settings, name: str, text: str) -> None:
    path = settings.raw_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_new_files_are_registered_and_landed_in_one_run(instance, settings, sosei) -> None:
    _write(settings, "a.txt", "目標 100 人 実績 143 人")
    _write(settings, "sub/b.txt", "目標 5 件")
    (settings.raw_dir / "manifest.csv").write_text("file\n", encoding="utf-8")
    result = _tick(instance, sosei, None)
    assert instance.get_dynamic_partitions(DOCUMENTS) == ["a.txt", "sub/b.txt"]
    assert len(result.run_requests) == 1
    assert result.run_requests[0].tags == partition_range_tags("a.txt", "sub/b.txt")
    assert result.run_requests[0].job_name == "sosei_build"
    assert json.loads(result.cursor) == {
        "a.txt": json.loads(result.cursor)["a.txt"],
        "sub/b.txt": json.loads(result.cursor)["sub/b.txt"],
    }


def test_unchanged_files_request_no_run(instance, settings, sosei) -> None:
    _write(settings, "a.txt", "目標 100 人")
    first = _tick(instance, sosei, None)
    _land_all(settings)
    second = _tick(instance, sosei, first.cursor)
    assert second.run_requests == []
    assert not second.dynamic_partitions_requests
    assert second.cursor == first.cursor


def test_a_changed_file_requests_only_its_partition(instance, settings, sosei) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        _write(settings, name, f"{name} 目標 100 人")
    cursor = _tick(instance, sosei, None).cursor
    _land_all(settings)
    _write(settings, "b.txt", "目標 200 人")
    result = _tick(instance, sosei, cursor)
    assert [r.tags for r in result.run_requests] == [partition_range_tags("b.txt", "b.txt")]
    assert instance.get_dynamic_partitions(DOCUMENTS) == ["a.txt", "b.txt", "c.txt"]
    assert json.loads(result.cursor)["b.txt"] != json.loads(cursor)["b.txt"]


def test_changes_apart_in_registration_order_get_one_run_each(instance, settings, sosei) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        _write(settings, name, name)
    cursor = _tick(instance, sosei, None).cursor
    _land_all(settings)
    _write(settings, "a.txt", "new a")
    _write(settings, "c.txt", "new c")
    result = _tick(instance, sosei, cursor)
    assert [r.tags for r in result.run_requests] == [
        partition_range_tags("a.txt", "a.txt"),
        partition_range_tags("c.txt", "c.txt"),
    ]


def test_a_removed_file_is_unregistered_and_rebuilt_away(instance, settings, sosei) -> None:
    for name in ("a.txt", "b.txt"):
        _write(settings, name, name)
    cursor = _tick(instance, sosei, None).cursor
    _land_all(settings)
    (settings.raw_dir / "a.txt").unlink()
    result = _tick(instance, sosei, cursor)
    assert instance.get_dynamic_partitions(DOCUMENTS) == ["b.txt"]
    [run] = result.run_requests
    assert run.job_name == "sosei_rebuild"
    assert run.tags[REMOVED_TAG] == "a.txt"
    assert "a.txt" not in json.loads(result.cursor)


def test_documents_landed_by_another_extraction_version_are_requested_again(
    instance, settings, sosei, monkeypatch
) -> None:
    for name in ("a.txt", "b.txt"):
        _write(settings, name, f"{name} 目標 100 人")
    cursor = _tick(instance, sosei, None).cursor
    _land_all(settings)
    assert _tick(instance, sosei, cursor).run_requests == []
    monkeypatch.setattr(extraction_version, "EXTRACTION_VERSION", "a-newer-extraction")
    [run] = _tick(instance, sosei, cursor).run_requests
    assert run.tags == partition_range_tags("a.txt", "b.txt")
    _land_all(settings)
    assert _tick(instance, sosei, cursor).run_requests == []
