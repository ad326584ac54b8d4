"""The engine end to end on the sample corpus, scored against the reference answers, and on bad files."""

from __future__ import annotations

import csv

import pytest

from orchestration.config import PACKAGE_DIR, SAMPLES_DIR, SHARED_DIR
from orchestration.extract.engine import extract_file

GOLD = SHARED_DIR / "extraction" / "gold" / "seeds.csv"


def test_every_observation_traces_back_to_its_line_and_fragment():
    for path in sorted(SAMPLES_DIR.glob("*.txt")):
        result = extract_file(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        for o in result.observations:
            assert o.line and o.cell and o.fragment and o.reader
            assert (
                o.value_text.replace(" ", "")[:3] in lines[o.line - 1].replace(" ", "").replace("\u3000", "")
                or o.status
            ), (o, lines[o.line - 1][:80])


def test_a_narrative_document_lands_with_no_observations_and_no_error():
    narrative = [extract_file(p) for p in sorted(SAMPLES_DIR.glob("*.txt"))]
    narrative = [r for r in narrative if r.doc_kind == "narrative"]
    assert narrative, "the sample corpus has a narrative report"
    assert all(r.error is None and not r.observations and not r.review for r in narrative)


def test_a_plan_printed_three_times_lands_each_observation_once():
    plans = [r for r in (extract_file(p) for p in sorted(SAMPLES_DIR.glob("*.txt"))) if r.doc_kind == "plan"]
    assert plans
    for r in plans:
        keys = [o.identity() for o in r.observations]
        assert len(keys) == len(set(keys))
        assert {o.measure for o in r.observations} == {"baseline", "target_increment"}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EO", "PDF"),
        ("garbage.csv", bytes(range(256)) * 4, "binary"),
        ("notzip.xlsx", b"PK\x03\x04 this is not a workbook", "zip"),
        ("latin.txt", "caf\u00e9 \u00fc\u00dfer \u00e6\u00f8\u00e5 \u00a9\u00ae".encode("latin-1") * 50, "encoding"),
    ],
)
def test_a_bad_file_comes_back_with_an_error_naming_it(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    result = extract_file(path)
    assert result.error is not None
    assert name in result.error and reason.lower() in result.error.lower()
    assert result.observations == [] and result.sha256 and result.size_bytes == len(content)


def test_kpi_looking_fragments_that_cannot_be_read_go_to_review(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text(
        "交付金名称\t地方創生推進交付金\t\t\n事業の名称\t実施内容\t実績（KPI等）\t備考\n"
        "観光事業\t説明\t・目標値：120件\t\n",
        encoding="utf-8",
    )
    result = extract_file(path)
    assert result.observations == []
    assert [(r.reason, r.line) for r in result.review] == [("value with no KPI name", 3)]


def test_extraction_code_special_cases_no_seed_names():
    """No project or KPI name of the sample corpus may appear in the extraction code."""
    if not GOLD.exists():
        pytest.skip("../shared is not beside the repository")
    with GOLD.open(encoding="utf-8") as f:
        names = {row[k] for row in csv.DictReader(f) for k in ("project_name", "kpi_name")}
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PACKAGE_DIR / "extract").rglob("*.py"))
    code += "\n".join(p.read_text(encoding="utf-8") for p in (PACKAGE_DIR / "vocab").glob("*.toml"))
    assert [n for n in names if len(n) >= 4 and n in code] == []


def test_a_refused_allocation_is_the_memory_limit_not_a_damaged_file(tmp_path, monkeypatch):
    """A reader that wraps every failure as damage (pdfminer raises many types) must not call a
    MemoryError damage: the worker reports the memory limit instead."""
    from orchestration.extract.formats import pdf
    from orchestration.synth.render import write_pdf

    path = tmp_path / "report.pdf"
    write_pdf(path, ["令和3年度", [["指標", "目標値"], ["来訪者数", "100"]]])
    assert extract_file(path).ok

    def refused(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pdf.pdfplumber, "open", refused)
    with pytest.raises(MemoryError):
        extract_file(path)
