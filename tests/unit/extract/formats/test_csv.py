import pytest

from orchestration.extract.formats import load_document
from orchestration.extract.model import Line
from orchestration.synth.render import write_csv

ROWS = [
    ["令和3年度 地方創生推進交付金事業"],
    [],
    ["事業の名称", "指標", "目標値", "実績値"],
    ["観光振興事業", "来訪者数\n（年間）", "1,839,000", "集計中"],
    ["", "宿泊者数", "5", ""],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp932", ","), ("utf-8-sig", ","), ("utf-8", "\t"), ("utf-8", ";")]
)
def test_encodings_and_delimiters(tmp_path, encoding, delimiter, cell_texts):
    path = tmp_path / "kpi.csv"
    write_csv(path, ROWS, encoding=encoding, delimiter=delimiter)
    doc = load_document(path)
    assert doc.format == "csv"
    assert doc.blocks[0] == Line("令和3年度 地方創生推進交付金事業", 1, 1)
    (table,) = doc.tables()
    assert cell_texts(table) == ROWS[2:]
    assert table.rows[1][2].ref == "R4C3" and table.rows[1][2].line == 4
