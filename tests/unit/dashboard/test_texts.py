"""The dashboard's text helpers: data escaped for Markdown, the Japanese catalogue, JST, units once."""

from __future__ import annotations

import html
import re

import pytest

from orchestration.dashboard import texts, ui

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (a dependency of rich) is not installed")

HOSTILE = [
    "![x](http://127.0.0.1:9/x.png)",
    "[公式サイトで確認](http://127.0.0.1:9/go)",
    "<img src=http://127.0.0.1:9/y.png> &lt;b&gt;",
    "**太字** _斜体_ ~~取消~~ `code` # 見出し",
    "- 箇条\n1. 番号\n> 引用\n\n    字下げ",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "http://127.0.0.1:9/autolink www.example.com a@example.com",
    r"\*逃げ\* \\ \[",
]
TAGS = ("<img", "<a ", "<strong", "<em", "<del", "<code", "<h1", "<li", "<blockquote", "<pre", "<table", "<b>")


@pytest.mark.parametrize("value", HOSTILE)
def test_md_makes_markup_literal_text(value: str) -> None:
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(texts.md(value))
    assert not [tag for tag in TAGS if tag in rendered], rendered
    text = html.unescape(rendered).removeprefix("<p>").removesuffix("</p>\n")
    # nothing GFM would turn into a live link (it links bare URLs in text, whatever was escaped)
    assert not re.search(r"(?i)https?://|\bwww\.|\w@\w", text), text
    # what shows is the value itself, on one line (with invisible word joiners inside would-be links)
    assert text.replace(texts.JOINER, "") == texts.plain(value)


def test_md_and_plain_show_a_dash_for_missing_values() -> None:
    assert texts.md(None) == texts.md(float("nan")) == texts.plain("") == "—"
    assert texts.md("移住者数") == "移住者数"


def test_every_review_reason_the_build_writes_with_fixed_words_is_translated() -> None:
    reason = "unit 人泊 is not in the unit_scales seed; value kept without a base unit"
    assert (
        texts.review_reason(reason, "unknown_unit") == "単位「人泊」が unit_scales シードにない。基準単位なしで値を保持"
    )
    reason = "target FY2023 is 120 人 here, but 002.txt prints 100"
    contradicted = texts.review_reason(reason, "contradicted_observation")
    assert contradicted == "この報告書の目標値（2023年度）は 120 人。他の報告書の記載：002.txt prints 100"
    # a reason the catalogue does not know is explained by its source, never left blank
    assert texts.review_reason("something new", "extraction") == "抽出器が読めなかった箇所"
    assert texts.review_source("unknown_unit") == "単位不明"


def test_the_review_reasons_of_landing_and_of_the_frame_limit_are_translated(monkeypatch) -> None:
    """Reasons as the code writes them: a file name and a title with control characters landed,
    an image past the frame limit (of 1 here)."""
    import io

    from PIL import Image

    from orchestration.extract.formats import image
    from orchestration.land import store

    document = {"doc_id": "a.txt", "doc": "a.txt", "n_review": 0, "title": "題\x07"}
    rows = store._safe_rows({"documents": [document], "review_items": []}, unsafe_name=True)
    monkeypatch.setattr(image, "MAX_FRAMES", 1)
    frames = io.BytesIO()
    Image.new("L", (4, 4)).save(frames, format="TIFF", save_all=True, append_images=[Image.new("L", (4, 4))])
    reasons = [r["reason"] for r in rows["review_items"]] + [image._past_limit(Image.open(frames))]
    assert [texts.review_reason(r, "extraction") for r in reasons] == [
        "ファイル名に制御文字か双方向テキストの制御文字がある：文書IDでは \\xNN・\\uNNNN と表示。"
        "ファイル名を変えてください",
        "制御文字か双方向テキストの制御文字を取り除いた：documents.title",
        "2コマ目以降は読んでいない：画像は1コマ（スキャンしたページ）まで読む。長いスキャンは分けるかPDFにしてください",
    ]


def test_every_gate_suite_has_a_japanese_description() -> None:
    from orchestration.quality.catalog import SUITES

    assert [name for name in SUITES if texts.suite(name) == texts.MISSING] == []


def test_times_are_shown_in_japan_time() -> None:
    assert texts.jst("2026-12-07T18:06:32+00:00") == "2026-12-08 03:06 JST"
    assert texts.jst(None) == "—"


@pytest.mark.parametrize(
    ("value_text", "value", "unit", "shown"),
    [("7,661万円", 7661, "万円", "7,661万円"), ("7,661", 7661, "万円", "7,661 万円"), (None, 12.5, "%", "12.5 %")],
)
def test_a_printed_value_carries_its_unit_once(value_text, value, unit, shown) -> None:
    assert ui.printed(value_text, value, unit) == shown


def test_a_table_shows_a_dash_for_missing_values_and_keeps_complete_columns_as_numbers() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"share_kpis_met": [0.5, None], "n": [1, 2], "fiscal_year": [2023.0, None], "ok": [True, None]}
    )
    shown = ui.shown(frame)
    assert list(shown["share_kpis_met"]) == ["50.0%", "—"]
    assert list(shown["fiscal_year"]) == ["2023", "—"]
    assert list(shown["ok"]) == ["はい", "—"]
    assert shown["n"].dtype.kind == "i"


def test_every_word_of_the_catalogue_is_in_japanese_and_english_with_the_same_fields() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    words = [(f"{section}.{key}", w) for section, keys in texts.catalogue()["ui"].items() for key, w in keys.items()]
    words += [
        (f"rates.{rate}", {lang: r[lang]["name"] + r[lang]["definition"] for lang in ("ja", "en")})
        for rate, r in texts.catalogue()["rates"].items()
    ]
    words += [
        (f"{table}.{key}", w) for table in ("gate_suites", "measures") for key, w in texts.catalogue()[table].items()
    ]
    assert [key for key, w in words if set(w) != {"ja", "en"}] == []
    assert [key for key, w in words if fields(w["ja"]) != fields(w["en"])] == []
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    assert [key for key, w in words if not japanese.search(w["ja"])] == []
    searched = {"search.example"}  # an example word to search the (Japanese) data with
    assert [key for key, w in words if japanese.search(w["en"]) and key not in searched] == []
