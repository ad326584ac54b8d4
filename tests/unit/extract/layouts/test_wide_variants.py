"""Wide-table layouts beyond the sample corpus, each written by the renderers and read back."""

from __future__ import annotations

import pytest

from orchestration.extract.engine import extract_file
from orchestration.synth.render import Grid, Merge, write_csv, write_html, write_pdf, write_text, write_xlsx


def _obs(result, kpi=None):
    rows = [(o.kpi_name, o.measure, o.fiscal_year, o.value, o.unit, o.status) for o in result.observations]
    return sorted((r for r in rows if kpi is None or r[0] == kpi), key=lambda r: tuple(str(x) for x in r))


def test_official_form_columns_read_by_meaning(tmp_path):
    """The reporting form (様式): 交付対象事業の名称, 交付金の種類, 実績額(単位:円), 指標, 指標値, 単位,
    目標年月, 実績値, 事業効果, 今後の方針."""
    path = tmp_path / "form.xlsx"
    write_xlsx(
        path,
        [
            "令和4年度 地方創生関係交付金の効果検証",
            [
                [
                    "交付対象事業の名称",
                    "交付金の種類",
                    "実績額(単位:円)",
                    "指標",
                    "指標値",
                    "単位",
                    "目標年月",
                    "実績値",
                    "事業効果",
                    "今後の方針",
                ],
                [
                    "観光振興事業",
                    "デジタル田園都市国家構想交付金(地方創生推進タイプ)",
                    "12,000,000",
                    "観光客入込数",
                    "50,000",
                    "人",
                    "R5.3",
                    "48,200",
                    "地方創生に効果があった",
                    "事業を継続する",
                ],
                ["", "", "", "宿泊者数", "9,000", "人泊", "R7.3", "7,100", "", ""],
            ],
        ],
    )
    result = extract_file(path)
    assert result.error is None
    assert _obs(result) == [
        ("宿泊者数", "actual", 2022, 7100.0, "人泊", ""),
        ("宿泊者数", "target", 2024, 9000.0, "人泊", ""),  # 目標年月 R7.3 falls in FY2024
        ("観光客入込数", "actual", 2022, 48200.0, "人", ""),
        ("観光客入込数", "target", 2022, 50000.0, "人", ""),
    ]
    assert {o.grant_program for o in result.observations} == {"デジタル田園都市国家構想交付金(地方創生推進タイプ)"}
    assert result.projects[0].cost_value == 12_000_000 and result.projects[0].cost_unit == "円"
    assert result.projects[0].effect_rating == "地方創生に効果があった"


def test_fiscal_years_side_by_side_one_observation_per_year_column(tmp_path):
    path = tmp_path / "years.html"
    write_html(
        path,
        [
            "地方創生推進交付金 事業実績",
            Grid(
                [
                    ["事業名", "KPI", "単位", "基準値", "令和3年度", "", "令和4年度", ""],
                    ["", "", "", "", "目標", "実績", "目標", "実績"],
                    ["移住促進事業", "移住者数", "人", "120", "150", "161", "180", "未公表"],
                    ["", "相談件数", "件", "300", "350", "", "400", "512"],
                ],
                merges=[
                    Merge(0, 4, cols=2),
                    Merge(0, 6, cols=2),
                    Merge(0, 0, rows=2),
                    Merge(0, 1, rows=2),
                    Merge(0, 2, rows=2),
                    Merge(0, 3, rows=2),
                ],
                header_rows=2,
            ),
        ],
    )
    result = extract_file(path)
    assert _obs(result, "移住者数") == [
        ("移住者数", "actual", 2021, 161.0, "人", ""),
        ("移住者数", "actual", 2022, None, "", "未公表"),  # a word in the cell is a status
        ("移住者数", "baseline", None, 120.0, "人", ""),
        ("移住者数", "target", 2021, 150.0, "人", ""),
        ("移住者数", "target", 2022, 180.0, "人", ""),
    ]
    # A blank cell is no observation.
    assert ("相談件数", "actual", 2021) not in {o[:3] for o in _obs(result)}


def test_separate_unit_columns_keep_the_unit_beside_each_number(tmp_path):
    path = tmp_path / "units.txt"
    write_text(
        path,
        [
            "令和5年度 地方創生拠点整備交付金 実績",
            [
                ["事業の名称", "指標", "目標値", "単位", "実績値", "単位"],
                ["交流拠点整備事業", "施設利用者数", "3.5", "万人", "41,250", "人"],
            ],
        ],
    )
    assert _obs(extract_file(path)) == [
        ("施設利用者数", "actual", 2023, 41250.0, "人", ""),
        ("施設利用者数", "target", 2023, 3.5, "万人", ""),
    ]


