from orchestration.extract.formats import load_document
from orchestration.extract.model import Line
from orchestration.synth.render import write_html


def test_rowspan_and_colspan_are_filled(tmp_path, span_grid, cell_texts):
    grid, filled = span_grid
    path = tmp_path / "kpi.html"
    write_html(path, ["令和3年度 事業一覧", grid, [["a", "b"]], "以上"], title="実績")
    doc = load_document(path)
    assert doc.format == "html"
    assert [type(b).__name__ for b in doc.blocks] == ["Line", "Table", "Table", "Line"]
    table = doc.tables()[0]
    assert cell_texts(table) == filled
    assert table.rows[3][0].ref == "t1:r4:c1" and doc.tables()[1].rows[0][1].ref == "t2:r1:c2"


def test_text_around_tables_nested_tables_and_unclosed_cells(tmp_path, cell_texts):
    path = tmp_path / "page.htm"
    path.write_text(
        "<!DOCTYPE html><html><head><title>無視</title><style>td{}</style></head><body>\n"
        "<h1>地方創生推進交付金</h1>\n<p>事業の\n  実績について</p>\n"
        "<table>\n<tr><th>事業<th>実績（KPI等）\n"
        "<tr><td>移住促進<td><ul><li>移住者数 目標 20 人<li>実績 37&nbsp;人</ul>\n"
        "<tr><td>内訳<td><table><tr><td>R4</td><td>10</td></tr><tr><td>R5</td><td>27</td></tr></table>\n"
        "</table>\n<ul><li>注1</li><li>注2</li></ul></body></html>\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.format == "html"
    assert doc.lines() == [
        Line("地方創生推進交付金", 1, 2),
        Line("事業の 実績について", 1, 3),
        Line("注1", 1, 10),
        Line("注2", 1, 10),
    ]
    (table,) = doc.tables()
    assert cell_texts(table) == [
        ["事業", "実績（KPI等）"],
        ["移住促進", "移住者数 目標 20 人\n実績 37 人"],
        ["内訳", "R4 10\nR5 27"],
    ]
    assert table.rows[1][1].line == 7  # the source line of its <td>
    assert doc.blocks.index(table) == 2  # between the paragraph and the notes


def test_a_layout_table_is_read_as_regions_of_the_page_and_menus_of_links_are_no_text(tmp_path, cell_texts):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><table><tr><td colspan=2>市のロゴ <a href=/>トップ</a></td></tr>\n"
        "<tr><td><ul><li><a href=a>令和2年度の実績</a><li><a href=b>令和1年度の実績</a></ul></td>\n"
        "<td><h2>令和3年度 実績</h2><p>本文</p>\n"
        "<table><caption>表1 成果</caption><tr><th>指標</th><th>実績値</th></tr>\n"
        "<tr><td>来客数</td><td>12</td></tr></table>\n"
        "<nav><a href=c>次へ</a></nav></td></tr>\n"
        "<tr><td colspan=2>問合せ 企画課</td></tr></table></body></html>\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert [b.text for b in doc.lines()] == ["市のロゴ トップ", "令和3年度 実績", "本文", "表1 成果", "問合せ 企画課"]
    (table,) = doc.tables()
    assert cell_texts(table) == [["指標", "実績値"], ["来客数", "12"]]
    assert doc.blocks.index(table) == 4  # under its caption, above the footer
