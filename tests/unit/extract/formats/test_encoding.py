import pytest

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import load_document
from orchestration.extract.formats.encoding import declared_charset, decode_text
from orchestration.extract.model import DocumentError
from orchestration.synth.render import Grid, Merge, write_html, write_text

# NEC's circled numbers and 髙 (an IBM extension) are in cp932 only; ～ is where Shift_JIS and
# cp932 differ.
TEXT = "令和4年度 地方創生推進交付金 ① 来訪者数 1,234人 ～ 事業の名称：観光振興"
KPI_TABLE = Grid(
    [
        ["事業の名称", "KPI", "目標値", "実績値", "単位"],
        ["観光振興事業", "観光入込客数", "120,000", "98,500", "人"],
        ["", "宿泊者数", "5,000", "集計中", "人泊"],
    ],
    merges=[Merge(1, 0, rows=2)],
)
BLOCKS = ["令和4年度 地方創生推進交付金 実施状況", KPI_TABLE]


def html_in(path, charset: str, declaration: str) -> None:
    """The rendered page re-encoded in `charset`, declaring it as `declaration` says."""
    write_html(path, BLOCKS, title="実績")
    page = path.read_text(encoding="utf-8")
    head = {
        "meta": f'<meta charset="{charset}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "xml": "",
        "none": "",
    }[declaration]
    page = page.replace('<meta charset="utf-8">', head)
    if declaration == "xml":
        page = f'<?xml version="1.0" encoding="{charset}"?>\n' + page
    path.write_bytes(page.encode("cp932" if charset.lower() in ("shift_jis", "x-sjis") else charset))


@pytest.mark.parametrize(
    ("charset", "declaration"),
    [
        ("euc-jp", "meta"),
        ("EUC-JP", "http-equiv"),
        ("Shift_JIS", "meta"),
        ("x-sjis", "http-equiv"),
        ("shift_jis", "xml"),
        ("euc-jp", "none"),
        ("shift_jis", "none"),
    ],
)
def test_html_in_a_japanese_charset_reads_like_utf8(tmp_path, charset, declaration):
    reference = tmp_path / "utf8.html"
    write_html(reference, BLOCKS, title="実績")
    path = tmp_path / f"page_{declaration}.html"
    html_in(path, charset, declaration)
    assert path.read_bytes() != reference.read_bytes()
    expected, got = extract_file(reference), extract_file(path)
    assert got.error is None
    assert expected.observations, "the reference page reads"
    assert [o.contract_row() | {"doc": ""} for o in got.observations] == [
        o.contract_row() | {"doc": ""} for o in expected.observations
    ]
    assert {o.cell for o in got.observations} == {o.cell for o in expected.observations}


def test_a_declared_shift_jis_is_read_as_cp932(tmp_path):
    data = f'<html><head><meta charset="Shift_JIS"></head><body><p>{TEXT} 髙</p></body></html>'.encode("cp932")
    assert declared_charset(data) == "cp932"
    assert TEXT + " 髙" in decode_text(tmp_path / "p.html", data)


def test_the_euc_jp_that_windows_writes_reads_too(tmp_path):
    data = f'<meta charset="euc-jp"><p>{TEXT}</p>'.encode("euc_jis_2004")
    assert TEXT in decode_text(tmp_path / "p.html", data)


def test_a_wrong_declaration_falls_back_to_detection(tmp_path):
    data = f'<meta charset="euc-jp"><p>{TEXT}</p>'.encode()
    assert TEXT in decode_text(tmp_path / "p.html", data)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8", "cp932", "euc_jis_2004"])
def test_text_extracts_in_any_encoding(tmp_path, encoding, cell_texts):
    path = tmp_path / "report.txt"
    write_text(path, ["令和4年度 実績", [["事業の名称", "指標"], ["観光振興", "来訪者数 ①"]]], encoding=encoding)
    doc = load_document(path)
    assert doc.lines()[0].text == "令和4年度 実績"
    assert cell_texts(doc.tables()[0]) == [["事業の名称", "指標"], ["観光振興", "来訪者数 ①"]]


def test_utf16_csv_is_decoded_not_called_binary(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("事業の名称,指標,実績値\n観光振興,来訪者数,143\n", encoding="utf-16")
    assert [[c.text for c in row] for row in load_document(path).tables()[0].rows][1] == ["観光振興", "来訪者数", "143"]


def reason_for(path) -> str:
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert str(path) in str(err.value)
    return err.value.reason


def test_bytes_in_no_known_charset_name_the_file(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("事業の名称".encode("cp932") + b" " + "来訪者数".encode() + b"\x80\xff\xfe\x81")
    assert reason_for(path).startswith("unknown text encoding: not UTF-8, UTF-16")

    declared = tmp_path / "declared.html"
    declared.write_bytes(b'<meta charset="utf-8"><p>' + bytes(range(0x80, 0x100)) * 4)
    assert "declares charset 'utf-8' but is not valid in it" in reason_for(declared)

    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "指標".encode("cp932"))
    assert reason_for(bom).startswith("starts with a utf-8 byte-order mark but is not valid utf-8")


def test_half_width_katakana_in_cp932_is_still_cp932(tmp_path):
    text = "ｼﾃｨﾌﾟﾛﾓｰｼｮﾝ事業\tｶﾝｺｳｷｬｸｽｳ\t143"
    assert decode_text(tmp_path / "old.txt", text.encode("cp932")) == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_page_is_html_whatever_its_name(tmp_path, encoding):
    path = tmp_path / "page.txt"
    path.write_text("<html><body><table><tr><td>指標</td><td>実績値</td></tr></table></body></html>", encoding=encoding)
    doc = load_document(path)
    assert doc.format == "html" and [c.text for c in doc.tables()[0].rows[0]] == ["指標", "実績値"]
