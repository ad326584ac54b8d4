"""The free-text KPI grammar, on the forms the issue lists and their common variants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.extract.layouts.kpi_text import clean_kpi_name, read_kpi_cell


def _read(text, year=2023):
    r = read_kpi_cell(text, year)
    return [(x.kpi_name, x.measure, x.fiscal_year, x.value, x.unit, x.status) for x in r.readings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "来訪者数 目標 100 人 実績 143 人",
            [("来訪者数", "target", 2023, 100, "人", ""), ("来訪者数", "actual", 2023, 143, "人", "")],
        ),
        (
            "①ドリル実施数\n・目標値：5,400,000 問 ・実績値：16,521,845 問",
            [("ドリル実施数", "target", 2023, 5400000, "問", ""), ("ドリル実施数", "actual", 2023, 16521845, "問", "")],
        ),
        (
            "満足した人の割合：50%（目標値）\n【実績】71.62% （回答数 303 名のうち、217 名が回答）",
            [("満足した人の割合", "target", 2023, 50, "%", ""), ("満足した人の割合", "actual", 2023, 71.62, "%", "")],
        ),
        (
            "○延べ宿泊者数 KPI 14,700 千人 (R5 実績：集計中)",
            [("延べ宿泊者数", "target", 2023, 14700, "千人", ""), ("延べ宿泊者数", "actual", 2023, None, "", "集計中")],
        ),
        ("○入込数 R5 実績：6,615 千人", [("入込数", "actual", 2023, 6615, "千人", "")]),
        ("送信件数 R4 198,929 件", [("送信件数", "actual", 2022, 198929, "件", "")]),
        ("利用者数 14,893人", [("利用者数", "actual", 2023, 14893, "人", "")]),
        ("②産直の利用者数 … 309,900人", [("産直の利用者数", "actual", 2023, 309900, "人", "")]),
        ("① 県内就職者数：217人", [("県内就職者数", "actual", 2023, 217, "人", "")]),
        ("観客数 512人/試合", [("観客数", "actual", 2023, 512, "人/試合", "")]),
        (
            "回答率\n・目標値：80% ・実績値：未計測",
            [("回答率", "target", 2023, 80, "%", ""), ("回答率", "actual", 2023, None, "", "未計測")],
        ),
        (
            "相談件数 目標値：120件／実績値：98件",
            [("相談件数", "target", 2023, 120, "件", ""), ("相談件数", "actual", 2023, 98, "件", "")],
        ),
        (
            "相談件数 95件（目標 100件）",
            [("相談件数", "actual", 2023, 95, "件", ""), ("相談件数", "target", 2023, 100, "件", "")],
        ),
        (
            "観光客数 目標 50,000人 → 実績 61,204人",
            [("観光客数", "target", 2023, 50000, "人", ""), ("観光客数", "actual", 2023, 61204, "人", "")],
        ),
        ("移住者数 120人（R4年度末時点）", [("移住者数", "actual", 2022, 120, "人", "")]),
        ("延べ利用者数 目標 700（R9年度）", [("延べ利用者数", "target", 2027, 700, "", "")]),
        (
            "【アウトカム】 漏洩件数 R5 0 件 送信漏れ件数 R5 0 件",
            [("漏洩件数", "actual", 2023, 0, "件", ""), ("送信漏れ件数", "actual", 2023, 0, "件", "")],
        ),
        (
            "利用者数 23,541人 観客数 1,270人/試合",
            [("利用者数", "actual", 2023, 23541, "人", ""), ("観客数", "actual", 2023, 1270, "人/試合", "")],
        ),
        ("売上額 目標 7 3 5 0 3千円", [("売上額", "target", 2023, 73503, "千円", "")]),
        ("6次産業化人材育成者数 20人", [("6次産業化人材育成者数", "actual", 2023, 20, "人", "")]),
        ("作付面積 ▲22 ha", [("作付面積", "actual", 2023, -22, "ha", "")]),
        (
            "入込客数 基準値 1,200千人 目標値 1,500千人 実績値 1,380千人",
            [
                ("入込客数", "baseline", None, 1200, "千人", ""),
                ("入込客数", "target", 2023, 1500, "千人", ""),
                ("入込客数", "actual", 2023, 1380, "千人", ""),
            ],
        ),
        (
            "◆ 相談件数：目標 100件、実績 125件（達成率125%）",
            [("相談件数", "target", 2023, 100, "件", ""), ("相談件数", "actual", 2023, 125, "件", "")],
        ),
        (
            "移住者数 目標値（R7）：100人 実績値（R5年度）：82人",
            [("移住者数", "target", 2025, 100, "人", ""), ("移住者数", "actual", 2023, 82, "人", "")],
        ),
        (
            "利用者数 1,200人、観客数 3,400人",
            [("利用者数", "actual", 2023, 1200, "人", ""), ("観客数", "actual", 2023, 3400, "人", "")],
        ),
    ],
)
def test_grammar(text, expected):
    assert _read(text) == expected


def test_notes_and_response_counts_are_not_kpis():
    assert _read("※集計結果は 9 月以降に判明するため 2 件は未確定") == []
    assert [r[0] for r in _read("割合 71.62% （回答数 303 名のうち、217 名）")] == ["割合"]


def test_value_without_a_name_goes_to_review():
    r = read_kpi_cell("・目標値：120件", 2023)
    assert r.readings == []
    assert r.unread and r.unread[0][1] == "value with no KPI name"


@pytest.mark.parametrize(
    ("raw", "name", "unit"),
    [
        ("① 参加社数(社)", "参加社数", "社"),
        ("実証事業の件数 (年間)", "実証事業の件数 (年間)", ""),
        ("KPI② 割合(%)：", "割合", "%"),
        ("・割合(公立小学校)", "割合(公立小学校)", ""),
        ("(1) 登録者数 達成状況", "登録者数", ""),
    ],
)
def test_clean_kpi_name(raw, name, unit):
    assert clean_kpi_name(raw) == (name, unit)


@given(st.text(max_size=200))
def test_grammar_is_total(text):
    read_kpi_cell(text, 2023)


def test_a_spaced_number_wrapped_over_two_lines_is_one_number():
    assert _read("来場者数 KPI 2, 1\n3 5 人") == [("来場者数", "target", 2023, 2135, "人", "")]
    assert _read("率 目標値：47.\n8%") == [("率", "target", 2023, 47.8, "%", "")]


def test_a_unit_run_into_the_next_name_still_ends_the_value():
    assert _read("○商品開発数：1891件サテライトの来訪者数 1,695人（目標 2,649人）") == [
        ("商品開発数", "actual", 2023, 1891, "件", ""),
        ("サテライトの来訪者数", "actual", 2023, 1695, "人", ""),
        ("サテライトの来訪者数", "target", 2023, 2649, "人", ""),
    ]
    assert [r[:2] for r in _read("① 1人当たり医療費 30万円")] == [("1人当たり医療費", "actual")]


def test_a_unit_printed_after_a_space_and_run_into_the_next_name_still_ends_the_value():
    # A PDF cell line ending `3,403 件` whose break reads as a wrap: the next name follows the unit.
    assert _read("①相談件数 目標 3,403 件直売所の相談件数\n・目標値：1,656 件 ・実績値：1506 件") == [
        ("相談件数", "target", 2023, 3403, "件", ""),
        ("直売所の相談件数", "target", 2023, 1656, "件", ""),
        ("直売所の相談件数", "actual", 2023, 1506, "件", ""),
    ]


def test_a_bracket_wrapped_over_two_lines_is_still_one_bracket():
    assert _read("②満足度 30.94%（目標\n23.8%）\n販売額 21,264万円") == [
        ("満足度", "actual", 2023, 30.94, "%", ""),
        ("満足度", "target", 2023, 23.8, "%", ""),
        ("販売額", "actual", 2023, 21264, "万円", ""),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "移住者数 目標 50人 実績 42人 達成率 84.0%",
            [("移住者数", "target", 2023, 50.0, "人", ""), ("移住者数", "actual", 2023, 42.0, "人", "")],
        ),
        (
            "・観光客数：1,100人（目標：1,200人、達成率91.7%）",
            [("観光客数", "actual", 2023, 1100.0, "人", ""), ("観光客数", "target", 2023, 1200.0, "人", "")],
        ),
    ],
)
def test_an_achievement_rate_in_free_text_is_derived_not_an_observation(text, expected):
    assert _read(text) == expected


def test_a_year_and_label_after_a_slash_start_the_next_value():
    assert _read("観光客数 R4目標 1,200人／R4実績 1,100人") == [
        ("観光客数", "target", 2022, 1200.0, "人", ""),
        ("観光客数", "actual", 2022, 1100.0, "人", ""),
    ]
    assert _read("歩行者通行量 目標 2,400人/日 実績 2,215人/日")[0][4] == "人/日"


def test_a_run_of_plain_characters_reads_as_the_one_character_text_tokens_it_replaces():
    """The reader takes a run of characters no other token starts with in one step; at each of
    them, whatever precedes or follows, the grammar itself reads a one-character text token."""
    from orchestration.extract.layouts.kpi_text import _TEXT_RUN, LABELS, TOKEN
    from orchestration.vocab import measure_labels, statuses

    run_chars = [chr(cp) for cp in range(0xD800) if _TEXT_RUN.fullmatch(chr(cp))]
    assert "業" in run_chars and "目" not in run_chars and "1" not in run_chars
    words = [*LABELS, *measure_labels(), *statuses(), "令和5年度", "平成30年度", "KPI①", "指標①"]
    contexts = [("", ""), (" ", "1"), ("A", " 1"), *(("", w[1:] + " 1") for w in words)]
    for ch in run_chars:
        for before, after in contexts:
            m = TOKEN.match(before + ch + after, len(before))
            assert (m.lastgroup, m.end()) == ("text", len(before) + 1), (before, ch, after)
