"""Each observation's confidence, from where its labels were found: own cell and table beat the
block above, which beats the document; a label found nowhere is least sure; OCR scales it."""

from __future__ import annotations

import pytest
from families import render

from orchestration.extract import confidence
from orchestration.extract.engine import extract_file

TITLE = "令和5年度 地方創生推進交付金 効果検証報告（潮見台町）"


def _by_value(fmt, tmp_path, blocks) -> dict[float, float]:
    result = extract_file(render(fmt, tmp_path, blocks))
    assert result.error is None
    return {o.value: o.confidence for o in result.observations}


def test_the_places_are_weighed_nearest_first():
    weights = [confidence.confidence(p) for p in confidence.PLACES]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)
    assert all(0 < w <= 1 for w in weights)


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_year_in_the_header_beats_the_titles_and_a_missing_year_is_least_sure(tmp_path, fmt):
    blocks = [
        TITLE,
        [
            ["事業名", "指標", "基準値", "目標値（R7年度）", "実績値", "単位"],
            ["潮見台ワーケーション推進事業", "ワーケーション滞在者数", "12", "30", "26", "千人"],
        ],
    ]
    found = _by_value(fmt, tmp_path, blocks)
    assert found[30.0] > found[26.0] > found[12.0]  # header's year > title's year > no year


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_name_written_with_its_number_beats_a_row_label_which_beats_a_heading(tmp_path, fmt):
    blocks = [
        TITLE,
        "事業名：潮見台ワーケーション推進事業",
        [["事業名", "指標", "実績値（R5年度）"], ["潮見台ワーケーション推進事業", "体験参加者数", "410人"]],
        [["事業名", "成果(KPI)"], ["潮見台ワーケーション推進事業", "移住相談件数 実績 57件（R5年度）"]],
        "事業名：潮見台関係人口創出事業",
        "■ 指標：関係人口登録者数",
        [["", "目標値", "実績値"], ["数値", "120人", "88人"], ["時点", "R7年度", "R5年度"]],
    ]
    found = _by_value(fmt, tmp_path, blocks)
    assert found[57.0] > found[410.0] > found[88.0]  # own cell > row label > heading above


def test_ocr_confidence_scales_the_labels_confidence():
    assert confidence.ocr_weighed(0.9, 80.0) == pytest.approx(0.72)
    assert confidence.ocr_weighed(None, 80.0) is None


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_value_table_named_by_the_line_above_it_is_less_sure_than_one_naming_its_rows(tmp_path, fmt):
    blocks = [
        TITLE,
        "事業名：潮見台ワーケーション推進事業",
        [["事業名", "指標", "実績値（R5年度）"], ["潮見台ワーケーション推進事業", "体験参加者数", "410人"]],
        "■KPI：関係人口登録者数",
        [["実績値（R5年度）", "目標値（R7年度）"], ["88人", "120人"]],
    ]
    found = _by_value(fmt, tmp_path, blocks)
    assert found[410.0] > found[88.0]  # the row's own label > the line above the table