def test_numbered_kpi_slots_one_row_per_project(tmp_path):
    """KPI①…④ in columns: an unnamed slot (empty or －) is no KPI; － as an actual is status '-'."""
    path = tmp_path / "slots.csv"
    header = ["事業名"]
    for n in "①②③":
        header += [f"KPI{n}", "目標値", "実績値"]
    write_csv(
        path,
        [
            header,
            ["創業支援事業", "創業件数", "10件", "12件", "セミナー参加者数", "200人", "－", "－", "－", "－"],
            ["商店街活性化事業", "空き店舗活用数", "5", "3", "", "", "", "", "", ""],
        ],
        encoding="cp932",
    )
    result = extract_file(path)
    assert _obs(result) == [
        ("セミナー参加者数", "actual", None, None, "", "-"),
        ("セミナー参加者数", "target", None, 200.0, "人", ""),
        ("創業件数", "actual", None, 12.0, "件", ""),
        ("創業件数", "target", None, 10.0, "件", ""),
        ("空き店舗活用数", "actual", None, 3.0, "", ""),
        ("空き店舗活用数", "target", None, 5.0, "", ""),
    ]
    assert {o.project_name for o in result.observations if o.kpi_name == "空き店舗活用数"} == {"商店街活性化事業"}


def test_target_with_its_own_year_and_derived_columns_ignored(tmp_path):
    path = tmp_path / "own_year.txt"
    write_text(
        path,
        [
            "令和4年度 デジタル田園都市国家構想交付金（デジタル実装タイプ TYPE1）",
            [
                ["事業名", "KPI", "基準値", "目標値", "実績値", "達成率", "評価"],
                ["オンライン窓口事業", "オンライン申請件数", "0", "700（R9年度）", "312※1", "44.6%", "△"],
            ],
        ],
    )
    result = extract_file(path)
    assert _obs(result) == [
        ("オンライン申請件数", "actual", 2022, 312.0, "", ""),
        ("オンライン申請件数", "baseline", None, 0.0, "", ""),
        ("オンライン申請件数", "target", 2027, 700.0, "", ""),
    ]
    grants = {o.grant_program for o in result.observations}
    assert grants == {"デジタル田園都市国家構想交付金(デジタル実装タイプ TYPE1)"}


@pytest.mark.parametrize("writer", ["text", "pdf", "xlsx"])
def test_wide_table_reads_the_same_in_every_format(tmp_path, writer):
    blocks = [
        "令和3年度 地方創生推進交付金事業",
        Grid(
            [
                [
                    "No",
                    "交付金事業の名称",
                    "実績額 (千円)",
                    "指標",
                    "事業開始前",
                    "目標値 (R4.3時点)",
                    "単位",
                    "実績値 (R4.3)",
                ],
                ["1", "販路開拓支援事業", "12,500", "新規取引件数", "0", "40", "件", "52"],
                ["", "", "", "商談会参加社数", "15", "60", "社", "▲3"],
            ],
            header_rows=1,
        ),
    ]
    path = tmp_path / f"report.{ {'text': 'txt'}.get(writer, writer) }"
    {"text": write_text, "pdf": write_pdf, "xlsx": write_xlsx}[writer](path, blocks)
    result = extract_file(path)
    assert result.error is None, result.error
    assert _obs(result) == [
        ("商談会参加社数", "actual", 2021, -3.0, "社", ""),
        ("商談会参加社数", "baseline", None, 15.0, "社", ""),
        ("商談会参加社数", "target", 2021, 60.0, "社", ""),
        ("新規取引件数", "actual", 2021, 52.0, "件", ""),
        ("新規取引件数", "baseline", None, 0.0, "件", ""),
        ("新規取引件数", "target", 2021, 40.0, "件", ""),
    ]
    assert all(o.project_name == "販路開拓支援事業" for o in result.observations)
    assert all(o.cell for o in result.observations)
    if writer == "pdf":
        assert all(o.page == 1 for o in result.observations)


