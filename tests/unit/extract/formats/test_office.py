"""Word, Excel 97-2003 and EUC-JP / Shift_JIS HTML reports read as their .xlsx / UTF-8 HTML twins
read, in every layout family."""

import pytest
from office_writers import FILLED, SPANS, html_in, write_docx, write_xls

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import load_document
from orchestration.synth.generator import LAYOUTS, Issuer, build_report, cell_for
from orchestration.synth.render import write_html, write_xlsx

ISSUER = Issuer("012025", "テスト市")


def contract_rows(path) -> list[dict]:
    result = extract_file(path)
    assert result.error is None, result.error
    return sorted((o.contract_row() | {"doc": ""} for o in result.observations), key=repr)


@pytest.mark.parametrize(
    ("twin", "write_twin", "ext", "write"),
    [
        ("xlsx", write_xlsx, "xls", write_xls),
        ("html", write_html, "docx", write_docx),
        ("html", write_html, "euc.html", html_in("EUC-JP")),
        ("html", write_html, "sjis.html", html_in("Shift_JIS")),
    ],
)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_reads_like_its_twin_format_in_every_layout_family(tmp_path, layout, twin, write_twin, ext, write):
    report = build_report(7, ISSUER, 2022, layout)
    blocks = [b if isinstance(b, str) else [[cell_for(twin, c) for c in row] for row in b] for b in report.blocks]
    write_twin(tmp_path / f"r.{twin}", blocks)
    write(tmp_path / f"r.{ext}", blocks)
    expected = contract_rows(tmp_path / f"r.{twin}")
    assert expected, f"the {layout} family reads from .{twin}"
    assert contract_rows(tmp_path / f"r.{ext}") == expected


def test_docx_merged_cells_paragraphs_and_reading_order(tmp_path, cell_texts):
    path = tmp_path / "report.docx"
    write_docx(path, ["令和4年度 地方創生推進交付金 実施状況", SPANS, "以上\n（担当：企画課）", [["a", "b"]]])
    doc = load_document(path)
    assert doc.format == "docx"
    assert [type(b).__name__ for b in doc.blocks] == ["Line", "Table", "Line", "Line", "Table"]
    first, second = doc.tables()
    assert cell_texts(first) == FILLED
    assert first.rows[3][0].ref == "t1:r4:c1" and second.rows[0][1].ref == "t2:r1:c2"
    lines = doc.lines()
    assert [(ln.text, ln.line) for ln in lines] == [
        ("令和4年度 地方創生推進交付金 実施状況", 1),
        ("以上", 2),
        ("（担当：企画課）", 2),
    ]


def test_xls_merged_cells_and_sheets(tmp_path, cell_texts):
    path = tmp_path / "kpi.xls"
    write_xls(path, {"実績": ["令和3年度 地方創生推進交付金事業", SPANS], "概要": [[["a", "b"]]]})
    doc = load_document(path)
    assert doc.format == "xls" and doc.sheet_names == ["実績", "概要"]
    kpi, summary = doc.tables()
    assert cell_texts(kpi) == FILLED
    assert kpi.page == 1 and summary.page == 2
    assert kpi.rows[1][3].ref == "実績!D4" and summary.rows[0][1].ref == "概要!B1"
