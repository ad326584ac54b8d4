"""OCR'd label cells matched to the vocabulary with a tolerance for misread characters: only
characters OCR doubted, only in a cell made of vocabulary words, only to a vocabulary word."""

import pytest

from orchestration.extract.formats.ocr_labels import label_words, match_label


def test_the_words_come_from_the_vocabulary_data():
    words = label_words()
    assert {"基準値", "実績値", "年度", "単位", "重要業績評価指標", "集計中", "地方創生推進交付金", "令和"} <= set(
        words
    )
    assert all(len(w) >= 2 and not w.isascii() for w in words)
    assert not any(ch in w for w in words for ch in "()|?^$\\[]")  # no regex syntax left in a word


@pytest.mark.parametrize(
    ("read", "doubted", "label"),
    [
        ("革準値(R1年度)", "革", "基準値(R1年度)"),
        ("実績値(R3年席", "席", "実績値(R3年度"),
        ("目漂値（R3年度）", "漂", "目標値（R3年度）"),
        ("集訂中", "訂", "集計中"),
        ("地方創生推准交付金", "准", "地方創生推進交付金"),
        ("重要業績評儼指漂", "儼漂", "重要業績評価指標"),  # two misread in a long word
        ("令和元年度 達戌率", "戌", "令和元年度 達成率"),
        ("事業開殆前", "殆", "事業開始前"),  # not 事業 and an unknown rest
    ],
)
def test_a_misread_label_reads_as_its_vocabulary_word(read, doubted, label):
    assert match_label(read, set(doubted)) == label


@pytest.mark.parametrize(
    ("read", "doubted"),
    [
        ("革準値(R1年度)", ""),  # OCR was sure of every character: left as read
        ("世界自然遺産聞連ツアー参加者数", "聞"),  # a KPI name is no label cell
        ("事業所数", ""),  # 所数 is one character from 実数, read with confidence
        ("年間", ""),
        ("基準値(R1年)", ")"),  # a bracket is never a misread word character
        ("革準", "革"),  # two characters, one right: too little left to know the word
        ("3,200", "3"),
    ],
)
def test_text_that_is_no_misread_label_is_left_as_read(read, doubted):
    assert match_label(read, set(doubted)) == read


def test_a_misread_as_near_to_two_words_is_no_guess():
    assert {"目標値", "指標値"} <= set(label_words())
    assert match_label("自標値", {"自"}) == "自標値"  # 目標値 or 指標値: left as read
    assert match_label("事業開始箭", {"箭"}) == "事業開始箭"  # 事業開始前, 事業開始期 or 事業開始時
    assert match_label("実續値", {"續"}) == "実續値"  # 実績値 or 実測値
