"""Rules from further real reports (contract: "Still more rules, from further real reports"), each
on layouts built here in several formats, orientations and wordings."""

from __future__ import annotations

import pytest
from families import expect, observations, read, render

from orchestration.extract.engine import extract_file
from orchestration.extract.layouts.kpi_text import read_kpi_cell
from orchestration.extract.normalize import split_value_unit

SUISHIN = "地方創生推進交付金"
TITLE = f"令和5年度 {SUISHIN} 効果検証"


def _read(text: str, year: int | None = 2023) -> list[tuple]:
    return [
        (r.kpi_name, r.measure, r.fiscal_year, r.value, r.unit, r.status) for r in read_kpi_cell(text, year).readings
    ]


# -- 1. precision first: grades, furniture, activities are never observations -----------------


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
@pytest.mark.parametrize("grade", ("目標値の評価", "目標達成評価", "評価点", "KPI評価(5段階)", "実績の評価"))
def test_an_evaluation_score_column_is_a_grade_whatever_measure_word_its_header_names(tmp_path, fmt, grade):
    blocks = [
        TITLE,
        [
            ["事業名", "評価指標", grade, "目標値", "実績値", "単位"],
            ["観光振興事業", "観光入込客数", "3", "1,200", "1,150", "人"],
            ["観光振興事業", "宿泊者数", "5", "600", "650", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "観光振興事業", "観光入込客数", "target", 2023, 1200.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "actual", 2023, 1150.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "target", 2023, 600.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "actual", 2023, 650.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_an_evaluation_row_of_a_record_sheet_is_a_grade(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "移住促進事業"],
            ["指標", "移住者数"],
            ["目標値", "60"],
            ["実績値", "52"],
            ["目標に対する評価", "4"],
            ["単位", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住者数", "target", 2023, 60.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2023, 52.0, "人", ""),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "相談件数 目標：100件 実績：90件 評価：3",
            [("相談件数", "target", 2023, 100, "件", ""), ("相談件数", "actual", 2023, 90, "件", "")],
        ),
        ("来場者数 実績 1,500人 総合評価 4", [("来場者数", "actual", 2023, 1500, "人", "")]),
        ("満足度 実績 72% 評価点：2点", [("満足度", "actual", 2023, 72, "%", "")]),
        ("評価指標：創業件数 実績 12件", [("創業件数", "actual", 2023, 12, "件", "")]),
    ],
)
def test_an_evaluation_score_in_free_text_is_read_past(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize("text", ("0123-45-6789", "03-1234-5678", "- 3 -", "12-3-4"))
def test_telephone_numbers_codes_and_page_numbers_are_no_value(text):
    assert split_value_unit(text) == (None, "", "")


@pytest.mark.parametrize(
    "text",
    (
        "観光客数 目標 100人 実績 90人\n問合せ先 TEL 0123-45-6789",
        "観光客数 目標 100人 実績 90人\n(担当:観光課 電話 03-1234-5678)",
    ),
)
def test_a_telephone_number_in_free_text_is_no_value(text):
    assert _read(text) == [("観光客数", "target", 2023, 100, "人", ""), ("観光客数", "actual", 2023, 90, "人", "")]


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx"))
def test_form_furniture_columns_are_not_values(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業№", "事業名", "KPI", "目標値", "実績値", "担当課", "電話番号"],
            ["3", "観光振興事業", "観光入込客数", "1,200人", "1,150人", "観光課", "0123-45-6789"],
            ["4", "移住促進事業", "移住者数", "60人", "52人", "企画課", "0123-45-6790"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert observations(result) == expect(
        [
            (SUISHIN, "観光振興事業", "観光入込客数", "target", 2023, 1200.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "actual", 2023, 1150.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "target", 2023, 60.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2023, 52.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
@pytest.mark.parametrize("activities", ("事業の実績", "取組実績", "主な取組", "事業実績", "取組内容"))
def test_an_activities_column_beside_the_kpis_is_not_read(tmp_path, fmt, activities):
    blocks = [
        TITLE,
        [
            ["事業名", activities, "KPI", "目標値", "実績値"],
            ["観光振興事業", "展示会への出展 4回\n商談会参加者 約200名", "観光入込客数", "1,200人", "1,150人"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert observations(result) == expect(
        [
            (SUISHIN, "観光振興事業", "観光入込客数", "target", 2023, 1200.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "actual", 2023, 1150.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
@pytest.mark.parametrize("activities", ("事業の実績", "取組実績"))
def test_an_activities_column_beside_a_free_text_kpi_column_is_not_read(tmp_path, fmt, activities):
    blocks = [
        TITLE,
        [
            ["事業名", activities, "成果(KPI)"],
            ["観光振興事業", "展示会への出展 4回\n商談会参加者 約200名", "観光入込客数 目標 1,200人 実績 1,150人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "観光振興事業", "観光入込客数", "target", 2023, 1200.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "actual", 2023, 1150.0, "人", ""),
        ]
    )


@pytest.mark.parametrize(
    "text",
    (
        "【Check】展示会への出展 4回、商談会参加者 約200名\n【KPI】観光客数 目標 100人 実績 90人",
        "【事業の実績】\n・セミナー開催 3回\n・参加者 約200名\n【成果指標】\n観光客数 目標 100人 実績 90人",
        "【取組】PR動画の制作 2本\n【KPI】観光客数 目標 100人 実績 90人",
        "【KPI】観光客数 目標 100人 実績 90人\n【事業内容】出展 4回 約200名",
    ),
)
def test_activities_under_their_own_heading_in_free_text_are_not_observations(text):
    assert _read(text) == [("観光客数", "target", 2023, 100, "人", ""), ("観光客数", "actual", 2023, 90, "人", "")]


@pytest.mark.parametrize("heading", ("【実施状況】", "【成果】", "【アウトカム】"))
def test_kpis_under_a_heading_that_names_no_activities_are_read(heading):
    text = f"【取組】PR動画の制作 2本\n{heading}観光客数 目標 100人 実績 90人"
    assert _read(text) == [("観光客数", "target", 2023, 100, "人", ""), ("観光客数", "actual", 2023, 90, "人", "")]


# -- 2. a KPI cell that carries its deadline target ----------------------------------------------


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_a_kpi_cell_with_its_deadline_target_gives_the_name_and_the_target_for_the_deadlines_year(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "KPI", "実績値"],
            ["移住促進事業", "移住相談件数 令和7年度まで 300件", "120件"],
            ["観光振興事業", "観光アプリ登録者数\n令和8年3月末まで 15,000件", "9,800件"],
            ["企業誘致事業", "企業訪問数 毎年度 20社", "23社"],
            ["商工振興事業", "創業件数 R9年度末までに 40件", "集計中"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2025, 300.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 120.0, "件", ""),
            (SUISHIN, "観光振興事業", "観光アプリ登録者数", "target", 2025, 15000.0, "件", ""),
            (SUISHIN, "観光振興事業", "観光アプリ登録者数", "actual", 2023, 9800.0, "件", ""),
            (SUISHIN, "企業誘致事業", "企業訪問数", "target", 2023, 20.0, "社", ""),
            (SUISHIN, "企業誘致事業", "企業訪問数", "actual", 2023, 23.0, "社", ""),
            (SUISHIN, "商工振興事業", "創業件数", "target", 2027, 40.0, "件", ""),
            (SUISHIN, "商工振興事業", "創業件数", "actual", 2023, None, "", "集計中"),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("移住相談件数 令和7年度まで 300件", [("移住相談件数", "target", 2025, 300, "件", "")]),
        ("①観光アプリ登録者数 令和8年3月末まで15,000件", [("観光アプリ登録者数", "target", 2025, 15000, "件", "")]),
        (
            "企業訪問数：毎年度 20社 実績 23社",
            [("企業訪問数", "target", 2023, 20, "社", ""), ("企業訪問数", "actual", 2023, 23, "社", "")],
        ),
        ("創業件数 2027年度までに40件", [("創業件数", "target", 2027, 40, "件", "")]),
    ],
)
def test_a_deadline_target_in_free_text(text, expected):
    assert _read(text) == expected


# -- 3. a running total beside the year's figure ------------------------------------------------


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_a_bracketed_running_total_beside_the_years_figure_is_no_observation(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "KPI", "目標値", "実績値（累計）", "単位"],
            ["移住促進事業", "移住相談件数", "150", "118件（205件）", "件"],
            ["移住促進事業", "空き家バンク成約数", "12", "9（31）", "件"],
            ["移住促進事業", "累計移住者数", "300", "280", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2023, 150.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 118.0, "件", ""),
            (SUISHIN, "移住促進事業", "空き家バンク成約数", "target", 2023, 12.0, "件", ""),
            (SUISHIN, "移住促進事業", "空き家バンク成約数", "actual", 2023, 9.0, "件", ""),
            (SUISHIN, "移住促進事業", "累計移住者数", "target", 2023, 300.0, "人", ""),
            (SUISHIN, "移住促進事業", "累計移住者数", "actual", 2023, 280.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_running_total_the_cell_names_as_such_is_no_observation(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "KPI", "目標", "実績"],
            ["移住促進事業", "移住相談件数", "150件", "118件（累計205件）"],
            ["移住促進事業", "定住者数", "40人", "38人(累計:112人)"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2023, 150.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 118.0, "件", ""),
            (SUISHIN, "移住促進事業", "定住者数", "target", 2023, 40.0, "人", ""),
            (SUISHIN, "移住促進事業", "定住者数", "actual", 2023, 38.0, "人", ""),
        ]
    )


def test_a_bracketed_second_figure_no_header_explains_goes_to_review(tmp_path):
    blocks = [
        TITLE,
        [["事業名", "KPI", "目標値", "実績値"], ["移住促進事業", "移住相談件数", "150件", "118件（205件）"]],
    ]
    result = extract_file(render("txt", tmp_path, blocks))
    assert ("actual", 118.0) not in {(o.measure, o.value) for o in result.observations}
    assert [r.reason for r in result.review] == ["unreadable actual value"]


# -- 5. a KPI stated as a sentence ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "空き家バンク登録件数を20件（R5年度末）から50件（R9年度末）に増加させる",
            [
                ("空き家バンク登録件数", "baseline", 2023, 20, "件", ""),
                ("空き家バンク登録件数", "target", 2027, 50, "件", ""),
            ],
        ),
        (
            "【目標】市内での創業件数を 12件（令和4年度）から 30件（令和8年度）へ増やす。",
            [("市内での創業件数", "baseline", 2022, 12, "件", ""), ("市内での創業件数", "target", 2026, 30, "件", "")],
        ),
        (
            "観光入込客数を1,200千人(R3.3時点)から1,500千人(R8.3時点)に増加させる",
            [("観光入込客数", "baseline", 2020, 1200, "千人", ""), ("観光入込客数", "target", 2025, 1500, "千人", "")],
        ),
    ],
)
def test_a_kpi_stated_as_a_sentence_gives_its_baseline_and_target_each_with_its_own_year(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_kpi_sentences_in_running_text_and_in_a_table_cell(tmp_path, fmt):
    sentence = "移住相談件数を 80件（R4年度末）から 150件（R8年度末）に増加させる"
    blocks = (
        [TITLE, "■事業名：移住促進事業", sentence, "事業費は 1,200 千円を見込む。"]
        if fmt == "txt"
        else [TITLE, [["事業名", "成果(KPI)"], ["移住促進事業", sentence]]]
    )
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "baseline", 2022, 80.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2026, 150.0, "件", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_a_kpi_name_cell_stated_as_a_sentence_beside_an_actual_column(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "KPI", "実績値"],
            ["移住促進事業", "移住相談件数を 80件（R4年度末）から 150件（R8年度末）に増加させる", "120件"],
            ["観光振興事業", "宿泊者数を2,000人(令和3年度)から3,000人(令和7年度)へ増やす", "2,450人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "baseline", 2022, 80.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2026, 150.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 120.0, "件", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "baseline", 2021, 2000.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "target", 2025, 3000.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "actual", 2023, 2450.0, "人", ""),
        ]
    )


# -- 4. a KPI block with a 数値 row and a 時点 row; 7. the KPI's name in a table above --------------

_BLOCK_EXPECTED = [
    (SUISHIN, "移住促進事業", "移住相談件数", "baseline", 2021, 80.0, "件", ""),
    (SUISHIN, "移住促進事業", "移住相談件数", "target", 2023, 120.0, "件", ""),
    (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 118.0, "件", ""),
    (SUISHIN, "移住促進事業", "移住相談件数", "target", 2026, 150.0, "件", ""),
]


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_a_kpi_block_takes_each_numbers_measure_from_its_column_and_its_year_from_the_point_row(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "移住促進事業", "", "", ""],
            ["KPI①", "移住相談件数", "", "", ""],
            ["", "基準値", "今年度目標値", "今年度実績値", "最終目標値"],
            ["数値", "80件", "120件", "118件", "150件"],
            ["時点", "R4.3", "R6.3", "令和6年3月", "R9.3"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(_BLOCK_EXPECTED)


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_the_kpis_name_and_unit_in_a_key_value_table_above_its_value_table(tmp_path, fmt):
    blocks = [
        TITLE,
        [["事業名", "移住促進事業"], ["指標名", "移住相談件数"], ["単位", "件"]],
        [
            ["区分", "基準値", "今年度目標値", "今年度実績値", "最終目標値"],
            ["数値", "80", "120", "118", "150"],
            ["時点", "令和3年度末", "令和5年度", "R5年度", "2027年3月"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(_BLOCK_EXPECTED)


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_point_row_under_a_named_kpi_row_dates_its_numbers(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "指標", "基準値", "目標値", "実績値", "単位"],
            ["移住促進事業", "移住相談件数", "80", "150", "118", "件"],
            ["", "時点", "R4.3", "R9.3", "R6.3", ""],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "baseline", 2021, 80.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2026, 150.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 118.0, "件", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_kpi_block_whose_name_is_not_shown_is_no_observation(tmp_path, fmt):
    blocks = [
        TITLE,
        [["事業名", "移住促進事業"]],
        [
            ["", "基準値", "今年度目標値", "今年度実績値"],
            ["数値", "80", "120", "118"],
            ["時点", "R4.3", "R6.3", "R6.3"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert observations(result) == []
    assert result.review


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx"))
def test_a_kpi_block_on_its_side_reads_like_the_upright_one(tmp_path, fmt):
    blocks = [
        TITLE,
        "■事業名：移住促進事業",
        [
            ["KPI", "移住相談件数", ""],
            ["", "数値", "時点"],
            ["基準値", "80件", "R4.3"],
            ["今年度目標値", "120件", "R6.3"],
            ["今年度実績値", "118件", "R6.3"],
            ["最終目標値", "150件", "R9.3"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(_BLOCK_EXPECTED)


@pytest.mark.parametrize("fmt", ("txt", "xlsx", "html"))
def test_two_kpi_blocks_in_one_table_each_take_their_own_name(tmp_path, fmt):
    measures = ["", "基準値", "今年度目標値", "今年度実績値", "最終目標値"]
    points = ["時点", "R4.3", "R6.3", "令和6年3月", "R9.3"]
    blocks = [
        TITLE,
        [
            ["事業名", "移住促進事業", "", "", ""],
            ["KPI①", "移住相談件数", "", "", ""],
            measures,
            ["数値", "80件", "120件", "118件", "150件"],
            points,
            ["KPI②", "定住者数", "", "", ""],
            measures,
            ["数値", "10人", "20人", "18人", "40人"],
            points,
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            *_BLOCK_EXPECTED,
            (SUISHIN, "移住促進事業", "定住者数", "baseline", 2021, 10.0, "人", ""),
            (SUISHIN, "移住促進事業", "定住者数", "target", 2023, 20.0, "人", ""),
            (SUISHIN, "移住促進事業", "定住者数", "actual", 2023, 18.0, "人", ""),
            (SUISHIN, "移住促進事業", "定住者数", "target", 2026, 40.0, "人", ""),
        ]
    )


# -- 6. several KPIs in one cell --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_several_kpis_in_one_cell_with_their_targets_and_a_companion_cell_in_the_same_order(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "重要業績評価指標（KPI）及び目標値", "目標年月", "実績値"],
            [
                "農業振興事業",
                "①新規就農者数 15人\n②農産物直売所の売上額 3,000万円",
                "①R7.3\n②R8.3",
                "①12人\n②2,400万円",
            ],
        ],
    ]
    farm = "農業振興事業"
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, farm, "新規就農者数", "target", 2024, 15.0, "人", ""),
            (SUISHIN, farm, "新規就農者数", "actual", 2023, 12.0, "人", ""),
            (SUISHIN, farm, "農産物直売所の売上額", "target", 2025, 3000.0, "万円", ""),
            (SUISHIN, farm, "農産物直売所の売上額", "actual", 2023, 2400.0, "万円", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("csv", "xlsx", "html"))
def test_several_kpi_names_in_one_cell_take_the_entries_of_their_value_cells_in_order(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "KPI", "単位", "基準値", "目標値", "実績値"],
            [
                "観光振興事業",
                "(1)観光入込客数\n（日帰り客を含む）\n(2)宿泊者数",
                "千人\n人",
                "100\n500",
                "150\n800",
                "140\n集計中",
            ],
        ],
    ]
    tour = "観光振興事業"
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, tour, "観光入込客数(日帰り客を含む)", "baseline", None, 100.0, "千人", ""),
            (SUISHIN, tour, "観光入込客数(日帰り客を含む)", "target", 2023, 150.0, "千人", ""),
            (SUISHIN, tour, "観光入込客数(日帰り客を含む)", "actual", 2023, 140.0, "千人", ""),
            (SUISHIN, tour, "宿泊者数", "baseline", None, 500.0, "人", ""),
            (SUISHIN, tour, "宿泊者数", "target", 2023, 800.0, "人", ""),
            (SUISHIN, tour, "宿泊者数", "actual", 2023, None, "", "集計中"),
        ]
    )


@pytest.mark.parametrize("fmt", ("csv", "xlsx"))
def test_one_number_under_several_kpis_of_one_cell_is_no_observation(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "KPI", "目標値", "実績値"],
            ["観光振興事業", "①観光入込客数\n②宿泊者数", "150人\n800人", "940人"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert {(o.kpi_name, o.measure, o.value) for o in result.observations} == {
        ("観光入込客数", "target", 150.0),
        ("宿泊者数", "target", 800.0),
    }
    assert any("940" in r.fragment for r in result.review)


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx"))
@pytest.mark.parametrize("order", ("units_first", "points_first"))
def test_a_kpi_block_with_a_unit_row_and_its_labels_down_the_first_column(tmp_path, fmt, order):
    units, points = ["単位", "件", "件", "件", "件"], ["時点", "R4.3", "R6.3", "R6.3", "R9.3"]
    blocks = [
        TITLE,
        [
            ["事業名", "移住促進事業", "", "", ""],
            ["指標名", "移住相談件数", "", "", ""],
            ["区分", "基準値", "今年度目標値", "今年度実績値", "最終目標値"],
            ["数値", "80", "120", "118", "150"],
            *((units, points) if order == "units_first" else (points, units)),
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(_BLOCK_EXPECTED)


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_kpi_cells_carrying_their_targets_under_a_header_that_names_the_target_too(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "重要業績評価指標（KPI）及び目標値", "実績値"],
            ["移住促進事業", "移住相談件数 令和7年度まで 300件", "120件"],
            ["企業誘致事業", "企業訪問数 毎年度 20社", "23社"],
            ["観光振興事業", "宿泊者数を2,000人(令和3年度)から3,000人(令和7年度)へ増やす", "2,450人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2025, 300.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 120.0, "件", ""),
            (SUISHIN, "企業誘致事業", "企業訪問数", "target", 2023, 20.0, "社", ""),
            (SUISHIN, "企業誘致事業", "企業訪問数", "actual", 2023, 23.0, "社", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "baseline", 2021, 2000.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "target", 2025, 3000.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "actual", 2023, 2450.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "csv", "xlsx", "html"))
def test_a_value_table_with_no_name_column_takes_the_kpi_named_in_the_table_above(tmp_path, fmt):
    blocks = [
        TITLE,
        [["事業名", "移住促進事業"], ["成果指標", "移住相談件数"], ["単位", "件"]],
        [["基準値（R3年度）", "目標値", "実績値"], ["80", "150", "118"]],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住相談件数", "baseline", 2021, 80.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "target", 2023, 150.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住相談件数", "actual", 2023, 118.0, "件", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_value_table_under_a_line_naming_its_kpi(tmp_path, fmt):
    blocks = [
        TITLE,
        "■事業名：移住促進事業",
        "■KPI：移住相談件数（件）",
        [
            ["区分", "基準値", "今年度目標値", "今年度実績値", "最終目標値"],
            ["数値", "80", "120", "118", "150"],
            ["時点", "R4.3", "R6.3", "R6.3", "R9.3"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(_BLOCK_EXPECTED)


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_value_table_with_no_kpi_named_above_it_is_no_observation(tmp_path, fmt):
    blocks = [TITLE, [["事業名", "移住促進事業"]], [["基準値", "目標値", "実績値"], ["80", "150", "118"]]]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert observations(result) == []
    assert result.review
