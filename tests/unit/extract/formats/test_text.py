import re

import pytest

from orchestration.extract.formats import load_document
from orchestration.extract.formats.cells import html_to_text
from orchestration.extract.model import DocumentError, Line
from orchestration.synth.render import Grid, Merge, write_text

TAG = re.compile(r"</?(p|ul|ol|li|br|div|span)\b[^>]*>", re.IGNORECASE)


def test_tab_lines_form_tables_and_other_lines_are_text(tmp_path, cell_texts):
    path = tmp_path / "report.txt"
    path.write_text(
        "題名\n\n交付金名称\t推進交付金\t\t\n事業の名称\t<p>a</p> <p>b</p>\t\t備考\n注記\nx\ty\n\nz\tw\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.format == "text" and doc.pages == 1
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Line", "Table", "Line", "Table", "Table"]
    first = doc.tables()[0]
    assert cell_texts(first) == [["交付金名称", "推進交付金", "", ""], ["事業の名称", "a\nb", "", "備考"]]
    assert [c.ref for c in first.rows[1]] == ["L4:C1", "L4:C2", "L4:C3", "L4:C4"]
    assert {c.line for c in first.rows[0]} == {3}
    assert doc.lines() == [Line("題名", 1, 1), Line("注記", 1, 5)]


def test_form_feed_starts_a_page_and_splits_a_table(tmp_path, cell_texts):
    path = tmp_path / "paged.txt"
    path.write_text("a\tb\n1\t2\n\f3\t4\nend\n\f", encoding="utf-8")
    doc = load_document(path)
    pages = [(t.page, cell_texts(t)) for t in doc.tables()]
    assert pages == [(1, [["a", "b"], ["1", "2"]]), (2, [["3", "4"]])]
    assert doc.lines() == [Line("end", 2, 4)]
    assert doc.pages == 2  # the trailing form feed opens no page


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_japanese_encodings(tmp_path, encoding, cell_texts):
    path = tmp_path / "enc.txt"
    grid = Grid(
        [["事業の名称", "指標", ""], ["移住促進", "移住者数 目標 20 人\n実績 37 人", "①"]], merges=[Merge(0, 1, cols=2)]
    )
    write_text(path, ["地方創生推進交付金", grid], encoding=encoding)
    doc = load_document(path)
    assert doc.lines()[0].text == "地方創生推進交付金"
    assert cell_texts(doc.tables()[0]) == [
        ["事業の名称", "指標", ""],
        ["移住促進", "移住者数 目標 20 人\n実績 37 人", "①"],
    ]


def test_undecodable_text_names_the_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("事業".encode("cp932") + b"\x81\x7f\xff\xfe")
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "bad.txt" in str(err.value) and "unknown text encoding" in err.value.reason


def raw_tab_runs(text: str) -> int:
    """Independent count of tables: maximal runs of non-blank lines that hold a TAB."""
    return len(re.findall(r"(?:^[^\n\f]*\t[^\n\f]*$\n?)+", text, re.MULTILINE))


def test_sample_reports_load_with_every_tab_run_as_a_table(sample_reports):
    for path in sample_reports:
        text = path.read_text(encoding="utf-8")
        raw_lines = text.split("\n")
        doc = load_document(path)
        assert doc.format == "text" and doc.size_bytes == path.stat().st_size
        assert len(doc.tables()) == raw_tab_runs(text), path.name
        for table in doc.tables():
            for row in table.rows:
                line = row[0].line
                assert len(row) == raw_lines[line - 1].count("\t") + 1
                assert all(c.ref == f"L{line}:C{i}" for i, c in enumerate(row, start=1))
                assert not any(TAG.search(c.text) for c in row), (path.name, line)


def test_sample_block_tables_have_their_header_and_multi_line_kpi_cells(sample_reports):
    header = ["事業の名称", "実施内容", "実績（KPI等）", "備考"]
    block_tables = [
        t
        for p in sample_reports
        for t in load_document(p).tables()
        if [c.text for c in t.rows[0]][:1] == ["交付金名称"]
    ]
    assert block_tables, "the samples include 交付金名称 block tables"
    for table in block_tables:
        # reports space letters out now and then (実績（K P I 等）)
        assert [re.sub(r"\s", "", c.text) for c in table.rows[1]] == header
        assert len(table.rows[0]) == len(header)
    kpi_cells = [row[2].text for t in block_tables for row in t.rows[2:]]
    # a KPI cell printed as several <p> paragraphs reads as several lines
    assert any(len(text.split("\n")) >= 2 for text in kpi_cells)


def test_html_in_sample_cells_matches_the_cell_rule(sample_reports):
    for path in sample_reports:
        raw_lines = path.read_text(encoding="utf-8").split("\n")
        for table in load_document(path).tables():
            for row in table.rows:
                raw = raw_lines[row[0].line - 1].split("\t")
                assert [c.text for c in row] == [html_to_text(r) for r in raw]
