"""Scans read by OCR: a results table rendered by the test, scanned at 200 dpi with skew, noise
and JPEG artefacts, read back and scored against what was rendered; mixed PDFs; image files;
what happens without Tesseract."""

import pypdfium2
import pytest
from PIL import Image

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import image, ocr, pdf
from orchestration.synth.matching import f1
from orchestration.synth.render import scan_page, write_pdf

MISSING = ocr.missing_package()
needs_tesseract = pytest.mark.skipif(
    MISSING is not None, reason=f"OCR tests need Debian package {MISSING} (make install installs it as root)"
)

HEADER = ["No", "交付金事業の名称", "指標", "事業開始前", "目標値", "単位", "実績値"]
KPIS = [("来訪者数（年間）", "千人"), ("移住者数", "人"), ("新規雇用者数", "人"), ("観光消費額", "百万円")]
ROWS = [
    [
        str(i),
        f"観光振興事業{i}",
        KPIS[i % 4][0],
        f"{1000 + i * 37:,}",
        f"{2500 + i * 13:,}",
        KPIS[i % 4][1],
        f"{3141 + i * 7:,}" if i % 5 else "集計中",
    ]
    for i in range(1, 21)
]
BLOCKS = ["令和3年度 地方創生推進交付金事業", [HEADER, *ROWS], "以上"]
DPI = 200


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The table with a text layer, and its scan wrapped image-only in a PDF."""
    folder = tmp_path_factory.mktemp("ocr")
    text_pdf = folder / "text.pdf"
    write_pdf(text_pdf, BLOCKS)
    scan = scan_page(text_pdf, dpi=DPI, seed=3)
    scan_pdf = folder / "scan.pdf"
    scan.save(scan_pdf, "PDF", resolution=float(DPI))
    return text_pdf, scan_pdf, scan


def _mixed(folder, scan_pdf):
    """A text page with another year's table, then the scanned page."""
    text_pdf = folder / "other.pdf"
    write_pdf(text_pdf, ["令和4年度 地方創生推進交付金事業", [HEADER, *[[*r[:3], "9" + r[3], *r[4:]] for r in ROWS]]])
    mixed = pypdfium2.PdfDocument.new()
    mixed.import_pages(pypdfium2.PdfDocument(str(text_pdf)))
    mixed.import_pages(pypdfium2.PdfDocument(str(scan_pdf)))
    path = folder / "mixed.pdf"
    mixed.save(str(path))
    return path


def test_the_rendered_table_reads_exactly_from_its_text_layer(rendered):
    """The reference: every number rendered, read from the text layer."""
    gold = extract_file(rendered[0]).observations
    assert sorted(o.value for o in gold if o.measure == "baseline") == [1000 + i * 37 for i in range(1, 21)]
    assert len(gold) == 3 * len(ROWS) and all(o.ocr_confidence is None for o in gold)


@needs_tesseract
def test_a_200_dpi_scan_reads_back_with_f1_at_least_095(rendered):
    text_pdf, scan_pdf, _ = rendered
    gold = extract_file(text_pdf).observations
    result = extract_file(scan_pdf)
    assert result.ok, result.error
    assert f1(gold, result.observations) >= 0.95
    assert all(
        o.ocr_confidence is not None and o.ocr_confidence >= ocr.CONFIDENCE_THRESHOLD for o in result.observations
    )
    assert {o.cell.split(":")[0] for o in result.observations} == {"p1"}  # a cell of a table on page 1
    # a number read by OCR is as sure as its text-layer twin, times its OCR confidence
    twin = {(o.kpi_name, o.measure, o.value): o.confidence for o in gold}
    pairs = [
        (o, twin[o.kpi_name, o.measure, o.value])
        for o in result.observations
        if (o.kpi_name, o.measure, o.value) in twin
    ]
    assert len(pairs) >= 0.9 * len(gold)
    assert all(o.confidence == pytest.approx(sure * o.ocr_confidence / 100, abs=0.001) for o, sure in pairs)


@needs_tesseract
def test_an_image_file_is_a_scan(rendered, tmp_path):
    gold = extract_file(rendered[0]).observations
    path = tmp_path / "scan.png"
    rendered[2].save(path, dpi=(DPI, DPI))
    result = extract_file(path)
    assert result.ok and result.format == "image", result.error
    assert f1(gold, result.observations) >= 0.95


@needs_tesseract
def test_a_tiff_of_more_frames_than_the_limit_reads_the_first_and_reviews_the_rest(rendered, tmp_path, monkeypatch):
    """With a limit of 2 frames: frame 1 (the scan) is read, frame 2 (white) is a blank page, the
    scans in frames 3 and 4 are one review row saying why they were not read."""
    monkeypatch.setattr(image, "MAX_FRAMES", 2)
    scan = rendered[2].convert("L")
    path = tmp_path / "scan.tif"
    scan.save(path, save_all=True, append_images=[Image.new("L", scan.size, 255), scan, scan], dpi=(DPI, DPI))
    result = extract_file(path)
    assert result.ok, result.error
    assert f1(extract_file(rendered[0]).observations, result.observations) >= 0.95
    assert {o.page for o in result.observations} == {1}
    assert [(r.page, r.reason[:34]) for r in result.review if r.reader == "ocr"] == [
        (2, "scanned page (no text layer): OCR "),
        (3, "frames 3 and after not read: an im"),
    ]


