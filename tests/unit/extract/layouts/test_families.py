"""Layout families beyond the seeds (contract: "More rules, for layouts and formats seen in real
reports"), each rendered in every format it occurs in and read back by the same rules."""

from __future__ import annotations

import pytest
from families import SHEET_FORMATS, expect, observations, read, render

from orchestration.extract.engine import extract_file
from orchestration.synth.render import Grid, Merge

SUISHIN = "地方創生推進交付金"
KYOTEN = "地方創生拠点整備交付金"


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_flat_export_takes_each_rows_year_from_its_year_column(tmp_path, fmt):
    blocks = [
        [
            ["年度", "交付金名称", "事業名", "KPI", "単位", "基準値", "目標値", "実績値"],
            ["令和3年度", SUISHIN, "観光振興事業", "観光入込客数", "人", "1,000", "1,200", "1,150"],
            ["令和4年度", SUISHIN, "観光振興事業", "観光入込客数", "人", "1,000", "1,300", "集計中"],
            ["令和4年度", KYOTEN, "交流拠点整備事業", "施設利用者数", "人", "0", "5,000", "5,210"],
        ]
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "観光振興事業", "観光入込客数", "actual", 2021, 1150.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "actual", 2022, None, "", "集計中"),
            (SUISHIN, "観光振興事業", "観光入込客数", "baseline", None, 1000.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "target", 2021, 1200.0, "人", ""),
            (SUISHIN, "観光振興事業", "観光入込客数", "target", 2022, 1300.0, "人", ""),
            (KYOTEN, "交流拠点整備事業", "施設利用者数", "actual", 2022, 5210.0, "人", ""),
            (KYOTEN, "交流拠点整備事業", "施設利用者数", "baseline", None, 0.0, "人", ""),
            (KYOTEN, "交流拠点整備事業", "施設利用者数", "target", 2022, 5000.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_tidy_long_export_is_one_observation_per_row_and_derived_rows_are_none(tmp_path, fmt):
    blocks = [
        f"令和5年度 {SUISHIN} KPI実績",
        [
            ["年度", "事業名", "指標名", "区分", "数値", "単位"],
            ["令和5年度", "移住促進事業", "移住者数", "基準値", "40", "人"],
            ["令和5年度", "移住促進事業", "移住者数", "目標値", "60", "人"],
            ["令和5年度", "移住促進事業", "移住者数", "実績値", "未集計", "人"],
            ["令和5年度", "移住促進事業", "移住者数", "達成率", "95%", ""],
            ["令和4年度", "移住促進事業", "移住者数", "実績値", "52", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2022, 52.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2023, None, "", "未集計"),
            (SUISHIN, "移住促進事業", "移住者数", "baseline", 2023, 40.0, "人", ""),  # its own row's year
            (SUISHIN, "移住促進事業", "移住者数", "target", 2023, 60.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_each_measure_takes_the_year_of_its_own_date_column(tmp_path, fmt):
    blocks = [
        f"{SUISHIN} 効果検証",
        [
            ["事業名", "指標", "基準値", "基準値の時期", "目標値", "目標値の時期", "実績値", "実績値の時期", "単位"],
            ["商店街活性化事業", "空き店舗の活用件数", "3", "R2.3", "12", "令和6年3月", "7", "令和4年12月", "件"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "商店街活性化事業", "空き店舗の活用件数", "actual", 2022, 7.0, "件", ""),
            (SUISHIN, "商店街活性化事業", "空き店舗の活用件数", "baseline", 2019, 3.0, "件", ""),
            (SUISHIN, "商店街活性化事業", "空き店舗の活用件数", "target", 2023, 12.0, "件", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_baseline_year_column_dates_the_baseline_only(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業の実績",
        [
            ["事業名", "KPI", "基準年度", "基準値", "目標値", "実績値", "単位"],
            ["子育て支援事業", "75歳以上の見守り登録者数", "令和元年度", "120", "200", "214", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "子育て支援事業", "75歳以上の見守り登録者数", "actual", 2022, 214.0, "人", ""),
            (SUISHIN, "子育て支援事業", "75歳以上の見守り登録者数", "baseline", 2019, 120.0, "人", ""),
            (SUISHIN, "子育て支援事業", "75歳以上の見守り登録者数", "target", 2022, 200.0, "人", ""),
        ]
    )


def _two_row_header() -> list:
    grid = Grid(
        [
            ["令和5年度 デジタル田園都市国家構想交付金（地方創生推進タイプ）事業 KPI実績一覧", "", "", "", "", "", ""],
            ["事業名", "KPI", "数値", "", "", "単位", "達成率"],
            ["", "", "当初値\n（R4年度）", "目標値\n（R5年度）", "実績値\n（R5年度）", "", ""],
            ["農林業振興事業", "新規就農者数", "20", "30", "33", "人", "130%"],
            ["", "6次産業化の\n商品開発数", "2", "8", "5", "品目", "50%"],
        ],
        merges=[
            Merge(0, 0, cols=7),
            Merge(1, 0, rows=2),
            Merge(1, 1, rows=2),
            Merge(1, 2, cols=3),
            Merge(1, 5, rows=2),
            Merge(1, 6, rows=2),
            Merge(3, 0, rows=2),
        ],
        header_rows=3,
    )
    return [grid, "※達成率＝（実績値－当初値）／（目標値－当初値）"]


@pytest.mark.parametrize("fmt", ("xlsx", "pdf", "html"))
def test_a_two_row_merged_header_gives_each_column_measure_and_year_under_a_merged_title(tmp_path, fmt):
    grant = "デジタル田園都市国家構想交付金(地方創生推進タイプ)"
    assert read(fmt, tmp_path, _two_row_header()) == expect(
        [
            (grant, "農林業振興事業", "6次産業化の商品開発数", "actual", 2023, 5.0, "品目", ""),
            (grant, "農林業振興事業", "6次産業化の商品開発数", "baseline", 2022, 2.0, "品目", ""),
            (grant, "農林業振興事業", "6次産業化の商品開発数", "target", 2023, 8.0, "品目", ""),
            (grant, "農林業振興事業", "新規就農者数", "actual", 2023, 33.0, "人", ""),
            (grant, "農林業振興事業", "新規就農者数", "baseline", 2022, 20.0, "人", ""),
            (grant, "農林業振興事業", "新規就農者数", "target", 2023, 30.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_row_of_letter_labels_under_the_header_is_header(tmp_path, fmt):
    blocks = [
        f"令和3年度 {SUISHIN}事業",
        [
            ["事業名", "指標", "目標値", "実績値", "達成率"],
            ["", "", "(a)", "(b)", "(b)/(a)"],
            ["関係人口創出事業", "ワーケーション利用者数", "500人", "640人", "128%"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "関係人口創出事業", "ワーケーション利用者数", "actual", 2021, 640.0, "人", ""),
            (SUISHIN, "関係人口創出事業", "ワーケーション利用者数", "target", 2021, 500.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_unit_column_per_kpi_group_serves_that_groups_numbers(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業",
        [
            ["事業名", "KPI①", "単位", "目標値", "実績値", "KPI②", "単位", "目標値", "実績値"],
            ["スポーツ振興事業", "大会参加者数", "人", "800", "910", "経済波及効果", "百万円", "120", "98.5"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "スポーツ振興事業", "大会参加者数", "actual", 2022, 910.0, "人", ""),
            (SUISHIN, "スポーツ振興事業", "大会参加者数", "target", 2022, 800.0, "人", ""),
            (SUISHIN, "スポーツ振興事業", "経済波及効果", "actual", 2022, 98.5, "百万円", ""),
            (SUISHIN, "スポーツ振興事業", "経済波及効果", "target", 2022, 120.0, "百万円", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_each_measure_keeps_the_unit_printed_beside_it_and_a_unit_in_the_cell_wins(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業",
        [
            ["事業名", "指標", "目標値", "単位", "実績値", "単位"],
            ["観光振興事業", "観光消費額", "12", "億円", "1,180", "百万円"],
            ["", "宿泊者数", "40", "千人", "41,200人", "千人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "観光振興事業", "宿泊者数", "actual", 2022, 41200.0, "人", ""),
            (SUISHIN, "観光振興事業", "宿泊者数", "target", 2022, 40.0, "千人", ""),
            (SUISHIN, "観光振興事業", "観光消費額", "actual", 2022, 1180.0, "百万円", ""),
            (SUISHIN, "観光振興事業", "観光消費額", "target", 2022, 12.0, "億円", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_transposed_table_reads_each_kpi_column(tmp_path, fmt):
    blocks = [
        f"令和5年度 {SUISHIN} 事業名：地域ブランド創出事業",
        [
            ["区分", "ブランド認証品目数", "首都圏での商談件数"],
            ["基準値（R3年度）", "4", "10"],
            ["目標値（R5年度）", "12", "40"],
            ["実績値（R5年度）", "15", "38"],
            ["達成率", "137%", "93%"],
            ["単位", "品目", "件"],
        ],
    ]
    result = read(fmt, tmp_path, blocks)
    assert [r[2:] for r in result] == expect(
        [
            ("ブランド認証品目数", "actual", 2023, 15.0, "品目", ""),
            ("ブランド認証品目数", "baseline", 2021, 4.0, "品目", ""),
            ("ブランド認証品目数", "target", 2023, 12.0, "品目", ""),
            ("首都圏での商談件数", "actual", 2023, 38.0, "件", ""),
            ("首都圏での商談件数", "baseline", 2021, 10.0, "件", ""),
            ("首都圏での商談件数", "target", 2023, 40.0, "件", ""),
        ]
    )


def test_one_key_value_evaluation_sheet_per_project(tmp_path):
    def sheet(project: str, kpi: str, values: tuple[str, str, str], unit: str) -> list:
        return [
            f"令和4年度 {SUISHIN} 効果検証シート",
            [
                ["事業名", project],
                ["事業期間", "令和2年度～令和4年度"],
                ["担当課", "企画課"],
                ["KPI", kpi],
                ["基準値", values[0]],
                ["目標値", values[1]],
                ["実績値", values[2]],
                ["単位", unit],
            ],
        ]

    blocks = {
        "事業1": sheet("移住促進事業", "移住者数", ("10", "30", "28"), "人"),
        "事業2": sheet("創業支援事業", "創業件数", ("2", "6", "調査中"), "件"),
    }
    assert read("xlsx", tmp_path, blocks) == expect(
        [
            (SUISHIN, "創業支援事業", "創業件数", "actual", 2022, None, "", "調査中"),
            (SUISHIN, "創業支援事業", "創業件数", "baseline", None, 2.0, "件", ""),
            (SUISHIN, "創業支援事業", "創業件数", "target", 2022, 6.0, "件", ""),
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2022, 28.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "baseline", None, 10.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "target", 2022, 30.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx", "pdf", "html"))
def test_several_tables_on_one_page_each_under_its_own_heading(tmp_path, fmt):
    header = ["事業名", "指標", "目標値", "実績値", "単位"]
    blocks = [
        f"令和3年度 {SUISHIN}事業",
        [header, ["観光振興事業", "来訪者数", "100", "120", "人"]],
        f"令和4年度 {KYOTEN}事業",
        [header, ["交流拠点整備事業", "施設利用者数", "300", "280", "人"]],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (KYOTEN, "交流拠点整備事業", "施設利用者数", "actual", 2022, 280.0, "人", ""),
            (KYOTEN, "交流拠点整備事業", "施設利用者数", "target", 2022, 300.0, "人", ""),
            (SUISHIN, "観光振興事業", "来訪者数", "actual", 2021, 120.0, "人", ""),
            (SUISHIN, "観光振興事業", "来訪者数", "target", 2021, 100.0, "人", ""),
        ]
    )


def test_a_sheet_named_for_a_year_gives_its_tables_that_year(tmp_path):
    header = ["事業名", "指標", "目標値", "実績値", "単位"]
    blocks = {
        "令和3年度": [f"{SUISHIN} 実績", [header, ["観光振興事業", "来訪者数", "100", "120", "人"]]],
        "令和4年度": [f"{SUISHIN} 実績", [header, ["観光振興事業", "来訪者数", "110", "131", "人"]]],
    }
    assert [r[3:6] for r in read("xlsx", tmp_path, blocks)] == [
        ("actual", 2021, 120.0),
        ("actual", 2022, 131.0),
        ("target", 2021, 100.0),
        ("target", 2022, 110.0),
    ]


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_kpi_name_and_its_number_in_one_cell(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業の実績",
        [
            ["事業名", "目標（R4年度）", "実績（R4年度）"],
            ["空き店舗活用事業", "空き店舗の活用件数 5件", "空き店舗の活用件数 3件"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "空き店舗活用事業", "空き店舗の活用件数", "actual", 2022, 3.0, "件", ""),
            (SUISHIN, "空き店舗活用事業", "空き店舗の活用件数", "target", 2022, 5.0, "件", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_two_numbers_under_a_compound_unit_are_two_observations(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業",
        [
            ["事業名", "指標", "単位", "目標値", "実績値"],
            ["文化振興事業", "イベント開催回数・参加者数", "回・人", "150・2,800", "162・3,015"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "文化振興事業", "イベント開催回数・参加者数", "actual", 2022, 162.0, "回", ""),
            (SUISHIN, "文化振興事業", "イベント開催回数・参加者数", "actual", 2022, 3015.0, "人", ""),
            (SUISHIN, "文化振興事業", "イベント開催回数・参加者数", "target", 2022, 150.0, "回", ""),
            (SUISHIN, "文化振興事業", "イベント開催回数・参加者数", "target", 2022, 2800.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_policy_codes_are_not_part_of_any_name(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業",
        [
            ["施策分野", "事業名", "指標", "目標値", "実績値", "単位"],
            ["Ⅲ-2-①", "(2) 第2子以上の子育て支援事業", "1日当たりの一時預かり利用者数", "30", "34", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "第2子以上の子育て支援事業", "1日当たりの一時預かり利用者数", "actual", 2022, 34.0, "人", ""),
            (SUISHIN, "第2子以上の子育て支援事業", "1日当たりの一時預かり利用者数", "target", 2022, 30.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("tabbed", [True, False])
def test_a_section_line_under_a_project_and_one_character_lines_continue_the_row_above(tmp_path, tabbed):
    tail = "\t\t\t\t" if tabbed else ""
    (tmp_path / "report.txt").write_text(
        "\n".join(
            [
                f"令和4年度 {SUISHIN}事業",
                "",
                "事業名\t指標\t目標値\t実績値\t単位",
                "移住定住促進事業\t移住者数\t100\t112\t人",
                f"【企画課】{tail}",
                "観光振興事業\t来訪者数\t500\t480\t人",
                f"課{tail}",
                "商工振興事業\t創業件数\t5\t6\t件",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = observations(extract_file(tmp_path / "report.txt"))
    assert {r[1] for r in result} == {"移住定住促進事業 【企画課】", "観光振興事業課", "商工振興事業"}
    assert len(result) == 6


def test_a_line_break_inside_a_text_extract_cell_does_not_split_the_row(tmp_path):
    (tmp_path / "report.txt").write_text(
        "\n".join(
            [
                f"交付金名称\t{SUISHIN}\t\t",
                "事業の名称\t実施内容\t実績（KPI等）\t備考",
                "移住定住促進事業\t<p>相談会を開催した。</p>",
                "<p>移住支援金を交付した。</p>\t<p>移住者数 目標 100人 実績 112人</p>\t",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert [r[1:4] for r in observations(extract_file(tmp_path / "report.txt"))] == [
        ("移住定住促進事業", "移住者数", "actual"),
        ("移住定住促進事業", "移住者数", "target"),
    ]


def _three_row_header() -> Grid:
    return Grid(
        [
            ["事業名", "指標", "目標値", "", "実績値", ""],
            ["", "", "令和4年度", "令和5年度", "令和4年度", "令和5年度"],
            ["", "", "（件）", "（件）", "（件）", "（件）"],
            ["企業誘致事業", "サテライトオフィス進出件数", "3", "5", "4", "集計中"],
        ],
        merges=[Merge(0, 0, rows=3), Merge(0, 1, rows=3), Merge(0, 2, cols=2), Merge(0, 4, cols=2)],
        header_rows=3,
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_three_row_header_gives_measure_year_and_unit_from_all_its_rows(tmp_path, fmt):
    result = extract_file(render(fmt, tmp_path, [f"{SUISHIN} 効果検証", _three_row_header()]))
    assert observations(result) == expect(
        [
            (SUISHIN, "企業誘致事業", "サテライトオフィス進出件数", "target", 2022, 3.0, "件", ""),
            (SUISHIN, "企業誘致事業", "サテライトオフィス進出件数", "target", 2023, 5.0, "件", ""),
            (SUISHIN, "企業誘致事業", "サテライトオフィス進出件数", "actual", 2022, 4.0, "件", ""),
            (SUISHIN, "企業誘致事業", "サテライトオフィス進出件数", "actual", 2023, None, "", "集計中"),
        ]
    )
    assert result.review == []


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_row_of_letter_labels_leaves_nothing_for_review(tmp_path, fmt):
    blocks = [
        f"令和3年度 {SUISHIN}事業",
        [
            ["事業名", "指標", "基準値", "目標値", "実績値", "達成率"],
            ["", "", "(a)", "(b)", "(c)", "(c-a)/(b-a)"],
            ["関係人口創出事業", "ワーケーション利用者数", "100", "500人", "640人", "135%"],
        ],
    ]
    assert extract_file(render(fmt, tmp_path, blocks)).review == []


@pytest.mark.parametrize("fmt", ("xlsx", "csv"))
def test_a_date_in_a_target_date_column_is_a_point_in_time(tmp_path, fmt):
    import datetime as dt

    import openpyxl

    rows = [
        ["事業名", "指標", "目標値", "目標年月", "実績値"],
        ["移住促進事業", "移住者数", 60, dt.date(2024, 3, 31), 52],
    ]
    path = tmp_path / f"report.{fmt}"
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        for row in [[f"令和5年度 {SUISHIN} 実績"], [], *rows]:
            book.active.append(row)
        book.save(path)
    else:
        path.write_text(
            "\n".join([f"令和5年度 {SUISHIN} 実績", "", *(",".join(map(str, r)) for r in rows)]), encoding="utf-8"
        )
    assert [r[3:6] for r in observations(extract_file(path))] == [("actual", 2023, 52.0), ("target", 2023, 60.0)]


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_key_value_evaluation_sheet_reads_in_every_format(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN} 効果検証シート",
        [
            ["事業名", "移住促進事業"],
            ["事業期間", "令和2年度～令和4年度"],
            ["KPI", "移住者数"],
            ["基準値", "10"],
            ["目標値", "30"],
            ["実績値", "28"],
            ["単位", "人"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2022, 28.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "baseline", None, 10.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "target", 2022, 30.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_value_cell_with_a_number_but_no_readable_name_goes_to_review(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN}事業の実績",
        [
            ["事業名", "目標（R4年度）", "実績（R4年度）"],
            ["空き店舗活用事業", "空き店舗の活用件数 5件", "空き店舗の活用件数 3件"],
            ["創業支援事業", "創業件数 4件", "集計中"],
            ["商工振興事業", "商談件数 20件", "商談件数 24件"],
            ["交流促進事業", "約3件程度（見込み含む）", ""],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert [r.fragment for r in result.review] == ["約3件程度(見込み含む)"]
    assert all(r.reason for r in result.review)
    assert ("創業件数", "actual", None, "集計中") in {
        (o.kpi_name, o.measure, o.value, o.status) for o in result.observations
    }


@pytest.mark.parametrize("fmt", ("csv", "xlsx", "txt"))
def test_a_tidy_export_with_years_in_its_labels_and_bare_years_in_its_year_column(tmp_path, fmt):
    blocks = [
        f"{SUISHIN} KPI一覧",
        [
            ["年度", "事業名", "指標名", "区分", "数値", "単位"],
            ["2023", "移住促進事業", "移住者数", "基準値（R3年度）", "40", "人"],
            ["2023", "移住促進事業", "移住者数", "目標値（R6年度）", "80", "人"],
            ["2023", "移住促進事業", "移住者数", "実績値", "52", "人"],
            ["2023", "移住促進事業", "移住者数", "参考値", "49", "人"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert [r[3:7] for r in observations(result)] == [
        ("actual", 2023, 52.0, "人"),
        ("baseline", 2021, 40.0, "人"),
        ("target", 2024, 80.0, "人"),
    ]
    assert [r.reason for r in result.review] == ["row label names no measure"]


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_transposed_table_with_one_row_per_year_and_measure(tmp_path, fmt):
    blocks = [
        f"令和4年度 {SUISHIN} 観光振興事業",
        [
            ["項目", "観光入込客数（人）", "宿泊者数（人）"],
            ["令和3年度 目標", "1,000", "200"],
            ["令和3年度 実績", "1,100", "180"],
            ["令和4年度 目標", "1,200", "220"],
            ["令和4年度 実績", "1,250", "集計中"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert [r[2:8] for r in observations(result)] == [
        ("宿泊者数", "actual", 2021, 180.0, "人", ""),
        ("宿泊者数", "actual", 2022, None, "", "集計中"),
        ("宿泊者数", "target", 2021, 200.0, "人", ""),
        ("宿泊者数", "target", 2022, 220.0, "人", ""),
        ("観光入込客数", "actual", 2021, 1100.0, "人", ""),
        ("観光入込客数", "actual", 2022, 1250.0, "人", ""),
        ("観光入込客数", "target", 2021, 1000.0, "人", ""),
        ("観光入込客数", "target", 2022, 1200.0, "人", ""),
    ]


@pytest.mark.parametrize("fmt", ("txt", "xlsx", "pdf", "html"))
def test_tables_with_no_project_column_take_the_project_heading_above_them(tmp_path, fmt):
    header = ["指標", "目標値", "実績値", "単位"]
    blocks = [
        f"令和4年度 {SUISHIN}事業の効果検証",
        "（1）移住定住促進事業（企画課）",
        [header, ["移住者数", "100", "112", "人"]],
        "（2）観光振興事業",
        [header, ["来訪者数", "500", "480", "人"]],
        "5-3 その他の事業",
        "観光振興プロジェクト",
        [header, ["宿泊者数", "50", "61", "人"]],
        "(3) 事業の名称：農泊推進による交流人口拡大",  # a 地域再生計画's numbered label
        [header, ["農泊宿泊者数", "300", "320", "人"]],
    ]
    assert {(r[1], r[2]) for r in read(fmt, tmp_path, blocks)} == {
        ("移住定住促進事業(企画課)", "移住者数"),
        ("観光振興事業", "来訪者数"),
        ("観光振興プロジェクト", "宿泊者数"),
        ("農泊推進による交流人口拡大", "農泊宿泊者数"),
    }


def test_a_header_repeated_with_only_its_first_row_keeps_the_columns_of_the_full_header(tmp_path):
    rows = [["事業名", "KPI", "目標", "", "実績", ""], ["", "", "指標値", "単位", "実績値", "単位"]]
    rows += [[f"事業{n:02d}の推進事業", f"指標{n:02d}の件数", str(n), "件", str(n + 1), "件"] for n in range(60)]
    grid = Grid(rows, merges=[Merge(0, 2, cols=2), Merge(0, 4, cols=2)], header_rows=1)  # page 2 repeats row 1
    result = extract_file(render("pdf", tmp_path, [f"令和4年度 {SUISHIN}事業", grid]))
    assert result.pages >= 2
    assert len({o.kpi_name for o in result.observations}) == 60
    assert {(o.measure, o.unit) for o in result.observations} == {("target", "件"), ("actual", "件")}


@pytest.mark.parametrize("fmt", ("csv", "xlsx"))
def test_a_tidy_export_with_the_unit_in_its_value_header(tmp_path, fmt):
    blocks = [
        [
            ["年度（和暦）", "交付金名称", "事業名", "指標名", "種別", "数値（人）"],
            ["令和5年度", SUISHIN, "移住促進事業", "移住者数", "目標", "60"],
            ["令和5年度", SUISHIN, "移住促進事業", "移住者数", "実績", "52"],
        ]
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, "移住促進事業", "移住者数", "target", 2023, 60.0, "人", ""),
            (SUISHIN, "移住促進事業", "移住者数", "actual", 2023, 52.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_measure_spanning_its_value_and_its_year_columns(tmp_path, fmt):
    grid = Grid(
        [
            ["事業名", "KPI", "基準値", "", "目標値", "", "実績値(R4年度)"],
            ["", "", "数値", "年度", "数値", "年度", ""],
            ["にぎわい創出事業", "歩行者通行量(休日)", "8,540人", "H30", "10,000人", "R6", "9,120人"],
            ["にぎわい創出事業", "空き店舗の新規出店数", "2件", "R2", "15件", "R6", "11件"],
        ],
        merges=[
            Merge(0, 0, rows=2),
            Merge(0, 1, rows=2),
            Merge(0, 2, cols=2),
            Merge(0, 4, cols=2),
            Merge(0, 6, rows=2),
        ],
        header_rows=2,
    )
    assert read(fmt, tmp_path, [f"令和4年度 {SUISHIN} 事業評価", grid]) == expect(
        [
            (SUISHIN, "にぎわい創出事業", "歩行者通行量(休日)", "baseline", 2018, 8540.0, "人", ""),
            (SUISHIN, "にぎわい創出事業", "歩行者通行量(休日)", "target", 2024, 10000.0, "人", ""),
            (SUISHIN, "にぎわい創出事業", "歩行者通行量(休日)", "actual", 2022, 9120.0, "人", ""),
            (SUISHIN, "にぎわい創出事業", "空き店舗の新規出店数", "baseline", 2020, 2.0, "件", ""),
            (SUISHIN, "にぎわい創出事業", "空き店舗の新規出店数", "target", 2024, 15.0, "件", ""),
            (SUISHIN, "にぎわい創出事業", "空き店舗の新規出店数", "actual", 2022, 11.0, "件", ""),
        ]
    )
