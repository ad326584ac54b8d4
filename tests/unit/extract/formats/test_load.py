import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from orchestration.extract.formats import READERS, load_document, reader
from orchestration.extract.model import DocumentError
from orchestration.synth.render import write_html, write_pdf, write_text, write_xlsx

BLOCKS = ["地方創生推進交付金", [["指標", "実績値"], ["来訪者数", "143"]]]


@pytest.mark.parametrize(("writer", "fmt"), [(write_pdf, "pdf"), (write_xlsx, "xlsx"), (write_html, "html")])
def test_content_decides_the_format_not_the_name(tmp_path, writer, fmt):
    path = tmp_path / "misnamed.csv"
    writer(path, BLOCKS)
    doc = load_document(path)
    data = path.read_bytes()
    assert (doc.format, doc.name, doc.size_bytes) == (fmt, "misnamed.csv", len(data))
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert [[c.text for c in row] for row in doc.tables()[0].rows] == BLOCKS[1]


def test_content_without_a_signature_goes_by_extension(tmp_path):
    for name, fmt in [("tabbed.csv", "csv"), ("tabbed.txt", "text"), ("tabbed", "text")]:
        write_text(tmp_path / name, BLOCKS)
        doc = load_document(tmp_path / name)
        assert doc.format == fmt
        assert [[c.text for c in row] for row in doc.tables()[0].rows] == BLOCKS[1]


def test_html_fragments_inside_a_text_extract_do_not_make_it_html(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("\n\n事業の名称\t<p>a</p><table></table>\n", encoding="utf-8")
    assert load_document(path).format == "text"


def test_a_pdf_signature_inside_a_csv_does_not_make_it_a_pdf(tmp_path):
    """Only magic at offset 0 decides; junk before %PDF- is a PDF's only when it is named .pdf."""
    path = tmp_path / "notes.csv"
    path.write_text("指標,実績値\n来訪者数,143\n備考,%PDF-1.7 の資料を参照\n", encoding="utf-8")
    assert load_document(path).format == "csv"
    pdf = tmp_path / "prefixed.pdf"
    write_pdf(tmp_path / "plain.pdf", BLOCKS)
    pdf.write_bytes(b"junk from a mail gateway\n" + (tmp_path / "plain.pdf").read_bytes())
    assert load_document(pdf).format == "pdf"


def reason_for(path) -> str:
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert str(path) in str(err.value) and err.value.path == str(path)
    return err.value.reason


def test_unreadable_files_name_the_file_and_the_reason(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert reason_for(empty) == "empty file"

    noise = tmp_path / "noise.bin"
    noise.write_bytes(bytes(range(256)) + os.urandom(2048))
    assert "not text" in reason_for(noise)

    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_bytes(b"\x89garbage" * 100)
    assert reason_for(fake_pdf).startswith("not a readable PDF")  # no signature: the name decides

    archive = tmp_path / "archive.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("content.xml", "<office:document/>")
    archive.write_bytes(buffer.getvalue())
    assert reason_for(archive) == "zip archive that is neither an .xlsx workbook nor a .docx document"

    fake_docx = tmp_path / "fake.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    fake_docx.write_bytes(buffer.getvalue())
    assert reason_for(fake_docx).startswith("not a readable .docx")

    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    for name, stream, reason in [
        ("locked.xlsx", "EncryptedPackage", "password-protected (encrypted) Office file"),
        ("old.doc", "WordDocument", "Word 97-2003 .doc file"),
        ("broken.xls", "Workbook", "not a readable .xls"),
        ("other.xls", "Stuff", "Office 97-2003 compound file that is not an Excel workbook"),
    ]:
        (tmp_path / name).write_bytes(ole2 + stream.encode("utf-16-le") + b"\x00" * 512)
        assert reason_for(tmp_path / name).startswith(reason)

    assert reason_for(tmp_path / "missing.txt").startswith("cannot read file")


# The libraries of the format readers (pdfplumber, openpyxl, xlrd, python-docx, lxml, PIL for OCR).
READER_LIBRARIES = ("pdfplumber", "pypdfium2", "openpyxl", "xlrd", "docx", "lxml", "PIL")


def _loaded_after(code: str) -> dict[str, bool]:
    """Which reader libraries a fresh interpreter has loaded after running `code`."""
    probe = f"import json, sys\n{code}\nprint(json.dumps({{n: n in sys.modules for n in {READER_LIBRARIES!r}}}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.splitlines()[-1])


def test_the_registry_imports_a_reader_only_when_its_format_is_read(tmp_path):
    # Reading the manifest decodes text with the formats' encoding module: no reader library loads.
    assert not any(_loaded_after("import orchestration.land.manifest").values())
    path = tmp_path / "report.xlsx"
    write_xlsx(path, BLOCKS)
    loaded = _loaded_after(f"from orchestration.extract.formats import load_document; load_document({str(path)!r})")
    assert loaded["openpyxl"] and not loaded["pdfplumber"]  # the probe sees a reader's library load


def test_every_format_names_a_reader_that_exists():
    assert all(callable(reader(fmt)) for fmt in READERS)
