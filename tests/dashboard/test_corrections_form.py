"""The correction forms (provenance and review pages) append a line to raw/corrections.csv that
the next build applies: run by AppTest on a copy of the session's sample warehouse and its raw/,
then `sosei build`'s code on that copy (no document re-lands)."""

from __future__ import annotations

import shutil

import pytest
from dashboard_shared import published_rows
from streamlit.testing.v1 import AppTest

from orchestration.cli.build import build
from orchestration.config import Settings
from orchestration.dashboard import texts
from orchestration.dashboard.serve import APP
from orchestration.land.corrections import read_corrections

pytestmark = pytest.mark.integration  # builds the sample warehouse once per session
AUTHOR = "試験 太郎"


@pytest.fixture(scope="module")
def correctable(sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A copy of the sample raw/ and built warehouse, for forms to write to and a build to apply."""
    root = tmp_path_factory.mktemp("correctable")
    for folder in ("raw", "warehouse"):
        shutil.copytree(sample_settings.root / folder, root / folder, symlinks=True)
    return Settings(root=root, raw_dir=root / "raw", warehouse_dir=root / "warehouse")


@pytest.fixture
def app_env(correctable: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SOSEI_WAREHOUSE_DIR", str(correctable.warehouse_dir))
    monkeypatch.setenv("SOSEI_RAW_DIR", str(correctable.raw_dir))
    return correctable


@pytest.fixture(scope="module")
def chosen(correctable: Settings) -> dict[str, tuple]:
    """Three judged KPIs' numbers as extraction read them, one per form action: (observation_id,
    value, doc_id, measure)."""
    rows = published_rows(
        correctable,
        """
        select o.observation_id, o.value, o.doc_id, o.measure
        from marts.kpi_result_detail d
        join marts.fct_kpi_observation o on o.observation_id = d.actual_observation_id
        where d.target_met is not null and o.origin = 'extracted' and o.value is not null
            and o.verification <> 'verified'
        order by o.observation_id limit 3""",
    )
    assert len(rows) == 3, "the sample corpus has three judged KPIs"
    return dict(zip(("set_value", "reject", "confirm"), rows, strict=True))


def _submit(page: str, params: dict[str, str], key: str, action: str, value: str = "") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, given in params.items():
        at.query_params[name] = given
    at.run()
    at.switch_page(page).run()
    at.selectbox(key=f"{key}_action").set_value(action)
    at.text_input(key=f"{key}_value").input(value)
    at.text_input(key=f"{key}_author").input(AUTHOR)
    at.text_area(key=f"{key}_reason").input(f"{action} の試験")
    next(b for b in at.button if b.label == texts.t("correction.submit")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _line_of(settings: Settings, observation_id: str, action: str) -> dict:
    (sha256, doc_id, page, line, cell, measure) = published_rows(
        settings,
        f"""select d.sha256, o.doc_id, o.page, o.line, o.cell, o.extracted_measure
        from marts.fct_kpi_observation o join marts.dim_document d using (doc_id)
        where o.observation_id = '{observation_id}'""",
    )[0]
    lines = [r for r in read_corrections(settings.corrections_path) if r["action"] == action]
    assert len(lines) == 1, lines
    (written,) = lines
    assert (written["sha256"], written["file"], written["measure"], written["author"]) == (
        sha256,
        doc_id,
        measure,
        AUTHOR,
    )
    assert (written["page"], written["line"], written["cell"]) == tuple(
        None if v is None else str(v) for v in (page, line, cell)
    )
    return written


def test_each_provenance_form_appends_a_line_naming_its_number(app_env, chosen):
    for action, (observation_id, value, _, _) in chosen.items():
        new = str(int(value) + 7) if action == "set_value" else ""
        at = _submit("views/provenance.py", {"observation": observation_id}, "correction", action, new)
        assert [s.value for s in at.success] == [
            texts.t("correction.written", line=len(read_corrections(app_env.corrections_path)) + 1)
        ]
        written = _line_of(app_env, observation_id, action)
        assert written["value"] == (new or None)
    # the provenance page lists the file's line under the number's history
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["observation"] = chosen["confirm"][0]
    at.run()
    at.switch_page("views/provenance.py").run()
    assert list(at.dataframe[-1].value["author"]) == [AUTHOR]


def test_a_form_without_author_or_reason_writes_nothing(app_env, chosen):
    before = app_env.corrections_path.read_bytes() if app_env.corrections_path.exists() else b""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["observation"] = chosen["confirm"][0]
    at.run()
    at.switch_page("views/provenance.py").run()
    at.selectbox(key="correction_action").set_value("confirm")
    next(b for b in at.button if b.label == texts.t("correction.submit")).click().run()
    assert [e.value for e in at.error] == [texts.t("correction.needs_author_and_reason")]
    assert (app_env.corrections_path.read_bytes() if app_env.corrections_path.exists() else b"") == before


def test_the_next_build_applies_what_the_forms_wrote_without_relanding(app_env, chosen):
    if not any(r["action"] == "confirm" for r in read_corrections(app_env.corrections_path)):
        pytest.skip("needs the forms' lines (test_each_provenance_form_appends_a_line_naming_its_number)")
    summary = build(app_env)
    assert summary.gate_passed, summary
    assert summary.landed == [], "a correction re-lands nothing"
    set_id, set_value, _, _ = chosen["set_value"]
    ((value, extracted, by),) = published_rows(
        app_env,
        f"select value, extracted_value, corrected_by from marts.fct_kpi_observation where observation_id = '{set_id}'",
    )
    assert (value, extracted, by) == (int(set_value) + 7, set_value, AUTHOR)
    reject_id = chosen["reject"][0]
    assert (
        published_rows(app_env, f"select 1 from marts.fct_kpi_observation where observation_id = '{reject_id}'") == []
    )
    ((reason,),) = published_rows(
        app_env,
        f"select quarantine_reason from marts.quarantine_kpi_observation where observation_id = '{reject_id}'",
    )
    assert f"rejected by {AUTHOR}" in reason
    ((verification, evidence),) = published_rows(
        app_env,
        "select verification, verification_evidence from marts.fct_kpi_observation"
        f" where observation_id = '{chosen['confirm'][0]}'",
    )
    assert verification == "verified" and evidence.startswith(f"confirmed by {AUTHOR} on ")
    # no line the forms wrote was judged invalid, ambiguous or stale
    assert (
        published_rows(
            app_env, "select reason from marts.review_queue where review_source in ('correction', 'stale_correction')"
        )
        == []
    )


def test_the_review_page_form_appends_a_line_for_a_quarantined_number(app_env, chosen):
    """After the build, the rejected number is quarantined: the review page offers it, and its line
    names it by the keys the provenance page's reject did."""
    rejected = chosen["reject"][0]
    if not published_rows(
        app_env, f"select 1 from marts.quarantine_kpi_observation where observation_id = '{rejected}'"
    ):
        pytest.skip("needs the build (test_the_next_build_applies_what_the_forms_wrote_without_relanding)")
    at = _submit("views/review.py", {"observation": rejected}, "review_correction", "set_value", "1")
    assert at.success, [e.value for e in at.error]
    lines = read_corrections(app_env.corrections_path)
    (reject,) = [r for r in lines if r["action"] == "reject"]
    added = lines[-1]
    assert (added["action"], added["value"], added["author"]) == ("set_value", "1", AUTHOR)
    keys = ("sha256", "file", "page", "line", "cell", "project_name", "kpi_name", "measure", "fiscal_year")
    assert {k: added[k] for k in keys} == {k: reject[k] for k in keys}
