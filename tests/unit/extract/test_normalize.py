from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestration.extract import normalize as n


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("1,000", 1000),
        ("１，０００", 1000),
        ("1, 0 0 0", 1000),
        ("8 8 8, 8 3 9", 888839),
        ("-22", -22),
        ("−22", -22),
        ("▲22", -22),
        ("△22", -22),
        ("71.62", 71.62),
        ("-0.6", -0.6),
        ("2,300.0", 2300),
        ("12,480※1", 12480),
        ("0", 0),
    ],
)
def test_parse_number(printed, value):
    assert n.parse_number(printed) == pytest.approx(value)


@pytest.mark.parametrize("printed", ["", "集計中", "1,2", "R5", "約100", "100〜120", "abc"])
def test_parse_number_rejects_what_is_not_one_number(printed):
    assert n.parse_number(printed) is None


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_reads_any_grouped_integer_back(i):
    printed = f"{abs(i):,}"
    assert n.parse_number(("▲" if i < 0 else "") + printed) == i
    wide = printed.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert n.parse_number(wide) == abs(i)


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_parse_number_reads_decimals(d):
    assert n.parse_number(f"{d:,}") == pytest.approx(float(d))


@pytest.mark.parametrize(
    ("printed", "status"),
    [
        ("集計中", "集計中"),
        ("未計測", "未計測"),
        ("未確定", "未確定"),
        ("調査中", "調査中"),
        ("-", "-"),
        ("－", "-"),
        ("―", "-"),
        ("12", None),
        ("", None),
    ],
)
def test_parse_status(printed, status):
    assert n.parse_status(printed) == status


@pytest.mark.parametrize(
    ("printed", "year"),
    [
        ("令和2年度", 2020),
        ("平成31年度", 2019),
        ("令和元年度", 2019),
        ("R5", 2023),
        ("H30", 2018),
        ("R2年度", 2020),
        ("2021年度", 2021),
        ("昭和64年", 1989),
        ("明治元年", 1868),
        ("大正2年", 1913),
        # points in time: January–March belong to the fiscal year before
        ("R4.3", 2021),
        ("R7.12", 2025),
        ("令和4年12月", 2022),
        ("2023年3月", 2022),
        ("(R4.3時点)", 2021),
        ("R4年度末時点", 2022),
        ("平成29年度 増加分 (1年目)", 2017),
        ("令和7年1 2月", 2025),
    ],
)
def test_fiscal_years(printed, year):
    assert n.parse_fiscal_year(printed) == year


@pytest.mark.parametrize("printed", ["1年目", "2021", "TYPE1", "人口"])
def test_no_fiscal_year(printed):
    assert n.parse_fiscal_year(printed) is None


@given(st.sampled_from(sorted(n.ERAS)), st.integers(min_value=1, max_value=30), st.integers(1, 12))
def test_point_in_time_is_in_the_fiscal_year_of_its_month(era, year, month):
    western = n.ERAS[era] + year - 1
    assert n.parse_fiscal_year(f"{era}{year}年{month}月") == (western if month >= 4 else western - 1)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("53,617人", (53617, "人", "")),
        ("3,850万円", (3850, "万円", "")),
        ("412.5 万人回", (412.5, "万人回", "")),
        ("12,480※1", (12480, "", "")),
        ("集計中", (None, "", "集計中")),
        ("－", (None, "", "-")),
        ("120 見込み", (120, "", "")),
        ("見込み 215", (215, "", "")),
        ("1,200人（見込み）", (1200, "人", "")),
        ("（見込）▲3", (-3, "", "")),
        ("見込み", (None, "", "")),
        ("地方創生に効果があった", (None, "", "")),
    ],
)
def test_split_value_unit(cell, expected):
    assert n.split_value_unit(cell) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("人 次", "人"),
        ("人/試合", "人/試合"),
        ("千人 (R5", "千人"),
        ("件／実績値", "件"),
        ("社・団体", "社・団体"),
        ("次産業化人材育成者数", None),
        ("代の割合", None),
        ("実績 143", None),
        ("%（目標値）", "%"),
        ("万人実績", "万人"),
    ],
)
def test_match_unit(text, unit):
    assert n.match_unit(text) == unit


def test_join_lines_joins_japanese_without_a_space():
    assert n.join_lines("事業開\n始前") == "事業開始前"
    assert n.join_lines("AI\nIoT") == "AI IoT"


@given(st.text())
def test_normalisers_are_total(text):
    n.nfkc(text)
    n.parse_number(text)
    n.parse_status(text)
    n.find_fiscal_year(text)
    n.split_value_unit(text)
    n.match_unit(text)


def test_nfkc_collapses_every_white_space_character_to_one_space():
    spaces = [chr(i) for i in range(0x3001) if chr(i).isspace()]  # U+3000 (全角空白) is the last
    assert len(spaces) > 20
    for space in spaces:
        assert n.nfkc(f"{space}来訪者数{space}{space}1,000 人{space}") == "来訪者数 1,000 人", hex(ord(space))


def test_nfkc_normalises_width_and_compatibility_forms():
    assert n.nfkc("ＫＰＩ　①　１，０００㌔") == "KPI 1 1,000キロ"