@pytest.mark.parametrize("writer", ["xlsx", "text", "csv"])
def test_years_in_a_lower_header_row_under_spanning_measure_headers(tmp_path, writer):
    """Text and CSV print a spanned header once, in its first column; the spanned columns still
    take its measure, and the years below it."""
    title = "地方創生推進交付金 KPI実績"
    grid = Grid(
        [
            ["事業名", "KPI", "目標値", "", "実績値", ""],
            ["", "", "R4", "R5", "R4", "R5"],
            ["DX推進事業", "オンライン手続件数", "1,000件", "1,500件", "1,120件", "集計中"],
        ],
        merges=[Merge(0, 2, cols=2), Merge(0, 4, cols=2), Merge(0, 0, rows=2), Merge(0, 1, rows=2)],
        header_rows=2,
    )
    path = tmp_path / f"years_below.{ {'text': 'txt'}.get(writer, writer) }"
    if writer == "csv":
        write_csv(path, [[title], *grid.printed_rows()])
    else:
        {"xlsx": write_xlsx, "text": write_text}[writer](path, [title, grid])
    assert _obs(extract_file(path)) == [
        ("オンライン手続件数", "actual", 2022, 1120.0, "件", ""),
        ("オンライン手続件数", "actual", 2023, None, "", "集計中"),
        ("オンライン手続件数", "target", 2022, 1000.0, "件", ""),
        ("オンライン手続件数", "target", 2023, 1500.0, "件", ""),
    ]


def test_block_table_whose_free_text_column_is_headed_only_results(tmp_path):
    path = tmp_path / "block.txt"
    write_text(
        path,
        [
            "令和4年度 地方創生推進交付金事業 実績一覧",
            [
                ["事業名", "事業概要", "実績", "備考"],
                [
                    "観光DX推進事業",
                    "予算 5,000千円でアプリを開発",
                    "アプリ登録者数 目標 3,000人 実績 3,412人",
                    "観光課",
                ],
            ],
        ],
    )
    assert _obs(extract_file(path)) == [
        ("アプリ登録者数", "actual", 2022, 3412.0, "人", ""),
        ("アプリ登録者数", "target", 2022, 3000.0, "人", ""),
    ]


def test_measure_rows_under_fiscal_year_columns(tmp_path):
    """区分 目標/実績 rows under each KPI, one column per fiscal year."""
    path = tmp_path / "measure_rows.csv"
    write_csv(
        path,
        [
            ["令和5年度 地方創生推進交付金 効果検証"],
            ["事業名", "指標名", "単位", "基準値", "区分", "令和3年度", "令和4年度", "令和5年度"],
            ["子育て支援事業", "合計特殊出生率", "", "1.38", "目標", "1.40", "1.42", "1.45"],
            ["", "", "", "", "実績", "1.36", "1.33", "集計中"],
            ["", "保育所待機児童数", "人", "12", "目標", "8", "4", "0"],
            ["", "", "", "", "実績", "9", "3", ""],
        ],
    )
    result = extract_file(path)
    assert _obs(result, "保育所待機児童数") == [
        ("保育所待機児童数", "actual", 2021, 9.0, "人", ""),
        ("保育所待機児童数", "actual", 2022, 3.0, "人", ""),
        ("保育所待機児童数", "baseline", None, 12.0, "人", ""),
        ("保育所待機児童数", "target", 2021, 8.0, "人", ""),
        ("保育所待機児童数", "target", 2022, 4.0, "人", ""),
        ("保育所待機児童数", "target", 2023, 0.0, "人", ""),
    ]
    assert ("合計特殊出生率", "actual", 2023, None, "", "集計中") in _obs(result)
    assert len(_obs(result, "合計特殊出生率")) == 7


def test_a_section_row_inside_the_table_sets_the_grant_of_the_rows_below(tmp_path):
    path = tmp_path / "sections.txt"
    write_text(
        path,
        [
            "令和4年度 交付金事業の効果検証",
            [
                ["事業名", "指標", "目標値", "実績値", "単位"],
                ["【地方創生推進交付金】", "", "", "", ""],
                ["観光振興事業", "観光客数", "1,000", "1,200", "人"],
                ["【地方創生拠点整備交付金】", "", "", "", ""],
                ["交流拠点整備事業", "施設利用者数", "5,000", "4,100", "人"],
            ],
        ],
    )
    grants = {o.project_name: o.grant_program for o in extract_file(path).observations}
    assert grants == {"観光振興事業": "地方創生推進交付金", "交流拠点整備事業": "地方創生拠点整備交付金"}
