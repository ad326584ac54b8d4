"""The gate's asset check names the GX run after the Dagster run and links the gate's page."""

from pathlib import Path

import dagster as dg

from orchestration.defs.gate import quality_gate
from orchestration.quality import catalog
from orchestration.quality import gate as quality


def test_the_gx_run_is_the_dagster_run_and_each_check_links_the_gate_page(monkeypatch, sosei, settings):
    asked = {}

    def fake_gate(db_path: Path, out_dir: Path, *, run_name: str | None = None) -> quality.GateResult:
        asked["run_name"] = run_name
        suites = [
            quality.SuiteOutcome(suite=n, relation=s.relation, rows=1, passed=True) for n, s in catalog.SUITES.items()
        ]
        return quality.GateResult(passed=True, suites=suites, data_docs=out_dir / "gate.html", validated_at="t")

    monkeypatch.setattr(quality, "run_gate", fake_gate)
    context = dg.build_asset_check_context(resources={"sosei": sosei})
    results = list(quality_gate(context))
    run_id = context.op_execution_context.run_id
    del context  # its resources are torn down now, not at interpreter exit

    assert asked["run_name"] == run_id != "__none__"
    assert {r.check_name for r in results} == set(catalog.SUITES)
    page = settings.warehouse_dir / "quality" / "gate.html"
    assert all(r.metadata["data_docs"] == dg.MetadataValue.path(str(page)) for r in results)
