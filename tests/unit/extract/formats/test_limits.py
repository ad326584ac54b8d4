"""Hostile and oversized inputs end quickly, in a clipped read or a reason naming the file."""

import struct
import time

import pypdfium2
import pytest
from PIL import Image

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import image, load_document
from orchestration.extract.model import DocumentError


def timed_extract(path):
    start = time.perf_counter()
    result = extract_file(path)
    return result, time.perf_counter() - start


def test_spans_of_1000_are_clipped_to_the_table(tmp_path):
    path = tmp_path / "spans.html"
    cell = '<td colspan="1000" rowspan="1000">来訪者数</td>'
    rows = "".join(f"<tr><td>事業{i}</td>{cell}<td>{i}</td></tr>" for i in range(300))
    path.write_text(f"<html><body><p>令和4年度 実績</p><table>{rows}</table></body></html>", encoding="utf-8")
    result, elapsed = timed_extract(path)
    assert result.error is None
    (table,) = load_document(path).tables()
    assert len(table.rows) == 300 and len(table.rows[0]) <= 1 + 3 + 1  # the widest row's own cells
    for i, row in enumerate(table.rows):  # spans from above never push a row's own cells out
        assert {f"事業{i}", str(i)} <= {c.text for c in row}
    assert elapsed < 20  # unclipped, this page took 112 s and 12 GB


def test_a_table_larger_than_the_limit_is_refused_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr("orchestration.extract.formats.html.MAX_CELLS", 50)
    path = tmp_path / "big.html"
    path.write_text("<table>" + "<tr><td>a</td><td>b</td><td>c</td></tr>" * 20 + "</table>", encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "big.html" in str(err.value) and "more than 50" in err.value.reason


def test_deep_nesting_keeps_its_text_without_exhausting_recursion(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 5000 + "令和4年度 来訪者数 143人" + "</div>" * 5000, encoding="utf-8")
    result = extract_file(path)
    assert result.error is None
    assert [line.text for line in load_document(path).lines()] == ["令和4年度 来訪者数 143人"]


def test_a_long_csv_field_reads(tmp_path, cell_texts):
    path = tmp_path / "long.csv"
    note = "長い備考" * 100_000  # 400,000 characters, over the csv module's default field limit
    path.write_text(f"事業の名称,指標,実績値,備考\n観光振興,来訪者数,143,{note}\n", encoding="utf-8")
    result, _ = timed_extract(path)
    assert result.error is None
    assert cell_texts(load_document(path).tables()[0])[1][:3] == ["観光振興", "来訪者数", "143"]


@pytest.mark.parametrize(("name", "body"), [("many.csv", "a,b\n" * 40), ("many.txt", "a\tb\n" * 40)])
def test_text_tables_over_the_cell_limit_are_refused(tmp_path, monkeypatch, name, body):
    monkeypatch.setattr("orchestration.extract.formats.base.MAX_CELLS", 30)
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert name in str(err.value) and "more than 30" in err.value.reason


def test_a_ragged_table_keeps_the_width_html_gives_it(tmp_path, cell_texts):
    path = tmp_path / "ragged.html"
    path.write_text(
        '<table><tr><td rowspan="2">事業</td><td>指標</td></tr><tr><td>来訪者数</td><td>143</td>'
        "<td>人</td></tr></table>",
        encoding="utf-8",
    )
    assert cell_texts(load_document(path).tables()[0]) == [["事業", "指標", "", ""], ["事業", "来訪者数", "143", "人"]]


def test_a_shared_strings_bomb_is_refused_before_it_is_parsed(tmp_path):
    """Millions of tiny shared strings zip to a few megabytes; parsed, they held a worker for its
    whole time limit and gigabytes of memory."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "来訪者数"
    plain = io.BytesIO()
    book.save(plain)
    bomb = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb += b"<si><t>a</t></si>" * 9_000_000 + b"</sst>"
    path = tmp_path / "bomb.xlsx"
    main = "http://schemas.openxmlformats.org"
    part = {  # the shared-strings part, declared where a workbook declares it
        "[Content_Types].xml": (
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            f'<Relationship Id="rIdSST" Type="{main}/officeDocument/2006/relationships/sharedStrings" '
            f'Target="sharedStrings.xml"/></Relationships>'.encode(),
        ),
    }
    # Deflate level 1 writes the bomb in a third of the time of the default 6, and still under 5 MB.
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in src.infolist():
            old, new = part.get(item.filename, (b"", b""))
            out.writestr(item.filename, src.read(item).replace(old, new) if old else src.read(item))
        out.writestr("xl/sharedStrings.xml", bomb)
    assert path.stat().st_size < 5 << 20
    result, elapsed = timed_extract(path)
    assert "bomb.xlsx" in result.error and "shared strings unpack to 153,000," in result.error
    assert elapsed < 10


def _blank_tiff(frames: int, width: int = 200, height: int = 280) -> bytes:
    """A TIFF of `frames` white 8-bit frames sharing one strip, as a bomb is made: 170 KB for a
    thousand (Pillow writes a frame in 20 ms, so this test would spend 20 s writing its input)."""
    strip = b"\xff" * (width * height)
    tags = [(256, width), (257, height), (258, 8), (259, 1), (262, 1), (273, 8), (277, 1), (278, height)]
    ifd = 2 + 12 * (len(tags) + 1) + 4
    out = bytearray(b"II*\0" + struct.pack("<I", 8 + len(strip)) + strip)
    for n in range(1, frames + 1):
        out += struct.pack("<H", len(tags) + 1)
        out += b"".join(struct.pack("<HHIHH", tag, 3, 1, value, 0) for tag, value in tags)  # SHORT values
        out += struct.pack("<HHII", 279, 4, 1, len(strip))  # StripByteCounts, a LONG
        out += struct.pack("<I", 8 + len(strip) + n * ifd if n < frames else 0)
    return bytes(out)


def test_a_tiff_of_1000_frames_is_read_for_its_first_frames_and_says_so(tmp_path, monkeypatch):
    """A thousand blank frames (a few hundred kilobytes) were all decoded at once (3.5 GB for A4
    frames) and OCR'd until the time limit: now `MAX_FRAMES` of them are, one at a time."""
    path = tmp_path / "frames.tif"
    path.write_bytes(_blank_tiff(1000))
    assert Image.open(path).n_frames == 1000
    pages = []

    def counted(path, data):
        pages.append(len(pypdfium2.PdfDocument(data)))
        return read_pdf(path, data)

    read_pdf = image.read_pdf
    monkeypatch.setattr(image, "read_pdf", counted)
    result = extract_file(path)
    assert pages == [image.MAX_FRAMES]
    assert "frames.tif" in result.error
    assert f"frames {image.MAX_FRAMES + 1} and after not read: an image is read for at most" in result.error
