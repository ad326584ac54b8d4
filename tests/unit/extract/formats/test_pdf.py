import re
import unicodedata

import pytest

from orchestration.extract.formats import load_document
from orchestration.extract.model import DocumentError, Line, Table
from orchestration.synth.render import write_pdf

HEADER = ["No", "交付金事業の名称", "指標", "事業開始前", "目標値", "単位", "実績値"]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="module")
def long_table_pdf(tmp_path_factory):
    rows = [
        [
            str(i),
            f"瀬戸内コンビナートの強みに着目した事業{i}",
            "来訪者数（年間）",
            "1,000",
            f"{2500 + i:,}",
            "千人",
            "集計中" if i % 7 == 0 else f"{3141 + i:,}",
        ]
        for i in range(1, 61)
    ]
    path = tmp_path_factory.mktemp("pdf") / "long.pdf"
    write_pdf(path, ["令和3年度 地方創生推進交付金事業", [HEADER, *rows], "以上"])
    return path, rows


def test_a_long_table_continues_over_pages_with_its_header(long_table_pdf, cell_texts):
    path, rows = long_table_pdf
    doc = load_document(path)
    assert doc.format == "pdf" and doc.pages >= 2
    tables = doc.tables()
    assert [t.page for t in tables] == list(range(1, doc.pages + 1))
    for table in tables:
        assert [c.text for c in table.rows[0]] == HEADER  # repeated on every page
    body = [r for t in tables for r in cell_texts(t)[1:]]
    assert body == rows  # every row once, in order, exactly as written
    second = tables[1]
    assert second.rows[2][4].ref == "p2:t1:r3:c5" and second.rows[2][4].line is None


def test_text_outside_tables_keeps_page_and_reading_order(long_table_pdf):
    path, _ = long_table_pdf
    doc = load_document(path)
    assert doc.blocks[0] == Line("令和3年度 地方創生推進交付金事業", 1, 1)
    assert isinstance(doc.blocks[1], Table)
    assert doc.blocks[-1] == Line("以上", doc.pages, 1)


def test_spans_are_filled_and_wrapped_cell_text_rejoined(tmp_path, span_grid, cell_texts):
    grid, filled = span_grid
    long_cell = (
        "・目標値：5,400,000 問\n・実績値：16,521,845 問\n"
        + "セルの幅を超えて折り返される長い説明文です。" * 4
        + "\nThe quick brown fox jumps over the lazy dog again and again until it wraps"
    )
    path = tmp_path / "spans.pdf"
    write_pdf(path, [grid, [["事業", "実績（KPI等）"], ["事業A", long_cell]]])
    spans, kpis = load_document(path).tables()
    assert cell_texts(spans) == filled
    assert kpis.rows[1][1].text == long_cell  # wrapped lines joined, printed line breaks kept


def test_japanese_text_reads_back_nfkc_equal(tmp_path):
    samples = [
        "目標 100 人 実績 143 人",
        "・目標値：5,400,000 問 ・実績値：16,521,845 問",
        "50%（目標値） 【実績】71.62%",
        "KPI 14,700 千人 (R5 実績：集計中)",
        "髙 ① ⑳ Ⅰ ㈱ ㎡ ※ 〒 ｶﾞ ０１２",
        "▲22 △22 −22 令和5年度 R4.3",
    ]
    path = tmp_path / "jp.pdf"
    write_pdf(path, [*samples, [["指標", "値"], *[[s, s] for s in samples]]])
    doc = load_document(path)
    assert [nfkc(line.text) for line in doc.lines()] == [nfkc(s) for s in samples]
    assert [nfkc(row[1].text) for row in doc.tables()[0].rows[1:]] == [nfkc(s) for s in samples]


def test_characters_that_share_a_glyph_read_back_as_written(tmp_path):
    """pdfminer reads the full-width tilde and minus of the CID font as the wave dash and minus
    sign that share their glyphs, and cannot map an IBM extension kanji at all; pdfium's text
    layer gives all three back as written."""
    path = tmp_path / "twins.pdf"
    write_pdf(path, ["R1～R3", "－22", "﨑"])
    assert [line.text for line in load_document(path).lines()] == ["R1～R3", "－22", "﨑"]


