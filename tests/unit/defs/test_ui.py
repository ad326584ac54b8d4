"""What the Dagster UI shows a data team: dbt layers as groups, everything described, the gate's
checks told apart from dbt tests, and raw/ picked up without switching anything on."""

import dagster as dg

from orchestration.definitions import defs
from orchestration.quality.catalog import SUITES

LAYERS = {"staging", "intermediate", "marts", "reference"}


def _dbt_layer(key: dg.AssetKey) -> str | None:
    return key.path[0] if len(key.path) == 2 and key.path[0] in LAYERS else None


def test_dbt_models_and_seeds_are_grouped_by_layer() -> None:
    graph = defs.resolve_asset_graph()
    by_layer = {key: _dbt_layer(key) for key in graph.get_all_asset_keys() if _dbt_layer(key)}
    assert set(by_layer.values()) == LAYERS
    assert {key: graph.get(key).group_name for key in by_layer} == by_layer
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert "default" not in groups


def test_every_asset_and_check_is_described_and_gate_checks_stand_apart() -> None:
    graph = defs.resolve_asset_graph()
    assert [k for k in graph.get_all_asset_keys() if not graph.get(k).description] == []
    checks = [spec for ad in graph.assets_defs for spec in ad.check_specs]
    assert [c.name for c in checks if not c.description] == []
    gate = {c.name for c in checks if c.description.startswith("Quality gate")}
    assert gate == set(SUITES)
    dbt_tests = [c for c in checks if c.name not in gate]
    assert dbt_tests and all(c.description.startswith("dbt data test") for c in dbt_tests)


def test_the_raw_files_sensor_runs_by_default() -> None:
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