@needs_tesseract
def test_a_mixed_pdf_reads_its_text_page_and_its_scanned_page(rendered, tmp_path):
    gold = extract_file(rendered[0]).observations
    result = extract_file(_mixed(tmp_path, rendered[1]))
    by_page = {p: [o for o in result.observations if o.page == p] for p in (1, 2)}
    assert len(by_page[1]) == 3 * len(ROWS) and all(o.ocr_confidence is None for o in by_page[1])
    assert {o.fiscal_year for o in by_page[1]} == {None, 2022}
    assert f1(gold, by_page[2]) >= 0.95 and all(o.ocr_confidence is not None for o in by_page[2])


@needs_tesseract
def test_numbers_under_the_confidence_threshold_go_to_review_with_their_region(rendered, monkeypatch):
    monkeypatch.setattr(ocr, "CONFIDENCE_THRESHOLD", 101.0)  # no reading is that sure
    result = extract_file(rendered[1])
    assert result.observations == []
    held = [r for r in result.review if r.reason.startswith("OCR confidence")]
    assert len(held) >= 3 * len(ROWS) * 0.95
    assert all("page 1, region x0, top, x1, bottom = " in r.reason and r.cell.startswith("p1:") for r in held)


def test_without_tesseract_a_scan_is_refused_naming_the_package(rendered, monkeypatch):
    monkeypatch.setattr(ocr, "missing_package", lambda: "tesseract-ocr-jpn")
    result = extract_file(rendered[1])
    assert not result.ok and "scan.pdf" in result.error
    assert "Debian package tesseract-ocr-jpn is not installed" in result.error


def test_without_tesseract_a_mixed_pdf_reads_its_text_and_reviews_the_scan(rendered, monkeypatch, tmp_path):
    monkeypatch.setattr(ocr, "missing_package", lambda: "tesseract-ocr")
    result = extract_file(_mixed(tmp_path, rendered[1]))
    assert result.ok and len(result.observations) == 3 * len(ROWS)
    [page_two] = [r for r in result.review if r.page == 2]
    assert "scanned page" in page_two.reason and "tesseract-ocr is not installed" in page_two.reason


def _pdf_of(path, images):
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=float(DPI))
    return path


def test_only_a_grainy_scan_is_median_filtered(rendered):
    """The median filter (grain, dust) thins dense kanji strokes: a clean page goes without it."""
    text_pdf, _, scan = rendered
    clean = pypdfium2.PdfDocument(str(text_pdf))[0].render(scale=DPI / 72).to_pil().convert("L")
    assert not ocr._grainy(ocr._dark(clean))
    assert ocr._grainy(ocr._dark(scan.convert("L")))


@needs_tesseract
def test_a_header_misread_by_ocr_still_names_its_columns(rendered, monkeypatch):
    """標 read as 漂, 実 as 宴, 始 as 殆, each doubted (confidence 30): the header cells
    目漂値, 宴績値, 事業開殆前 read as the vocabulary's 目標値, 実績値, 事業開始前."""
    misread = {"標": "漂", "実": "宴", "始": "殆"}
    tesseract = ocr._tesseract

    def misreading(*args, **kwargs):
        lines = tesseract(*args, **kwargs)
        for word in (w for line in lines for w in line if any(ch in misread for ch in w["text"])):
            word["chars"] = [(misread.get(ch, ch), box) for ch, box in word["chars"]]
            word["text"], word["conf"] = "".join(ch for ch, _ in word["chars"]), 30.0
        return lines

    monkeypatch.setattr(ocr, "_tesseract", misreading)
    gold = extract_file(rendered[0]).observations
    result = extract_file(rendered[1])
    assert f1(gold, result.observations) >= 0.95
    monkeypatch.setattr(ocr, "CONFIDENCE_THRESHOLD", 20.0)  # the same misreads, read with confidence
    assert f1(gold, extract_file(rendered[1]).observations) < 0.5  # are left as read: no column named


@needs_tesseract
def test_a_blank_page_does_not_lose_a_scanned_document(rendered, tmp_path):
    """A scan, a white page and a flat grey one (Otsu finds no threshold on either)."""
    scan = rendered[2].convert("L")
    path = _pdf_of(tmp_path / "blank.pdf", [scan, Image.new("L", scan.size, 255), Image.new("L", scan.size, 128)])
    gold = extract_file(rendered[0]).observations
    result = extract_file(path)
    assert result.ok, result.error
    assert f1(gold, result.observations) >= 0.95
    assert [(r.page, "OCR read no text" in r.reason) for r in result.review if r.reader == "ocr"] == [
        (2, True),
        (3, True),
    ]


@needs_tesseract
def test_a_scan_past_its_time_budget_keeps_the_pages_it_read(rendered, tmp_path, monkeypatch):
    """SOSEI_DOC_TIMEOUT 150 s gives OCR 120 s; each page takes 100 s (a clock the test moves):
    page 1 is read, pages 2 and 3 would end past the budget and go to review with the reason."""
    clock = [1000.0]
    monkeypatch.setattr(pdf.time, "monotonic", lambda: clock[0])
    read_scan = ocr.read_scan

    def slow_read(*args, **kwargs):
        clock[0] += 100.0
        return read_scan(*args, **kwargs)

    monkeypatch.setattr(ocr, "read_scan", slow_read)
    monkeypatch.setenv("SOSEI_DOC_TIMEOUT", "150")
    scan = rendered[2].convert("L")
    result = extract_file(_pdf_of(tmp_path / "long.pdf", [scan, scan, scan]))
    assert result.ok, result.error
    assert f1(extract_file(rendered[0]).observations, result.observations) >= 0.95
    assert {o.page for o in result.observations} == {1}
    late = [r for r in result.review if r.reader == "ocr"]
    assert [r.page for r in late] == [2, 3]
    assert all("SOSEI_DOC_TIMEOUT" in r.reason and "pages before it were kept" in r.reason for r in late)