def test_a_pdf_without_text_is_refused(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path))
    canvas.rect(100, 100, 200, 200, fill=1)
    canvas.save()
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "scan.pdf" in str(err.value) and "no text layer" in err.value.reason


def test_a_truncated_pdf_is_refused(tmp_path, long_table_pdf):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(long_table_pdf[0].read_bytes()[:600])
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "truncated.pdf" in str(err.value) and err.value.reason.startswith("not a readable PDF")


def _encrypted_pdf(path, user_password: str) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if "HeiseiKakuGo-W5" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    canvas = Canvas(str(path), encrypt=StandardEncryption(user_password, "owner-secret", strength=128))
    canvas.setFont("HeiseiKakuGo-W5", 12)
    canvas.drawString(72, 700, "目標 100 人 実績 143 人")
    canvas.save()


def test_a_pdf_that_needs_a_password_says_so(tmp_path):
    path = tmp_path / "locked.pdf"
    _encrypted_pdf(path, "user-secret")
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "locked.pdf" in str(err.value) and err.value.reason == "encrypted PDF: it needs a password to open"


def test_an_owner_password_pdf_is_read_without_a_password(tmp_path):
    path = tmp_path / "owner.pdf"
    _encrypted_pdf(path, "")
    assert [line.text for line in load_document(path).lines()] == ["目標 100 人 実績 143 人"]


def test_a_corrupt_pdf_is_not_called_scanned(tmp_path, long_table_pdf):
    path = tmp_path / "corrupt.pdf"
    data = bytearray(long_table_pdf[0].read_bytes())
    data[len(data) // 3 :] = bytes(len(data) - len(data) // 3)  # the rest zeroed, xref included
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "corrupt.pdf" in str(err.value) and "damaged" in err.value.reason
    assert "scan" not in err.value.reason


def test_a_pdf_longer_than_the_page_limit_is_refused(monkeypatch, long_table_pdf):
    from orchestration.extract.formats import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    with pytest.raises(DocumentError) as err:
        load_document(long_table_pdf[0])
    assert re.fullmatch(r"PDF has \d+ pages, more than the 1 a document may have", err.value.reason)


def _draw_rows(canvas, x_positions: list[float], rows: list[list[str]], top: float, *, ruled: bool) -> float:
    """Rows of text at fixed columns from `top` down, 20 pt apart, ruled on every side or not;
    returns the y under the last row."""
    for i, row in enumerate(rows):
        for x, text in zip(x_positions, row, strict=False):
            canvas.drawString(x + 3, top - i * 20 - 14, text)
    bottom = top - 20 * len(rows)
    if ruled:
        for i in range(len(rows) + 1):
            canvas.line(x_positions[0], top - i * 20, 560, top - i * 20)
        for x in [*x_positions, 560]:
            canvas.line(x, top, x, bottom)
    return bottom


def test_an_unruled_table_under_its_own_heading_on_a_page_with_a_ruled_table(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as pdf_canvas

    from orchestration.extract.engine import extract_file
    from orchestration.synth.render import FONT

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "two_tables.pdf"
    c = pdf_canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 10)
    top = A4[1] - 60
    c.drawString(40, top, "令和4年度 1 地方創生推進交付金")
    ruled = [["事業名", "KPI", "目標値", "実績値", "単位"]]
    ruled += [[f"観光振興事業{n}", f"観光入込客数{n}", "60,000", "58,210", "人"] for n in range(3)]
    bottom = _draw_rows(c, [40, 190, 330, 410, 490], ruled, top - 20, ruled=True)
    c.drawString(40, bottom - 40, "2 地方創生拠点整備交付金")
    unruled = [["施設整備計画の名称", "指標", "目標値", "実績値", "単位"]]
    unruled += [[f"交流センター整備計画{n}", f"施設利用者数{n}", "8,000", "7,450", "人"] for n in range(3)]
    _draw_rows(c, [40, 200, 360, 430, 500], unruled, bottom - 60, ruled=False)
    c.save()

    result = extract_file(path)
    grants = {o.kpi_name: o.grant_program for o in result.observations}
    assert len(result.observations) == 12
    assert {grants[f"観光入込客数{n}"] for n in range(3)} == {"地方創生推進交付金"}
    assert {grants[f"施設利用者数{n}"] for n in range(3)} == {"地方創生拠点整備交付金"}
